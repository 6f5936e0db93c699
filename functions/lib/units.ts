import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BundledUnits, bundledUnits, DynamoUnitLookup } from '../../shared/storage/units-repository.js';

/**
 * The unit lookup of a function that resolves units (a route with `needs: 'unit-registry'`, the aggregation): the
 * committed registry shipped beside its bundle while the store's manifest vouches for it, so no unit costs a request;
 * otherwise the store. Built once per configuration by each function, so once per process.
 */
export function functionUnitLookup(
  doc: DynamoDBDocumentClient,
  tableName: string,
  shipped: () => Promise<BundledUnits | undefined> = bundledUnits,
): DynamoUnitLookup {
  return new DynamoUnitLookup(doc, tableName, { bundled: shipped });
}
