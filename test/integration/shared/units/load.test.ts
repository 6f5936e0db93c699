import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnitDataError } from '../../../../shared/units/errors.js';
import {
  buildNationalRegistry,
  DEFAULT_REGISTRY_FILE,
  loadRegistryFile,
  readUnitSources,
} from '../../../../shared/units/load.js';
import { RegistryFileSchema } from '../../../../shared/units/registry-file.js';

describe('registry files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'units-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the committed registry, which says which provinces it holds in full', () => {
    // Act
    const registry = loadRegistryFile();
    const file = RegistryFileSchema.parse(JSON.parse(readFileSync(DEFAULT_REGISTRY_FILE, 'utf8')));

    // Assess
    expect(file.provinces).toEqual(['01', '22']);
    expect(registry.size).toBe(file.count);
    expect(registry.get('00304')?.name).toBe('Phường Vĩnh Hưng');
  });

  it('builds the national registry from ../shared/data', () => {
    // Act
    const registry = buildNationalRegistry();

    // Assess
    expect(registry.size).toBe(14_019);
    expect(registry.resolve('00097', '2025-07-01')?.name).toBe('Phường Hồng Hà');
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
