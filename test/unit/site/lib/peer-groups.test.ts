import { describe, expect, it } from 'vitest';
import type { PeriodFigures, PublishedUnit } from '../../../../shared/open-data/schemas.js';
import { eraOf, peerGroups, rankFacts, rankingYear, rankUnits } from '../../../../site/src/lib/peer-groups.js';

const unit = (
  id: string,
  type: PublishedUnit['type'],
  parent: string | null,
  validTo: string | null,
): PublishedUnit => ({
  id,
  code: id,
  name: `Đơn vị ${id}`,
  nameAscii: `Don vi ${id}`,
  slug: id,
  type,
  level: parent === null ? 1 : type.includes('district') || type === 'provincial_city' ? 2 : 3,
  parent,
  validFrom: null,
  validTo,
  successors: [],
  predecessors: [],
});

const units = [
  unit('01', 'municipality', null, null),
  unit('003', 'urban_district', '01', '2025-07-01'),
  unit('008', 'urban_district', '01', '2025-07-01'),
  unit('250', 'district', '01', '2025-07-01'),
  unit('00091', 'ward', '01', null),
  unit('00097', 'ward', '01', null),
  unit('09010', 'commune', '01', null),
  unit('00094', 'ward', '003', '2025-07-01'),
  unit('00100', 'ward', '003', '2025-07-01'),
];
const byId = new Map(units.map((u) => [u.id, u]));
const rootOf = (u: PublishedUnit): PublishedUnit | undefined => {
  let current: PublishedUnit | undefined = u;
  while (current?.parent) current = byId.get(current.parent);
  return current;
};

const figures = (share: number | null, responses: number): PeriodFigures =>
  ({
    satisfaction: { responses, overall: share === null ? null : { share, low: share - 0.05, high: share + 0.05 } },
    procedures: { onTimeRate: null, resolvedEarly: 0, resolvedOnTime: 0, resolvedLate: 0 },
  }) as unknown as PeriodFigures;

describe('peer groups', () => {
  it('compares like with like: one group per province, era and type, never a singleton', () => {
    const groups = peerGroups(units, rootOf, '2026-11-15');

    expect(groups.map((g) => [g.key, g.members.map((m) => m.id)])).toEqual([
      ['01-current-ward', ['00091', '00097']],
      ['01-former-urban-district', ['003', '008']],
      ['01-former-ward', ['00094', '00100']],
    ]);
  });

  it('places a unit in its era by its end of validity', () => {
    expect(eraOf({ validTo: '2025-07-01' }, '2025-06-30')).toBe('current');
    expect(eraOf({ validTo: '2025-07-01' }, '2025-07-01')).toBe('former');
    expect(eraOf({ validTo: null }, '2030-01-01')).toBe('current');
  });

  it('ranks on the latest year in which at least two units have a share', () => {
    // Prepare: 2026 has one share only (the other is withheld), 2025 has two.
    const years: Record<string, Record<string, PeriodFigures>> = {
      '00091': { '2025': figures(0.8, 200), '2026': figures(0.9, 100) },
      '00097': { '2025': figures(0.5, 200), '2026': figures(null, 12) },
    };
    const members = units.filter((u) => u.id === '00091' || u.id === '00097');

    // Act
    const year = rankingYear(members, (id) => rankFacts(years[id] ?? {}), 'satisfaction');
    const ranking = rankUnits(members, (id) => rankFacts(years[id] ?? {}), 'satisfaction', year ?? '');

    // Assess
    expect(year).toBe('2025');
    expect(ranking.ranked.map((r) => [r.item.id, r.best, r.worst, r.item.base])).toEqual([
      ['00091', 1, 1, 200],
      ['00097', 2, 2, 200],
    ]);
  });

  it('ranks on verified responses where a unit has enough of them, and says which basis each row uses', () => {
    // Prepare: 00091 has 40 verified responses (enough), all at 0.6; 00097 has 12 verified (too few), all at 0.7
    const withVerified = (all: number, verifiedShare: number | null, verified: number | null): PeriodFigures => {
      const f = figures(all, 200);
      const share = (v: number) => ({ share: v, low: v - 0.05, high: v + 0.05 });
      return {
        ...f,
        satisfaction: {
          ...f.satisfaction,
          verified: { responses: verified, overall: verifiedShare === null ? null : share(verifiedShare) },
        },
      } as PeriodFigures;
    };
    const years: Record<string, Record<string, PeriodFigures>> = {
      '00091': { '2025': withVerified(0.9, 0.6, 40) },
      '00097': { '2025': withVerified(0.7, null, 12) },
    };
    const members = units.filter((u) => u.id === '00091' || u.id === '00097');

    // Act
    const ranking = rankUnits(members, (id) => rankFacts(years[id] ?? {}), 'satisfaction', '2025');

    // Assess: 00091 ranks on its verified 0.6, below 00097's 0.7 of all responses
    expect(ranking.ranked.map((r) => [r.item.id, r.item.value?.share, r.item.base, r.item.basis])).toEqual([
      ['00097', 0.7, 200, 'all'],
      ['00091', 0.6, 40, 'verified'],
    ]);
  });
});
