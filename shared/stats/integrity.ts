import { type IntegrityFile, IntegrityFileSchema } from '../open-data/schemas.js';
import { REFUSAL_REASONS, type RefusalReason } from '../surveys/integrity.js';
import { periodsOfDate } from '../time/periods.js';

/**
 * The integrity statistics as published (`/data/integrity.json`), from the stored day counts (pure): each day's
 * refusals count in its month, quarter and year.
 */

/** Refusals by reason of one day; a reason absent was not refused that day. */
export type DayRefusals = Partial<Record<RefusalReason, number>>;

/** Builds `/data/integrity.json` from the refusals per Vietnam day (`YYYY-MM-DD`). */
export function integrityFile(refusals: ReadonlyMap<string, DayRefusals>, generatedAt: string): IntegrityFile {
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
  return IntegrityFileSchema.parse({ generatedAt, periods: Object.fromEntries(entries) });
}

function zeroByReason(): Record<RefusalReason, number> {
  return Object.fromEntries(REFUSAL_REASONS.map((reason) => [reason, 0])) as Record<RefusalReason, number>;
}

function sum(byReason: Record<RefusalReason, number>): number {
  return Object.values(byReason).reduce((total, n) => total + n, 0);
}
