import type { ObjectHeaders } from './headers.js';
import type { Digests } from './plan.js';

/**
 * The publisher's ports: where the site is published (the site bucket in AWS, a directory locally and in tests)
 * and the cache in front of it (CloudFront). Adapters: directory-store.ts here; the bucket and the CDN in
 * shared/storage/ (site-bucket-store.ts, cloudfront-invalidator.ts), where every SDK import of shared/ lives.
 */

/** A store of the published site's files, keyed by site path (`don-vi/00304/index.html`). */
export interface ObjectStore {
  /** Every published file (or every one under `prefix`, e.g. `data/snapshots/`) and its digest (MD5 hex, as the plan's Digests). */
  list(prefix?: string): Promise<Digests>;
  /** A published file's bytes: what a build carries over instead of writing again (the log's monthly snapshots). */
  read(path: string): Promise<Uint8Array>;
  put(path: string, bytes: Uint8Array, headers: ObjectHeaders): Promise<void>;
  delete(paths: readonly string[]): Promise<void>;
}

/** The cache in front of the store. */
export interface CacheInvalidator {
  /** Asks the cache to drop these paths (`/don-vi/00304/index.html`, or `/*`). */
  invalidate(paths: readonly string[]): Promise<void>;
}

/** The built site's files, read by path. */
export interface SiteFiles {
  read(path: string): Promise<Uint8Array>;
}
