import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BundledUnits, bundledUnits, DynamoUnitLookup } from '../../shared/storage/units-repository.js';
import { BUNDLED_REGISTRY_FILE } from '../../shared/units/bundled.js';
import { logger } from './observability.js';

/**
 * The unit lookup of a function that resolves units (a route with `needs: 'unit-registry'`, the aggregation): the
 * committed registry shipped beside its bundle while the store's manifest vouches for it, so no unit costs a request;
 * otherwise the store. A bundle without the file (the asset not shipped, e.g. a function that forgot the need) would
 * fall back to a Query per unit without a word: it says so once, with the path it looked at, nothing personal.
 * Built once per configuration by each function, so once per process.
 */
export function functionUnitLookup(
  doc: DynamoDBDocumentClient,
  tableName: string,
  shipped: () => Promise<BundledUnits | undefined> = bundledUnits,
  file: string = BUNDLED_REGISTRY_FILE,
): DynamoUnitLookup {
  let told = false;
  return new DynamoUnitLookup(doc, tableName, {
    bundled: async function shippedUnits() {
      const units = await shipped();
      if (!units && !told) {
        told = true;
        logger.warn('unit registry file missing or unreadable: units are looked up in the store', { file });
      }
      return units;
    },
  });
}
