import { objectHeaders } from './headers.js';
import type { PublicationPlan } from './plan.js';
import type { CacheInvalidator, ObjectStore, SiteFiles } from './ports.js';

/**
 * Runs a publication plan (plan.ts) through the ports: each upload step in turn (files of one step in parallel,
 * a few at a time), then the deletions, then one invalidation. A failure stops it where it is: the next
 * publication compares against what it finds (the manifest is written only after success), so nothing is lost.
 */

export interface PublishInput {
  readonly plan: PublicationPlan;
  readonly site: SiteFiles;
  readonly store: ObjectStore;
  readonly invalidator: CacheInvalidator;
  /** Uploads in flight at once (default 16). */
  readonly concurrency?: number;
}

export interface PublicationSummary {
  readonly uploaded: number;
  readonly deleted: number;
  readonly invalidated: readonly string[];
}

/** Publishes the plan's files (see the module comment). */
export async function publishSite(input: PublishInput): Promise<PublicationSummary> {
  const { plan, site, store, invalidator } = input;
  const concurrency = input.concurrency ?? 16;
  let uploaded = 0;
  for (const step of plan.uploads) {
    await inBatches(step, concurrency, async (path) => {
      await store.put(path, await site.read(path), objectHeaders(path));
      uploaded++;
    });
  }
  // S3 deletes at most 1,000 keys per request.
  for (let i = 0; i < plan.deletions.length; i += 1_000) await store.delete(plan.deletions.slice(i, i + 1_000));
  if (plan.invalidations.length > 0) await invalidator.invalidate(plan.invalidations);
  return { uploaded, deleted: plan.deletions.length, invalidated: plan.invalidations };
}

/** Runs `task` on every item, `size` at a time; the first failure rejects once the batch in flight has settled. */
async function inBatches<T>(items: readonly T[], size: number, task: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    const settled = await Promise.allSettled(items.slice(i, i + size).map(task));
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
