import { digestTree, directoryFiles, readManifest, writeManifest } from '../shared/publishing/directory-store.js';
import {
  bucketReport,
  DEFAULT_INVALIDATION_LIMIT,
  diffDigests,
  planPublication,
  type ReconciliationReport,
  reconciliationReport,
  type SiteChanges,
} from '../shared/publishing/plan.js';
import type { CacheInvalidator, ObjectStore } from '../shared/publishing/ports.js';
import { readPublicationRecord, writePublicationRecord } from '../shared/publishing/publication-record.js';
import { type PublicationSummary, publishSite } from '../shared/publishing/publish.js';

/**
 * Publishes a built site (`npm run publish:site`, the AWS build's last step): the site's digests against what was
 * published, only the difference written, deleted and invalidated (shared/publishing/). The build itself is the
 * incremental one every build is (site/README.md, "Incremental builds"): it renders only the affected pages, and the
 * export beside it rewrites only the open-data files whose content changed, so the difference is small because the
 * work was; nothing is rendered to be compared.
 *
 * - `incremental`: compared with the manifest of the last publication (kept with the build's cache), or with the
 *   bucket's listing when there is none (a first publication, an emptied cache);
 * - `reconcile`: compared with the bucket's listing, whatever the manifest says, and reported
 *   (ReconciliationReport, check `bucket`): the nightly run finds any file that changed in the bucket behind the
 *   publications' back, or that a failed one left, and puts it right. Its other check (`compareBuilds`) finds any
 *   page the incremental build got wrong.
 *
 * With `record` (every publisher in AWS, and the pipeline everywhere), a publication that succeeded also writes the
 * record of the last publication that both publishers share (shared/publishing/publication-record.ts), and
 * `reconcile` counts as drift only where the bucket is no longer what that record says, reporting the rest of what
 * it publishes as pending (`bucketReport` in shared/publishing/plan.ts): a change that came after the last
 * publication and before this build's export is not a difference to alarm on.
 */

export interface SitePublicationInput {
  readonly siteDir: string;
  /** The manifest of the last publication (`published.json` in the build's cache). */
  readonly manifestFile: string;
  readonly store: ObjectStore;
  readonly invalidator: CacheInvalidator;
  readonly mode: 'incremental' | 'reconcile';
  readonly invalidationLimit?: number;
  /**
   * Where the record of the last publication is shared (the build-cache bucket in AWS, the state folder locally),
   * and who this publisher is. Without it, nothing is recorded and `reconcile` counts every difference.
   */
  readonly record?: { readonly store: ObjectStore; readonly publisher: string };
}

export interface SitePublication {
  /** What the comparison was made with. */
  readonly against: 'manifest' | 'bucket';
  readonly files: number;
  readonly changes: SiteChanges;
  readonly summary: PublicationSummary;
  /** In `reconcile` mode. */
  readonly report?: ReconciliationReport;
}

/** Publishes `siteDir` through the store (see the module comment). */
export async function publishBuiltSite(input: SitePublicationInput): Promise<SitePublication> {
  const built = digestTree(input.siteDir);
  if (built.size === 0) throw new Error(`nothing to publish: ${input.siteDir} is empty or missing`);
  const manifest = input.mode === 'incremental' ? readManifest(input.manifestFile) : undefined;
  const published = manifest ?? (await input.store.list());
  // Read before this publication replaces it: what the bucket held when the last one succeeded.
  const lastPublication =
    input.mode === 'reconcile' && input.record ? await readPublicationRecord(input.record.store) : undefined;
  const changes = diffDigests(built, published);
  const plan = planPublication(changes, input.invalidationLimit ?? DEFAULT_INVALIDATION_LIMIT);
  const summary = await publishSite({
    plan,
    site: directoryFiles(input.siteDir),
    store: input.store,
    invalidator: input.invalidator,
  });
  // Only after every upload and deletion: a publication that failed half-way is compared again next time.
  writeManifest(input.manifestFile, built);
  if (input.record) {
    await writePublicationRecord(input.record.store, {
      files: built,
      publishedAt: new Date().toISOString(),
      publisher: input.record.publisher,
    });
  }
  return {
    against: manifest ? 'manifest' : 'bucket',
    files: built.size,
    changes,
    summary,
    ...(input.mode === 'reconcile' ? { report: bucketReport(changes, published, lastPublication?.files) } : {}),
  };
}

/**
 * The nightly check of the affected-page computation: an incremental build (`siteDir`) against a build of every
 * page from the same data with an empty cache (`fullDir`). Nothing is published; the report says what differs.
 */
export function compareBuilds(siteDir: string, fullDir: string): ReconciliationReport {
  const full = digestTree(fullDir);
  if (full.size === 0) throw new Error(`nothing to compare with: ${fullDir} is empty or missing`);
  return reconciliationReport(diffDigests(full, digestTree(siteDir)), 'incremental');
}
