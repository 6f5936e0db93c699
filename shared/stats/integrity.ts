import { type IntegrityFile, IntegrityFileSchema } from '../open-data/schemas.js';
import { REFUSAL_REASONS, type RefusalReason } from '../surveys/integrity.js';
import { periodsOfDate } from '../time/periods.js';
import type { Spike } from './spikes.js';

/**
 * The integrity statistics as published (`/data/integrity.json`), from the stored day counts (pure): each day's
 * refusals count in its month, quarter and year.
 */

/** Refusals by reason of one day; a reason absent was not refused that day. */
export type DayRefusals = Partial<Record<RefusalReason, number>>;

/** Builds `/data/integrity.json` from the refusals per Vietnam day (`YYYY-MM-DD`) and the spikes flagged. */
export function integrityFile(
  refusals: ReadonlyMap<string, DayRefusals>,
  generatedAt: string,
  spikes: readonly Spike[] = [],
): IntegrityFile {
  const periods = new Map<string, Record<RefusalReason, number>>();
  for (const [date, counts] of refusals) {
    for (const period of periodsOfDate(date)) {
      const sums = periods.get(period) ?? zeroByReason();
      for (const reason of REFUSAL_REASONS) sums[reason] += counts[reason] ?? 0;
      periods.set(period, sums);
    }
  }
  const entries = [...periods]
    .map(([period, byReason]) => [period, { refused: { total: sum(byReason), byReason } }] as const)
    .filter(([, figures]) => figures.refused.total > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return IntegrityFileSchema.parse({
    generatedAt,
    periods: Object.fromEntries(entries),
    // Who reviewed and their note stay in the store: the public learns that and when, not who.
    spikes: [...spikes]
      .sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : a.unitId < b.unitId ? -1 : 1))
      .map((spike) => ({
        unit: spike.unitId,
        hour: spike.hour,
        responses: spike.responses,
        usual: spike.usual,
        threshold: spike.threshold,
        detectedAt: spike.detectedAt,
        status: spike.reviewedAt ? 'reviewed' : 'underReview',
        reviewedAt: spike.reviewedAt ?? null,
      })),
  });
}

function zeroByReason(): Record<RefusalReason, number> {
  return Object.fromEntries(REFUSAL_REASONS.map((reason) => [reason, 0])) as Record<RefusalReason, number>;
}

function sum(byReason: Record<RefusalReason, number>): number {
  return Object.values(byReason).reduce((total, n) => total + n, 0);
}
