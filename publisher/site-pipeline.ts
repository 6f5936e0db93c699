import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LogIdentity } from '../shared/log/signer.js';
import type { ReconciliationReport } from '../shared/publishing/plan.js';
import type { CacheInvalidator, ObjectStore } from '../shared/publishing/ports.js';
import {
  guardedStore,
  type HeldPublishLock,
  type PublishLockOptions,
  withPublishLock,
} from '../shared/publishing/publish-lock.js';
import type { ExportRegistry } from '../shared/stats/export.js';
import { directoryWriter, exportStore } from '../shared/storage/open-data-export.js';
import { DynamoPublishLock } from '../shared/storage/publish-lock-repository.js';
import type { TableNames } from '../shared/storage/tables.js';
import { buildSite } from '../site/scripts/build.js';
import { writeLocalLog } from './log-files.js';
import { compareBuilds, publishBuiltSite, type SitePublication } from './site-publication.js';

/**
 * The publisher's steps, defined once: export the statistics → build the site incrementally → write the
 * transparency log into it → publish only what differs. Both publishers in AWS run exactly this: the CodeBuild
 * project (`npm run publish:pipeline`, the nightly reconciliation and template changes) and the site-publisher
 * Lambda function (functions/site-publisher/, the incremental path within seconds of a change); they differ only
 * in where the state folder lives (CodeBuild's S3 cache, the function's EFS access point) and in who asks
 * CloudFront to invalidate (infra/stacks/publishing-stack.ts).
 *
 * The two publishers never run the steps at the same time: each holds the publish lock (a lease in the stats table,
 * shared/publishing/publish-lock.ts) from before its export until after its publication, so what it uploads was
 * read after every earlier publication ended, and a build that started before a change never uploads older figures
 * over the pages the other one published since. A publisher that lost the lease writes nothing more.
 *
 * The state folder (`.publish`, kept between runs) holds the open data as last exported (`export/`), the
 * incremental build's cache (`site-cache/`) and the manifest of the last publication (`published.json`): with it a
 * run renders only the pages a change affects and writes only the files that differ; without it, every page.
 */

/** `incremental` (a change) or `full` (the nightly reconciliation: see `runSitePipeline`). */
export type PublishMode = 'incremental' | 'full';

/** The folders of the state folder, by name: one layout for every publisher. */
export function pipelinePaths(stateDir: string) {
  return {
    exportDir: join(stateDir, 'export'),
    dataDir: join(stateDir, 'export', 'data'),
    cacheDir: join(stateDir, 'site-cache'),
    fullCacheDir: join(stateDir, 'full-cache'),
    manifestFile: join(stateDir, 'published.json'),
    /** The record of the last publication when publishing locally (`--to DIR`): AWS keeps it in the build cache. */
    recordDir: join(stateDir, 'record'),
  } as const;
}

/** The prefix of the log's monthly snapshots: written once, never replaced or deleted (shared/log/snapshot.ts). */
export const SNAPSHOTS_PREFIX = 'data/snapshots/';

export interface SitePipelineInput {
  readonly mode: PublishMode;
  /** The folder kept between runs (see the module comment). */
  readonly stateDir: string;
  /** Where the site is built. */
  readonly siteDir: string;
  readonly store: { readonly doc: DynamoDBDocumentClient; readonly tables: TableNames };
  readonly registry: ExportRegistry;
  /** The log's signing identity (in AWS, the SSM SecureString: `awsLogIdentity` in aws-publishing.ts). */
  readonly identity: () => Promise<LogIdentity>;
  /** The site bucket (or a directory standing in for it) and the cache in front of it. */
  readonly bucket: ObjectStore;
  readonly invalidator: CacheInvalidator;
  /**
   * Where the record of the last publication is shared by every publisher (shared/publishing/publication-record.ts):
   * the build-cache bucket in AWS (PUBLICATION_RECORD_BUCKET), the state folder locally. The nightly reads it to
   * tell drift from a change not yet published.
   */
  readonly record: ObjectStore;
  /**
   * The publish lock: who this publisher is (`codebuild <build id>`, `site-publisher <request id>`) and how long it
   * waits for the other (0: refuse at once with PublishLockHeldError).
   */
  readonly lock: Omit<PublishLockOptions, 'log'>;
  /** Told each step as it starts, and the reconciliation reports (JSON lines the build log's metric filter reads). */
  readonly log?: (line: string) => void;
}

export interface SitePipelineResult {
  readonly pages: number;
  /** Pages (and other files) rendered by the build; the others were restored from its cache. */
  readonly rendered: number;
  readonly publication: SitePublication;
  /** `full` only: how the incremental build differed from a build of every page. */
  readonly incrementalReport?: ReconciliationReport;
}

/**
 * Runs the steps. `full` (nightly): after the incremental build, the same export is built again with an empty
 * cache; the incremental build is compared with it (a page that differs is one the affected-page computation
 * missed), that build replaces it (its cache becomes the cache), and it is published against the bucket's own
 * listing, which repairs anything changed behind the publisher's back. That check counts only drift from the last
 * publication's record (`record`); a change that came after that publication and before this export is published
 * here and reported as pending, not counted.
 */
export async function runSitePipeline(input: SitePipelineInput): Promise<SitePipelineResult> {
  const log = input.log ?? (() => {});
  const lock = new DynamoPublishLock(input.store.doc, input.store.tables.stats);
  // Taken before the export: the figures uploaded are read while no other publisher can publish.
  return withPublishLock(lock, { ...input.lock, log }, (held) => runSteps(input, held, log));
}

async function runSteps(
  input: SitePipelineInput,
  held: HeldPublishLock,
  log: (line: string) => void,
): Promise<SitePipelineResult> {
  const paths = pipelinePaths(input.stateDir);
  // Every write to the bucket makes sure the lease is still this publisher's.
  const bucket = guardedStore(input.bucket, held);

  log(`site pipeline (${input.mode}): export`);
  // Into the folder kept between runs: a file whose content did not change keeps its bytes (FileWriter.read), so no
  // page that reads it renders again and it is not uploaded again.
  await exportStore({ ...input.store, registry: input.registry, writer: directoryWriter(paths.exportDir) });

  log('site pipeline: build');
  let built = await buildSite({ dataDir: paths.dataDir, cacheDir: paths.cacheDir, outDir: input.siteDir });
  let incrementalReport: ReconciliationReport | undefined;
  if (input.mode === 'full') {
    const fullDir = `${input.siteDir}-full`;
    rmSync(paths.fullCacheDir, { recursive: true, force: true });
    rmSync(fullDir, { recursive: true, force: true });
    log('site pipeline: build of every page');
    built = await buildSite({ dataDir: paths.dataDir, cacheDir: paths.fullCacheDir, outDir: fullDir });
    incrementalReport = compareBuilds(input.siteDir, fullDir);
    log(JSON.stringify(incrementalReport));
    rmSync(input.siteDir, { recursive: true, force: true });
    rmSync(paths.cacheDir, { recursive: true, force: true });
    renameSync(fullDir, input.siteDir);
    renameSync(paths.fullCacheDir, paths.cacheDir);
  }

  log('site pipeline: transparency log');
  // Monthly snapshots are written once: bring the published ones back, so none is ever replaced or deleted.
  await restorePublished(bucket, SNAPSHOTS_PREFIX, input.siteDir);
  const logSummary = await writeLocalLog(input.store, await input.identity(), input.siteDir);
  if (logSummary.missingBodies.length > 0) {
    throw new Error(`${logSummary.missingBodies.length} signed bodies are missing from the store`);
  }

  log('site pipeline: publish');
  // Only what differs: the site's files, then the log's tiles (immutable), then its checkpoint (short-lived) last,
  // deletions after; invalidations of the changed paths only, or "/*" above CloudFront's limits.
  const publication = await publishBuiltSite({
    siteDir: input.siteDir,
    manifestFile: paths.manifestFile,
    store: bucket,
    invalidator: input.invalidator,
    mode: input.mode === 'full' ? 'reconcile' : 'incremental',
    // Guarded too: a publisher that lost the lease must not record a publication over the next one's.
    record: { store: guardedStore(input.record, held), publisher: input.lock.holder },
  });
  if (publication.report) log(JSON.stringify(publication.report));
  return {
    pages: built.pages,
    rendered: built.rendered,
    publication,
    ...(incrementalReport ? { incrementalReport } : {}),
  };
}

/** Copies the published files under `prefix` into `siteDir` (what the bucket holds is what must be kept). */
async function restorePublished(bucket: ObjectStore, prefix: string, siteDir: string): Promise<void> {
  for (const path of (await bucket.list(prefix)).keys()) {
    const target = join(siteDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await bucket.read(path));
  }
}

/**
 * Forgets the manifest of the last publication: the next run compares with the bucket's listing. For a publisher
 * whose state folder another one's publication made stale (the function's, after the nightly CodeBuild run).
 */
export function forgetPublishedManifest(stateDir: string): void {
  rmSync(pipelinePaths(stateDir).manifestFile, { force: true });
}
