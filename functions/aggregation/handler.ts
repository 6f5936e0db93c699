import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type AggregateDependencies, aggregateBatch } from '../../shared/stats/aggregate.js';
import { InvalidRecordError } from '../../shared/stats/errors.js';
import type { ChangeRecord } from '../../shared/stats/ports.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoStatsStore } from '../../shared/storage/stats-repository.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { DynamoUnitLookup } from '../../shared/storage/units-repository.js';
import { logger } from '../lib/observability.js';
import { toChangeRecord } from './stream-records.js';

/**
 * The aggregation: DynamoDB Streams (records table, NEW_AND_OLD_IMAGES) → counters in the stats table, exactly
 * once (shared/stats/aggregate.ts). The same module runs in Lambda and under `npm start` (local/stream-poller.ts).
 *
 * Failures are reported per record (`batchItemFailures`, the event source mapping has ReportBatchItemFailures):
 * the invoker redelivers from the first failed record, and whatever it redelivers that was applied is skipped.
 * A record that keeps failing (an image that cannot be counted) is parked by the invoker after a bounded number of
 * retries: the event source mapping's on-failure destination in AWS, `${DATA_DIR}/dlq/` locally. The handler never
 * throws, so Lambda never bisects or retries a batch as a whole.
 */

export type AggregationDependencies = Pick<AggregateDependencies, 'lookup' | 'store'>;

let fromEnv: AggregationDependencies | undefined;

/** The production wiring: clients created on first use, tables from the environment (as in Lambda). */
export function aggregationDependencies(): AggregationDependencies {
  if (!fromEnv) {
    const tables = tableNamesFromEnv();
    const doc = createDocumentClient(createDynamoClient());
    fromEnv = { lookup: new DynamoUnitLookup(doc, tables.records), store: new DynamoStatsStore(doc, tables.stats) };
  }
  return fromEnv;
}

/** Applies a stream batch and answers the records that failed (their sequence numbers). */
export async function processStreamBatch(
  event: DynamoDBStreamEvent,
  deps: AggregationDependencies,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<DynamoDBBatchResponse> {
  const changes: ChangeRecord[] = [];
  const unreadable: string[] = [];
  for (const record of event.Records) {
    const change = toChangeRecord(record);
    if (change) changes.push(change);
    else if (record.dynamodb?.SequenceNumber) unreadable.push(record.dynamodb.SequenceNumber);
  }
  const outcome = await aggregateBatch(changes, {
    ...deps,
    ...(context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
  });
  for (const [index, error] of outcome.failed) {
    // Ids and error names only: an image may hold personal data and is never logged.
    logger.warn('stream record not applied', {
      eventId: changes[index]?.eventId,
      sequence: changes[index]?.sequence,
      error: error.name,
      reason: error.message,
      poison: error instanceof InvalidRecordError,
    });
  }
  logger.info('stream batch', {
    records: event.Records.length,
    applied: outcome.applied,
    skipped: outcome.skipped,
    failed: outcome.failed.size + unreadable.length,
    transactions: outcome.transactions,
    itemWrites: outcome.itemWrites,
  });
  const failed = [...outcome.failed.keys()].flatMap((index) => changes[index]?.sequence ?? []);
  return { batchItemFailures: [...failed, ...unreadable].map((itemIdentifier) => ({ itemIdentifier })) };
}

/** The Lambda handler (DynamoDB Streams event source with ReportBatchItemFailures). */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(async function aggregateStreamBatch(event, context) {
    return processStreamBatch(event, aggregationDependencies(), context);
  });
