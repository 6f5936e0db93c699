import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UnitDataError } from '../../../../shared/units/errors.js';
import {
  buildNationalRegistry,
  DEFAULT_DATA_DIR,
  DEFAULT_REGISTRY_FILE,
  loadRegistryFile,
  readUnitSources,
} from '../../../../shared/units/load.js';
import { RegistryFileSchema } from '../../../../shared/units/registry-file.js';

describe('registry files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'units-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the committed registry, which holds the whole country', () => {
    // Act
    const registry = loadRegistryFile();
    const file = RegistryFileSchema.parse(JSON.parse(gunzipSync(readFileSync(DEFAULT_REGISTRY_FILE)).toString('utf8')));

    // Assess
    expect(file.provinces).toBeNull();
    expect(registry.size).toBe(file.count);
    expect(registry.size).toBe(14_019);
    expect(registry.get('00304')?.name).toBe('Phường Vĩnh Hưng');
  });

  it('builds the national registry from the committed reference lists, unit for unit the committed registry', () => {
    // Act
    const registry = buildNationalRegistry();

    // Assess: the committed registry is what the importer makes of the committed sources (never stale).
    expect(registry.size).toBe(14_019);
    expect(registry.resolve('00097', '2025-07-01')?.name).toBe('Phường Hồng Hà');
    expect(registry.all()).toEqual(loadRegistryFile().all());
  });

  it('keeps the reference lists byte for byte as published (the checksums of data/sources/README.md)', () => {
    // Act
    const digest = (name: string) =>
      createHash('sha256')
        .update(gunzipSync(readFileSync(join(DEFAULT_DATA_DIR, `${name}.gz`))))
        .digest('hex');
    const readme = readFileSync(join(DEFAULT_DATA_DIR, 'README.md'), 'utf8');

    // Assess
    expect(readme).toContain(`${digest('units-2025-03-01.json')}  units-2025-03-01.json`);
    expect(readme).toContain(`${digest('units-2025-07-01-merges.json')}  units-2025-07-01-merges.json`);
  });

  it('reports a missing registry file in one line', () => {
    // Act
    const load = () => loadRegistryFile(join(dir, 'absent.json'));

    // Assess
    expect(load).toThrow(UnitDataError);
    expect(load).toThrow(`cannot read ${join(dir, 'absent.json')}: file not found`);
  });

  it('reports a registry file that breaks the schema with the path of the problem', () => {
    // Prepare
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify({ provinces: null, count: 1, units: [{ id: '01' }] }));

    // Act
    const load = () => loadRegistryFile(path);

    // Assess
    expect(load).toThrow(new RegExp(`^${path}: units\\.0\\.code: `));
  });

  it('reports a file that is not JSON', () => {
    // Prepare
    const path = join(dir, 'not-json.json');
    writeFileSync(path, '{"units": [');

    // Act
    const load = () => loadRegistryFile(path);

    // Assess
    expect(load).toThrow(`${path} is not valid JSON`);
  });

  it('reports missing reference data in one line', () => {
    // Act
    const read = () => readUnitSources(join(dir, 'no-data'));

    // Assess
    expect(read).toThrow(
      new UnitDataError(`cannot read ${join(dir, 'no-data', 'units-2025-03-01.json')}: file not found`),
    );
  });
});
