import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { toLambdaRecord } from '../../../../local/stream-poller.js';
import type { ChunkWrite, PositionRef, StatsStore } from '../../../../shared/stats/ports.js';
import { localClientConfig } from '../../../../shared/storage/client.js';
import { lambdaContext } from '../../../support/api-event.js';
import type { TestTables } from '../../../support/dynamodb.js';

/** A streams client for the run's DynamoDB Local. */
export function streamsClient(tables: TestTables): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({
    ...localClientConfig(tables.env),
  });
}

/**
 * Every record of the records table's stream so far, from every shard, in the shape Lambda delivers: the most
 * faithful fixture there is (real images, real sequence numbers, real event ids).
 */
export async function readStream(tables: TestTables, streams: DynamoDBStreamsClient): Promise<DynamoDBRecord[]> {
  const { Table } = await tables.client.send(new DescribeTableCommand({ TableName: tables.names.records }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error('the records table has no stream');
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const out: DynamoDBRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (ShardIterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      const records = page.Records ?? [];
      out.push(...records.map((record) => toLambdaRecord(record, streamArn)));
      if (records.length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return out;
}

/**
 * The aggregation function as Lambda's event source mapping runs it: each call hands the production handler
 * (imported when first called, so it is wired from the environment the test has set by then) the stream records
 * not yet handed to it, and throws if any of them failed.
 */
export function streamAggregator(tables: TestTables, streams: DynamoDBStreamsClient): () => Promise<void> {
  let seen = 0;
  return async function aggregateNewRecords() {
    const { handler } = await import('../../../../functions/aggregation/handler.js');
    const records = await readStream(tables, streams);
    const answer = await handler({ Records: records.slice(seen) }, lambdaContext('aggregation'));
    seen = records.length;
    if (answer.batchItemFailures.length > 0) {
      throw new Error(`aggregation failed records: ${JSON.stringify(answer.batchItemFailures)}`);
    }
  };
}

/** Writes items with BatchWriteItem (25 at a time, unprocessed items retried). */
export async function putAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
) {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/**
 * A StatsStore that fails on chosen calls (1-based, over all operations): 'before' fails without writing,
 * 'after' writes and then fails, as a lost response would. The real store underneath does the work.
 */
export class FailingStatsStore implements StatsStore {
  calls = 0;
  constructor(
    private readonly inner: StatsStore,
    readonly failures: Map<number, 'before' | 'after'> = new Map(),
  ) {}

  async appliedAmong(positions: readonly PositionRef[]): Promise<Set<string>> {
    this.#before();
    return this.inner.appliedAmong(positions);
  }

  async applyChunk(chunk: ChunkWrite): Promise<'applied' | 'already-applied'> {
    const mode = this.#before();
    const result = await this.inner.applyChunk(chunk);
    if (mode === 'after') throw new Error(`injected: response lost after call ${this.calls}`);
    return result;
  }

  async markDirty(): Promise<void> {
    const mode = this.#before();
    await this.inner.markDirty();
    if (mode === 'after') throw new Error(`injected: response lost after call ${this.calls}`);
  }

  #before(): 'after' | undefined {
    this.calls++;
    const mode = this.failures.get(this.calls);
    if (mode === 'before') throw new Error(`injected failure at call ${this.calls}`);
    return mode === 'after' ? 'after' : undefined;
  }
}
