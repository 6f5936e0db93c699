/**
 * `npm run publish:pipeline -- --mode incremental|full [--state DIR] [--site DIR] [--to DIR] [--lock-wait SECONDS]`: exports the
 * statistics, builds the site incrementally, writes the transparency log into it and publishes only what differs
 * (publisher/site-pipeline.ts, the one definition of these steps). The CodeBuild project runs it (the nightly `full`
 * reconciliation and template changes; infra/stacks/publishing-stack.ts); the site-publisher function runs the same
 * steps in-process. The store is AWS when RECORDS_TABLE is set without DYNAMODB_ENDPOINT (then the bucket is
 * SITE_BUCKET, the distribution DISTRIBUTION_ID, the log's key the SSM SecureString LOG_KEY_PARAMETER and the
 * record of the last publication an object of PUBLICATION_RECORD_BUCKET), else the running `npm start` (same
 * DATA_DIR), published `--to DIR` (the record then in the state folder).
 * It holds the publish lock throughout (shared/publishing/publish-lock.ts), waiting for it up to `--lock-wait`
 * seconds (default PUBLISH_LOCK_WAIT_MS: a site-publisher invocation can hold it that long), then exits 1.
 * Defaults: `--state .publish`, `--site site/dist`. Errors end with one line on stderr (exit 1); wrong arguments
 * print the usage (exit 2).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { awsInvalidator, awsLogIdentity, awsSiteBucket } from '../publisher/aws-publishing.js';
import { localLogIdentity } from '../publisher/log-files.js';
import { type PublishMode, pipelinePaths, runSitePipeline } from '../publisher/site-pipeline.js';
import { directoryStore, recordingInvalidator } from '../shared/publishing/directory-store.js';
import { PUBLISH_LOCK_WAIT_MS } from '../shared/publishing/publish-lock.js';
import { createDocumentClient, createDynamoClient } from '../shared/storage/client.js';
import { tableNamesFromEnv } from '../shared/storage/tables.js';
import { loadConfiguredRegistry } from '../shared/units/load.js';
import { commandArguments, runCommand } from './lib/command.js';
import { applyStoreEnvironment, REPO_ROOT } from './lib/local-store.js';
import { UsageError } from './lib/usage.js';

const USAGE =
  'usage: npm run publish:pipeline -- --mode incremental|full [--state DIR] [--site DIR] [--to DIR (not in AWS)] [--lock-wait SECONDS]';

/** Wrong arguments: the message, then the usage (exit 2). */
class PipelineUsageError extends UsageError {
  constructor(message: string) {
    super(message, USAGE);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const values = commandArguments(USAGE, () => parse(argv));
  if (!values) return;
  const mode = values.mode as PublishMode;
  if (mode !== 'incremental' && mode !== 'full') throw new PipelineUsageError('--mode is incremental or full');
  const where = applyStoreEnvironment();
  const aws = where === 'aws';
  if (aws === Boolean(values.to))
    throw new PipelineUsageError(aws ? '--to is not for AWS' : '--to DIR is required here');
  const lockWait = values['lock-wait'] === undefined ? PUBLISH_LOCK_WAIT_MS / 1000 : Number(values['lock-wait']);
  if (!(Number.isInteger(lockWait) && lockWait >= 0))
    throw new PipelineUsageError('--lock-wait is a whole number of seconds');
  const dataDir = resolve(REPO_ROOT, process.env.DATA_DIR ?? '.data');
  const reference = `publish-${process.env.CODEBUILD_BUILD_ID ?? process.pid}-${Date.now()}`;
  const bucket = aws
    ? await awsSiteBucket(required('SITE_BUCKET'))
    : { store: directoryStore(resolve(values.to ?? '')), close() {} };
  // The record of the last publication both publishers share: the build-cache bucket in AWS, the state folder here.
  const record = aws
    ? await awsSiteBucket(required('PUBLICATION_RECORD_BUCKET'))
    : { store: directoryStore(pipelinePaths(resolve(values.state)).recordDir), close() {} };
  const cdn = aws
    ? await awsInvalidator(required('DISTRIBUTION_ID'), reference)
    : { invalidator: recordingInvalidator(), close() {} };
  const client = createDynamoClient();
  try {
    const result = await runSitePipeline({
      mode,
      stateDir: resolve(values.state),
      siteDir: resolve(values.site),
      store: { doc: createDocumentClient(client), tables: tableNamesFromEnv() },
      registry: loadConfiguredRegistry(),
      identity: () => (aws ? awsLogIdentity() : Promise.resolve(localLogIdentity(dataDir))),
      bucket: bucket.store,
      record: record.store,
      invalidator: cdn.invalidator,
      lock: {
        holder: process.env.CODEBUILD_BUILD_ID
          ? `codebuild ${process.env.CODEBUILD_BUILD_ID}`
          : `publish:pipeline ${process.pid}`,
        waitMs: lockWait * 1000,
      },
      // The reports are JSON lines of their own: the build log's metric filter reads them.
      log: (line) => console.log(line),
    });
    const { publication } = result;
    const { added, changed, removed } = publication.changes;
    console.log(
      `publish:pipeline: ${result.rendered} of ${result.pages} pages rendered; ${publication.files} files compared with the ${publication.against}: ${added.length} added, ${changed.length} changed, ${removed.length} removed; ${publication.summary.uploaded} uploaded, ${publication.summary.deleted} deleted, ${publication.summary.invalidated.length} path(s) invalidated`,
    );
  } finally {
    client.destroy();
    bucket.close();
    record.close();
    cdn.close();
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new PipelineUsageError(`${name} must be set to publish to AWS`);
  return value;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      mode: { type: 'string', default: 'incremental' },
      state: { type: 'string', default: '.publish' },
      site: { type: 'string', default: join('site', 'dist') },
      to: { type: 'string' },
      'lock-wait': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}

runCommand('publish:pipeline', () => main(process.argv.slice(2)));
