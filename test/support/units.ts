import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { saveUnits } from '../../shared/storage/units-repository.js';
import type { UnitRegistry } from '../../shared/units/registry.js';
import type { Unit } from '../../shared/units/types.js';

/**
 * The units the integration tests store: Hanoi and Quảng Ninh in full (before and after 2025-07-01) and every
 * province, as `npm start` with UNITS_PROVINCES=01,22. Every fixture publishes there; writing the whole country's
 * 14,019 units into DynamoDB Local instead takes over two minutes per test file on a loaded two-core machine.
 * Their roll-up and coverage sets are computed from the registry given (the national one), as in production.
 */
export const TEST_PROVINCES: readonly string[] = ['01', '22'];

/** The registry's units in TEST_PROVINCES, and every province. */
export function testProvinceUnits(registry: UnitRegistry): Unit[] {
  return registry
    .all()
    .filter((unit) => unit.level === 1 || TEST_PROVINCES.includes(registry.ancestors(unit.id).at(-1) ?? unit.id));
}

/** Stores testProvinceUnits(registry) in a records table, with their sets, as the importer does. */
export async function saveTestUnits(
  doc: DynamoDBDocumentClient,
  recordsTable: string,
  registry: UnitRegistry,
): Promise<void> {
  await saveUnits(doc, recordsTable, testProvinceUnits(registry), registry);
}
