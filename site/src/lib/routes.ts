import type { InspectionKind } from '../../../shared/vocabulary.js';
import type { Lang } from './lang.js';

/**
 * Every address of the site, in one place. Vietnamese pages have Vietnamese paths at the root, English ones
 * English paths under `/en/`; each page knows its counterpart for hreflang and the language switcher.
 * These addresses are permanent (conclusions, units, survey forms printed as QR codes): change none.
 */

export type ListFilter =
  | { readonly by: 'all' }
  | { readonly by: 'year'; readonly year: string }
  | { readonly by: 'kind'; readonly kind: InspectionKind }
  | { readonly by: 'unit'; readonly unit: string }
  | { readonly by: 'agency'; readonly agency: string };

export type PathPair = Readonly<Record<Lang, string>>;

const SEGMENTS = {
  unit: { vi: 'don-vi', en: 'units' },
  conclusion: { vi: 'ket-luan', en: 'conclusions' },
  year: { vi: 'nam', en: 'year' },
  kind: { vi: 'loai', en: 'kind' },
  page: { vi: 'trang', en: 'page' },
  rankings: { vi: 'xep-hang', en: 'rankings' },
  agency: { vi: 'co-quan', en: 'agencies' },
  methodology: { vi: 'phuong-phap', en: 'methodology' },
  openData: { vi: 'du-lieu-mo', en: 'open-data' },
  about: { vi: 'gioi-thieu', en: 'about' },
  search: { vi: 'tim-kiem', en: 'search' },
  survey: { vi: 'danh-gia', en: 'survey' },
  thankYou: { vi: 'cam-on', en: 'thank-you' },
  surveyError: { vi: 'loi', en: 'error' },
  console: { vi: 'dang-tai', en: 'upload' },
} as const satisfies Record<string, Record<Lang, string>>;

function base(lang: Lang): string {
  return lang === 'vi' ? '/' : '/en/';
}

function seg(name: keyof typeof SEGMENTS, lang: Lang): string {
  return SEGMENTS[name][lang];
}

function id(value: string): string {
  return encodeURIComponent(value);
}

export const paths = {
  home: (lang: Lang) => base(lang),
  unit: (lang: Lang, unitId: string) => `${base(lang)}${seg('unit', lang)}/${id(unitId)}/`,
  unitFeed: (lang: Lang, unitId: string) => `${base(lang)}${seg('unit', lang)}/${id(unitId)}/feed.xml`,
  conclusion: (lang: Lang, conclusionId: string) => `${base(lang)}${seg('conclusion', lang)}/${id(conclusionId)}/`,
  conclusions: (lang: Lang, filter: ListFilter = { by: 'all' }, page = 1) =>
    `${base(lang)}${seg('conclusion', lang)}/${listSegments(lang, filter, page)
      .map((part) => `${part}/`)
      .join('')}`,
  agencies: (lang: Lang) => `${base(lang)}${seg('agency', lang)}/`,
  agency: (lang: Lang, agencyId: string) => `${base(lang)}${seg('agency', lang)}/${id(agencyId)}/`,
  rankings: (lang: Lang) => `${base(lang)}${seg('rankings', lang)}/`,
  ranking: (lang: Lang, groupKey: string) => `${base(lang)}${seg('rankings', lang)}/${id(groupKey)}/`,
  methodology: (lang: Lang) => `${base(lang)}${seg('methodology', lang)}/`,
  openData: (lang: Lang) => `${base(lang)}${seg('openData', lang)}/`,
  about: (lang: Lang) => `${base(lang)}${seg('about', lang)}/`,
  search: (lang: Lang) => `${base(lang)}${seg('search', lang)}/`,
  survey: (lang: Lang, unitId: string) => `${base(lang)}${seg('survey', lang)}/${id(unitId)}/`,
  thankYou: (lang: Lang) => `${base(lang)}${seg('survey', lang)}/${seg('thankYou', lang)}/`,
  /** Where the API sends a refused survey post that has no form to go back to (shared/surveys/form.ts). */
  surveyError: (lang: Lang) => `${base(lang)}${seg('survey', lang)}/${seg('surveyError', lang)}/`,
  /** The agency console: publish, correct and retract from a browser (CONTRACT.md, "The agency console"). */
  console: (lang: Lang) => `${base(lang)}${seg('console', lang)}/`,
  feed: (lang: Lang) => `${base(lang)}feed.xml`,
  /** The printable QR code of a service point: one file for both languages, it encodes the Vietnamese form. */
  surveyQr: (unitId: string) => `/${seg('survey', 'vi')}/${id(unitId)}/qr.svg`,
  data: (file: string) => `/data/${file}`,
  openApi: () => '/api/v1/openapi.json',
  surveyApi: () => '/api/v1/surveys',
  conclusionApi: (conclusionId: string) => `/api/v1/conclusions/${id(conclusionId)}`,
  summaryApi: (summaryId: string) => `/api/v1/summaries/${id(summaryId)}`,
};

/** The same page in both languages. */
export function pair(make: (lang: Lang) => string): PathPair {
  return { vi: make('vi'), en: make('en') };
}

/**
 * The segments after `/ket-luan/` of a list page, as the `[...list]` route's parameter. Always zero or at
 * least two segments, so a list address never collides with a conclusion's `/ket-luan/<id>/`.
 */
export function listSegments(lang: Lang, filter: ListFilter, page: number): string[] {
  const parts: string[] = [];
  if (filter.by === 'year') parts.push(seg('year', lang), filter.year);
  if (filter.by === 'kind') parts.push(seg('kind', lang), filter.kind);
  if (filter.by === 'unit') parts.push(seg('unit', lang), id(filter.unit));
  if (filter.by === 'agency') parts.push(seg('agency', lang), id(filter.agency));
  if (page > 1) parts.push(seg('page', lang), String(page));
  return parts;
}

/** The `[...list]` route parameter for a list page (undefined for the first page of all conclusions). */
export function listParam(lang: Lang, filter: ListFilter, page: number): string | undefined {
  const parts = listSegments(lang, filter, page).map((p) => decodeURIComponent(p));
  return parts.length === 0 ? undefined : parts.join('/');
}
