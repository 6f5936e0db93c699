import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localLogIdentity, writeLocalLog } from '../publisher/log-files.js';
import type { ExportRegistry } from '../shared/stats/export.js';
import { directoryWriter, exportStore } from '../shared/storage/open-data-export.js';
import { readDirty, setBuiltVersion } from '../shared/storage/stats-repository.js';
import type { TableNames } from '../shared/storage/tables.js';
import { BackgroundLoop } from './background-loop.js';

/**
 * What the AWS build job does, for `npm start`: watches the dirty item (`META#dirty`: `version` bumped by every
 * applied batch, `builtVersion` by whoever rebuilt), and when figures changed and then stayed quiet for a moment
 * (or kept changing for too long), writes the open-data files into `${dataDir}/export` (the gateway serves
 * `/data/` from there first, so new figures are visible in seconds). Then, in the background, one build at a time,
 * it builds the site into a fresh `${dataDir}/site/build-<n>` (the pages a change does not affect, and the open
 * data, hard-linked from the served build: only the affected pages are written), swaps it in as
 * `${dataDir}/site/current` (a symlink renamed over the old one: a reader sees the old site or the new one, never
 * half of one), deletes older builds in the background,
 * and records `builtVersion`. On start it exports and builds once whatever the dirty item says, so a fresh data
 * directory gets a site.
 */

/** How far the site build in progress is (pages: rendered of the pages it may render). */
export interface BuildProgress {
  readonly phase: 'pages' | 'search' | 'data';
  readonly done: number;
  readonly total: number;
}

/** One build of the site. */
export interface SiteBuildJob {
  /** The open-data directory (holding `units.json`). */
  readonly dataDir: string;
  readonly outDir: string;
  /** What the next build needs to render only the pages a change affects (one per data directory). */
  readonly cacheDir: string;
  /**
   * `first`: a new site's first build, of the pages people land on first (home, lists, rankings, conclusions,
   * the units in force), so it is served quickly; the full build follows at once and keeps those pages.
   */
  readonly scope: 'first' | 'all';
  /**
   * `deferred`: a change of names or conclusions keeps the last search index, so the pages are out without
   * waiting for it; the build answers `stale` and the rebuilder builds again with `now` once no change is waiting
   * (`searchFor`).
   */
  readonly search: 'now' | 'deferred';
  /**
   * The build being served, made with the same cache: the new build links its unchanged pages from there instead
   * of copying them (site/scripts/build.ts, `previous`); the open-data files are linked too (the export replaces
   * its files by rename, never in place).
   */
  readonly previous: string | undefined;
  readonly onProgress: (progress: BuildProgress) => void;
}

/**
 * The search index a build makes. Pages first: a build that publishes a change never waits for the search index
 * (indexing the whole country takes longer than the minute a change has to reach its page); the index catches up in
 * a build of its own once no change is waiting, or, when changes never stop coming, once it has been behind for
 * `maxStaleMs`.
 */
export function searchFor(state: {
  readonly changed: boolean;
  readonly staleSince: number | undefined;
  readonly now: number;
  readonly maxStaleMs: number;
}): 'now' | 'deferred' {
  if (!state.changed) return 'now';
  return state.staleSince !== undefined && state.now - state.staleSince >= state.maxStaleMs ? 'now' : 'deferred';
}

/** Builds the site (site/scripts/build.ts, or a stand-in in tests); answers `'stale'` when the search index is behind. */
export type SiteBuilder = (job: SiteBuildJob) => Promise<unknown>;

export interface SiteRebuilderOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly dataDir: string;
  readonly registry: ExportRegistry;
  readonly repoRoot: string;
  /** The site build; default: `buildSite` of site/scripts/build.ts when that file exists, else none. */
  readonly buildSite?: SiteBuilder | null;
  readonly pollMs?: number;
  /** Rebuild once the version has not moved for this long… */
  readonly quietMs?: number;
  /** …or once changes have been waiting this long, even if they keep coming. */
  readonly maxWaitMs?: number;
  /** A search index behind its pages for this long is rebuilt even while changes keep coming (default 5 min). */
  readonly searchMaxStaleMs?: number;
  readonly log?: (line: string) => void;
}

/** Polls the dirty item and rebuilds (see the module comment). */
export class SiteRebuilder extends BackgroundLoop {
  readonly #options: SiteRebuilderOptions;
  /** The next round exports whatever the dirty item says (the first round after start). */
  #force = true;
  #lastVersion = -1;
  #lastChangeAt = 0;
  #pendingSince: number | undefined;
  /** The dirty version the open data was last exported from, and the one the site was last built from. */
  #exportedVersion = -1;
  #siteVersion = -1;
  #building: Promise<void> | undefined;
  #builds = 0;
  #exports = 0;
  #builder: SiteBuilder | null | undefined;
  #progress: BuildProgress | undefined;
  /** True once a build of every page is served (a first-scope build is not). */
  #complete = false;
  /** Since when the served site's search index is behind its pages (a deferred index); undefined when it is not. */
  #searchStaleSince: number | undefined;
  readonly #siteReady: Promise<void>;
  #markSiteReady: () => void = () => undefined;

  constructor(options: SiteRebuilderOptions) {
    super();
    this.#options = options;
    this.#builder = options.buildSite;
    this.#siteReady = new Promise((resolvePromise) => {
      this.#markSiteReady = resolvePromise;
    });
    // A site from an earlier run of this data directory is served at once, while the first build refreshes it.
    if (existsSync(join(options.dataDir, 'site', 'current'))) this.#markSiteReady();
  }

  /** Resolves once a built site is being served (at once when an earlier run left one). */
  get siteReady(): Promise<void> {
    return this.#siteReady;
  }

  /**
   * While the served site is not yet complete (first start): how far the build in progress is, for the page
   * the gateway serves instead (no site yet, or a page the first build left for the full one). Undefined once
   * the site is complete.
   */
  get building(): { readonly progress: BuildProgress | undefined } | undefined {
    return this.#complete ? undefined : { progress: this.#progress };
  }

  /** Starts polling; the first export and site build run at once. */
  override start(): void {
    if (!this.running) this.#force = true;
    super.start();
  }

  /**
   * Stops polling. A site build in progress (Astro can take a while) is not waited for beyond a moment: when it
   * ends after the stop, its output is thrown away rather than swapped in.
   */
  override async stop(): Promise<void> {
    await super.stop();
    if (this.#building) await Promise.race([this.#building, sleep(1_000)]);
  }

  /** Site builds completed since start. */
  get builds(): number {
    return this.#builds;
  }

  /** Exports of the open data completed since start. */
  get exports(): number {
    return this.#exports;
  }

  /** One poll: export when due, then start a site build when the export is newer than the site. */
  protected override async round(): Promise<false> {
    if (await this.#due(this.#force)) {
      await this.#export();
      this.#force = false;
    }
    await this.#maybeBuild();
    return false;
  }

  protected override idleMs(): number {
    return this.#options.pollMs ?? 2_000;
  }

  protected override failed(error: unknown): number {
    this.#options.log?.(`open data export failed: ${(error as Error).message}; trying again later`);
    return Math.max(this.idleMs(), 10_000);
  }

  /** True when an export should start now: forced, or changes pending and quiet (or waiting too long). */
  async #due(force: boolean): Promise<boolean> {
    if (force) return true;
    const { quietMs = 3_000, maxWaitMs = 20_000 } = this.#options;
    const { version } = await readDirty(this.#options.doc, this.#options.tables.stats);
    const now = Date.now();
    if (version <= this.#exportedVersion) {
      this.#pendingSince = undefined;
      return false;
    }
    if (version !== this.#lastVersion) {
      this.#lastVersion = version;
      this.#lastChangeAt = now;
      this.#pendingSince ??= now;
    }
    return now - this.#lastChangeAt >= quietMs || now - (this.#pendingSince ?? now) >= maxWaitMs;
  }

  /** Writes the open data; without a site build, that is the rebuild, and builtVersion is recorded. */
  async #export(): Promise<void> {
    const { doc, tables, dataDir, registry, log } = this.#options;
    const started = Date.now();
    const { version } = await readDirty(doc, tables.stats);
    const summary = await exportStore({ doc, tables, registry, writer: directoryWriter(join(dataDir, 'export')) });
    // The transparency log's own step (publisher/log-files.ts): the log, its proofs and the signed bodies.
    const logged = await writeLocalLog({ doc, tables }, localLogIdentity(dataDir), join(dataDir, 'export'));
    this.#exportedVersion = version;
    this.#pendingSince = undefined;
    this.#exports++;
    log?.(
      `open data written (${summary.files} files, log of ${logged.size} entries) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if ((await this.#siteBuilder()) === null) await setBuiltVersion(doc, tables.stats, version);
  }

  /**
   * Starts a site build in the background when the open data is newer than the site (one build at a time, so
   * exports keep `/data/` fresh while Astro works; the next build picks up whatever was exported meanwhile).
   */
  async #maybeBuild(): Promise<void> {
    if (this.#building || (this.#exportedVersion <= this.#siteVersion && this.#searchStaleSince === undefined)) return;
    const builder = await this.#siteBuilder();
    if (!builder) return;
    const version = this.#exportedVersion;
    this.#building = this.#build(builder, version).finally(() => {
      this.#building = undefined;
    });
  }

  async #build(builder: SiteBuilder, version: number): Promise<void> {
    const { doc, tables, dataDir, log } = this.#options;
    const started = Date.now();
    const sites = join(dataDir, 'site');
    const name = `build-${Date.now()}`;
    // A data directory without a site gets the pages people land on first, served as soon as they are built.
    const scope = existsSync(join(sites, 'current')) ? 'all' : 'first';
    const search = searchFor({
      changed: version > this.#siteVersion,
      staleSince: this.#searchStaleSince,
      now: started,
      maxStaleMs: this.#options.searchMaxStaleMs ?? 5 * 60_000,
    });
    try {
      mkdirSync(sites, { recursive: true });
      // The cache of the incremental build lives beside the builds: one per data directory, so two stacks (a test
      // and `npm start`) never take each other's pages for their own.
      const outcome = await builder({
        dataDir: join(dataDir, 'export', 'data'),
        outDir: join(sites, name),
        cacheDir: join(sites, 'cache'),
        scope,
        search,
        previous: scope === 'all' ? realpathSync(join(sites, 'current')) : undefined,
        onProgress: (progress) => {
          this.#progress = progress;
        },
      });
      if (!this.running) {
        rmSync(join(sites, name), { recursive: true, force: true });
        return;
      }
      swapCurrent(sites, name);
      this.#progress = undefined;
      this.#markSiteReady();
      this.#builds++;
      this.#searchStaleSince = outcome === 'stale' ? (this.#searchStaleSince ?? started) : undefined;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (scope === 'first') {
        // Not recorded as built: the loop builds every page next, at once.
        log?.(`site served in ${seconds} s (first pages); building every page…`);
        return;
      }
      this.#complete = true;
      await setBuiltVersion(doc, tables.stats, version);
      this.#siteVersion = version;
      log?.(`site rebuilt in ${seconds} s`);
    } catch (error) {
      rmSync(join(sites, name), { recursive: true, force: true });
      if (!this.running) return;
      // Do not retry the same data in a loop: the next change of figures brings the next attempt.
      this.#siteVersion = version;
      log?.(`site build failed: ${(error as Error).message}`);
    }
  }

  async #siteBuilder(): Promise<SiteBuilder | null> {
    if (this.#builder !== undefined) return this.#builder;
    const file = join(this.#options.repoRoot, 'site', 'scripts', 'build.ts');
    if (!existsSync(file)) {
      this.#builder = null;
      return null;
    }
    // Loaded by path, not by an import TypeScript follows: the site is checked by its own tools (astro check).
    const module = (await import(pathToFileURL(file).href)) as { buildSite?: unknown };
    const buildSite = module.buildSite;
    if (typeof buildSite !== 'function') {
      this.#options.log?.('site/scripts/build.ts has no buildSite function; only the open data is refreshed');
      this.#builder = null;
      return null;
    }
    this.#builder = async (job) => {
      const result = (await buildSite({ ...job, dataFiles: 'link' })) as { searchIndex?: string };
      return result.searchIndex === 'previous' ? 'stale' : undefined;
    };
    return this.#builder;
  }
}

/**
 * Points `current` at the new build with a symlink renamed over the old one (rename is atomic), then deletes
 * every other build. A `current` that is a real directory (an older layout) is removed first.
 */
export function swapCurrent(sites: string, name: string): void {
  const current = join(sites, 'current');
  const temporary = join(sites, `current.${process.pid}.tmp`);
  rmSync(temporary, { force: true });
  symlinkSync(name, temporary, 'dir');
  if (existsSync(current) && !lstatSync(current).isSymbolicLink()) rmSync(current, { recursive: true, force: true });
  renameSync(temporary, current);
  // Removed in the background: a national build is some 70,000 files, and the gateway shares this thread.
  for (const entry of readdirSync(sites)) {
    if (entry.startsWith('build-') && entry !== name) {
      rm(join(sites, entry), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
