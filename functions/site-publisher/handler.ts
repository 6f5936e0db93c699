import { awsLogIdentity, awsSiteBucket } from '../../publisher/aws-publishing.js';
import { forgetPublishedManifest, runSitePipeline, type SitePipelineInput } from '../../publisher/site-pipeline.js';
import type { LogIdentity } from '../../shared/log/signer.js';
import { recordingInvalidator } from '../../shared/publishing/directory-store.js';
import type { ObjectStore } from '../../shared/publishing/ports.js';
import { PublishLockHeldError } from '../../shared/publishing/publish-lock.js';
import type { ExportRegistry } from '../../shared/stats/export.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { loadConfiguredRegistry } from '../../shared/units/load.js';
import * as z from '../../shared/zod.js';
import { type FunctionConfig, perConfig } from '../lib/config.js';
import { logger } from '../lib/observability.js';

/**
 * The site publisher's fast path (infra/stacks/publishing-stack.ts): the publishing workflow invokes it when the
 * dirty marker is newer than what was built, and it runs the same steps as the CodeBuild project
 * (publisher/site-pipeline.ts: export → incremental build → log → publish what differs), in a container image that
 * holds the site's toolchain, so nothing is provisioned, restored or installed before the first page. Its state
 * folder and the built site live on an EFS access point (PUBLISH_STATE_DIR, SITE_DIR), kept between invocations;
 * reserved concurrency 1 keeps two builds out of them.
 *
 * It does not call CloudFront: it answers the paths to invalidate and the workflow asks CloudFront (the function
 * runs in isolated subnets, and CloudFront's API has no VPC endpoint). `against: 'bucket'` drops the manifest of its
 * last publication after the nightly CodeBuild run published the bucket, so the publication compares with the
 * bucket's listing instead of a manifest that no longer describes it, and so puts back anything that run, built
 * from an earlier export while this function published, left older than the latest data.
 *
 * It never waits for the publish lock (publisher/site-pipeline.ts): when the CodeBuild build holds it, it fails at
 * once with PublishLockHeldError, which the workflow catches. The execution that started that build invokes this
 * function right after it (`against: 'bucket'`), with the data as it is then, and reads the marker again: a change
 * that came during the build is published then, not lost.
 */

export const SitePublisherEventSchema = z.object({
  action: z.literal('publish'),
  /** The dirty marker's version being published (logged). */
  version: z.optional(z.string()),
  /**
   * `bucket`: forget the manifest of the last publication first and compare with the bucket's listing: after the
   * nightly CodeBuild run published the bucket, which the manifest no longer describes. Default `manifest`.
   */
  against: z.optional(z.enum(['manifest', 'bucket'])),
});
export type SitePublisherEvent = z.infer<typeof SitePublisherEventSchema>;

export interface SitePublisherAnswer {
  /** The paths the workflow asks CloudFront to invalidate (the plan's: changed and removed, or `/*`). */
  readonly invalidate: readonly string[];
  readonly invalidationCount: number;
  /** What the publication was compared with: its manifest, or the bucket's listing (none, or forgotten). */
  readonly against?: 'manifest' | 'bucket';
  readonly pages?: number;
  readonly rendered?: number;
  readonly uploaded?: number;
  readonly deleted?: number;
}

export interface SitePublisherDependencies {
  readonly stateDir: string;
  readonly siteDir: string;
  readonly store: SitePipelineInput['store'];
  readonly registry: () => ExportRegistry;
  readonly identity: () => Promise<LogIdentity>;
  readonly bucket: () => Promise<ObjectStore>;
  /** Where the record of the last publication is shared with the CodeBuild publisher (the build-cache bucket). */
  readonly record: () => Promise<ObjectStore>;
}

/** The production wiring of a configuration (`process.env` in Lambda): clients made once per process. */
export const sitePublisherDependencies = perConfig((config: FunctionConfig): SitePublisherDependencies => {
  const { PUBLISH_STATE_DIR, SITE_DIR, SITE_BUCKET, PUBLICATION_RECORD_BUCKET } = config;
  if (!PUBLISH_STATE_DIR || !SITE_DIR || !SITE_BUCKET || !PUBLICATION_RECORD_BUCKET) {
    throw new Error('PUBLISH_STATE_DIR, SITE_DIR, SITE_BUCKET and PUBLICATION_RECORD_BUCKET must be set');
  }
  let registry: ExportRegistry | undefined;
  let bucket: Promise<ObjectStore> | undefined;
  let record: Promise<ObjectStore> | undefined;
  return {
    stateDir: PUBLISH_STATE_DIR,
    siteDir: SITE_DIR,
    store: { doc: createDocumentClient(createDynamoClient(config)), tables: tableNamesFromEnv(config) },
    registry: () => {
      registry ??= loadConfiguredRegistry(config);
      return registry;
    },
    identity: () => awsLogIdentity(config),
    bucket: () => {
      bucket ??= awsSiteBucket(SITE_BUCKET).then((site) => site.store);
      return bucket;
    },
    record: () => {
      record ??= awsSiteBucket(PUBLICATION_RECORD_BUCKET).then((cache) => cache.store);
      return record;
    },
  };
});

/** The handler over its dependencies (tests pass a directory standing in for the bucket). */
export function createSitePublisher(deps: () => SitePublisherDependencies) {
  return async function publishSite(event: unknown, context?: { awsRequestId?: string }): Promise<SitePublisherAnswer> {
    const input = SitePublisherEventSchema.parse(event);
    const { stateDir, siteDir, store, registry, identity, bucket, record } = deps();
    if (input.against === 'bucket') forgetPublishedManifest(stateDir);
    const result = await runSitePipeline({
      mode: 'incremental',
      stateDir,
      siteDir,
      store,
      registry: registry(),
      identity,
      bucket: await bucket(),
      record: await record(),
      // Collected, not sent: the workflow invalidates (see the module comment).
      invalidator: recordingInvalidator(),
      // Never waits: a wait would bill the function for the other publisher's build (see the module comment).
      lock: { holder: `site-publisher ${context?.awsRequestId ?? 'local'}`, waitMs: 0 },
      log: (line) => logger.info(line),
    }).catch((error: unknown) => {
      if (error instanceof PublishLockHeldError) {
        logger.info('site publisher: the other publisher holds the lock; its workflow publishes after it', {
          version: input.version,
          holder: error.held.holder,
          until: new Date(error.held.until).toISOString(),
        });
      }
      throw error;
    });
    const { summary, changes } = result.publication;
    logger.info('site publisher: published', {
      version: input.version,
      pages: result.pages,
      rendered: result.rendered,
      added: changes.added.length,
      changed: changes.changed.length,
      removed: changes.removed.length,
      uploaded: summary.uploaded,
      deleted: summary.deleted,
    });
    return {
      invalidate: summary.invalidated,
      invalidationCount: summary.invalidated.length,
      against: result.publication.against,
      pages: result.pages,
      rendered: result.rendered,
      uploaded: summary.uploaded,
      deleted: summary.deleted,
    };
  };
}

export function createHandler(config: FunctionConfig) {
  return createSitePublisher(() => sitePublisherDependencies(config));
}

export const handler = createHandler(process.env);
