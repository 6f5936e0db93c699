import { contributionOf, isCounted, type RollupSource } from './contributions.js';
import { type BucketDeltas, COUNTER_NAMES, type CounterName, mergeDeltas, storedLayout } from './counters.js';

/**
 * The full recomputation (pure): every counter from the records as they are now. The stream applies
 * "new image in, old image out" for every change; summed over a record's history that telescopes to its last
 * image's contribution, so the counters must equal the sum of the current items' contributions. `stats verify`
 * compares the two; `stats rebuild` adds the difference.
 */

export interface InvalidItem {
  readonly pk: string;
  readonly sk: string;
  readonly message: string;
}

export interface Recomputation {
  /** The counters as published (every bucket a record counts in). */
  readonly counters: BucketDeltas;
  /**
   * The same in the stored layout (counters.ts, storedLayout), summed on its own rather than derived from
   * `counters`: `stats rebuild` corrects what is stored, and verify compares the published sums, so a fault in the
   * layout shows as a difference instead of cancelling out.
   */
  readonly stored: BucketDeltas;
  /** Items of a counted entity that cannot be counted (the stream parks the same records). */
  readonly invalid: readonly InvalidItem[];
  /** Items counted, by entity (a retracted conclusion is counted here but contributes nothing). */
  readonly items: { conclusions: number; surveys: number; reports: number };
}

/** Sums the contributions of the items (items of other entities are ignored). */
export function recompute(items: Iterable<Readonly<Record<string, unknown>>>, rollups: RollupSource): Recomputation {
  const counters: BucketDeltas = new Map();
  const stored: BucketDeltas = new Map();
  const invalid: InvalidItem[] = [];
  const counted = { conclusions: 0, surveys: 0, reports: 0 };
  for (const item of items) {
    if (!isCounted(item)) continue;
    try {
      const contribution = contributionOf(item, rollups);
      mergeDeltas(counters, contribution);
      mergeDeltas(stored, storedLayout(contribution));
    } catch (error) {
      invalid.push({ pk: String(item.pk), sk: String(item.sk), message: (error as Error).message });
      continue;
    }
    if (item.entity === 'conclusion') counted.conclusions++;
    else if (item.entity === 'survey') counted.surveys++;
    else counted.reports++;
  }
  return { counters, stored, invalid, items: counted };
}

/** One counter that differs. */
export interface Mismatch {
  readonly bucket: string;
  readonly counter: CounterName;
  readonly expected: number;
  readonly actual: number;
}

/** Every counter where `actual` differs from `expected`, sorted by bucket then counter name. */
export function compareCounters(expected: BucketDeltas, actual: BucketDeltas): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const buckets = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  for (const bucket of buckets) {
    const want = expected.get(bucket) ?? {};
    const have = actual.get(bucket) ?? {};
    for (const counter of COUNTER_NAMES) {
      const e = want[counter] ?? 0;
      const a = have[counter] ?? 0;
      if (e !== a) mismatches.push({ bucket, counter, expected: e, actual: a });
    }
  }
  return mismatches;
}

/** The deltas that turn `actual` into `expected`. */
export function correctionsFor(expected: BucketDeltas, actual: BucketDeltas): BucketDeltas {
  const out: BucketDeltas = new Map();
  mergeDeltas(out, expected);
  mergeDeltas(out, actual, -1);
  return out;
}

/** A readable diff, one line per mismatch: `U#00304|2024-Q2 surveys: expected 12, counted 11`. */
export function formatMismatches(mismatches: readonly Mismatch[], limit = 200): string {
  const lines = mismatches
    .slice(0, limit)
    .map((m) => `${m.bucket} ${m.counter}: expected ${m.expected}, counted ${m.actual}`);
  if (mismatches.length > limit) lines.push(`… and ${mismatches.length - limit} more`);
  return lines.join('\n');
}
