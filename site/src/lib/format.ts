import { VIETNAM_TIME_ZONE } from '../../../shared/time/periods.js';
import { type Lang, LOCALES } from './lang.js';

/**
 * Numbers, shares and dates in the reader's language: vi-VN on Vietnamese pages (`3.417.296`, `78,5%`,
 * `20/05/2024`), en-GB on English ones. Formatters are created once per language, not per call: a national
 * build formats millions of numbers. Their results are also remembered (`remembered`): the same few values
 * (zero, small counts, a chart's ticks, the day's date) come back on almost every page, and a lookup costs a small
 * fraction of `Intl`'s formatting, which was some 3 s of each render process's CPU at national scale.
 */

export interface Share {
  readonly share: number;
  readonly low: number;
  readonly high: number;
}

export interface Formatter {
  readonly lang: Lang;
  /** An integer count: `3.417.296`. */
  count(value: number): string;
  /** A share in [0, 1] as a percentage with one decimal: `78,5%`. */
  percent(value: number): string;
  /** The interval of a share: `72,1–83,9%`. */
  interval(value: Share): string;
  /** A calendar date `YYYY-MM-DD` (a date in Vietnam, not an instant): `20/05/2024` or `20 May 2024`. */
  date(isoDate: string): string;
  /** An instant, shown in Vietnam's time zone: `09:30 20/05/2024`. */
  instant(iso: string): string;
  /** A period key: `2024`, `Quý 4/2024`, `Tháng 12/2024` (`Q4 2024`, `December 2024`). */
  period(key: string): string;
  /** A size in bytes: `12,5 kB`. */
  bytes(value: number): string;
}

const cache = new Map<Lang, Formatter>();

/** The formatter of a language (created once). */
export function formatter(lang: Lang): Formatter {
  const existing = cache.get(lang);
  if (existing) return existing;
  const created = createFormatter(lang);
  cache.set(lang, created);
  return created;
}

function createFormatter(lang: Lang): Formatter {
  const locale = LOCALES[lang];
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // Calendar dates are formatted in UTC from midnight UTC so that no time zone can move them by a day.
  const dateFormat =
    lang === 'vi'
      ? new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
      : new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const instantFormat = new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: VIETNAM_TIME_ZONE,
  });
  const monthFormat = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const kilo = new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 });
  const mega = new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
  const byte = new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', maximumFractionDigits: 0 });

  const formatDecimal = remembered((value: number) => decimal.format(value));
  return {
    lang,
    count: remembered((value: number) => integer.format(value)),
    percent: remembered((value: number) => percent.format(value)),
    interval: (value) => {
      // Written once with the percent sign at the end, as statisticians and the press write it.
      const low = formatDecimal(value.low * 100);
      const high = formatDecimal(value.high * 100);
      return `${low}–${high}%`;
    },
    date: remembered((isoDate: string) => {
      const date = parseIsoDate(isoDate);
      return date ? dateFormat.format(date) : isoDate;
    }),
    instant: remembered((iso: string) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : instantFormat.format(date);
    }),
    period: (key) => {
      const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
      if (quarter) return lang === 'vi' ? `Quý ${quarter[2]}/${quarter[1]}` : `Q${quarter[2]} ${quarter[1]}`;
      const month = /^(\d{4})-(\d{2})$/.exec(key);
      if (month) {
        const text = monthFormat.format(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)));
        return lang === 'vi' ? capitalize(text) : text;
      }
      return key;
    },
    bytes: (value) => {
      if (value < 1000) return byte.format(value);
      if (value < 1_000_000) return kilo.format(value / 1000);
      return mega.format(value / 1_000_000);
    },
  };
}

/** How many results each remembering function keeps before it starts over (bounded: a build formats millions). */
const REMEMBERED = 4096;

/**
 * `format`, remembering its last results by argument. `-0` is never looked up: a Map does not tell it from `0`, and
 * `Intl` writes it with its sign.
 */
export function remembered<K extends number | string>(format: (value: K) => string): (value: K) => string {
  const results = new Map<K, string>();
  return (value) => {
    if (Object.is(value, -0)) return format(value);
    let result = results.get(value);
    if (result === undefined) {
      result = format(value);
      if (results.size >= REMEMBERED) results.clear();
      results.set(value, result);
    }
    return result;
  };
}

function parseIsoDate(isoDate: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}
