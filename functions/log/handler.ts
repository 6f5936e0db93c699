import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { appendInOrder, type LogStore } from '../../shared/log/appender.js';
import { type LogEntry, logEntryFromImage } from '../../shared/log/entry.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoLogStore } from '../../shared/storage/log-repository.js';
import { markDirty } from '../../shared/storage/stats-repository.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { toChangeRecord } from '../aggregation/stream-records.js';
import { type FunctionConfig, perConfig } from '../lib/config.js';
import { logger } from '../lib/observability.js';

/**
 * The log appender: DynamoDB Streams (records table) → the transparency log (shared/log/appender.ts). Every new
 * signed version (a conclusion or summary version item, a report's new version) becomes one entry, in stream
 * order, exactly once: redelivery and racing appenders are absorbed by the conditional append. It runs as its own
 * consumer of the stream (its own event source mapping in AWS, its own poller under `npm start`), so the
 * statistics and the log never hold each other up. On a failure the batch is reported from the first record not
 * appended, so later versions never overtake it.
 */

export interface LogAppenderDependencies {
  readonly store: LogStore;
  /** Tells the site builders the log grew (the dirty item), so the next build publishes the new entries. */
  readonly grew: () => Promise<void>;
}

/**
 * The production wiring of a configuration (`process.env` in Lambda): the log lives in the stats table (no stream,
 * so it never feeds on itself).
 */
export const logAppenderDependencies = perConfig((config): LogAppenderDependencies => {
  const tables = tableNamesFromEnv(config);
  const doc = createDocumentClient(createDynamoClient(config));
  return { store: new DynamoLogStore(doc, tables.stats), grew: () => markDirty(doc, tables.stats) };
});

/**
 * Appends the batch's new versions in order (in runs: shared/log/appender.ts, appendInOrder); answers the first
 * record that could not be appended, or could not be read as an entry, so later versions never overtake it.
 */
export async function appendStreamBatch(
  event: DynamoDBStreamEvent,
  deps: LogAppenderDependencies,
): Promise<DynamoDBBatchResponse> {
  // The versions to log, each with its record's sequence number, up to the first record that cannot be read.
  const versions: { entry: LogEntry; sequence: string | undefined }[] = [];
  let unreadable: { sequence: string | undefined; error: unknown } | undefined;
  for (const record of event.Records) {
    const sequence = record.dynamodb?.SequenceNumber;
    try {
      const change = toChangeRecord(record);
      // A change that keeps the version (an attachment recorded on it) is not a new version.
      if (change?.oldImage && change.newImage && change.oldImage.version === change.newImage.version) continue;
      const entry = logEntryFromImage(change?.newImage);
      if (entry) versions.push({ entry, sequence });
    } catch (error) {
      unreadable = { sequence, error };
      break;
    }
  }
  const { results, error } = await appendInOrder(
    versions.map((version) => version.entry),
    deps.store,
  );
  const appended = results.filter((result) => result.appended).length;
  const alreadyLogged = results.length - appended;
  const failure = error !== undefined ? { sequence: versions[results.length]?.sequence, error } : unreadable;
  if (failure) {
    logger.warn('stream record not logged', {
      sequence: failure.sequence,
      error: (failure.error as Error).name,
      reason: (failure.error as Error).message,
    });
  }
  logger.info('log batch', {
    records: event.Records.length,
    appended,
    alreadyLogged,
    ...(failure ? { failed: true } : {}),
  });
  if (appended > 0) await deps.grew();
  return { batchItemFailures: failure?.sequence ? [{ itemIdentifier: failure.sequence }] : [] };
}

/** The handler of a configuration (DynamoDB Streams event source with ReportBatchItemFailures). */
export const createHandler = (config: FunctionConfig) =>
  middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler(async function appendToLog(event) {
      return appendStreamBatch(event, logAppenderDependencies(config));
    });

/** Lambda's handler, configured by the environment. */
export const handler = createHandler(process.env);
