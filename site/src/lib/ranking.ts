import { vietnameseCollator } from '../../../shared/text/normalize.js';
import type { Share } from './format.js';

/**
 * Rankings that do not pretend: a unit's place is a range, not a number. Unit A is only counted as better
 * than unit B when A's 95% interval lies entirely above B's; two units whose intervals overlap cannot be told
 * apart by the data, so each may be placed above the other. A unit's best place is 1 + the number of units
 * certainly better; its worst is the number of ranked units minus the number certainly worse. Units whose
 * share is withheld (too few responses) are listed apart, unranked.
 */

export interface RankInput {
  readonly id: string;
  readonly name: string;
  readonly value: Share | null;
}

export interface Ranked<T extends RankInput> {
  readonly item: T;
  /** Best possible place (1 = first). */
  readonly best: number;
  /** Worst possible place. */
  readonly worst: number;
  /** Units whose interval lies entirely above this one's. */
  readonly certainlyBetter: number;
  /** Units whose interval lies entirely below this one's. */
  readonly certainlyWorse: number;
}

export interface Ranking<T extends RankInput> {
  readonly ranked: readonly Ranked<T>[];
  /** Units with no published share, in name order. */
  readonly unranked: readonly T[];
}

/** Ranks items by share, highest first, with place ranges from their intervals. */
export function rankByInterval<T extends RankInput>(items: readonly T[]): Ranking<T> {
  const withValue: { item: T; value: Share }[] = [];
  const unranked: T[] = [];
  for (const item of items) {
    if (item.value) withValue.push({ item, value: item.value });
    else unranked.push(item);
  }
  // Sorted by low bound first within equal shares: the same share measured on more responses is the surer one.
  withValue.sort(
    (a, b) =>
      b.value.share - a.value.share ||
      b.value.low - a.value.low ||
      vietnameseCollator.compare(a.item.name, b.item.name),
  );
  // Sorted bounds let each count be a binary search: a national peer group has hundreds of communes.
  const lows = withValue.map((e) => e.value.low).sort((a, b) => a - b);
  const highs = withValue.map((e) => e.value.high).sort((a, b) => a - b);
  const total = withValue.length;
  const ranked = withValue.map(({ item, value }) => {
    const certainlyBetter = total - upperBound(lows, value.high);
    const certainlyWorse = lowerBound(highs, value.low);
    return { item, best: certainlyBetter + 1, worst: total - certainlyWorse, certainlyBetter, certainlyWorse };
  });
  unranked.sort((a, b) => vietnameseCollator.compare(a.name, b.name));
  return { ranked, unranked };
}

/** Number of sorted values ≤ x. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of sorted values < x. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
