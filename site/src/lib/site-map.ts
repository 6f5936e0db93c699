import type { ConclusionIndexEntry, PublishedUnit } from '../../../shared/open-data/schemas.js';
import { isServicePointLevel } from '../../../shared/surveys/service-points.js';
import { INSPECTION_KINDS } from '../../../shared/vocabulary.js';
import { type SiteData, siteData } from './data.js';
import { LANGS, type Lang } from './lang.js';
import { type PeerGroup, peerGroups } from './peer-groups.js';
import { type ListFilter, listParam, paths } from './routes.js';

/**
 * Which pages exist, computed once from the data: the `getStaticPaths` of every route and the sitemap read
 * the same lists, so the sitemap never lists a page that was not built (or misses one that was).
 */

/** Conclusions per list page. */
export const PAGE_SIZE = 50;

export interface ListPage {
  readonly filter: ListFilter;
  readonly page: number;
  readonly pages: number;
  readonly entries: readonly ConclusionIndexEntry[];
  readonly total: number;
}

/** The root (province) a unit sits in, following parents. */
export function rootOf(data: SiteData, unit: PublishedUnit): PublishedUnit | undefined {
  let current: PublishedUnit | undefined = unit;
  for (let depth = 0; current && current.parent !== null && depth < 5; depth++) current = data.unit(current.parent);
  return current?.parent === null ? current : undefined;
}

let groupsCache: { data: SiteData; groups: readonly PeerGroup[] } | undefined;

/** The peer groups of the data (cached per data set). */
export function groups(): readonly PeerGroup[] {
  const data = siteData();
  // Read on every call, not only the first: a cached result still depends on them (lib/dependencies.ts).
  void data.units;
  void data.today;
  if (groupsCache?.data !== data) {
    groupsCache = { data, groups: peerGroups(data.units, (unit) => rootOf(data, unit), data.today) };
  }
  return groupsCache.groups;
}

/** The service points with a survey form: wards and communes, and provinces (their centre), in force today. */
export function servicePoints(): readonly PublishedUnit[] {
  const data = siteData();
  return data.units.filter((unit) => hasSurvey(unit, data.today));
}

/** Whether a unit has a survey form (shared/surveys/service-points.ts: a province's is its centre's). */
export function hasSurvey(unit: PublishedUnit, today: string): boolean {
  return (
    isServicePointLevel(unit.level) &&
    (unit.validFrom === null || unit.validFrom <= today) &&
    (unit.validTo === null || today < unit.validTo)
  );
}

let listCache: { data: SiteData; pages: readonly ListPage[] } | undefined;

/** Every list page of conclusions: all, by year, by kind, by province or district; paginated. */
export function listPages(): readonly ListPage[] {
  const data = siteData();
  void data.units;
  void data.conclusions;
  void data.agencies;
  if (listCache?.data !== data) listCache = { data, pages: computeListPages(data) };
  return listCache.pages;
}

function computeListPages(data: SiteData): ListPage[] {
  const all = data.conclusions;
  const filters: { filter: ListFilter; entries: readonly ConclusionIndexEntry[] }[] = [
    { filter: { by: 'all' }, entries: all },
  ];
  for (const year of listYears(data)) {
    filters.push({ filter: { by: 'year', year }, entries: all.filter((c) => c.issuedOn.startsWith(year)) });
  }
  for (const kind of INSPECTION_KINDS) {
    const entries = all.filter((c) => c.kind === kind);
    if (entries.length > 0) filters.push({ filter: { by: 'kind', kind }, entries });
  }
  for (const unit of listUnits(data)) {
    filters.push({ filter: { by: 'unit', unit: unit.id }, entries: data.conclusionsOf(unit.id) });
  }
  for (const agency of data.agencies) {
    const entries = data.conclusionsByAgency(agency.id);
    if (entries.length > 0) filters.push({ filter: { by: 'agency', agency: agency.id }, entries });
  }
  return filters.flatMap(({ filter, entries }) => {
    const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
    return Array.from({ length: pages }, (_, i) => ({
      filter,
      page: i + 1,
      pages,
      total: entries.length,
      entries: entries.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE),
    }));
  });
}

/** Years that have conclusions, newest first. */
export function listYears(data: SiteData): string[] {
  return [...new Set(data.conclusions.map((c) => c.issuedOn.slice(0, 4)))].sort().reverse();
}

/** Conclusions a unit page lists itself; a unit with more also gets a list page of its own. */
export const UNIT_PAGE_CONCLUSIONS = 20;

/**
 * The unit filters of the lists: provinces and districts that have conclusions, and any unit with more
 * conclusions than its own page shows.
 */
export function listUnits(data: SiteData): readonly PublishedUnit[] {
  void data.units;
  void data.conclusions;
  if (listUnitsCache?.data !== data) {
    listUnitsCache = {
      data,
      units: data.units.filter((unit) => hasListPage(unit, data.conclusionsOf(unit.id).length)),
    };
  }
  return listUnitsCache.units;
}

/** Whether a unit with this many conclusions has a list page of its own (see listUnits). */
export function hasListPage(unit: PublishedUnit, conclusions: number): boolean {
  return conclusions > 0 && (unit.level <= 2 || conclusions > UNIT_PAGE_CONCLUSIONS);
}

let listUnitsCache: { data: SiteData; units: readonly PublishedUnit[] } | undefined;

/** The `getStaticPaths` entries of the list route in one language. */
export function listStaticPaths(lang: Lang) {
  return listPages().map((page) => ({ params: { list: listParam(lang, page.filter, page.page) }, props: { page } }));
}

/** Every HTML page of the site in one language (for the sitemap). */
export function pagePaths(lang: Lang): string[] {
  const data = siteData();
  return [
    paths.home(lang),
    paths.rankings(lang),
    paths.methodology(lang),
    paths.openData(lang),
    paths.about(lang),
    paths.search(lang),
    paths.agencies(lang),
    ...data.agencies.map((agency) => paths.agency(lang, agency.id)),
    ...data.units.map((unit) => paths.unit(lang, unit.id)),
    ...data.conclusions.map((c) => paths.conclusion(lang, c.id)),
    ...listPages().map((p) => paths.conclusions(lang, p.filter, p.page)),
    ...groups().map((g) => paths.ranking(lang, g.key)),
    ...servicePoints().map((unit) => paths.survey(lang, unit.id)),
  ];
}

/** Every HTML page in both languages. */
export function allPagePaths(): string[] {
  return LANGS.flatMap((lang) => pagePaths(lang));
}
