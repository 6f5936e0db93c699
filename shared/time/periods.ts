/**
 * Periods are dates in Vietnam (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving). A conclusion issued
 * 2025-01-01 in Hanoi belongs to 2025 whatever the UTC instant; a survey submitted at 2024-12-31T17:30Z
 * belongs to 2025-01-01.
 */

export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/**
 * Built on first use, not at import: the first `Intl` object of a process loads ICU's locale and time-zone data
 * (15–35 ms of CPU), which every Lambda importing this module paid in its cold start's init (issue #15).
 */
let vnDateFormat: Intl.DateTimeFormat | undefined;

/** The calendar date in Vietnam of an instant, as `YYYY-MM-DD`. */
export function vietnamDate(instant: Date): string {
  vnDateFormat ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: VIETNAM_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return vnDateFormat.format(instant);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The year, quarter and month keys of a Vietnam date: `['2024', '2024-Q2', '2024-05']`. */
export function periodsOfDate(date: string): [year: string, quarter: string, month: string] {
  const m = ISO_DATE.exec(date);
  if (!m?.[1] || !m[2]) throw new RangeError(`not a date: ${date}`);
  const quarter = Math.floor((Number(m[2]) - 1) / 3) + 1;
  return [m[1], `${m[1]}-Q${quarter}`, `${m[1]}-${m[2]}`];
}

/** The periods of a month key `YYYY-MM` (reports are monthly). */
export function periodsOfMonth(month: string): [year: string, quarter: string, month: string] {
  return periodsOfDate(`${month}-01`);
}

/** Today in Vietnam. */
export function todayInVietnam(now: Date = new Date()): string {
  return vietnamDate(now);
}

/** A period key: a year `2024`, a quarter `2024-Q2` or a month `2024-05`. */
export const PERIOD_PATTERN = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;

/**
 * The buckets a figure of a whole period counts in: a year's only in the year, a quarter's in its quarter and year,
 * a month's in all three (so a yearly report is not a spike in its last month).
 * @example periodsOfPeriod('2024-Q2') // ['2024', '2024-Q2']
 */
export function periodsOfPeriod(period: string): string[] {
  if (!PERIOD_PATTERN.test(period)) throw new RangeError(`not a period: ${period}`);
  if (period.length === 4) return [period];
  if (period.includes('Q')) return [period.slice(0, 4), period];
  return periodsOfMonth(period);
}

/** The first and last day of a period key. */
export function periodBounds(period: string): { from: string; to: string } {
  const year = Number(period.slice(0, 4));
  const [firstMonth, lastMonth] =
    period.length === 4
      ? [1, 12]
      : period.includes('Q')
        ? [(Number(period.slice(6)) - 1) * 3 + 1, Number(period.slice(6)) * 3]
        : [Number(period.slice(5)), Number(period.slice(5))];
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(lastMonth)}-${pad(lastDay)}` };
}
