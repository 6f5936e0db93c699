import type { GetStaticPathsOptions } from 'astro';
import { siteData } from './data.js';
import { withCacheKeys } from './dependencies.js';
import type { Lang } from './lang.js';
import { groups, listStaticPaths, servicePoints } from './site-map.js';

/**
 * The `getStaticPaths` of the routes, shared by the Vietnamese and English page files so both languages
 * always have the same pages; each entry carries the cacheKey of incremental builds (lib/dependencies.ts).
 */

/**
 * `SITE_SCOPE=first` (site/scripts/build.ts): a new site's first build has only the pages people land on first;
 * the units in force today, no feeds, no survey forms. Which pages exist changes, never what a page shows, so the
 * full build that follows restores these pages instead of rendering them again.
 */
const firstScope = () => process.env.SITE_SCOPE === 'first';

export const unitPaths = ({ routePattern }: GetStaticPathsOptions) =>
  withCacheKeys(
    routePattern,
    siteData()
      .units.filter((unit) => !firstScope() || unit.validTo === null)
      .map((unit) => ({ params: { id: unit.id }, props: { unit } })),
  );

export const unitFeedPaths = (options: GetStaticPathsOptions) => (firstScope() ? [] : unitPaths(options));

export const conclusionPaths = ({ routePattern }: GetStaticPathsOptions) =>
  withCacheKeys(
    routePattern,
    siteData().conclusions.map((c) => ({ params: { id: c.id }, props: { id: c.id } })),
  );

export const conclusionListPaths = ({ routePattern }: GetStaticPathsOptions, lang: Lang) =>
  withCacheKeys(routePattern, listStaticPaths(lang));

export const rankingPaths = ({ routePattern }: GetStaticPathsOptions) =>
  withCacheKeys(
    routePattern,
    groups().map((group) => ({ params: { group: group.key }, props: { group } })),
  );

export const agencyPaths = ({ routePattern }: GetStaticPathsOptions) =>
  withCacheKeys(
    routePattern,
    siteData().agencies.map((agency) => ({ params: { id: agency.id }, props: { agency } })),
  );

export const surveyPaths = ({ routePattern }: GetStaticPathsOptions) =>
  withCacheKeys(
    routePattern,
    (firstScope() ? [] : servicePoints()).map((unit) => ({ params: { unit: unit.id }, props: { unit } })),
  );
