import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { rollupNeeds } from '../../shared/stats/contributions.js';
import type { BucketDeltas, CounterName } from '../../shared/stats/counters.js';
import { compareCounters, type Mismatch, type Recomputation, recompute } from '../../shared/stats/recompute.js';
import { prefetchRollups } from '../../shared/stats/rollups.js';
import { scanCountedRecords, scanCounters } from '../../shared/storage/export-reader.js';
import { ENTITY_ATTRIBUTE } from '../../shared/storage/keys.js';
import type { TableNames } from '../../shared/storage/tables.js';
import { DynamoUnitLookup } from '../../shared/storage/units-repository.js';
import { todayInVietnam } from '../../shared/time/periods.js';
import { loadRegistryFile } from '../../shared/units/load.js';
import type { WorkloadRequest } from './workload.js';

/**
 * Helpers of the load and fault tests: send many requests at a fixed concurrency and keep every answer, then
 * read back what the store holds, so each answer can be accounted for.
 */

export interface Outcome {
  readonly index: number;
  /** HTTP status, or 0 when the connection failed (counted as a failure, never ignored). */
  readonly status: number;
  readonly headers: Headers | undefined;
  readonly body: string;
  readonly error?: string;
}

/** Sends one request to the origin and reads the whole answer. */
export async function send(origin: string, request: WorkloadRequest, index = 0): Promise<Outcome> {
  try {
    const response = await fetch(`${origin}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
    });
    return { index, status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    return {
      index,
      status: 0,
      headers: undefined,
      body: '',
      error: error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error),
    };
  }
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once; results in index order. */
export async function runConcurrently<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Every item of one entity in a table (a full scan: for tests only). */
export async function scanEntity(
  doc: DynamoDBDocumentClient,
  tableName: string,
  entity: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#entity = :entity',
        ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
        ExpressionAttributeValues: { ':entity': entity },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Counts of items by entity over the whole table. */
export async function countByEntity(doc: DynamoDBDocumentClient, tableName: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: '#entity',
        ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const entity = String(item[ENTITY_ATTRIBUTE] ?? '(none)');
      counts.set(entity, (counts.get(entity) ?? 0) + 1);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return counts;
}

/** Tallies statuses: `{ 201: 1800, 409: 100, … }`. */
export function statusCounts(outcomes: readonly Outcome[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
}

/**
 * What the aggregation counted against a full recomputation from the records as they are now: the mismatching
 * counters (empty when every record is counted exactly once), and the counted totals by bucket.
 */
export async function reconcileFigures(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
): Promise<{ mismatches: Mismatch[]; counted: BucketDeltas; items: Recomputation['items'] }> {
  const records = await scanCountedRecords(doc, tables.records);
  const rollups = await prefetchRollups(
    new DynamoUnitLookup(doc, tables.records),
    records.flatMap((item) => rollupNeeds(item)),
  );
  const expected = recompute(records, rollups);
  const counted = await scanCounters(doc, tables.stats);
  return { mismatches: compareCounters(expected.counters, counted), counted, items: expected.items };
}

/** The sum of one counter over a scope's buckets whose period matches (by default: every year of `U#01`). */
/**
 * A counter summed over the provinces in force today, yearly buckets: the load and fault workloads give surveys and
 * conclusions dated today on service points in force today (the whole country), each rolled up into exactly one of
 * them, so this total holds each record once.
 */
export function sumOverProvincesToday(counted: BucketDeltas, name: CounterName): number {
  return loadRegistryFile()
    .roots(todayInVietnam())
    .reduce((total, province) => total + sumCounter(counted, `U#${province.id}`, name), 0);
}

export function sumCounter(counted: BucketDeltas, scope: string, name: CounterName, periodPattern = /^\d{4}$/): number {
  let total = 0;
  for (const [bucket, counters] of counted) {
    const bar = bucket.lastIndexOf('|');
    if (bucket.slice(0, bar) === scope && periodPattern.test(bucket.slice(bar + 1))) total += counters[name] ?? 0;
  }
  return total;
}
