/**
 * `npm run publish:site -- --site DIR --manifest FILE (--bucket NAME --distribution ID | --to DIR) [--reconcile]
 * [--invalidation-limit N]` | `--site DIR --compare FULL_DIR`: publishes a built site, writing, deleting and invalidating only what differs from the
 * last publication (publisher/site-publication.ts). The AWS build runs it with the site bucket and the distribution
 * (SITE_BUCKET, DISTRIBUTION_ID); `--to DIR` publishes into a directory instead (no CDN to invalidate).
 * `--reconcile` compares with the bucket itself and prints the report as one JSON line (the build log's metric
 * filter counts its `differingFiles`: infra/stacks/publishing-stack.ts); with PUBLICATION_RECORD_BUCKET set, it
 * reads and writes the record of the last publication the pipeline's publishers share, so it counts drift only
 * (publisher/site-publication.ts). `--compare FULL_DIR` publishes nothing: it
 * reports how an incremental build (`--site`) differs from a build of every page of the same data.
 * Errors end with one line on stderr (exit 1); wrong arguments print the usage (exit 2).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { awsInvalidator, awsSiteBucket } from '../publisher/aws-publishing.js';
import { compareBuilds, publishBuiltSite } from '../publisher/site-publication.js';
import { directoryStore, recordingInvalidator } from '../shared/publishing/directory-store.js';
import type { CacheInvalidator, ObjectStore } from '../shared/publishing/ports.js';
import { commandArguments, runCommand } from './lib/command.js';
import { UsageError } from './lib/usage.js';

const USAGE = [
  'usage: npm run publish:site -- --site DIR --manifest FILE (--bucket NAME --distribution ID | --to DIR) [--reconcile] [--invalidation-limit N]',
  '       npm run publish:site -- --site DIR --compare FULL_DIR',
].join('\n');

/** Wrong arguments: the message, then the usage (exit 2). */
class PublishSiteUsageError extends UsageError {
  constructor(message: string) {
    super(message, USAGE);
  }
}

interface Target {
  readonly store: ObjectStore;
  readonly invalidator: CacheInvalidator;
  /** Where the record of the last publication is shared (AWS, when PUBLICATION_RECORD_BUCKET is set). */
  readonly record?: ObjectStore;
  close(): void;
}

async function target(values: { bucket?: string; distribution?: string; to?: string }): Promise<Target> {
  if (values.to) return { store: directoryStore(resolve(values.to)), invalidator: recordingInvalidator(), close() {} };
  if (!values.bucket || !values.distribution)
    throw new PublishSiteUsageError('give --bucket and --distribution, or --to DIR');
  const reference = `publish-${process.env.CODEBUILD_BUILD_ID ?? process.pid}-${Date.now()}`;
  const recordBucket = process.env.PUBLICATION_RECORD_BUCKET;
  const [bucket, cdn, record] = await Promise.all([
    awsSiteBucket(values.bucket),
    awsInvalidator(values.distribution, reference),
    recordBucket ? awsSiteBucket(recordBucket) : undefined,
  ]);
  return {
    store: bucket.store,
    invalidator: cdn.invalidator,
    ...(record ? { record: record.store } : {}),
    close() {
      bucket.close();
      cdn.close();
      record?.close();
    },
  };
}

async function main(argv: readonly string[]): Promise<void> {
  const values = commandArguments(USAGE, () => parse(argv));
  if (!values) return;
  if (!values.site) throw new PublishSiteUsageError('--site is required');
  if (values.compare) {
    // One line of JSON: the build log's metric filter reads it.
    console.log(JSON.stringify(compareBuilds(resolve(values.site), resolve(values.compare))));
    return;
  }
  if (!values.manifest) throw new PublishSiteUsageError('--manifest is required');
  const limit = values['invalidation-limit'] === undefined ? undefined : Number(values['invalidation-limit']);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    throw new PublishSiteUsageError('--invalidation-limit must be a whole number of at least 1');
  }
  const destination = await target({
    bucket: values.bucket ?? process.env.SITE_BUCKET,
    distribution: values.distribution ?? process.env.DISTRIBUTION_ID,
    ...(values.to ? { to: values.to } : {}),
  });
  try {
    const result = await publishBuiltSite({
      siteDir: resolve(values.site),
      manifestFile: resolve(values.manifest),
      store: destination.store,
      invalidator: destination.invalidator,
      mode: values.reconcile ? 'reconcile' : 'incremental',
      ...(limit !== undefined ? { invalidationLimit: limit } : {}),
      ...(destination.record
        ? { record: { store: destination.record, publisher: `publish:site ${process.pid}` } }
        : {}),
    });
    // One line of JSON: the build log's metric filter reads it.
    if (result.report) console.log(JSON.stringify(result.report));
    const { added, changed, removed } = result.changes;
    console.log(
      `publish:site: ${result.files} files compared with the ${result.against}: ${added.length} added, ${changed.length} changed, ${removed.length} removed; ${result.summary.uploaded} uploaded, ${result.summary.deleted} deleted, ${result.summary.invalidated.length} path(s) invalidated`,
    );
  } finally {
    destination.close();
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      site: { type: 'string' },
      manifest: { type: 'string' },
      bucket: { type: 'string' },
      distribution: { type: 'string' },
      to: { type: 'string' },
      reconcile: { type: 'boolean', default: false },
      compare: { type: 'string' },
      'invalidation-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}

runCommand('publish:site', () => main(process.argv.slice(2)));
