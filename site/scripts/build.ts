/**
 * Builds the public site: `npm run build:site -- [--data DIR] [--out DIR] [--origin URL] [--verbose]`.
 * 1. Astro builds the static pages from the open-data files in DIR (env SITE_DATA_DIR for the pages);
 * 2. Pagefind indexes the unit and conclusion pages (one index per language);
 * 3. the open-data files are copied to <out>/data/, so a built site is complete on its own.
 * Any failure prints one line (`build:site: error: …`) and exits 1.
 *
 * `buildSite()` (what `npm start` calls to rebuild) runs each build in a child process: Node keeps the page
 * modules of a build in its module cache, and Astro its route cache in them, so a second build in the same
 * process would render the first one's pages.
 *
 * With `shards`, a build that renders every page (a new or emptied cache) is rendered in several processes at once,
 * one per core: Astro renders on one thread. Each renders every n-th page of each route into a folder and cache of
 * its own; the folders, Astro's cache manifests and the pages' dependency records are then merged, so the result
 * and the next (incremental, one-process) build are those of a one-process build.
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  promises as fsPromises,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { vietnamDate } from '../../shared/time/periods.js';
import * as z from '../../shared/zod.js';
import { searchDocument } from '../src/lib/search-document.js';

const SITE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = resolve(SITE_DIR, '..');
/** The folders of the pages Pagefind indexes (one page per subfolder), by language: units and conclusions. */
const SEARCHABLE_FOLDERS = {
  vi: ['don-vi', 'ket-luan'],
  en: ['en/units', 'en/conclusions'],
} as const;
/** How many pages are read and handed to Pagefind at a time (in order; the next batch is read while Pagefind indexes one). */
const SEARCH_BATCH = 64;

export interface BuildSiteOptions {
  /** The open-data directory (absolute or relative to the current directory). */
  readonly dataDir: string;
  readonly outDir: string;
  /**
   * Where the incremental build keeps what it needs to render only the pages a change affects (Astro's cache and
   * page copies, the pages' recorded dependencies, the last search index). One per site: two sites built with one
   * cache directory would each see the other's pages as changes. Default: site/.astro/cache. An empty (or new)
   * directory gives a full build.
   */
  readonly cacheDir?: string;
  /** The public origin used in canonical links, feeds and QR codes. */
  readonly origin?: string;
  readonly verbose?: boolean;
  /**
   * `first`: only the pages people land on first (home, lists, rankings, agencies, conclusions, the units in
   * force today), for a new site to be served quickly; the full build that follows keeps them (src/lib/static-paths.ts).
   */
  readonly scope?: 'first' | 'all';
  /**
   * `deferred`: when the search index would have to be rebuilt, copy the last one instead, so the changed pages
   * are published without waiting for Pagefind to read every unit and conclusion page again (the local stack
   * builds again with `now` right after). Default `now`.
   */
  readonly search?: 'now' | 'deferred';
  /** Told how far the build is (pages rendered of those it may render, then the search index and the data). */
  readonly onProgress?: (progress: BuildProgress) => void;
  /**
   * The last build made with this cache (the site being served): its pages that this build would only restore
   * unchanged are hard-linked from there before Astro starts, so Astro finds them in place and renders only the
   * pages a change affects, instead of copying every unchanged page out of its cache (the bulk of an incremental
   * build at national scale). Ignored, and the pages are restored, unless it is the cache's last build.
   */
  readonly previous?: string;
  /**
   * `link`: hard-link the open-data files and the reused search index into the site instead of copying them. Only
   * for a data directory whose files are replaced by rename, never rewritten in place (the export's writer):
   * otherwise a change of the data would change the published copy too. Default `copy`.
   */
  readonly dataFiles?: 'copy' | 'link';
  /**
   * How many processes may render a build of every page (a new or emptied cache, or the first build after a
   * first-scope one), at most one per core. Default `defaultShards` (two for a national registry, one for a province
   * or two). A build that renders only what a change affects runs in one.
   */
  readonly shards?: number;
  /** Set by a sharded build for each of its processes: render only this shard's pages (no search index, no data). */
  readonly shard?: { readonly index: number; readonly count: number };
  /**
   * Set by `buildSite` for the build process it starts once the render processes it started are done: merge their
   * folders and caches (`renderShards`) instead of rendering, then index and copy the data as any build does.
   */
  readonly mergeShards?: number;
}

/** How far a build is: the same shape as local/site-rebuilder.ts reads. */
export interface BuildProgress {
  readonly phase: 'pages' | 'search' | 'data';
  readonly done: number;
  readonly total: number;
}

/** The line a child build prints its progress on (src/lib/dependencies.ts prints the pages'). */
const PROGRESS_PREFIX = 'build:site:progress ';

export interface BuildSiteResult {
  readonly outDir: string;
  readonly pages: number;
  /** Pages and other files rendered by this build; the others were restored from the cache unchanged. */
  readonly rendered: number;
  /** Of `rendered`, the pages without a cacheKey (home, about, the site feed…): every build renders them. */
  readonly renderedUnkeyed: number;
  /** Processes the pages were rendered in (1, or the shards of a build of every page). */
  readonly shards: number;
  readonly indexed: number;
  /** Whether the search index was built, or reused because nothing it indexes changed. */
  /**
   * `built`; `reused` (nothing it indexes changed); `previous` (asked to defer it: the last index was copied,
   * although the units or conclusions changed, and a later build with `search: 'now'` brings it up to date).
   */
  readonly searchIndex: 'built' | 'reused' | 'previous';
  readonly seconds: number;
  /** Seconds of each phase: astro (all of it), pages (its page generation, after compiling), pagefind, copy data. */
  readonly phases: Readonly<Record<string, number>>;
}

/** The old-space limit of each shard's heap, in MB (see `buildSite`). */
const SHARD_HEAP_MB = 448;
/**
 * The young generation's semi-space of every build process, in MB. V8 on Node 24 sizes it at 64 MB here (134 MB of
 * new space, all of it touched and resident as pages are rendered); 16 MB (V8's former default) took some 100 MB off
 * a render process's memory (an eighth of the national build: 528 MB against 696 MB) with no more CPU
 * (docs/benchmarks.md, 2026-11-30 04:00–05:40).
 */
const SEMI_SPACE_MB = 16;

/** The line a child build prints its result on, for the parent to read. */
const RESULT_PREFIX = 'build:site:result ';

/**
 * Builds the site into `outDir` in a fresh child process (see the file comment). A build of every page in several
 * processes starts them from here, and the build process only once they are done (`buildInShards`).
 */
export function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  if (!options.shard && options.mergeShards === undefined) {
    const plan = renderPlan(options, resolve(options.dataDir), cacheDirOf(options), options.scope ?? 'all');
    if (plan.processes > 1) return buildInShards(options, plan.processes);
  }
  return buildInChild(options);
}

/**
 * A build of every page in `count` render processes started from this process, then the build process that merges
 * their pages, indexes them and copies the data. Started before them, as it once was, the build process only waited
 * while they rendered, holding some 75–80 MB (a Node process with the build script loaded) beside theirs at the
 * national build's peak: the two render processes at their end (docs/benchmarks.md, 2026-11-30 09:40–11:10). What
 * runs here is what waiting needs: spawning, reading their progress and result lines; the merge, which reads their
 * manifests and records (tens of MB of JSON), stays in the build process.
 */
async function buildInShards(options: BuildSiteOptions, count: number): Promise<BuildSiteResult> {
  const started = performance.now();
  const stats = await renderShards(
    options,
    resolve(options.dataDir),
    resolve(options.outDir),
    cacheDirOf(options),
    count,
    options.scope ?? 'all',
    options.onProgress,
  );
  const rendering = (performance.now() - started) / 1000;
  const rest = await buildInChild({ ...options, mergeShards: count });
  return {
    ...rest,
    rendered: stats.rendered,
    renderedUnkeyed: stats.renderedUnkeyed,
    shards: count,
    seconds: (performance.now() - started) / 1000,
    phases: { ...rest.phases, pages: stats.pagesSeconds, astro: rendering + (rest.phases.merge ?? 0) },
  };
}

/** The cache directory of a build (see `cacheDir`). */
function cacheDirOf(options: BuildSiteOptions): string {
  return resolve(options.cacheDir ?? join(SITE_DIR, '.astro', 'cache'));
}

/** Runs one build (a whole build, a render process's, or a merge: see the options) in a fresh child process. */
function buildInChild(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const args = [
    // A shard keeps its heap small (its live data is some 200 MB at national scale; V8 would otherwise let the heap
    // grow to several times that between collections): the shards of a build run at once, and together must stay
    // within the memory one build may use (docs/benchmarks.md).
    ...(options.shard && options.shard.count > 1 ? [`--max-old-space-size=${SHARD_HEAP_MB}`] : []),
    `--max-semi-space-size=${SEMI_SPACE_MB}`,
    '--import',
    pathToFileURL(join(SITE_DIR, 'scripts', 'ts-loader.mjs')).href,
    fileURLToPath(import.meta.url),
    '--result',
    '--data',
    resolve(options.dataDir),
    '--out',
    resolve(options.outDir),
    ...(options.cacheDir ? ['--cache', resolve(options.cacheDir)] : []),
    ...(options.origin ? ['--origin', options.origin] : []),
    ...(options.verbose ? ['--verbose'] : []),
    ...(options.previous ? ['--previous', resolve(options.previous)] : []),
    ...(options.dataFiles === 'link' ? ['--link-data'] : []),
    ...(options.shards !== undefined ? ['--shards', String(options.shards)] : []),
    ...(options.shard ? ['--shard', `${options.shard.index}/${options.shard.count}`] : []),
    ...(options.mergeShards !== undefined ? ['--merge-shards', String(options.mergeShards)] : []),
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: SITE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // Fewer malloc arenas for the file system's worker threads: less memory held but unused, same speed.
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
        // Vite's bundler (Rolldown) allocates with mimalloc, whose 1 GiB arena is committed eagerly and advised for
        // transparent huge pages: every page it ever touched while bundling stayed resident through the whole
        // rendering, some 110–190 MB of a render process with 5 MB still allocated (mimalloc's own statistics).
        // Committed on demand, that memory is not held (docs/benchmarks.md, 2026-11-30 04:00–05:40).
        MIMALLOC_ARENA_EAGER_COMMIT: process.env.MIMALLOC_ARENA_EAGER_COMMIT ?? '0',
        SITE_SCOPE: options.scope ?? 'all',
        SITE_SEARCH: options.search ?? 'now',
        ...(options.onProgress ? { SITE_PROGRESS: '1' } : {}),
      },
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (options.verbose) process.stdout.write(chunk);
      // Progress lines are read as they come and not kept; everything else is kept for the result line.
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(PROGRESS_PREFIX)) {
          const progress = BuildProgressSchema.safeParse(JSON.parse(line.slice(PROGRESS_PREFIX.length)));
          if (progress.success) options.onProgress?.(progress.data);
        } else stdout += `${line}\n`;
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      stdout += pending;
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolvePromise(BuildSiteResultSchema.parse(JSON.parse(line.slice(RESULT_PREFIX.length))));
      } else {
        const message = stderr.split('\n').find((l) => l.startsWith('build:site: error: ')) ?? stderr.trim();
        reject(new Error(message.replace(/^build:site: error: /, '') || `the site build exited with ${code}`));
      }
    });
  });
}

const BuildProgressSchema = z.object({
  phase: z.enum(['pages', 'search', 'data']),
  done: z.number(),
  total: z.number(),
});

const BuildSiteResultSchema = z.object({
  outDir: z.string(),
  pages: z.number(),
  rendered: z.number(),
  renderedUnkeyed: z.number(),
  shards: z.number(),
  indexed: z.number(),
  searchIndex: z.enum(['built', 'reused', 'previous']),
  seconds: z.number(),
  phases: z.record(z.string(), z.number()),
});

/** Builds the site into `outDir` in this process: once per process (see the file comment). */
async function buildInProcess(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const started = performance.now();
  const dataDir = resolve(options.dataDir);
  const outDir = resolve(options.outDir);
  const cacheDir = cacheDirOf(options);
  if (!existsSync(join(dataDir, 'units.json'))) {
    throw new Error(`no open-data files in ${dataDir} (units.json is missing); pass --data DIR`);
  }
  process.env.SITE_DATA_DIR = dataDir;
  process.env.SITE_OUT_DIR = outDir;
  process.env.SITE_CACHE_DIR = cacheDir;
  process.env.SITE_DEPENDENCIES_FILE = join(cacheDir, 'page-dependencies.json');
  if (options.origin) process.env.SITE_ORIGIN = options.origin;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';

  const phases: Record<string, number> = {};
  const phase = (name: string, since: number) => {
    phases[name] = (performance.now() - since) / 1000;
    if (options.verbose) console.log(`build:site: ${name} in ${phases[name].toFixed(1)} s`);
  };

  if (options.shard) process.env.SITE_SHARD = `${options.shard.index}/${options.shard.count}`;
  const render = options.shard
    ? { processes: 1, child: false }
    : options.mergeShards !== undefined
      ? { processes: options.mergeShards, child: true }
      : renderPlan(options, dataDir, cacheDir, process.env.SITE_SCOPE === 'first' ? 'first' : 'all');
  const shards = render.processes;

  // A build that links the last build's unchanged pages (see `previous`) starts from an empty folder that Astro
  // must not empty again; the middleware then unlinks each page it renders before Astro writes it.
  let since = performance.now();
  const linked =
    options.previous && shards === 1 ? linkPreviousPages(resolve(options.previous), outDir, cacheDir) : undefined;
  // Until this build is done, the cache's pages match no build folder (see linkPreviousPages).
  rmSync(join(cacheDir, LAST_BUILD_FILE), { force: true });
  if (linked) process.env.SITE_LINKED = '1';
  if (linked) phase('link', since);

  since = performance.now();
  let stats: RenderStats;
  if (options.mergeShards !== undefined) {
    // What render processes started by `buildSite` rendered: they counted the pages, and it reports them.
    mergeShards(outDir, cacheDir, shards);
    stats = { rendered: 0, renderedUnkeyed: 0, pagesSeconds: 0 };
  } else if (shards > 1) stats = await renderInShards(options, dataDir, outDir, cacheDir, shards);
  else if (render.child) stats = await renderInChild(options, dataDir, outDir, cacheDir);
  else stats = await renderHere(options);
  if (linked) removeGonePages(outDir, linked, keyedOutputs(cacheDir));
  phases.pages = stats.pagesSeconds;
  phase(options.mergeShards !== undefined ? 'merge' : 'astro', since);
  if (options.shard) {
    // One shard of a sharded build: the parent merges the pages, then indexes and copies the data once.
    return {
      outDir,
      pages: 0,
      rendered: stats.rendered,
      renderedUnkeyed: stats.renderedUnkeyed,
      shards: 1,
      indexed: 0,
      searchIndex: 'previous',
      seconds: (performance.now() - started) / 1000,
      phases,
    };
  }

  const progress = (phase: BuildProgress['phase']) => {
    if (process.env.SITE_PROGRESS === '1')
      console.log(`${PROGRESS_PREFIX}${JSON.stringify({ phase, done: 0, total: 0 })}`);
  };
  since = performance.now();
  progress('search');
  // A first-scope build (a new site served early) has no search index: the full build right after makes it.
  const search =
    process.env.SITE_SCOPE === 'first'
      ? { indexed: 0, state: 'previous' as const }
      : await searchIndex(
          dataDir,
          outDir,
          cacheDir,
          process.env.SITE_SEARCH === 'deferred',
          options.dataFiles === 'link',
        );
  phase('pagefind', since);

  since = performance.now();
  progress('data');
  if (options.dataFiles === 'link') linkTree(dataDir, join(outDir, 'data'));
  else cpSync(dataDir, join(outDir, 'data'), { recursive: true });
  phase('copy data', since);
  // The next build may link this one's pages (`previous`): it is now the cache's last build.
  writeFileSync(join(cacheDir, LAST_BUILD_FILE), JSON.stringify({ outDir, scope: process.env.SITE_SCOPE ?? 'all' }));
  return {
    outDir,
    pages: countHtml(outDir),
    rendered: stats.rendered,
    renderedUnkeyed: stats.renderedUnkeyed,
    shards,
    indexed: search.indexed,
    searchIndex: search.state,
    seconds: (performance.now() - started) / 1000,
    phases,
  };
}

interface RenderStats {
  readonly rendered: number;
  readonly renderedUnkeyed: number;
  readonly pagesSeconds: number;
}

/** Astro's build in this process (once per process: see the file comment). */
async function renderHere(options: BuildSiteOptions): Promise<RenderStats> {
  // Imported here, after the environment is set: the Astro config reads it when loaded.
  const { build } = await import('astro');
  // Astro keeps its temporary prerender chunks under the working directory when the output is elsewhere
  // (`<cwd>/.astro/.prerender`): a working directory of its own under the ignored site/.astro/ keeps two builds
  // running at once (two stacks, a test and `npm start`) from deleting each other's chunks, and node_modules
  // still resolves from there.
  const cwd = process.cwd();
  mkdirSync(join(SITE_DIR, '.astro'), { recursive: true });
  const work = mkdtempSync(join(SITE_DIR, '.astro', 'build-'));
  process.chdir(work);
  // Started by buildSite: the TypeScript loader is lifted while Astro works (scripts/ts-loader.mjs says why).
  const loader = (globalThis as { [TS_LOADER]?: { pause(): Promise<void>; resume(): void } })[TS_LOADER];
  await linkCachedPages();
  await loader?.pause();
  const restoreWrites = writePagesSynchronously();
  try {
    // Silent unless asked: a failure is reported once, on one line, by main().
    await build({ root: SITE_DIR, logLevel: options.verbose ? 'info' : 'silent' });
  } finally {
    restoreWrites();
    loader?.resume();
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  }
  const { saveDependencyRecords, dependencyStats } = await import('../src/lib/dependencies.js');
  const stats = dependencyStats();
  saveDependencyRecords();
  return stats;
}

/**
 * Astro's incremental build writes each page it renders twice: into the output folder and, as the copy it restores
 * unchanged pages from, into `<cache>/dist/` (`writeOutputFile` of astro/dist/core/build/incremental.js), each with
 * a `mkdir` of its own; at national scale some 20 s of CPU for 68,000 files (docs/benchmarks.md). The copy is the same
 * bytes, so it is hard-linked from the output instead: all at once, just before Astro writes the cache's manifest
 * (`writeManifest`), so that a manifest never describes copies that are not there (a build that fails leaves the last
 * manifest and its copies as they were). Sharing the file is safe because nothing writes a built page in place: a
 * page rendered again is a new file (a new build's folder, or with `previous` the middleware unlinks the linked page
 * first), a copy is replaced by unlinking it, and a restored page is copied out of the cache.
 * This patches Astro's internal class for this process only (each build renders in a process of its own); an Astro
 * without it keeps its own writes, and test/e2e/site/build.test.ts, which checks the links, says so.
 */
async function linkCachedPages(): Promise<void> {
  const astro = createRequire(import.meta.url).resolve('astro');
  const incremental = pathToFileURL(join(dirname(astro), 'core', 'build', 'incremental.js')).href;
  const { IncrementalBuildCache } = (await import(incremental)) as {
    IncrementalBuildCache?: { prototype: AstroCache };
  };
  const cache = IncrementalBuildCache?.prototype;
  if (typeof cache?.writeOutputFile !== 'function' || typeof cache.writeManifest !== 'function') return;
  const written: string[] = [];
  const writeManifest = cache.writeManifest;
  cache.writeOutputFile = async (_settings, outputFile) => {
    written.push(outputFile);
  };
  cache.writeManifest = function (this: AstroCache, settings) {
    const cached = new URL('dist/', settings.config.cacheDir);
    const folders = new Set<string>();
    for (const file of written) {
      const from = fileURLToPath(new URL(file, settings.config.outDir));
      const to = fileURLToPath(new URL(file, cached));
      if (!folders.has(dirname(to))) {
        mkdirSync(dirname(to), { recursive: true });
        folders.add(dirname(to));
      }
      linkOrCopy(from, to);
    }
    written.length = 0;
    return writeManifest.call(this, settings);
  };
}

/**
 * Astro writes each page it renders with `fs.promises.mkdir(folder, { recursive: true })` and
 * `fs.promises.writeFile(file, body)` (astro/dist/core/build/generate.js): four trips to libuv's thread pool per file
 * (mkdir, open, write, close), each waking a pool thread and then the main thread again. On these 2 vCPUs that costs
 * far more than the writing: measured on 6,000 files of 27 KB, 390–530 µs of CPU (mostly system time) per file
 * through the promises against 126–129 µs with `mkdirSync` and `writeFileSync` (docs/benchmarks.md, 2026-11-30
 * 07:30–08:30), some 20 s of CPU for the national build's 68,600 files. Nothing is gained by the pool here: pages
 * render on one thread and Astro awaits each page's writes before it renders the next (`build.concurrency` 1). So for
 * this process's Astro build the two calls, made exactly as Astro makes them (a folder and `{ recursive: true }`; a
 * file and its bytes or text, no options), are done synchronously; the promise they return settles as before (with
 * the same value, or the same error as a rejection). Any other call goes to Node's own. Answers the restoring function.
 */
export function writePagesSynchronously(): () => void {
  const { mkdir, writeFile } = fsPromises;
  const patched = fsPromises as unknown as {
    mkdir: (path: unknown, options?: unknown, ...rest: unknown[]) => Promise<unknown>;
    writeFile: (file: unknown, data: unknown, ...rest: unknown[]) => Promise<unknown>;
  };
  const original = {
    mkdir: mkdir as unknown as typeof patched.mkdir,
    writeFile: writeFile as unknown as typeof patched.writeFile,
  };
  const isPath = (path: unknown): path is string | URL => typeof path === 'string' || path instanceof URL;
  patched.mkdir = async (path, options, ...rest) => {
    const recursiveOnly =
      typeof options === 'object' &&
      options !== null &&
      Object.keys(options).length === 1 &&
      (options as { recursive?: unknown }).recursive === true;
    if (rest.length > 0 || !isPath(path) || !recursiveOnly) return original.mkdir(path, options, ...rest);
    return mkdirSync(path, { recursive: true });
  };
  patched.writeFile = async (file, data, ...rest) => {
    if (rest.length > 0 || !isPath(file) || !(typeof data === 'string' || data instanceof Uint8Array)) {
      return original.writeFile(file, data, ...rest);
    }
    writeFileSync(file, data);
    // Settled on the event loop's next turn, as Node's own was: settled at once, a render process went from one page
    // to the next in microtasks without returning to the event loop, where V8 runs its collection tasks, and held
    // 743 MB against 668 MB (its CPU the same).
    await new Promise((settle) => setImmediate(settle));
    return undefined;
  };
  return () => {
    patched.mkdir = original.mkdir;
    patched.writeFile = original.writeFile;
  };
}

/** Hard-links `from` as `to`, replacing what is there (never writing through it); a copy across file systems. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // The copy of the page's last version: replaced, never written through.
      rmSync(to);
      linkOrCopy(from, to);
    } else if (code === 'EXDEV' || code === 'EPERM' || code === 'ENOTSUP') {
      // The cache on another file system, or one without hard links: a copy, as Astro made it.
      copyFileSync(from, to);
    } else throw error;
  }
}

/** What `linkCachedPages` uses of Astro's `IncrementalBuildCache`. */
interface AstroCache {
  writeOutputFile(settings: AstroSettings, outputFile: string, body: Uint8Array): Promise<void>;
  writeManifest(settings: AstroSettings): void;
}

interface AstroSettings {
  readonly config: { readonly cacheDir: URL; readonly outDir: URL };
}

/**
 * Astro's build in a child process of its own (with this build's output folder and cache, and its environment:
 * `SITE_LINKED` when the last build's pages were linked), for a build of every page: the memory it used is returned
 * when it exits, before Pagefind, which needs some 1.3 GB of its own at national scale, reads the pages. Holding
 * both at once was most of a national build's peak (docs/benchmarks.md).
 */
async function renderInChild(
  options: BuildSiteOptions,
  dataDir: string,
  outDir: string,
  cacheDir: string,
): Promise<RenderStats> {
  const result = await buildSite({
    dataDir,
    outDir,
    cacheDir,
    scope: process.env.SITE_SCOPE === 'first' ? 'first' : 'all',
    shard: { index: 0, count: 1 },
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.verbose ? { verbose: true } : {}),
    onProgress: (progress) => {
      if (process.env.SITE_PROGRESS === '1') console.log(`${PROGRESS_PREFIX}${JSON.stringify(progress)}`);
    },
  });
  return {
    rendered: result.rendered,
    renderedUnkeyed: result.renderedUnkeyed,
    pagesSeconds: result.phases.pages ?? 0,
  };
}

const TS_LOADER = Symbol.for('cong-vu-minh-bach.site.ts-loader');

/**
 * How many processes render this build, and whether in this one: a build of every page, that is when the cache has
 * no manifest of a last build (new or emptied), or its last build was a first-scope one and this one is not,
 * renders in child processes (`defaultShards` of them unless `shards` says otherwise, one per core at most; one is
 * `renderInChild`: rendering the rest of a first-scope build's pages again in two processes is sooner than the rest
 * in one). A build that renders what a
 * change affects renders here.
 */
function renderPlan(
  options: BuildSiteOptions,
  dataDir: string,
  cacheDir: string,
  scope: 'first' | 'all',
): { processes: number; child: boolean } {
  const wanted = Math.max(1, Math.min(options.shards ?? defaultShards(dataDir), availableParallelism()));
  const lastScope = readLastBuild(cacheDir)?.scope;
  const everyPage = !existsSync(join(cacheDir, ASTRO_MANIFEST)) || (lastScope === 'first' && scope !== 'first');
  return everyPage ? { processes: wanted, child: true } : { processes: 1, child: false };
}

/**
 * How many processes render a build of every page unless told (at most one per core): two for a build of at least
 * `SHARD_MIN_UNITS` units, else one. On a quiet machine (docs/benchmarks.md, 2026-11-30 08:00–08:10), the national
 * build (14,019 units, 37,193 pages) took 95.6 s of wall clock in two processes against 119.8 s in one, in the same
 * run, for 1.17× the CPU (161.4 s against 138.4 s) and a peak of 1,426 MB against 1,169 MB: within the 1.5 GB a
 * build may use, and the only way to the 120 s issue #15 asks for with a margin on two cores. Not more than two on
 * larger machines: each process holds some 0.6–0.7 GB at national scale. Not for a small registry: the second process
 * sets up and bundles the site again (about 5 s of CPU before its first page), which a province or two, rendered in
 * tens of seconds, would not win back.
 */
const DEFAULT_SHARDS = 2;
/** The number of units from which a build of every page renders in `DEFAULT_SHARDS` processes. */
export const SHARD_MIN_UNITS = 5_000;

/** How many processes render a build of every page of the open data in `dataDir` when the caller does not say. */
export function defaultShards(dataDir: string): number {
  let units: number;
  try {
    // One file per unit (and per earlier version of it): counting names reads no file.
    units = readdirSync(join(dataDir, 'units')).length;
  } catch {
    return 1;
  }
  return units >= SHARD_MIN_UNITS ? DEFAULT_SHARDS : 1;
}

/** Astro's manifest of its incremental build, in the cache directory. */
const ASTRO_MANIFEST = 'incremental-build.json';
/** Astro's copies of the pages it rendered, in the cache directory (restored when unchanged). */
const ASTRO_CACHED_PAGES = 'dist';
const DEPENDENCIES_FILE = 'page-dependencies.json';

/**
 * Renders every page in `count` processes (see the file comment): each into `<out>.shard-<i>` with the cache
 * `<cache>/shard-<i>`, then merged into `outDir` and `cacheDir` as one process would have left them.
 */
async function renderInShards(
  options: BuildSiteOptions,
  dataDir: string,
  outDir: string,
  cacheDir: string,
  count: number,
): Promise<RenderStats> {
  const stats = await renderShards(
    options,
    dataDir,
    outDir,
    cacheDir,
    count,
    process.env.SITE_SCOPE === 'first' ? 'first' : 'all',
    (progress) => {
      if (process.env.SITE_PROGRESS === '1') console.log(`${PROGRESS_PREFIX}${JSON.stringify(progress)}`);
    },
  );
  mergeShards(outDir, cacheDir, count);
  return stats;
}

const shardOut = (outDir: string, i: number) => `${outDir}.shard-${i}`;
const shardCache = (cacheDir: string, i: number) => join(cacheDir, `shard-${i}`);

function cleanShards(outDir: string, cacheDir: string, count: number): void {
  for (let i = 0; i < count; i++) {
    rmSync(shardOut(outDir, i), { recursive: true, force: true });
    rmSync(shardCache(cacheDir, i), { recursive: true, force: true });
  }
}

/**
 * Renders every page in `count` processes at once, each into `<out>.shard-<i>` with the cache `<cache>/shard-<i>`,
 * for `mergeShards`; told of their pages' progress as one. When one fails, their folders are removed.
 */
async function renderShards(
  options: BuildSiteOptions,
  dataDir: string,
  outDir: string,
  cacheDir: string,
  count: number,
  scope: 'first' | 'all',
  onProgress: ((progress: BuildProgress) => void) | undefined,
): Promise<RenderStats> {
  // Every page renders: what the cache held describes pages this build replaces.
  for (const name of [ASTRO_MANIFEST, ASTRO_CACHED_PAGES, DEPENDENCIES_FILE]) {
    rmSync(join(cacheDir, name), { recursive: true, force: true });
  }
  // Until this build is done, the cache's pages match no build folder (see linkPreviousPages).
  rmSync(join(cacheDir, LAST_BUILD_FILE), { force: true });
  cleanShards(outDir, cacheDir, count);
  const done = new Array<number>(count).fill(0);
  const total = new Array<number>(count).fill(0);
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  const settled = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      buildSite({
        dataDir,
        outDir: shardOut(outDir, index),
        cacheDir: shardCache(cacheDir, index),
        scope,
        shard: { index, count },
        ...(options.origin ? { origin: options.origin } : {}),
        ...(options.verbose ? { verbose: true } : {}),
        onProgress: (progress) => {
          if (progress.phase !== 'pages' || !onProgress) return;
          done[index] = progress.done;
          total[index] = progress.total;
          onProgress({ phase: 'pages', done: sum(done), total: sum(total) });
        },
      }),
    ),
  );
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) {
    cleanShards(outDir, cacheDir, count);
    throw failed.reason;
  }
  const results = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const unkeyed = results[0]?.renderedUnkeyed ?? 0;
  return {
    // The pages without a cacheKey rendered in every shard: counted once.
    rendered: sum(results.map((r) => r.rendered)) - (count - 1) * unkeyed,
    renderedUnkeyed: unkeyed,
    pagesSeconds: Math.max(...results.map((r) => r.phases.pages ?? 0)),
  };
}

/** Merges what `renderShards` rendered into `outDir` and `cacheDir` as one process would have left them. */
function mergeShards(outDir: string, cacheDir: string, count: number): void {
  try {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(dirname(outDir), { recursive: true });
    mkdirSync(cacheDir, { recursive: true });
    const manifests: AstroManifest[] = [];
    for (let i = 0; i < count; i++) {
      // The pages every shard renders (no cacheKey) and the assets are the same in each: kept once, compared.
      mergeTree(shardOut(outDir, i), outDir, true);
      mergeTree(join(shardCache(cacheDir, i), ASTRO_CACHED_PAGES), join(cacheDir, ASTRO_CACHED_PAGES), true);
      manifests.push(JSON.parse(readFileSync(join(shardCache(cacheDir, i), ASTRO_MANIFEST), 'utf8')) as AstroManifest);
    }
    // Written as Astro writes it: the next build reads it as its own.
    writeFileSync(join(cacheDir, ASTRO_MANIFEST), JSON.stringify(mergeManifests(manifests), null, '\t'));
    mergeRecords(
      Array.from({ length: count }, (_, i) => join(shardCache(cacheDir, i), DEPENDENCIES_FILE)),
      join(cacheDir, DEPENDENCIES_FILE),
    );
  } finally {
    cleanShards(outDir, cacheDir, count);
  }
}

const RECORDS_HEAD = Buffer.from('{"pages":{');
const RECORDS_TAIL = Buffer.from('}}');

/**
 * One `page-dependencies.json` of the shards' (lib/dependencies.ts writes each as `JSON.stringify({ pages })`): their
 * members one after the other, the bytes `JSON.stringify` gives the pages of all of them in one object, since a page
 * with a record (one with a cacheKey) renders in one shard only and page ids are never integer-like. Joined as bytes,
 * not parsed: at national scale 2 × 11 MB of JSON, which parsed into objects and written again held some 90 MB in the
 * build process, beside Pagefind's indexing right after (docs/benchmarks.md, 2026-11-30 09:40–11:10).
 */
export function mergeRecords(files: readonly string[], target: string): void {
  const fd = openSync(target, 'w');
  try {
    // writeFileSync on a descriptor writes all the bytes (writeSync may write part of them).
    writeFileSync(fd, RECORDS_HEAD);
    let first = true;
    for (const file of files) {
      const bytes = readFileSync(file);
      const head = bytes.subarray(0, RECORDS_HEAD.length);
      const tail = bytes.subarray(bytes.length - RECORDS_TAIL.length);
      if (
        bytes.length < RECORDS_HEAD.length + RECORDS_TAIL.length ||
        !head.equals(RECORDS_HEAD) ||
        !tail.equals(RECORDS_TAIL)
      ) {
        throw new Error(`${file} is not a record of pages as a shard writes it`);
      }
      const members = bytes.subarray(RECORDS_HEAD.length, bytes.length - RECORDS_TAIL.length);
      if (members.length === 0) continue;
      if (!first) writeFileSync(fd, ',');
      writeFileSync(fd, members);
      first = false;
    }
    writeFileSync(fd, RECORDS_TAIL);
  } finally {
    closeSync(fd);
  }
}

/** Astro's `incremental-build.json` (astro/dist/core/build/incremental.js), as far as merging needs it. */
interface AstroManifest {
  readonly version: number;
  readonly configHash: string;
  readonly lockfileHash: string;
  readonly routes: Record<string, { dependencyHash: string; paths: Record<string, unknown> }>;
}

/** One manifest of the shards' manifests: the same configuration, each route's paths together. */
function mergeManifests(manifests: readonly AstroManifest[]): AstroManifest {
  const [first] = manifests;
  if (!first) throw new Error('no shard wrote a manifest');
  const routes: AstroManifest['routes'] = {};
  for (const manifest of manifests) {
    if (
      manifest.version !== first.version ||
      manifest.configHash !== first.configHash ||
      manifest.lockfileHash !== first.lockfileHash
    ) {
      throw new Error('the shards of the build were built with different configurations');
    }
    for (const [route, entry] of Object.entries(manifest.routes)) {
      const merged = routes[route];
      if (!merged) routes[route] = { dependencyHash: entry.dependencyHash, paths: { ...entry.paths } };
      else if (merged.dependencyHash !== entry.dependencyHash) {
        throw new Error(`the shards of the build compiled ${route} differently`);
      } else Object.assign(merged.paths, entry.paths);
    }
  }
  return { ...first, routes };
}

/**
 * Moves everything under `from` into `to` (same file system): a folder `to` lacks is moved whole. A file both
 * have is kept as it is in `to`; with `same`, the two must be byte-identical (shards render the same pages the
 * same way), else the build fails rather than publish either.
 */
function mergeTree(from: string, to: string, same: boolean): void {
  if (!existsSync(from)) return;
  if (!existsSync(to)) {
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
    return;
  }
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) mergeTree(source, target, same);
    else if (!existsSync(target)) renameSync(source, target);
    else if (same && !readFileSync(source).equals(readFileSync(target))) {
      throw new Error(`the shards of the build rendered ${target} differently`);
    }
  }
}

/**
 * The Pagefind index of the unit and conclusion pages. What it indexes comes from the units (names, codes,
 * hierarchy), the conclusions and the day (a unit's "former" notice): when none of those changed since the last
 * build with this cache, the last index is copied instead of indexing every page again.
 */
async function searchIndex(
  dataDir: string,
  outDir: string,
  cacheDir: string,
  deferred: boolean,
  link: boolean,
): Promise<{ indexed: number; state: BuildSiteResult['searchIndex'] }> {
  const fingerprint = createHash('sha256');
  for (const name of ['units.json', 'conclusions.json']) fingerprint.update(readFileSync(join(dataDir, name)));
  const summary = JSON.parse(readFileSync(join(dataDir, 'summary.json'), 'utf8')) as { generatedAt?: string };
  fingerprint.update(vietnamDate(new Date(summary.generatedAt ?? 0)));
  const digest = fingerprint.digest('hex');
  const cachedIndex = join(cacheDir, 'pagefind');
  const cachedFingerprint = join(cacheDir, 'pagefind.json');
  const previous = existsSync(cachedFingerprint)
    ? (JSON.parse(readFileSync(cachedFingerprint, 'utf8')) as { digest: string; indexed: number })
    : undefined;
  if (previous && existsSync(cachedIndex) && (previous.digest === digest || deferred)) {
    // The cached index is only ever replaced whole (below), never edited: linking it is as safe as copying.
    if (link) linkTree(cachedIndex, join(outDir, 'pagefind'));
    else cpSync(cachedIndex, join(outDir, 'pagefind'), { recursive: true });
    return { indexed: previous.indexed, state: previous.digest === digest ? 'reused' : 'previous' };
  }
  const pagefind = await import('pagefind');
  const bundle = join(outDir, 'pagefind');
  rmSync(bundle, { recursive: true, force: true });
  let indexed = 0;
  let languages: Record<string, unknown> = {};
  let entry: Record<string, unknown> = {};
  // One index per language, written one after the other and merged: Pagefind builds the indexes of every language it
  // holds at once, and that is its peak memory (at national scale 1.2–1.3 GB for both languages, 0.9 GB for one).
  // Each language's index is the one a single index of both would hold: the same files, named by their content.
  for (const [language, folders] of Object.entries(SEARCHABLE_FOLDERS)) {
    const pages = searchablePages(outDir, folders);
    if (pages.length === 0) continue;
    const { index, errors } = await pagefind.createIndex({});
    if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
    // Only unit and conclusion pages are searchable (they carry data-pagefind-body), and of each only what Pagefind
    // indexes (src/lib/search-document.ts): parsing the figures, charts and rankings only to ignore them was most of
    // its work.
    // Read synchronously: through the promises each file was three trips to libuv's thread pool (open, read, close),
    // some 70–120 µs of CPU per page on these 2 vCPUs against 17 µs (writePagesSynchronously says why it matters).
    const read = (start: number) =>
      pages.slice(start, start + SEARCH_BATCH).map((page) => ({
        page,
        document: searchDocument(readFileSync(join(outDir, page, 'index.html'), 'utf8')),
      }));
    let documents = read(0);
    for (let i = 0; i < pages.length; i += SEARCH_BATCH) {
      // Handed over in order (not as each file is read): Pagefind numbers the pages as they come, so the same pages
      // give the same index files (the publication uploads only the files that changed).
      const adding = Promise.all(
        documents.map(({ page, document }) =>
          document === undefined ? undefined : index.addHTMLFile({ url: `/${page}/`, content: document }),
        ),
      );
      // Awaited below, after the next batch is read: a failure to read it must not leave this one's rejection unheard.
      adding.catch(() => undefined);
      // The next batch is read and cut while Pagefind indexes this one: they took turns, each idle while the other
      // worked.
      documents = i + SEARCH_BATCH < pages.length ? read(i + SEARCH_BATCH) : [];
      const added = await adding;
      for (const page of added) {
        if (page && page.errors.length > 0) throw new Error(`pagefind: ${page.errors.join('; ')}`);
        if (page) indexed += 1;
      }
    }
    const part = `${bundle}.${language}`;
    rmSync(part, { recursive: true, force: true });
    const written = await index.writeFiles({ outputPath: part });
    if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
    await index.deleteIndex();
    // The entry lists each language's index: merged below. Every other file is the language's own (named by its
    // content) or Pagefind's runtime, the same for both (mergeTree checks it).
    const entryFile = join(part, 'pagefind-entry.json');
    const partEntry = JSON.parse(readFileSync(entryFile, 'utf8')) as Record<string, unknown> & {
      languages?: Record<string, unknown>;
    };
    entry = partEntry;
    languages = { ...languages, ...partEntry.languages };
    rmSync(entryFile);
    mergeTree(part, bundle, true);
    rmSync(part, { recursive: true, force: true });
  }
  mkdirSync(bundle, { recursive: true });
  writeFileSync(join(bundle, 'pagefind-entry.json'), JSON.stringify({ ...entry, languages }));
  await closePagefind(pagefind);
  rmSync(cachedIndex, { recursive: true, force: true });
  rmSync(cachedFingerprint, { force: true });
  mkdirSync(cacheDir, { recursive: true });
  // Linked, not copied (some 30,000 files at national scale): a build's index is written once, never edited, and
  // the cached one is only ever replaced whole.
  linkTree(join(outDir, 'pagefind'), cachedIndex);
  writeFileSync(cachedFingerprint, JSON.stringify({ digest, indexed }));
  return { indexed, state: 'built' };
}

/**
 * Pagefind's `close()` kills its indexing process without waiting for it, and a build that ends right after never
 * reaps it: its CPU time (half a minute at national scale) was then counted with nobody's, not with the build's
 * (bench/measure.ts reads the CPU of the processes a build waited for). Waiting here until it is gone lets this
 * process reap it, and no indexer outlives the build. Linux only (/proc); elsewhere this returns at once.
 */
async function closePagefind(pagefind: { close(): Promise<unknown> }): Promise<void> {
  const indexers = () => {
    try {
      const children = readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8').trim().split(/\s+/);
      return children.filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('pagefind');
        } catch {
          return false;
        }
      });
    } catch {
      return [];
    }
  };
  const running = indexers();
  await pagefind.close();
  // Reaped by Node's event loop while this waits (a few milliseconds after the kill); at most 5 s.
  for (let waited = 0; waited < 5000 && indexers().some((pid) => running.includes(pid)); waited += 10) {
    await new Promise((resolveTimer) => setTimeout(resolveTimer, 10));
  }
}

/** The searchable pages of a built site, as their folders relative to it (`don-vi/00001`), in a stable order. */
function searchablePages(outDir: string, folders: readonly string[]): string[] {
  return folders.flatMap((folder) => {
    if (!existsSync(join(outDir, folder))) return [];
    const entries = readdirSync(join(outDir, folder), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    return entries
      .map((entry) => `${folder}/${entry.name}`)
      .filter((page) => existsSync(join(outDir, page, 'index.html')))
      .sort();
  });
}

/** In the cache directory: the output folder of the last build made with this cache (see `previous`), and its scope. */
const LAST_BUILD_FILE = 'last-build.json';

function readLastBuild(cacheDir: string): { outDir?: string; scope?: string } | undefined {
  try {
    return JSON.parse(readFileSync(join(cacheDir, LAST_BUILD_FILE), 'utf8')) as { outDir?: string; scope?: string };
  } catch {
    return undefined;
  }
}

/**
 * The files of every page with a cacheKey in the cache's last build, relative to the output folder: the pages an
 * incremental build may skip (Astro's manifest of its incremental build, `incremental-build.json`).
 */
function keyedOutputs(cacheDir: string): Set<string> {
  const files = new Set<string>();
  try {
    const manifest = JSON.parse(readFileSync(join(cacheDir, 'incremental-build.json'), 'utf8')) as {
      routes?: Record<string, { paths?: Record<string, { outputFile?: string }> }>;
    };
    for (const route of Object.values(manifest.routes ?? {})) {
      for (const path of Object.values(route.paths ?? {})) {
        if (path.outputFile) files.add(decodeURI(path.outputFile));
      }
    }
  } catch {
    // No manifest (first build) or an unreadable one: nothing to link, every page renders or is restored.
  }
  return files;
}

/**
 * Hard-links into the (emptied) output folder the pages of `previous` that the cache's manifest lists, when
 * `previous` is the cache's last build, so their files are exactly the ones the manifest's keys describe (a build
 * that failed or was thrown away leaves no record: then nothing is linked and Astro restores from its cache).
 * A page whose data changed is linked too; the middleware unlinks it before Astro writes its new version
 * (`unlinkRendered` in src/lib/dependencies.ts), so the served copy is never written through the link.
 */
function linkPreviousPages(previous: string, outDir: string, cacheDir: string): Set<string> | undefined {
  const last = readLastBuild(cacheDir)?.outDir;
  if (last !== previous || previous === outDir || !existsSync(previous)) return undefined;
  const files = keyedOutputs(cacheDir);
  rmSync(outDir, { recursive: true, force: true });
  const made = new Set<string>();
  for (const file of files) {
    const target = join(outDir, file);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    try {
      linkSync(join(previous, file), target);
    } catch (error) {
      // A page the last build did not write (a first-scope build): Astro restores or renders it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files;
}

/** Removes the linked pages that no longer exist (a conclusion withdrawn…), and their emptied folders. */
function removeGonePages(outDir: string, linked: ReadonlySet<string>, kept: ReadonlySet<string>): void {
  for (const file of linked) {
    if (kept.has(file)) continue;
    rmSync(join(outDir, file), { force: true });
    for (let folder = dirname(join(outDir, file)); folder.startsWith(`${outDir}/`); folder = dirname(folder)) {
      if (readdirSync(folder).length > 0) break;
      rmdirSync(folder);
    }
  }
}

/** Hard-links every file under `from` into `to` (same tree); see `dataFiles` for when that is safe. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(join(from, entry.name), join(to, entry.name));
    // A writer's temporary file (renamed into place when complete) is not part of the data yet.
    else if (entry.isFile() && !entry.name.endsWith('.tmp')) linkSync(join(from, entry.name), join(to, entry.name));
  }
}

function countHtml(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== 'data' && entry.name !== 'pagefind') count += countHtml(join(dir, entry.name));
    } else if (entry.name.endsWith('.html')) count += 1;
  }
  return count;
}

/** One line for any error: the first line of its message, without a stack. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error').trim();
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return value;
}

function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) throw new Error('--shard must be i/n with 0 <= i < n');
  return { index, count };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      cache: { type: 'string' },
      origin: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      previous: { type: 'string' },
      'link-data': { type: 'boolean', default: false },
      shards: { type: 'string' },
      /** `i/n`: one shard of a sharded build (renderInShards). */
      shard: { type: 'string' },
      /** `n`: merge the folders of a build of every page rendered in n processes (buildInShards). */
      'merge-shards': { type: 'string' },
      /** Print the result as JSON for a parent process (buildSite). */
      result: { type: 'boolean', default: false },
    },
  });
  const dataDir = values.data ?? process.env.SITE_DATA_DIR ?? join(REPO_DIR, '.data', 'open-data');
  const outDir = values.out ?? process.env.SITE_OUT_DIR ?? join(SITE_DIR, 'dist');
  if (!statSync(dataDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`data directory not found: ${resolve(dataDir)} (pass --data DIR or set SITE_DATA_DIR)`);
  }
  const result = await buildInProcess({
    dataDir,
    outDir,
    ...(values.cache ? { cacheDir: values.cache } : {}),
    ...(values.origin ? { origin: values.origin } : {}),
    ...(values.previous ? { previous: values.previous } : {}),
    dataFiles: values['link-data'] ? 'link' : 'copy',
    verbose: values.verbose,
    ...(values.shards !== undefined ? { shards: positiveInteger(values.shards, '--shards') } : {}),
    ...(values.shard !== undefined ? { shard: parseShard(values.shard) } : {}),
    ...(values['merge-shards'] !== undefined
      ? { mergeShards: positiveInteger(values['merge-shards'], '--merge-shards') }
      : {}),
  });
  if (values.result) {
    console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
    return;
  }
  const pages = new Intl.NumberFormat('en-GB').format(result.pages);
  const rendered = new Intl.NumberFormat('en-GB').format(result.rendered);
  console.log(
    `build:site: ${pages} pages (${rendered} files rendered, the rest unchanged; ${result.indexed} indexed for search, index ${result.searchIndex}) in ${result.seconds.toFixed(1)} s → ${result.outDir}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`build:site: error: ${oneLine(error)}`);
    process.exit(1);
  });
}
