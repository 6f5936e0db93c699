import { beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../../shared/units/build-registry.js';
import { UnitDataError, UnknownUnitError } from '../../../../shared/units/errors.js';
import { buildNationalRegistry, loadRegistryFile } from '../../../../shared/units/load.js';
import { UnitRegistry } from '../../../../shared/units/registry.js';
import type { Unit } from '../../../../shared/units/types.js';
import { newFixture, oldFixture } from './fixture.js';

const BEFORE = '2025-06-30';
const AFTER = '2025-07-01';

describe('UnitRegistry on a small country', () => {
  const registry = new UnitRegistry(buildRegistry(oldFixture, newFixture));
  const ids = (units: readonly Unit[]) => units.map((unit) => unit.id);

  it('resolves a reused code to the unit in force on the date', () => {
    // Act
    const before = registry.resolve('00001', BEFORE);
    const after = registry.resolve('00001', AFTER);

    // Assess
    expect(before?.id).toBe('00001-pre2025');
    expect(after?.id).toBe('00001');
  });

  it('resolves a continuing unit on both sides of 2025-07-01 and nothing for an ended code', () => {
    // Act
    const found = [registry.resolve('00004', '2020-01-01'), registry.resolve('00004', '2030-01-01')];

    // Assess
    expect(found.map((unit) => unit?.id)).toEqual(['00004', '00004']);
    expect(registry.resolve('00002', BEFORE)?.id).toBe('00002');
    expect(registry.resolve('00002', AFTER)).toBeUndefined();
    expect(registry.resolve('55555', AFTER)).toBeUndefined();
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    // Act
    const resolve = () => registry.resolve('00001', '2025-02-30');

    // Assess
    expect(resolve).toThrow(RangeError);
  });

  it('rolls a full merge up into its successor and the successor’s province', () => {
    // Act
    const targets = registry.rollupTargets('00002');

    // Assess
    expect(targets).toEqual(['00002', '001', '00001', '01']);
  });

  it('does not roll a partial merge up into its successors', () => {
    // Act
    const targets = registry.rollupTargets('00013-pre2025');

    // Assess
    expect(targets).toEqual(['00013-pre2025', '005', '03-pre2025', '03']);
  });

  it('counts a province reached twice once', () => {
    // Act (00010 reaches new 03 through its successor 00013 and through its old province 02)
    const targets = registry.rollupTargets('00010');

    // Assess
    expect([...targets].sort()).toEqual(['00010', '00013', '003', '02', '03']);
    expect(targets.filter((id) => id === '03')).toHaveLength(1);
  });

  it('covers a split unit from each of its successors, and not from unrelated units', () => {
    // Act
    const coverage = registry.coverage('00013-pre2025');

    // Assess
    expect([...coverage].sort()).toEqual(['00013', '00013-pre2025', '00015', '005', '03', '03-pre2025']);
    expect(registry.covers(['00015'], '00013-pre2025')).toBe(true);
    expect(registry.covers(['00007', '01'], '00013-pre2025')).toBe(false);
  });

  it('covers a unit from its ancestors but not its descendants', () => {
    // Assess
    expect(registry.covers(['01'], '00007-pre2025')).toBe(true);
    expect(registry.covers(['00007-pre2025'], '002')).toBe(false);
  });

  it('counts a continuing commune in its old district only for dates before the district ended', () => {
    // Act
    const ever = registry.rollupTargets('00004');
    const before = registry.rollupTargets('00004', BEFORE);
    const after = registry.rollupTargets('00004', AFTER);

    // Assess
    expect(ever).toEqual(['00004', '01', '001']);
    expect(before).toEqual(['00004', '01', '001']);
    expect(after).toEqual(['00004', '01']);
  });

  it('lists ancestors nearest first, along the parents the unit had on the date', () => {
    // Assess
    expect(registry.ancestors('00007-pre2025')).toEqual(['002', '01']);
    expect(registry.ancestors('00004', BEFORE)).toEqual(['001', '01']);
    expect(registry.ancestors('00004', AFTER)).toEqual(['01']);
    expect(registry.ancestors('01')).toEqual([]);
  });

  it('lists children by Vietnamese name order, filtered by date', () => {
    // Assess
    expect(ids(registry.children('01', AFTER))).toEqual(['00004', '00001', '00007']); // Phường Bốn, Phường Một, Xã Bảy
    expect(ids(registry.children('01', BEFORE))).toEqual(['002', '001']); // Huyện Hai, Quận Một
    // Before 2025-07-01, 00004 was still "Xã Bốn"
    expect(ids(registry.children('001', BEFORE))).toEqual(['00002', '00001-pre2025', '00004']);
    expect(ids(registry.children('001'))).toEqual(['00004', '00002', '00001-pre2025']);
    expect(ids(registry.children('001', AFTER))).toEqual([]);
  });

  it('lists the provinces in force on a date', () => {
    // Assess
    expect(ids(registry.roots(BEFORE))).toEqual(['01', '02', '03-pre2025']);
    expect(ids(registry.roots(AFTER))).toEqual(['01', '03']);
  });

  it('throws UnknownUnitError for an id it does not hold', () => {
    // Act
    const rollup = () => registry.rollupTargets('nope');

    // Assess
    expect(rollup).toThrow(UnknownUnitError);
    expect(registry.get('nope')).toBeUndefined();
  });

  it('refuses units that refer to a unit it does not hold', () => {
    // Prepare
    const units = buildRegistry(oldFixture, newFixture).map((unit) =>
      unit.id === '00002' ? { ...unit, successors: [{ id: '00777', kind: 'full' as const }] } : unit,
    );

    // Act
    const build = () => new UnitRegistry(units);

    // Assess
    expect(build).toThrow(new UnitDataError('unit 00002 refers to unknown unit 00777'));
  });

  it('finds names with or without diacritics, and former names', () => {
    // Assess
    // Phường Mười, Phường Mười Ba, Xã Mười Ba, Xã Mười Lăm (new, then old: same name, ids in order)
    expect(ids(registry.search('muoi'))).toEqual(['00010', '00013', '00013-pre2025', '00015', '00015-pre2025']);
    expect(ids(registry.search('Mười Ba'))).toEqual(['00013', '00013-pre2025']);
    expect(ids(registry.search('Muời'))).toEqual([]);
    expect(ids(registry.search('xa bon'))).toEqual(['004', '00004']); // Thị xã Bốn; Phường Bốn, formerly Xã Bốn
    expect(ids(registry.search('xa bon', { onDate: AFTER }))).toEqual(['00004']);
    expect(ids(registry.search('muoi', { onDate: AFTER, limit: 1 }))).toEqual(['00013']);
  });
});

describe('UnitRegistry on the committed registry (Hanoi, Quảng Ninh, every province)', () => {
  let registry: UnitRegistry;
  beforeAll(() => {
    registry = loadRegistryFile();
  });

  it('holds Hanoi complete: 30 districts and 526 communes before, 126 communes and wards after', () => {
    // Act
    const districts = registry.children('01', BEFORE);
    const communesBefore = districts.flatMap((district) => registry.children(district.id, BEFORE));
    const communesAfter = registry.children('01', AFTER);

    // Assess
    expect(districts).toHaveLength(30);
    expect(districts.every((d) => d.level === 2)).toBe(true);
    expect(communesBefore).toHaveLength(526);
    expect(communesAfter).toHaveLength(126);
    expect(communesAfter.every((c) => c.level === 3 && c.parent === '01')).toBe(true);
  });

  it('knows all 63 old and 34 new provinces', () => {
    // Assess
    expect(registry.roots(BEFORE)).toHaveLength(63);
    expect(registry.roots(AFTER)).toHaveLength(34);
  });

  it('resolves 00097 to Tứ Liên before 2025-07-01 and Hồng Hà from then on', () => {
    // Act
    const before = registry.resolve('00097', BEFORE);
    const after = registry.resolve('00097', AFTER);

    // Assess
    expect(before).toMatchObject({ id: '00097-pre2025', name: 'Phường Tứ Liên' });
    expect(registry.get('003')?.name).toBe('Quận Tây Hồ');
    expect(after).toMatchObject({ id: '00097', name: 'Phường Hồng Hà' });
  });

  it('rolls Phúc Xá (full into Hồng Hà) up into Hồng Hà, but not Tứ Liên (split)', () => {
    // Act
    const phucXa = registry.rollupTargets('00001');
    const tuLien = registry.rollupTargets('00097-pre2025');

    // Assess
    expect(registry.get('00001')?.successors).toEqual([{ id: '00097', kind: 'full' }]);
    expect(phucXa).toEqual(['00001', '001', '00097', '01']);
    expect(tuLien).toEqual(['00097-pre2025', '003', '01']);
    expect(registry.coverage('00097-pre2025')).toContain('00097');
  });

  it('finds Vĩnh Hưng ward with or without diacritics', () => {
    // Act
    const plain = registry.search('vinh hung', { onDate: BEFORE });
    const accented = registry.search('Vĩnh Hưng', { onDate: BEFORE });

    // Assess
    expect(plain.map((u) => u.id)).toContain('00304');
    expect(accented.map((u) => u.id)).toContain('00304');
  });
});

describe('UnitRegistry at national scale', () => {
  let registry: UnitRegistry;
  beforeAll(() => {
    registry = buildNationalRegistry();
  });

  it('resolves every code of both lists on its side of 2025-07-01', () => {
    // Prepare
    const units = registry.all();

    // Act
    const unresolved = units.filter((unit) => {
      const date = unit.validFrom ?? '2025-03-01';
      return registry.resolve(unit.code, date)?.id !== unit.id;
    });

    // Assess
    expect(units).toHaveLength(14_019);
    expect(unresolved).toEqual([]);
  });

  it('rolls an old Hà Giang commune merged fully into new Tuyên Quang up into new 08 once', () => {
    // Prepare
    const commune = registry
      .all()
      .find((u) => u.level === 3 && registry.ancestors(u.id).at(-1) === '02' && u.successors[0]?.kind === 'full');

    // Act
    const targets = commune ? registry.rollupTargets(commune.id) : [];

    // Assess
    expect(targets).toContain('02');
    expect(targets.filter((id) => id === '08')).toHaveLength(1);
    expect(targets).not.toContain('08-pre2025');
  });

  it('computes the roll-up of every unit, each ending in a province in force today', () => {
    // Act
    const missing = registry
      .all()
      .filter(
        (unit) =>
          !registry
            .rollupTargets(unit.id)
            .some((id) => registry.get(id)?.level === 1 && registry.get(id)?.validTo === null),
      );

    // Assess
    expect(missing).toEqual([]);
  });
});
