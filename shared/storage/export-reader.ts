import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import {
  type BucketDeltas,
  bucketKey,
  type Counters,
  isCounterName,
  mergeDeltas,
  type Scope,
} from '../stats/counters.js';
import type { StoredConclusion } from '../stats/export.js';
import { ConclusionItemSchema, ConclusionVersionItemSchema } from './items/conclusion.js';
import { parseItem } from './items/item.js';
import { SummaryItemSchema } from './items/summary.js';
import {
  CONCLUSION_ENTITY,
  CONCLUSION_VERSION_ENTITY,
  CONCLUSIONS_PARTITION,
  COUNTER_PREFIX,
  ENTITY_ATTRIBUTE,
  SUMMARIES_PARTITION,
  SUMMARY_ENTITY,
  VERSION_PREFIX,
} from './keys.js';
import { queryAll, scanAll } from './pages.js';

/**
 * What the open-data export and the full recomputation (`stats verify`, `stats rebuild`) read, whole: the counters
 * summed over their shards (stats table), and the records that move or publish figures (records table), each
 * published item parsed with its item schema (shared/storage/items/). The aggregation's own store, which writes the
 * counters, is stats-repository.ts; nothing here writes.
 */

/** Parallel Scan segments: the stats table is read whole by the export, verify and rebuild. */
const SCAN_SEGMENTS = 4;

/** Every bucket's counters, summed over its shards (buckets whose counters are all zero are left out). */
export async function scanCounters(doc: DynamoDBDocumentClient, tableName: string): Promise<BucketDeltas> {
  const segments = await Promise.all(
    Array.from({ length: SCAN_SEGMENTS }, async (_, segment) => {
      const sums: BucketDeltas = new Map();
      const input = {
        TableName: tableName,
        Segment: segment,
        TotalSegments: SCAN_SEGMENTS,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': COUNTER_PREFIX },
      };
      // Summed page by page: the counters of a whole table need not be held at once.
      for await (const page of paginateScan({ client: doc }, input)) {
        for (const item of page.Items ?? []) addItem(sums, item);
      }
      return sums;
    }),
  );
  const total: BucketDeltas = new Map();
  for (const sums of segments) mergeDeltas(total, sums);
  return total;
}

/** Adds one counter item to the sums; its bucket is read from its key, the one thing every writer sets. */
function addItem(sums: BucketDeltas, item: Record<string, unknown>): void {
  const bucket = typeof item.pk === 'string' ? bucketOfCounterKey(item.pk) : undefined;
  if (!bucket) return;
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item)) {
    if (isCounterName(name) && typeof value === 'number' && value !== 0) counters[name] = value;
  }
  mergeDeltas(sums, new Map([[bucketKey(bucket), counters]]));
}

/** The bucket of a counter item's partition key (`FIG#U#00304#2024-Q2#3`), or undefined for another key. */
export function bucketOfCounterKey(pk: string): { scope: Scope; period: string } | undefined {
  const match = /^FIG#((?:U|A)#.+)#(\d{4}(?:-Q[1-4]|-\d{2})?)#\d+$/.exec(pk);
  if (!match?.[1] || !match[2]) return undefined;
  return { scope: match[1] as Scope, period: match[2] };
}

/**
 * Every item of the records table that moves figures (entities `conclusion`, `survey`, `report`), for the full
 * recomputation. A parallel Scan: the records table is read whole, once, by `stats verify` and `stats rebuild`.
 */
export async function scanCountedRecords(
  doc: DynamoDBDocumentClient,
  tableName: string,
  onPage?: (items: number) => void,
): Promise<Record<string, unknown>[]> {
  return scanAll(
    doc,
    {
      TableName: tableName,
      FilterExpression: '#entity IN (:conclusion, :survey, :report)',
      ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
      ExpressionAttributeValues: { ':conclusion': 'conclusion', ':survey': 'survey', ':report': 'report' },
    },
    { segments: SCAN_SEGMENTS, ...(onPage ? { onPage: (items) => onPage(items.length) } : {}) },
  );
}

/** Every item of one gsi1 partition (conclusions or summaries by date), page by page. */
async function queryIndex(doc: DynamoDBDocumentClient, tableName: string, partition: string) {
  return queryAll(doc, {
    TableName: tableName,
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': partition },
  });
}

/**
 * Every conclusion (its CURRENT item, from gsi1 `CONCLUSIONS`) with its versions (a Query on its partition), for
 * the export. Conclusions are few next to survey responses, so this reads them without scanning the table.
 */
export async function readStoredConclusions(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<StoredConclusion[]> {
  const currents = (await queryIndex(doc, tableName, CONCLUSIONS_PARTITION))
    .filter((item) => item[ENTITY_ATTRIBUTE] === CONCLUSION_ENTITY)
    .map((item) => parseItem(ConclusionItemSchema, item, CONCLUSION_ENTITY));
  const out: StoredConclusion[] = [];
  const queue = [...currents];
  const worker = async function readVersions(): Promise<void> {
    for (let current = queue.shift(); current; current = queue.shift()) {
      const versions = await queryAll(doc, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': current.pk, ':prefix': VERSION_PREFIX },
      });
      out.push({
        current,
        versions: versions.map((item) => parseItem(ConclusionVersionItemSchema, item, CONCLUSION_VERSION_ENTITY)),
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out.sort((a, b) => (String(a.current.id) < String(b.current.id) ? -1 : 1));
}

/** The CURRENT item of every summary report (gsi1 `SUMMARIES`), for the export: few, read without a scan. */
export async function readStoredSummaries(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  return (await queryIndex(doc, tableName, SUMMARIES_PARTITION))
    .filter((item) => item[ENTITY_ATTRIBUTE] === SUMMARY_ENTITY)
    .map((item) => parseItem(SummaryItemSchema, item, SUMMARY_ENTITY));
}
