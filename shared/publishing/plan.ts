import { isLogCheckpoint, isLogTile } from './headers.js';

/**
 * What a publication of the built site changes in the bucket, computed from digests, never by uploading
 * everything: the build reports every file of the site with its digest, the last publication left the digests
 * it published (or the bucket lists its own), and only the difference is written, deleted and invalidated.
 * Pure: digests in, a plan out (shared/publishing/publish.ts runs it through the ports).
 */

/**
 * A site as files and their digests: path relative to the site root (`don-vi/00304/index.html`) → MD5 in hex,
 * which is S3's ETag of an object written in one PUT (S3-managed encryption), so the bucket's listing compares
 * with a build without reading any object back.
 */
export type Digests = ReadonlyMap<string, string>;

/** How a built site differs from what is published. Each list is sorted. */
export interface SiteChanges {
  /** Paths the bucket does not hold yet. */
  readonly added: readonly string[];
  /** Paths whose content differs. */
  readonly changed: readonly string[];
  /** Paths published but no longer built. */
  readonly removed: readonly string[];
}

/** The difference between a built site and a published one. */
export function diffDigests(built: Digests, published: Digests): SiteChanges {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, digest] of built) {
    const before = published.get(path);
    if (before === undefined) added.push(path);
    else if (before !== digest) changed.push(path);
  }
  for (const path of published.keys()) if (!built.has(path)) removed.push(path);
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/** True when nothing differs. */
export function isUnchanged(changes: SiteChanges): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length === 0;
}

/**
 * CloudFront accepts at most 3,000 invalidation paths in progress per distribution (15 with a wildcard), and
 * charges each path beyond the first 1,000 a month; above the limit one wildcard costs less and clears as much.
 */
export const DEFAULT_INVALIDATION_LIMIT = 1_000;
/** The one path that invalidates every page. */
export const EVERYTHING = '/*';

/** The monthly snapshots of the log are written once and never deleted (docs/transparency.md). */
function isKeptForever(path: string): boolean {
  return path.startsWith('data/snapshots/');
}

export interface PublicationPlan {
  /**
   * Uploads, in three steps run one after the other: the site's files, then the log's tiles, then its checkpoint,
   * last, so a reader who sees a checkpoint finds every tile it names.
   */
  readonly uploads: readonly (readonly string[])[];
  /**
   * Deletions, after every upload (a page removed, a partial tile made whole): nothing a published checkpoint
   * names disappears before the new checkpoint is out. Never a monthly snapshot.
   */
  readonly deletions: readonly string[];
  /** CloudFront paths to invalidate: `['/*']` above the limit, none when only new paths were written. */
  readonly invalidations: readonly string[];
}

/** Orders a publication of `changes` (see PublicationPlan). */
export function planPublication(
  changes: SiteChanges,
  invalidationLimit: number = DEFAULT_INVALIDATION_LIMIT,
): PublicationPlan {
  const written = [...changes.added, ...changes.changed].sort();
  const site = written.filter((path) => !isLogTile(path) && !isLogCheckpoint(path));
  const tiles = written.filter(isLogTile);
  const checkpoint = written.filter(isLogCheckpoint);
  const deletions = changes.removed.filter((path) => !isKeptForever(path));
  return {
    uploads: [site, tiles, checkpoint].filter((step) => step.length > 0),
    deletions,
    invalidations: invalidationPaths([...changes.changed, ...deletions], invalidationLimit),
  };
}

/**
 * The CloudFront paths of files whose cached copies are stale: changed or removed ones. A new path was never
 * cached (at most its error, for the distribution's 10 s error TTL); a tile never changes. The site's viewer-request
 * function maps `/x/` to `/x/index.html` before the cache is looked up (infra/stacks/site-stack.ts), so the file's
 * own path is its cache key.
 */
export function invalidationPaths(paths: readonly string[], limit: number): string[] {
  const stale = [...new Set(paths.filter((path) => !isLogTile(path)))].sort().map((path) => `/${encodeURI(path)}`);
  return stale.length > limit ? [EVERYTHING] : stale;
}

/**
 * What the nightly reconciliation reports, for each of its two checks: `incremental`, the files in which the
 * incremental build differs from a build of every page from the same data with an empty cache (a page the
 * affected-page computation missed); `bucket`, the files in which the bucket differs from the build it should
 * hold (changed behind the publisher's back, or a publication that failed half-way). The search index is left out of the count (Pagefind's files are not byte-stable between an
 * incremental and a full build; test/e2e/site/incremental.test.ts compares it by what it indexed), but it is
 * repaired like everything else.
 */
export type ReconciliationCheck = 'incremental' | 'bucket';

export interface ReconciliationReport {
  readonly reconciliation: ReconciliationCheck;
  /** Files (pages, open data, feeds, sitemap, log) that differ, are missing, or should not be there. */
  readonly differingFiles: number;
  /** Of those, HTML pages. */
  readonly differingPages: number;
  /** The first differing paths, for the build log. */
  readonly paths: readonly string[];
  /**
   * `bucket` only, and only when the last publication's record was read (publication-record.ts): files this build
   * changes that the bucket still holds exactly as the last publication wrote them, i.e. a change not published yet
   * when the export read the data (or a stamp the other publisher's export dates differently). This run publishes
   * them; they are not drift, so not in `differingFiles` (and not in the alarm). Absent without a record: then every
   * difference from the build is counted, as nothing tells them apart.
   */
  readonly pendingFiles?: number;
}

/** How many differing paths the report names (the count is always complete). */
const REPORTED_PATHS = 100;

/** The search index: repaired, never counted (see ReconciliationCheck). */
function isCounted(path: string): boolean {
  return !path.startsWith('pagefind/');
}

/** The report of one check: `changes` turn what was published (or built incrementally) into what should be. */
export function reconciliationReport(changes: SiteChanges, check: ReconciliationCheck): ReconciliationReport {
  const differing = [...changes.added, ...changes.changed, ...changes.removed].filter(isCounted).sort();
  return {
    reconciliation: check,
    differingFiles: differing.length,
    differingPages: differing.filter((path) => path.endsWith('.html')).length,
    paths: differing.slice(0, REPORTED_PATHS),
  };
}

/**
 * The nightly's `bucket` check. `changes` turn the bucket (`listing`) into the build, and are what this run
 * publishes; `lastPublication` is what the bucket held when the last publication (by either publisher) succeeded.
 * Drift, counted: where the bucket is no longer what that publication left (a file changed, added or deleted behind
 * the publishers' back, or written by a publication that failed half-way). Pending, reported apart: the rest of
 * `changes`, files the bucket holds as they were published but the build (from data read later) changes. Without a
 * record, every change is counted, as before there was one.
 *
 * @example
 * bucketReport(diffDigests(built, listing), listing, record?.files) // { differingFiles: 0, pendingFiles: 3, … }
 */
export function bucketReport(
  changes: SiteChanges,
  listing: Digests,
  lastPublication: Digests | undefined,
): ReconciliationReport {
  if (!lastPublication) return reconciliationReport(changes, 'bucket');
  const drift = diffDigests(listing, lastPublication);
  const drifted = new Set([...drift.added, ...drift.changed, ...drift.removed]);
  const pending = [...changes.added, ...changes.changed, ...changes.removed].filter(
    (path) => isCounted(path) && !drifted.has(path),
  );
  return { ...reconciliationReport(drift, 'bucket'), pendingFiles: pending.length };
}
