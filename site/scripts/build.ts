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
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { vietnamDate } from '../../shared/time/periods.js';
import * as z from '../../shared/zod.js';

const SITE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = resolve(SITE_DIR, '..');
/** The pages Pagefind indexes: units and conclusions, in both languages. */
const SEARCHABLE_GLOB = '{don-vi,ket-luan,en/units,en/conclusions}/*/index.html';

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

/** The line a child build prints its result on, for the parent to read. */
const RESULT_PREFIX = 'build:site:result ';

/** Builds the site into `outDir` in a fresh child process (see the file comment). */
export function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const args = [
    '--import',
    'tsx',
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
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: SITE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
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
  const cacheDir = resolve(options.cacheDir ?? join(SITE_DIR, '.astro', 'cache'));
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

  // A build that links the last build's unchanged pages (see `previous`) starts from an empty folder that Astro
  // must not empty again; the middleware then unlinks each page it renders before Astro writes it.
  let since = performance.now();
  const linked = options.previous ? linkPreviousPages(resolve(options.previous), outDir, cacheDir) : undefined;
  // Until this build is done, the cache's pages match no build folder (see linkPreviousPages).
  rmSync(join(cacheDir, LAST_BUILD_FILE), { force: true });
  if (linked) process.env.SITE_LINKED = '1';
  if (linked) phase('link', since);

  // Imported here, after the environment is set: the Astro config reads it when loaded.
  since = performance.now();
  const { build } = await import('astro');
  // Astro keeps its temporary prerender chunks under the working directory when the output is elsewhere
  // (`<cwd>/.astro/.prerender`): a working directory of its own under the ignored site/.astro/ keeps two builds
  // running at once (two stacks, a test and `npm start`) from deleting each other's chunks, and node_modules
  // still resolves from there.
  const cwd = process.cwd();
  mkdirSync(join(SITE_DIR, '.astro'), { recursive: true });
  const work = mkdtempSync(join(SITE_DIR, '.astro', 'build-'));
  process.chdir(work);
  try {
    // Silent unless asked: a failure is reported once, on one line, by main().
    await build({ root: SITE_DIR, logLevel: options.verbose ? 'info' : 'silent' });
  } finally {
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  }
  const { saveDependencyRecords, dependencyStats } = await import('../src/lib/dependencies.js');
  const stats = dependencyStats();
  phases.pages = stats.pagesSeconds;
  saveDependencyRecords();
  if (linked) removeGonePages(outDir, linked, keyedOutputs(cacheDir));
  phase('astro', since);

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
  writeFileSync(join(cacheDir, LAST_BUILD_FILE), JSON.stringify({ outDir }));
  return {
    outDir,
    pages: countHtml(outDir),
    rendered: stats.rendered,
    indexed: search.indexed,
    searchIndex: search.state,
    seconds: (performance.now() - started) / 1000,
    phases,
  };
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
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
  // Only unit and conclusion pages are searchable (they carry data-pagefind-body); parsing the others is waste.
  const added = await index.addDirectory({ path: outDir, glob: SEARCHABLE_GLOB });
  if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
  const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
  if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
  rmSync(cachedIndex, { recursive: true, force: true });
  rmSync(cachedFingerprint, { force: true });
  mkdirSync(cacheDir, { recursive: true });
  cpSync(join(outDir, 'pagefind'), cachedIndex, { recursive: true });
  writeFileSync(cachedFingerprint, JSON.stringify({ digest, indexed: added.page_count }));
  return { indexed: added.page_count, state: 'built' };
}

/** In the cache directory: the output folder of the last build made with this cache (see `previous`). */
const LAST_BUILD_FILE = 'last-build.json';

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
  let last: string | undefined;
  try {
    last = (JSON.parse(readFileSync(join(cacheDir, LAST_BUILD_FILE), 'utf8')) as { outDir?: string }).outDir;
  } catch {
    last = undefined;
  }
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
