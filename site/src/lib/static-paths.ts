import type { GetStaticPathsOptions } from 'astro';
import { siteData } from './data.js';
import { withCacheKeys } from './dependencies.js';
import type { Lang } from './lang.js';
import { renderGroup } from './render-order.js';
import { groups, listStaticPaths, servicePoints } from './site-map.js';

/**
 * The `getStaticPaths` of the routes, shared by the Vietnamese and English page files so both languages
 * always have the same pages; each entry carries the cacheKey of incremental builds (lib/dependencies.ts).
 */

/**
 * `SITE_SCOPE=first` (site/scripts/build.ts): a new site's first build has only the pages people land on first;
 * the units in force today and their survey forms (QR codes lead there), no feeds. Which pages exist changes, never what a page shows, so the
 * full build that follows restores these pages instead of rendering them again.
 */
const firstScope = () => process.env.SITE_SCOPE === 'first';

/**
 * A unit's pages (both languages, feeds), deepest level first: the build renders them in this order, each unit's
 * together, so a parent's ranking of its children finds their figures already read (lib/render-order.ts). Wards
 * and communes are also the children a former district's file lists, so level order covers those too.
 */
export const unitPaths = ({ routePattern }: GetStaticPathsOptions) => {
  renderGroup(routePattern, 'unit');
  return withCacheKeys(
    routePattern,
    siteData()
      .units.filter((unit) => !firstScope() || unit.validTo === null)
      .map((unit) => ({ params: { id: unit.id }, props: { unit } }))
      // Stable: the same level keeps the name order.
      .sort((a, b) => b.props.unit.level - a.props.unit.level),
  );
};

export const unitFeedPaths = (options: GetStaticPathsOptions) => (firstScope() ? [] : unitPaths(options));

export const conclusionPaths = ({ routePattern }: GetStaticPathsOptions) =>
  withCacheKeys(
    routePattern,
    siteData().conclusions.map((c) => ({ params: { id: c.id }, props: { id: c.id } })),
  );

export const conclusionListPaths = ({ routePattern }: GetStaticPathsOptions, lang: Lang) =>
  withCacheKeys(routePattern, listStaticPaths(lang));

/** Rendered after every unit's pages (lib/render-order.ts): they rank all of a peer group's members. */
export const rankingPaths = ({ routePattern }: GetStaticPathsOptions) => {
  renderGroup(routePattern, 'ranking');
  return withCacheKeys(
    routePattern,
    groups().map((group) => ({ params: { group: group.key }, props: { group } })),
  );
};

export const agencyPaths = ({ routePattern }: GetStaticPathsOptions) =>
  withCacheKeys(
    routePattern,
    siteData().agencies.map((agency) => ({ params: { id: agency.id }, props: { agency } })),
  );

export const surveyPaths = ({ routePattern }: GetStaticPathsOptions) =>
  withCacheKeys(
    routePattern,
    servicePoints().map((unit) => ({ params: { unit: unit.id }, props: { unit } })),
  );
