/**
 * The order a build renders its pages in. Astro renders one route's paths after another's (every Vietnamese unit
 * page, then every English one, then each one's feeds…), so a unit's figures file, which its page needs in each
 * language, was read, parsed and validated again thousands of pages later, and a parent's ranking of its children
 * read each child's whole file for a few numbers (docs/benchmarks.md: most of a national build's reading).
 * Reordered (the integration in astro.config.mjs wraps Astro's prerenderer): the pages of one unit render one after
 * the other, so its file is read once (lib/data.ts keeps the last few) and its ranking facts are kept; the units
 * come deepest level first (as `unitPaths` lists them), so a parent's page finds its children's facts, and the
 * peer groups' ranking pages come after every unit. A page reads only the data, never what rendered before it, so
 * the order changes no page (test/e2e/site/build.test.ts: the site built in two processes, each in its own order,
 * is byte-identical to a one-process build).
 */

/** `unit`: the route's one parameter is a unit's id; `ranking`: its pages rank many units. */
export type RenderGroup = 'unit' | 'ranking';

/**
 * The routes' groups, named by `getStaticPaths` (lib/static-paths.ts) as Astro calls it, by route pattern. On
 * globalThis: the page modules are bundled by Vite, so the configuration's integration sees another copy of this
 * module than the pages do.
 */
const STATE = Symbol.for('cong-vu-minh-bach.site.render-order');
type Global = typeof globalThis & { [STATE]?: Map<string, RenderGroup> };

function routeGroups(): Map<string, RenderGroup> {
  const global = globalThis as Global;
  global[STATE] ??= new Map();
  return global[STATE];
}

/** Says which group a route's pages belong to (called by its `getStaticPaths`, with Astro's `routePattern`). */
export function renderGroup(routePattern: string, group: RenderGroup): void {
  routeGroups().set(routePattern, group);
}

/** A path as Astro's prerenderer lists it (`PathWithRoute`), as far as ordering needs it. */
export interface RenderPath {
  readonly pathname: string;
  readonly route: { readonly route: string; readonly pattern: RegExp };
}

/**
 * The paths in the order to render them: the pages of no group first, in Astro's order; then each unit's pages
 * together, units in the order their first page came; then the ranking pages. Nothing is added or dropped.
 */
export function renderOrder<P extends RenderPath>(
  paths: readonly P[],
  groups: ReadonlyMap<string, RenderGroup> = routeGroups(),
): P[] {
  const first: P[] = [];
  const units = new Map<string, P[]>();
  const last: P[] = [];
  for (const path of paths) {
    const group = groups.get(path.route.route);
    // A unit route has one parameter, the id: the pattern's one group.
    const id = group === 'unit' ? path.route.pattern.exec(path.pathname)?.[1] : undefined;
    if (id !== undefined) {
      const list = units.get(id);
      if (list) list.push(path);
      else units.set(id, [path]);
    } else if (group === 'ranking') last.push(path);
    else first.push(path);
  }
  return [...first, ...[...units.values()].flat(), ...last];
}
