import type { ConclusionIndexEntry } from '../../../shared/open-data/schemas.js';
import { type Lang, LOCALES } from './lang.js';

/**
 * How fresh a unit's page is: how long ago its newest inspection was issued (counted on the date the data was
 * generated, the pages' "today"), and when its figures were computed. A reader sees at once that "no violations"
 * may only mean "nobody has looked for a long time".
 */

export interface Freshness {
  /** The newest published (not retracted) conclusion's date, and its age in words: "14 tháng trước". */
  readonly latestInspection?: { readonly issuedOn: string; readonly age: string };
  /** When the unit's figures were computed (the export's instant), if known. */
  readonly computedAt?: string;
}

/** Whole calendar months from `from` to `to` (both `YYYY-MM-DD`), not counting a month not yet completed. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const months = (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
  return Math.max(0, months);
}

/** Days from `from` to `to` (both `YYYY-MM-DD`). */
function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));
}

/** "14 tháng trước" / "14 months ago"; days under a month, years never (months say more about inspection rhythm). */
export function ageInWords(from: string, today: string, lang: Lang): string {
  const format = relativeTime(lang);
  const months = monthsBetween(from, today);
  return months >= 1 ? format.format(-months, 'month') : format.format(-daysBetween(from, today), 'day');
}

const relativeTimes = new Map<Lang, Intl.RelativeTimeFormat>();

/** The language's relative-time format, made once (every unit page with a conclusion asks for it). */
function relativeTime(lang: Lang): Intl.RelativeTimeFormat {
  let format = relativeTimes.get(lang);
  if (!format) {
    format = new Intl.RelativeTimeFormat(LOCALES[lang], { numeric: 'always' });
    relativeTimes.set(lang, format);
  }
  return format;
}

/** The freshness of a unit's page from its conclusions (any order) and its file's generation instant. */
export function unitFreshness(
  conclusions: readonly Pick<ConclusionIndexEntry, 'issuedOn' | 'status'>[],
  today: string,
  generatedAt: string | undefined,
  lang: Lang,
): Freshness {
  const latest = conclusions
    .filter((c) => c.status !== 'retracted' && c.issuedOn <= today)
    .reduce<string | undefined>(
      (newest, c) => (newest === undefined || c.issuedOn > newest ? c.issuedOn : newest),
      undefined,
    );
  return {
    ...(latest ? { latestInspection: { issuedOn: latest, age: ageInWords(latest, today, lang) } } : {}),
    ...(generatedAt ? { computedAt: generatedAt } : {}),
  };
}
