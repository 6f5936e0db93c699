import type { GetStaticPathsOptions } from 'astro';
import type { PublishedUnit } from '../../../shared/open-data/schemas.js';
import { type SiteData, siteData } from './data.js';
import { withCacheKeys } from './dependencies.js';
import type { Lang } from './lang.js';
import { renderGroup } from './render-order.js';
import { groups, listStaticPaths, rootOf, servicePoints } from './site-map.js';

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
  const data = siteData();
  return withCacheKeys(
    routePattern,
    data.units
      .filter((unit) => !firstScope() || unit.validTo === null)
      .map((unit) => ({ params: { id: unit.id }, props: { unit } }))
      // Stable: the same level keeps the name order.
      .sort((a, b) => b.props.unit.level - a.props.unit.level),
    { of: (entry) => provinceOf(data, entry.props.unit), weights: provinceWeights() },
  );
};

/**
 * A build of every page in several processes (lib/dependencies.ts, `ShardGroups`) renders a province's units and its
 * peer groups' rankings in one of them: a unit's page ranks its children and a ranking its group's members, both
 * within a province, from what was read of their files. Spread unit by unit, every process read nearly every unit
 * file (1.4 GB of JSON at national scale, parsed and validated) for the rankings. Weighed by their units, so that the
 * processes get about as many pages each.
 */
const provinceOf = (data: SiteData, unit: PublishedUnit) => rootOf(data, unit)?.id ?? unit.id;

let provincesCache: { data: SiteData; weights: ReadonlyMap<string, number> } | undefined;

function provinceWeights(): ReadonlyMap<string, number> {
  const data = siteData();
  if (provincesCache?.data !== data) {
    const weights = new Map<string, number>();
    for (const unit of data.units) {
      const province = provinceOf(data, unit);
      weights.set(province, (weights.get(province) ?? 0) + 1);
    }
    provincesCache = { data, weights };
  }
  return provincesCache.weights;
}

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
    { of: (entry) => entry.props.group.root.id, weights: provinceWeights() },
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
