import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runUnits, type UnitsCliContext, UnitsUsageError } from '../../../../cli/admin/units.js';
import { DynamoUnitLookup, readUnitsManifest, unitsDigest } from '../../../../shared/storage/units-repository.js';
import { loadConfiguredRegistry } from '../../../../shared/units/load.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { TEST_PROVINCES } from '../../../support/units.js';

/**
 * `npm run admin -- units load` on the real engine: a deployed store gets its units the way `npm start`'s does. The
 * registry is the test provinces' (UNITS_PROVINCES), the same code path as the whole country's, smaller.
 */
describe('npm run admin -- units load', () => {
  const config = { UNITS_PROVINCES: TEST_PROVINCES.join(',') };
  let tables: TestTables;
  let lines: string[];
  let context: UnitsCliContext;
  beforeAll(async () => {
    tables = await createTestTables('cli-units');
  });
  beforeEach(() => {
    lines = [];
    context = { doc: tables.doc, recordsTable: tables.names.records, config, out: (line) => lines.push(line) };
  });
  afterAll(async () => {
    await tables.drop();
  });

  it('loads the registry into an empty store, then finds nothing to do', async () => {
    // Act
    await runUnits(['load'], context);
    const first = await readUnitsManifest(tables.doc, tables.names.records);
    const firstLines = lines;
    lines = [];
    await runUnits(['load'], context);

    // Assess: the store holds exactly the configured units, and a unit resolves from it.
    const units = loadConfiguredRegistry(config).all();
    expect(first?.digest).toBe(unitsDigest(units));
    expect(first?.count).toBe(units.length);
    expect(firstLines.at(-1)).toBe('units loaded');
    const ward = await new DynamoUnitLookup(tables.doc, tables.names.records).resolve('00301', '2024-06-01');
    expect(ward?.id).toBe('00301-pre2025'); // Hoàng Mai's ward 00301 as it was before 2025-07-01
    expect(lines).toEqual(['the store already holds these units: nothing to do']);
    expect((await readUnitsManifest(tables.doc, tables.names.records))?.savedAt).toBe(first?.savedAt);
  });

  it('answers wrong arguments with its usage', async () => {
    await expect(runUnits(['drop'], context)).rejects.toBeInstanceOf(UnitsUsageError);
    await expect(runUnits(['load', '--all'], context)).rejects.toBeInstanceOf(UnitsUsageError);
  });
});
