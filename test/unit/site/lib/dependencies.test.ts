import { afterEach, describe, expect, it } from 'vitest';
import { placeGroups, withCacheKeys } from '../../../../site/src/lib/dependencies.js';

describe('a build of every page in several processes', () => {
  afterEach(() => {
    delete process.env.SITE_SHARD;
  });

  it('spreads weighed groups so that the processes end with close weights, alike on every call', () => {
    // Prepare: provinces weighed by their units (a large one, several middling, many small)
    const weights = new Map<string, number>([
      ['01', 900],
      ['79', 700],
      ...Array.from({ length: 30 }, (_, i) => [`p${i}`, 40 + ((i * 37) % 90)] as [string, number]),
    ]);

    // Act
    const placed = placeGroups(weights, 2);
    const again = placeGroups(new Map([...weights].reverse()), 2);

    // Assess
    const load = [0, 0];
    for (const [group, shard] of placed) load[shard] = (load[shard] ?? 0) + (weights.get(group) ?? 0);
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    expect(placed.size).toBe(weights.size);
    expect(Math.abs((load[0] ?? 0) - (load[1] ?? 0))).toBeLessThanOrEqual(130);
    expect((load[0] ?? 0) + (load[1] ?? 0)).toBe(total);
    expect(again).toEqual(placed);
  });

  it("gives each process a disjoint share of a route's paths, a group's paths of every route in one process", () => {
    // Prepare: units in three provinces, their pages in two routes, and the provinces' rankings
    const units = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1', 'c2', 'c3', 'c4'].map((id) => ({ id, province: id[0] ?? '' }));
    const weights = new Map([
      ['a', 3],
      ['b', 2],
      ['c', 4],
    ]);
    const unitEntries = units.map((unit) => ({ params: { id: unit.id }, props: { unit } }));
    const rankingEntries = ['a', 'b', 'c'].map((province) => ({ params: { group: province }, props: { province } }));
    const shareOf = (shard: string) => {
      process.env.SITE_SHARD = shard;
      const byUnit = { of: (entry: (typeof unitEntries)[number]) => entry.props.unit.province, weights };
      return {
        vi: withCacheKeys('/don-vi/[id]', unitEntries, byUnit).map((e) => e.params.id),
        en: withCacheKeys('/en/units/[id]', unitEntries, byUnit).map((e) => e.params.id),
        rankings: withCacheKeys('/xep-hang/[group]', rankingEntries, {
          of: (entry) => entry.props.province,
          weights,
        }).map((e) => e.params.group),
        conclusions: withCacheKeys(
          '/ket-luan/[id]',
          ['k1', 'k2', 'k3'].map((id) => ({ params: { id } })),
        ).map((e) => e.params.id),
      };
    };

    // Act
    const first = shareOf('0/2');
    const second = shareOf('1/2');

    // Assess
    expect([...first.vi, ...second.vi].sort()).toEqual(units.map((u) => u.id).sort());
    expect(first.en).toEqual(first.vi);
    expect(second.en).toEqual(second.vi);
    expect(new Set(first.vi.map((id) => id[0]))).toEqual(new Set(first.rankings));
    expect(new Set(second.vi.map((id) => id[0]))).toEqual(new Set(second.rankings));
    expect(first.rankings).toEqual(['c']);
    expect([...first.conclusions, ...second.conclusions].sort()).toEqual(['k1', 'k2', 'k3']);
  });
});
