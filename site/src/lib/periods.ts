/**
 * Period keys of the open-data files: `2024` (year), `2024-Q4` (quarter), `2024-12` (month). Helpers to pick
 * and order them for display; lexical order of keys of one kind is chronological order.
 */

const YEAR = /^\d{4}$/;
const QUARTER = /^\d{4}-Q[1-4]$/;

/** Year keys present, oldest first. */
export function yearKeys(periods: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(periods)
    .filter((key) => YEAR.test(key))
    .sort();
}

/** Quarter keys present, oldest first, optionally only of the given years. */
export function quarterKeys(periods: Readonly<Record<string, unknown>>, years?: readonly string[]): string[] {
  return Object.keys(periods)
    .filter((key) => QUARTER.test(key) && (!years || years.includes(key.slice(0, 4))))
    .sort();
}

/** Every quarter from the first to the last present (gaps included, so a chart's time axis is even). */
export function quarterSpan(periods: Readonly<Record<string, unknown>>): string[] {
  const present = quarterKeys(periods);
  const first = present[0];
  const last = present.at(-1);
  if (!first || !last) return [];
  const out: string[] = [];
  let year = Number(first.slice(0, 4));
  let quarter = Number(first.slice(6));
  for (;;) {
    const key = `${year}-Q${quarter}`;
    out.push(key);
    if (key === last) return out;
    quarter += 1;
    if (quarter > 4) {
      quarter = 1;
      year += 1;
    }
  }
}

/** The day before an ISO date: the last day a unit with this `validTo` (exclusive) was in force. */
export function dayBefore(isoDate: string): string {
  const time = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(time)) return isoDate;
  return new Date(time - 86_400_000).toISOString().slice(0, 10);
}
