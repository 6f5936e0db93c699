import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankByInterval } from '../../../../site/src/lib/ranking.js';

const unit = (id: string, share: number, halfWidth: number) => ({
  id,
  name: `Phường ${id}`,
  value: { share, low: Math.max(0, share - halfWidth), high: Math.min(1, share + halfWidth) },
});

describe('rankByInterval', () => {
  it('gives exact places when no two intervals overlap', () => {
    const ranking = rankByInterval([unit('b', 0.6, 0.01), unit('a', 0.9, 0.01), unit('c', 0.3, 0.01)]);

    expect(ranking.ranked.map((r) => [r.item.id, r.best, r.worst])).toEqual([
      ['a', 1, 1],
      ['b', 2, 2],
      ['c', 3, 3],
    ]);
  });

  it('does not rank units whose intervals overlap as if they differed', () => {
    // Prepare: a and b overlap; both are certainly above c.
    const items = [unit('a', 0.8, 0.1), unit('b', 0.75, 0.1), unit('c', 0.3, 0.05)];

    // Act
    const ranking = rankByInterval(items);

    // Assess
    const places = Object.fromEntries(ranking.ranked.map((r) => [r.item.id, [r.best, r.worst]]));
    expect(places).toEqual({ a: [1, 2], b: [1, 2], c: [3, 3] });
  });

  it('lists units with a withheld share apart, unranked, in Vietnamese order', () => {
    const ranking = rankByInterval([
      { id: 'x', name: 'Phường Ô Chợ Dừa', value: null },
      unit('a', 0.5, 0.1),
      { id: 'y', name: 'Phường Hàng Bạc', value: null },
    ]);

    expect(ranking.ranked).toHaveLength(1);
    expect(ranking.unranked.map((u) => u.id)).toEqual(['y', 'x']);
  });

  it('keeps every place range inside 1..n and consistent with certain differences', () => {
    const arbitraryUnit = fc
      .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.3, noNaN: true }))
      .map(([share, half]) => ({ share, half }));
    fc.assert(
      fc.property(fc.array(arbitraryUnit, { minLength: 1, maxLength: 40 }), (specs) => {
        const items = specs.map((s, i) => unit(String(i), s.share, s.half));
        const { ranked } = rankByInterval(items);
        const n = ranked.length;
        for (const r of ranked) {
          expect(r.best).toBeGreaterThanOrEqual(1);
          expect(r.worst).toBeLessThanOrEqual(n);
          expect(r.best).toBeLessThanOrEqual(r.worst);
        }
        // A unit certainly better than another can never be placed below it: its best place is above the
        // other's worst, and their order in the list respects it.
        ranked.forEach((a, i) => {
          ranked.forEach((b, j) => {
            if (a.item.value.low > b.item.value.high) {
              expect(a.best).toBeLessThan(b.worst);
              expect(i).toBeLessThan(j);
            }
          });
        });
      }),
    );
  });
});
