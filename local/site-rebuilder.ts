import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { exportToDirectory } from '../cli/lib/stats-tasks.js';
import type { ExportRegistry } from '../shared/stats/export.js';
import { readDirty, setBuiltVersion } from '../shared/storage/stats-repository.js';
import type { TableNames } from '../shared/storage/tables.js';
import { localLogIdentity, writeLocalLog } from './log-files.js';

/**
 * What the AWS build job does, for `npm start`: watches the dirty item (`META#dirty`: `version` bumped by every
 * applied batch, `builtVersion` by whoever rebuilt), and when figures changed and then stayed quiet for a moment
 * (or kept changing for too long), writes the open-data files into `${dataDir}/export` (the gateway serves
 * `/data/` from there first, so new figures are visible in seconds). Then, in the background, one build at a time,
 * it builds the site into a fresh `${dataDir}/site/build-<n>`, swaps it in as `${dataDir}/site/current` (a symlink
 * renamed over the old one: a reader sees the old site or the new one, never half of one), deletes older builds,
 * and records `builtVersion`. On start it exports and builds once whatever the dirty item says, so a fresh data
 * directory gets a site.
 */

/** Builds the site from an open-data directory (holding `units.json`) into an output directory. */
export type SiteBuilder = (dataDir: string, outDir: string) => Promise<void>;

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
  readonly log?: (line: string) => void;
}

/** Polls the dirty item and rebuilds (see the module comment). */
export class SiteRebuilder {
  readonly #options: SiteRebuilderOptions;
  #running = false;
  #loop: Promise<void> | undefined;
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

  constructor(options: SiteRebuilderOptions) {
    this.#options = options;
    this.#builder = options.buildSite;
  }

  /** Starts polling; the first export and site build run at once. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /**
   * Stops polling. A site build in progress (Astro can take a while) is not waited for beyond a moment: when it
   * ends after the stop, its output is thrown away rather than swapped in.
   */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
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

  async #run(): Promise<void> {
    const { pollMs = 2_000 } = this.#options;
    let force = true;
    while (this.#running) {
      try {
        if (await this.#due(force)) {
          await this.#export();
          force = false;
        }
        await this.#maybeBuild();
      } catch (error) {
        this.#options.log?.(`open data export failed: ${(error as Error).message}; trying again later`);
        await this.#pause(Math.max(pollMs, 10_000));
      }
      await this.#pause(pollMs);
    }
  }

  async #pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.#running && Date.now() < until) await sleep(Math.min(100, until - Date.now()));
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
    const summary = await exportToDirectory({ doc, tables }, registry, join(dataDir, 'export'));
    // The transparency log's own step (local/log-files.ts): the log, its proofs and the signed bodies.
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
    if (this.#building || this.#exportedVersion <= this.#siteVersion) return;
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
    try {
      mkdirSync(sites, { recursive: true });
      await builder(join(dataDir, 'export', 'data'), join(sites, name));
      if (!this.#running) {
        rmSync(join(sites, name), { recursive: true, force: true });
        return;
      }
      swapCurrent(sites, name);
      await setBuiltVersion(doc, tables.stats, version);
      this.#siteVersion = version;
      this.#builds++;
      log?.(`site rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      rmSync(join(sites, name), { recursive: true, force: true });
      if (!this.#running) return;
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
    this.#builder = async (data, outDir) => {
      await buildSite({ dataDir: data, outDir });
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
  for (const entry of readdirSync(sites)) {
    if (entry.startsWith('build-') && entry !== name) rmSync(join(sites, entry), { recursive: true, force: true });
  }
}
