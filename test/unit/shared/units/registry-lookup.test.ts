import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../../shared/units/build-registry.js';
import { UnitRegistry } from '../../../../shared/units/registry.js';
import { RegistryUnitLookup } from '../../../../shared/units/registry-lookup.js';
import { setsOn, unitSets } from '../../../../shared/units/resolved.js';
import { newFixture, oldFixture } from './fixture.js';

const registry = new UnitRegistry(buildRegistry(oldFixture, newFixture));

describe('RegistryUnitLookup', () => {
  const lookup = new RegistryUnitLookup(registry);

  it('resolves a code on a date with the roll-up and coverage of that date', async () => {
    // Act
    const unit = await lookup.resolve('00007', '2025-06-30');

    // Assess
    expect(unit).toMatchObject({ id: '00007-pre2025', name: 'Thị trấn Bảy' });
    expect(unit?.rollup).toEqual(['00007-pre2025', '002', '01']);
    expect(unit?.coverage).toEqual(['00007-pre2025', '002', '00001', '00007', '01']);
  });

  it('answers undefined for a code not in force on the date', async () => {
    // Act
    const unit = await lookup.resolve('00008', '2025-07-01');

    // Assess
    expect(unit).toBeUndefined();
  });

  it('gets a unit by id with its sets over all time', async () => {
    // Act
    const unit = await lookup.get('00004');

    // Assess
    expect(unit?.rollup).toEqual(['00004', '01', '001']);
  });
});

describe('unitSets and setsOn', () => {
  it('store a unit without former parent as one pair of sets', () => {
    // Act
    const sets = unitSets(registry, '00002');

    // Assess
    expect(sets).toEqual({ rollup: ['00002', '001', '00001', '01'], coverage: ['00002', '001', '00001', '01'] });
    expect(setsOn(sets, '2030-01-01')).toEqual({ rollup: sets.rollup, coverage: sets.coverage });
  });

  it('give a continuing commune its old district only for dates before the district ended', () => {
    // Act
    const sets = unitSets(registry, '00004');

    // Assess
    expect(sets.changes).toEqual([{ from: '2025-07-01', rollup: ['00004', '01'], coverage: ['00004', '01'] }]);
    expect(setsOn(sets, '2025-06-30').rollup).toEqual(['00004', '01', '001']);
    expect(setsOn(sets, '2025-07-01').rollup).toEqual(['00004', '01']);
    expect(setsOn(sets).rollup).toEqual(['00004', '01', '001']);
  });

  it('agree with the registry for every unit on both sides of 2025-07-01', () => {
    // Act
    const disagreements = registry.all().flatMap((unit) =>
      ['2025-06-30', '2025-07-01'].flatMap((date) => {
        const stored = setsOn(unitSets(registry, unit.id), date);
        const direct = { rollup: registry.rollupTargets(unit.id, date), coverage: registry.coverage(unit.id, date) };
        return JSON.stringify(stored) === JSON.stringify(direct) ? [] : [`${unit.id}@${date}`];
      }),
    );

    // Assess
    expect(disagreements).toEqual([]);
  });
});
