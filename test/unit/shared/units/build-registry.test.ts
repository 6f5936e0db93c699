import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../../shared/units/build-registry.js';
import { UnitDataError } from '../../../../shared/units/errors.js';
import { DEFAULT_REGISTRY_FILE, readUnitSources } from '../../../../shared/units/load.js';
import { serializeRegistryFile } from '../../../../shared/units/registry-file.js';
import type { NewUnitsFile, OldUnitsFile } from '../../../../shared/units/source.js';
import { REORGANISATION_DATE, type Unit } from '../../../../shared/units/types.js';
import { newFixture, oldFixture } from './fixture.js';

function byId(units: readonly Unit[]): Map<string, Unit> {
  return new Map(units.map((unit) => [unit.id, unit]));
}

describe('buildRegistry on a small country', () => {
  const units = buildRegistry(oldFixture, newFixture);
  const unit = (id: string) => byId(units).get(id);

  it('gives every old and new unit one id, with -pre2025 only where a different unit reuses the code', () => {
    // Assess
    expect(units.map((u) => u.id)).toEqual([
      '01',
      '02',
      '03-pre2025',
      '03',
      '001',
      '002',
      '003',
      '004',
      '005',
      '00001-pre2025',
      '00001',
      '00002',
      '00004',
      '00007-pre2025',
      '00007',
      '00008',
      '00010',
      '00013-pre2025',
      '00013',
      '00015-pre2025',
      '00015',
      '00099',
    ]);
  });

  it('keeps a province that continues as one unit in force throughout', () => {
    // Assess
    expect(unit('01')).toMatchObject({ validFrom: null, validTo: null, successors: [], predecessors: [] });
  });

  it('ends old provinces that merged and links them to the new province', () => {
    // Assess
    expect(unit('02')).toMatchObject({ validTo: REORGANISATION_DATE, successors: [{ id: '03', kind: 'full' }] });
    expect(unit('03-pre2025')).toMatchObject({
      validTo: REORGANISATION_DATE,
      successors: [{ id: '03', kind: 'full' }],
    });
    expect(unit('03')).toMatchObject({
      validFrom: REORGANISATION_DATE,
      validTo: null,
      predecessors: [
        { id: '02', kind: 'full' },
        { id: '03-pre2025', kind: 'full' },
      ],
    });
  });

  it('ends every district on 2025-07-01 under its old province', () => {
    // Assess
    const districts = units.filter((u) => u.level === 2);
    expect(districts.every((d) => d.validFrom === null && d.validTo === REORGANISATION_DATE)).toBe(true);
    expect(districts.map((d) => d.parent)).toEqual(['01', '01', '02', '02', '03-pre2025']);
  });

  it('links a district without communes to the special zone it became', () => {
    // Assess
    expect(unit('004')?.successors).toEqual([{ id: '00099', kind: 'full' }]);
    expect(unit('00099')).toMatchObject({ type: 'special_zone', level: 3, parent: '03' });
  });

  it('builds a new commune under its province with its predecessors by id', () => {
    // Assess
    expect(unit('00001')).toEqual({
      id: '00001',
      code: '00001',
      name: 'Phường Một',
      nameAscii: 'Phuong Mot',
      slug: 'mot',
      type: 'ward',
      level: 3,
      parent: '01',
      validFrom: REORGANISATION_DATE,
      validTo: null,
      successors: [],
      predecessors: [
        { id: '00001-pre2025', kind: 'full' },
        { id: '00002', kind: 'full' },
        { id: '00007-pre2025', kind: 'partial' },
      ],
    });
  });

  it('gives a split commune one partial successor per new unit', () => {
    // Assess
    expect(unit('00013-pre2025')?.successors).toEqual([
      { id: '00013', kind: 'partial' },
      { id: '00015', kind: 'partial' },
    ]);
  });

  it('keeps a continuing commune as one unit with its former parent and former name', () => {
    // Assess
    expect(unit('00004')).toMatchObject({
      name: 'Phường Bốn',
      type: 'ward',
      parent: '01',
      validFrom: null,
      validTo: null,
      formerParent: '001',
      formerName: 'Xã Bốn',
    });
  });

  it('maps the list types of old units', () => {
    // Assess
    expect(['01', '02', '001', '002', '003', '004', '00007-pre2025'].map((id) => unit(id)?.type)).toEqual([
      'municipality',
      'province',
      'urban_district',
      'district',
      'provincial_city',
      'district_town',
      'township',
    ]);
  });

  it('builds the same output twice', () => {
    // Act
    const again = buildRegistry(oldFixture, newFixture);

    // Assess
    expect(JSON.stringify(again)).toBe(JSON.stringify(units));
  });
});

describe('buildRegistry with a province filter', () => {
  it('keeps the chosen province, old and new, and every province', () => {
    // Act
    const units = buildRegistry(oldFixture, newFixture, { provinces: ['01'] });

    // Assess
    expect(units.map((u) => u.id)).toEqual([
      '01',
      '02',
      '03-pre2025',
      '03',
      '001',
      '002',
      '00001-pre2025',
      '00001',
      '00002',
      '00004',
      '00007-pre2025',
      '00007',
      '00008',
    ]);
  });

  it('drops links to units left out, and says so', () => {
    // Prepare
    const warnings: string[] = [];

    // Act
    const units = buildRegistry(oldFixture, newFixture, { provinces: ['03'], onWarning: (m) => warnings.push(m) });

    // Assess
    expect(byId(units).get('00013')?.predecessors).toEqual([{ id: '00013-pre2025', kind: 'partial' }]);
    expect(byId(units).get('00099')?.predecessors).toEqual([]);
    expect(warnings).toEqual(['dropped 2 links to units outside provinces 03']);
  });

  it('refuses an unknown province code', () => {
    // Act
    const build = () => buildRegistry(oldFixture, newFixture, { provinces: ['01', '99'] });

    // Assess
    expect(build).toThrow(new UnitDataError('unknown province code 99'));
  });
});

describe('buildRegistry on inconsistent sources', () => {
  it('refuses a merge of an old unit that does not exist', () => {
    // Prepare
    const next: NewUnitsFile = structuredClone(newFixture);
    next.data[0]?.level2s[0]?.merges.push({ old_id: '00050', name: 'Xã Năm Mươi', type: 'full' });

    // Act
    const build = () => buildRegistry(oldFixture, next);

    // Assess
    expect(build).toThrow(/merges unknown old unit 00050/);
  });

  it('types a unit by its name when the list type contradicts it, with a warning', () => {
    // Prepare
    const old: OldUnitsFile = structuredClone(oldFixture);
    const ward = old.data[0]?.level2s[0]?.level3s[1];
    if (ward) ward.type = 'Xã';
    const warnings: string[] = [];

    // Act
    const units = buildRegistry(old, newFixture, { onWarning: (m) => warnings.push(m) });

    // Assess
    expect(byId(units).get('00002')?.type).toBe('ward');
    expect(warnings).toEqual(['unit 00002 "Phường Hai" is listed as "Xã"; typed ward']);
  });
});

describe('buildRegistry on the reference data', () => {
  let national: Unit[];
  let sources: ReturnType<typeof readUnitSources>;
  beforeAll(() => {
    sources = readUnitSources();
    national = buildRegistry(sources.old, sources.next);
  });
  const count = (predicate: (unit: Unit) => boolean) => national.filter(predicate).length;

  it('imports all 10,047 communes before the reorganisation and 3,321 after', () => {
    // Assess
    expect(count((u) => u.level === 3 && u.validFrom === null)).toBe(10_047);
    expect(count((u) => u.level === 3 && u.validTo === null)).toBe(3_321);
  });

  it('imports 63 provinces and 696 districts before, 34 provinces after', () => {
    // Assess
    expect(count((u) => u.level === 1 && u.validFrom === null)).toBe(63);
    expect(count((u) => u.level === 2)).toBe(696);
    expect(count((u) => u.level === 1 && u.validTo === null)).toBe(34);
  });

  it('finds 131 communes and 11 provinces continuing, and 3,208 old units whose code was reused', () => {
    // Assess
    expect(count((u) => u.level === 3 && u.validFrom === null && u.validTo === null)).toBe(131);
    expect(count((u) => u.level === 1 && u.validFrom === null && u.validTo === null)).toBe(11);
    expect(count((u) => u.id.endsWith('-pre2025'))).toBe(3_208);
  });

  it('finds 460 communes split among 2 to 5 new units, all partial', () => {
    // Act
    const split = national.filter((u) => u.level === 3 && u.successors.length > 1);

    // Assess
    expect(split).toHaveLength(460);
    expect(split.every((u) => u.successors.length <= 5 && u.successors.every((s) => s.kind === 'partial'))).toBe(true);
  });

  it('finds every other ended commune merged fully into exactly one new unit', () => {
    // Act
    const ended = national.filter((u) => u.level === 3 && u.validTo !== null);

    // Assess
    expect(ended).toHaveLength(10_047 - 131);
    const whole = ended.filter((u) => u.successors.length === 1 && u.successors[0]?.kind === 'full');
    expect(whole).toHaveLength(10_047 - 131 - 460);
  });

  it('places Vĩnh Hưng ward (00304) in Hoàng Mai (008) in Hanoi (01)', () => {
    // Act
    const units = byId(national);

    // Assess
    expect(units.get('00304')).toMatchObject({
      name: 'Phường Vĩnh Hưng',
      nameAscii: 'Phuong Vinh Hung',
      slug: 'vinh-hung',
      type: 'ward',
      parent: '008',
    });
    expect(units.get('008')).toMatchObject({ name: 'Quận Hoàng Mai', parent: '01' });
    expect(units.get('01')).toMatchObject({ name: 'Thành phố Hà Nội', type: 'municipality', parent: null });
  });

  it('tells Tứ Liên (00097-pre2025) from Hồng Hà (00097)', () => {
    // Act
    const units = byId(national);

    // Assess
    expect(units.get('00097-pre2025')).toMatchObject({ name: 'Phường Tứ Liên', parent: '003', validTo: '2025-07-01' });
    expect(units.get('00097-pre2025')?.successors).toContainEqual({ id: '00097', kind: 'partial' });
    expect(units.get('00097')).toMatchObject({ name: 'Phường Hồng Hà', parent: '01', validFrom: '2025-07-01' });
  });

  it('produces exactly the committed registry file, the whole country', () => {
    // Act
    const committed = gunzipSync(readFileSync(DEFAULT_REGISTRY_FILE)).toString('utf8');

    // Assess
    expect(serializeRegistryFile(national, null) === committed).toBe(true);
  });

  it('keeps every unit of Hanoi and Quảng Ninh identical to the national build (no link dropped)', () => {
    // Act
    const units = buildRegistry(sources.old, sources.next, { provinces: ['01', '22'] });

    // Assess
    const all = byId(national);
    expect(units.filter((u) => JSON.stringify(u) !== JSON.stringify(all.get(u.id)))).toEqual([]);
  });
});
