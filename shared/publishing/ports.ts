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

/** A claim on the publish lock: who asks, and until when the lease would run (epoch ms). */
export interface PublishLeaseClaim {
  /** A token of this acquisition alone (a random UUID): renewal and release need it. */
  readonly owner: string;
  /** Who holds it, for logs and for a contender's message (`site-publisher <request id>`); nothing personal. */
  readonly holder: string;
  readonly until: number;
}

/** The lease as stored: whoever holds it now. */
export interface PublishLease {
  readonly holder: string;
  readonly until: number;
}

/**
 * The publish lock (a lease): at most one publisher exports, builds and publishes the site at a time. Adapter:
 * shared/storage/publish-lock-repository.ts (one item of the stats table, conditional writes); the rules of holding
 * it (wait, renew, release, refuse writes once lost) are publish-lock.ts.
 */
export interface PublishLockStore {
  /** Takes the lease when nobody holds it or its holder let it run out before `now`; else answers who holds it. */
  acquire(
    claim: PublishLeaseClaim,
    now: number,
  ): Promise<{ readonly acquired: true } | { readonly acquired: false; readonly held: PublishLease }>;
  /** Extends the lease to `until` if `owner` still holds it (false: another publisher took it over). */
  renew(owner: string, until: number): Promise<boolean>;
  /** Gives the lease up if `owner` still holds it (false: it was not, or no longer, theirs). */
  release(owner: string): Promise<boolean>;
}
