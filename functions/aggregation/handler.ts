import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type AggregateDependencies, aggregateBatch } from '../../shared/stats/aggregate.js';
import { InvalidRecordError } from '../../shared/stats/errors.js';
import type { ChangeRecord } from '../../shared/stats/ports.js';
import { detectSpikes, responseHour, type SpikeStore } from '../../shared/stats/spikes.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoSpikeStore } from '../../shared/storage/spikes-repository.js';
import { DynamoStatsStore } from '../../shared/storage/stats-repository.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { type FunctionConfig, perConfig } from '../lib/config.js';
import { logger } from '../lib/observability.js';
import { functionUnitLookup } from '../lib/units.js';
import { SPIKE_METRIC } from './spike-metric.js';
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

export type AggregationDependencies = Pick<AggregateDependencies, 'lookup' | 'store'> & {
  /** Hourly counts and flagged spikes; without it, no spike is looked for. */
  readonly spikes?: SpikeStore;
  /** Where a flagged spike is counted for the alarm (CloudWatch EMF); without it, only logged. */
  readonly spikeMetric?: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
};

/**
 * The production wiring of a configuration (`process.env` in Lambda): clients created on the first batch, one
 * Metrics, which publishes only when a spike was flagged (the alarm treats silence as fine), unless
 * POWERTOOLS_METRICS_DISABLED (the local stack has no CloudWatch).
 */
export const aggregationDependencies = perConfig((config): AggregationDependencies => {
  const tables = tableNamesFromEnv(config);
  const doc = createDocumentClient(createDynamoClient(config));
  return {
    // Roll-up targets from the committed registry shipped with the code while the store vouches for it: no
    // GetItem per unit of a batch.
    lookup: functionUnitLookup(doc, tables.records),
    store: new DynamoStatsStore(doc, tables.stats),
    spikes: new DynamoSpikeStore(doc, tables.stats),
    ...(config.POWERTOOLS_METRICS_DISABLED === 'true'
      ? {}
      : { spikeMetric: new Metrics({ namespace: SPIKE_METRIC.namespace, serviceName: SPIKE_METRIC.service }) }),
  };
});

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
  await flagSpikes(changes, deps);
  const failed = [...outcome.failed.keys()].flatMap((index) => changes[index]?.sequence ?? []);
  return { batchItemFailures: [...failed, ...unreadable].map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * Looks at the hours this batch added responses to (their counts are applied by now, or by an earlier delivery)
 * and flags the spikes among them: marks the site dirty, so the unit's page says "under review", and emits the
 * metric the alarm watches. A failure here is logged and retried by the next batch touching the hour, never by
 * failing the records: their figures are applied.
 */
async function flagSpikes(changes: readonly ChangeRecord[], deps: AggregationDependencies): Promise<void> {
  if (!deps.spikes) return;
  const touched = changes.flatMap((change) => responseHour(change) ?? []);
  if (touched.length === 0) return;
  try {
    const flagged = await detectSpikes(touched, { store: deps.spikes, now: () => new Date() });
    if (flagged.length === 0) return;
    logger.warn('survey spike flagged', {
      spikes: flagged.map(({ unitId, hour, responses, threshold }) => ({ unitId, hour, responses, threshold })),
    });
    await deps.store.markDirty();
    deps.spikeMetric?.addMetric(SPIKE_METRIC.name, MetricUnit.Count, flagged.length);
    deps.spikeMetric?.publishStoredMetrics();
  } catch (error) {
    logger.error('spike detection failed', { error: error instanceof Error ? error.name : 'unknown' });
  }
}

/** The handler of a configuration (DynamoDB Streams event source with ReportBatchItemFailures). */
export const createHandler = (config: FunctionConfig) =>
  middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler(async function aggregateStreamBatch(event, context) {
      return processStreamBatch(event, aggregationDependencies(config), context);
    });

/** Lambda's handler, configured by the environment. */
export const handler = createHandler(process.env);
