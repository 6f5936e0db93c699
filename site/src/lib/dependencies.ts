import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GetStaticPathsItem } from 'astro';

/**
 * Incremental publishing: which pages a change of the open data affects, computed from the change.
 *
 * While a page renders (the middleware wraps it in `recordDependencies`), every read of the data (`data.ts`:
 * a unit, its children, its figures file, its conclusions, "today"…) names a dependency key. After the build the
 * keys each page read, and a digest of their values, are kept in `page-dependencies.json` in the build's cache
 * directory. The next build's `getStaticPaths` gives each page a `cacheKey`: the same key as last time when
 * every value it read is unchanged, a new one otherwise, so Astro's incremental build (`experimental.incrementalBuild`,
 * which also hashes the page's code) renders only the pages whose data changed and restores the others from its
 * cache. Sound by construction, without a hand-kept list of what each page shows: a page reads the same keys when
 * the values it read are the same, so if none changed, neither did the page. Reads outside a page (getStaticPaths,
 * the sitemap's path lists) are not recorded: they decide which pages exist, and a page that did not exist has no
 * record and is rendered.
 */

/** The value of a dependency key in the current data: `data.ts` registers it (it owns the data). */
export type DependencyValue = (key: string) => string | Buffer;

interface PageRecord {
  /** The keys the page read, sorted. */
  readonly deps: readonly string[];
  /** Digest of the keys and their values when the page was rendered. */
  readonly digest: string;
  /** Digest of the props `getStaticPaths` gave the page (they are data too, read outside the recording). */
  readonly props: string;
  /** The cacheKey the page was rendered under (what Astro's manifest holds for it). */
  readonly key: string;
}

interface BuildState {
  /** Records of the previous build, by page (`routePattern` + params). */
  readonly previous: ReadonlyMap<string, PageRecord>;
  /** Records of this build: carried over for pages skipped, new for pages rendered. */
  readonly next: Map<string, PageRecord>;
  /** The cacheKey this build gave each page, and the digest of its props. */
  readonly keys: Map<string, { readonly key: string; readonly props: string }>;
  /** Pages rendered in this build (the others were restored). */
  readonly rendered: Set<string>;
  readonly file: string | undefined;
  readonly valueDigests: Map<string, string>;
  /** The cacheKey of pages without a valid record in this build (they render). */
  readonly freshKey: string;
  /** When the first route's paths were asked for: the start of page generation (after Vite's compilation). */
  pagesStartedAt: number | undefined;
  valueOf: DependencyValue | undefined;
}

/**
 * One state per build process, on globalThis: the page modules are bundled by Vite, so the build script that
 * saves the records at the end sees a different copy of this module than the pages do.
 */
const STATE = Symbol.for('cong-vu-minh-bach.site.dependencies');
type Global = typeof globalThis & { [STATE]?: BuildState };

function state(): BuildState {
  const global = globalThis as Global;
  if (!global[STATE]) {
    const file = process.env.SITE_DEPENDENCIES_FILE;
    global[STATE] = {
      previous: file ? readRecords(file) : new Map(),
      next: new Map(),
      keys: new Map(),
      rendered: new Set(),
      file,
      valueDigests: new Map(),
      freshKey: `b-${randomUUID()}`,
      pagesStartedAt: undefined,
      valueOf: undefined,
    };
  }
  return global[STATE];
}

function readRecords(file: string): Map<string, PageRecord> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { pages?: Record<string, PageRecord> };
    return new Map(Object.entries(parsed.pages ?? {}));
  } catch {
    // No file (first build) or an unreadable one: every page renders, which is always correct.
    return new Map();
  }
}

const recorder = new AsyncLocalStorage<Set<string>>();

/** Names a dependency of the page being rendered (no-op outside a page). */
export function dependsOn(key: string): void {
  recorder.getStore()?.add(key);
}

/** Registers how to read a key's value in the current data (called once the data is loaded). */
export function setDependencyValues(read: DependencyValue): void {
  const current = state();
  current.valueOf = read;
  current.valueDigests.clear();
}

function digestOf(deps: Iterable<string>): string {
  const current = state();
  // The same bytes as one `update` per key, value and separator, in one call: some 60,000 pages each hash tens of keys.
  let text = '';
  for (const key of deps) {
    let value = current.valueDigests.get(key);
    if (value === undefined) {
      value = createHash('sha1')
        .update(current.valueOf?.(key) ?? '')
        .digest('base64');
      current.valueDigests.set(key, value);
    }
    text += `${key}\0${value}\n`;
  }
  return createHash('sha256').update(text).digest('base64url');
}

/** The identity of a page across builds: its route and its params (both as Astro names them). */
export function pageId(routePattern: string, params: Record<string, string | number | undefined>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((name) => [name, params[name] === undefined ? null : String(params[name])]);
  return `${routePattern} ${JSON.stringify(sorted)}`;
}

/**
 * Adds the cacheKey to each `getStaticPaths` entry of a route: the previous key when the values the page read
 * last time are unchanged, else a fresh one (so Astro renders it).
 */
export function withCacheKeys<T extends GetStaticPathsItem>(
  routePattern: string,
  entries: readonly T[],
  groups?: ShardGroups<T>,
): T[] {
  const current = state();
  current.pagesStartedAt ??= performance.now();
  const shard = currentShard();
  const mine = shard
    ? entries.filter(
        (entry, i) =>
          (groups ? groupShard(groups.weights, groups.of(entry), shard.count) : i % shard.count) === shard.index,
      )
    : entries;
  return mine.map((entry) => {
    const id = pageId(routePattern, entry.params);
    const props = createHash('sha1')
      .update(JSON.stringify(entry.props ?? null))
      .digest('base64');
    const previous = current.previous.get(id);
    const unchanged = previous?.props === props && digestOf(previous.deps) === previous.digest;
    const key = unchanged && previous ? previous.key : current.freshKey;
    current.keys.set(id, { key, props });
    if (unchanged && previous) current.next.set(id, previous);
    return { ...entry, cacheKey: key };
  });
}

/**
 * Which entries of a route render together in a build of several processes (`SITE_SHARD`): those of one group (a
 * province: lib/static-paths.ts says why), the groups spread over the processes by weight. Every route that passes
 * the same `weights` map places a group in the same process.
 */
export interface ShardGroups<T> {
  /** The group of an entry. */
  readonly of: (entry: T) => string;
  /** Each group's weight (what the pages of its entries cost, roughly): the same map for every route sharing them. */
  readonly weights: ReadonlyMap<string, number>;
}

const placements = new WeakMap<ReadonlyMap<string, number>, { count: number; shards: Map<string, number> }>();

/** The process of a group: placed once per weights map (`placeGroups`); a group it lacks by a hash of its name. */
function groupShard(weights: ReadonlyMap<string, number>, group: string, count: number): number {
  let placed = placements.get(weights);
  if (placed?.count !== count) {
    placed = { count, shards: placeGroups(weights, count) };
    placements.set(weights, placed);
  }
  return placed.shards.get(group) ?? createHash('sha1').update(group).digest().readUInt32BE(0) % count;
}

/**
 * Spreads weighed groups over `count` processes: the heaviest first, each to the process with the least weight so
 * far (the lowest index on a tie), so every process of a build places them alike and their weights end close.
 */
export function placeGroups(weights: ReadonlyMap<string, number>, count: number): Map<string, number> {
  const loads = new Array<number>(count).fill(0);
  const placed = new Map<string, number>();
  const heaviestFirst = [...weights].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  for (const [group, weight] of heaviestFirst) {
    let lightest = 0;
    for (let i = 1; i < count; i++) if ((loads[i] ?? 0) < (loads[lightest] ?? 0)) lightest = i;
    placed.set(group, lightest);
    loads[lightest] = (loads[lightest] ?? 0) + weight;
  }
  return placed;
}

/**
 * `SITE_SHARD=i/n`: a full build rendered in n processes at once (scripts/build.ts, one per core: Astro renders on
 * one thread). This process gives Astro its share of each route's paths: those of its groups (`ShardGroups`) when
 * the route has them, else every n-th path from the i-th; the pages without `getStaticPaths` (home, about, the site
 * feed…) render in every shard, and the build script keeps one copy.
 */
function currentShard(): { readonly index: number; readonly count: number } | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(process.env.SITE_SHARD ?? '');
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count > 1 && index < count ? { index, count } : undefined;
}

/** Renders a page, recording what it reads; the record replaces the page's previous one. */
export async function recordDependencies<T>(id: string, render: () => Promise<T>): Promise<T> {
  const deps = new Set<string>();
  const result = await recorder.run(deps, render);
  const current = state();
  const keyed = current.keys.get(id);
  current.rendered.add(id);
  reportProgress(current);
  if (keyed !== undefined) {
    const sorted = [...deps].sort();
    current.next.set(id, { deps: sorted, digest: digestOf(sorted), props: keyed.props, key: keyed.key });
  }
  return result;
}

let lastReport = 0;

/** For a parent process showing progress (SITE_PROGRESS=1): a line at most every half second. */
function reportProgress(current: BuildState): void {
  if (process.env.SITE_PROGRESS !== '1') return;
  const now = Date.now();
  if (now - lastReport < 500) return;
  lastReport = now;
  const progress = { phase: 'pages', done: current.rendered.size, total: current.keys.size };
  process.stdout.write(`build:site:progress ${JSON.stringify(progress)}\n`);
}

/**
 * What the build did: files rendered, files with a cacheKey (those not rendered were restored), and the seconds
 * since page generation started (call it when Astro is done).
 */
export function dependencyStats(): {
  rendered: number;
  renderedUnkeyed: number;
  keyed: number;
  pagesSeconds: number;
} {
  const current = state();
  const since = current.pagesStartedAt ?? performance.now();
  let unkeyed = 0;
  for (const id of current.rendered) if (!current.keys.has(id)) unkeyed += 1;
  return {
    rendered: current.rendered.size,
    renderedUnkeyed: unkeyed,
    keyed: current.keys.size,
    pagesSeconds: (performance.now() - since) / 1000,
  };
}

/** Saves this build's records for the next build (the build script calls it once Astro is done). */
export function saveDependencyRecords(): void {
  const current = state();
  if (!current.file) return;
  const pages: Record<string, PageRecord> = {};
  // Only pages that exist in this build: a page that left and comes back is rendered again.
  for (const id of current.keys.keys()) {
    const record = current.next.get(id);
    if (record) pages[id] = record;
  }
  mkdirSync(dirname(current.file), { recursive: true });
  const temporary = `${current.file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ pages }));
  renameSync(temporary, current.file);
}

/** Pages Astro writes as `<name>.html` rather than `<name>/index.html` in the directory format. */
const STATUS_PAGES = new Set(['/404/', '/500/']);

/**
 * When the build linked the last build's pages into its output folder (SITE_LINKED, scripts/build.ts `previous`),
 * a page about to render again has its link removed first, so Astro writes a new file rather than through the
 * link into the copy the site is serving. `url` is the page's address as Astro renders it (directory format:
 * pages end in `/`, other files have their name).
 */
export function unlinkRendered(url: URL): void {
  const outDir = process.env.SITE_OUT_DIR;
  if (process.env.SITE_LINKED !== '1' || !outDir) return;
  const path = decodeURIComponent(url.pathname);
  const file = !path.endsWith('/') ? path : STATUS_PAGES.has(path) ? `${path.slice(0, -1)}.html` : `${path}index.html`;
  rmSync(join(outDir, file), { force: true });
}
