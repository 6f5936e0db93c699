import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../../functions/lib/observability.js';
import { functionUnitLookup } from '../../../../functions/lib/units.js';
import {
  loadBundledUnits,
  saveUnits,
  saveUnitsManifest,
  unitsDigest,
} from '../../../../shared/storage/units-repository.js';
import { BUNDLED_REGISTRY_FILE } from '../../../../shared/units/bundled.js';
import { committedRegistry } from '../../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

/**
 * The functions' unit lookup (functions/lib/units.ts) when the registry file that should sit beside the bundle is
 * not there: it answers from the store, as before, and says so once in the log (Powertools, one JSON line), instead
 * of querying every unit without a word. The store holds the committed registry's units and manifest, so with the
 * file the lookup would make no request at all.
 */
describe('functionUnitLookup without its registry file', () => {
  let tables: TestTables;
  let dir: string;
  let lines: string[];

  /** The JSON lines the logger writes (Powertools: one per entry, warnings and errors to stderr, the rest to stdout). */
  function captureLog(): void {
    lines = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  }

  const warnings = () =>
    lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.level === 'WARN');

  beforeAll(async () => {
    tables = await createTestTables('units-missing');
    const registry = committedRegistry();
    // The manifest of the committed registry: a lookup with the file would trust it and read no unit.
    const units = ['01', '008', '00304'].flatMap((id) => registry.get(id) ?? []);
    await saveUnits(tables.doc, tables.names.records, units, registry);
    await saveUnitsManifest(tables.doc, tables.names.records, {
      count: registry.size,
      digest: unitsDigest(registry.all()),
      savedAt: new Date().toISOString(),
    });
    dir = mkdtempSync(join(tmpdir(), 'units-missing-'));
    logger.setLogLevel('WARN');
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    logger.setLogLevel('ERROR');
    await tables?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers from the store and logs once that the file is missing, with its path and nothing else', async () => {
    // Prepare
    const missing = join(dir, 'data', 'registry.json.gz');
    const lookup = functionUnitLookup(tables.doc, tables.names.records, () => loadBundledUnits(missing), missing);
    captureLog();

    // Act: two lookups, and two more after the cache period (clear), each asking for the file again
    const ward = await lookup.get('00304', '2024-05-20');
    const district = await lookup.get('008', '2024-05-20');
    lookup.clear();
    const again = await lookup.get('00304', '2024-05-20');
    const unknown = await lookup.get('99999', '2024-05-20');
    vi.restoreAllMocks();

    // Assess
    expect(ward?.rollup).toEqual(['00304', '008', '01']);
    expect(district?.id).toBe('008');
    expect(again?.rollup).toEqual(ward?.rollup);
    expect(unknown).toBeUndefined();
    const warned = warnings();
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({
      message: 'unit registry file missing or unreadable: units are looked up in the store',
      file: missing,
    });
  });

  it('logs nothing when the file is there', async () => {
    // Prepare
    const lookup = functionUnitLookup(tables.doc, tables.names.records, () => loadBundledUnits(BUNDLED_REGISTRY_FILE));
    captureLog();

    // Act
    const ward = await lookup.get('00304', '2024-05-20');
    vi.restoreAllMocks();

    // Assess
    expect(ward?.id).toBe('00304');
    expect(warnings()).toEqual([]);
  });
});
