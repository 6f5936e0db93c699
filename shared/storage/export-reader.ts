import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import {
  type BucketDeltas,
  bucketKey,
  type Counters,
  isCounterName,
  mergeDeltas,
  publishedLayout,
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
  OWN_PERIOD_MARKER,
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

/** Scans every counter item (pk `FIG#…`), page by page, in parallel segments. */
export async function forEachCounterItem(
  doc: DynamoDBDocumentClient,
  tableName: string,
  onItem: (item: Record<string, unknown>, segment: number) => void,
): Promise<void> {
  await Promise.all(
    Array.from({ length: SCAN_SEGMENTS }, async (_, segment) => {
      const input = {
        TableName: tableName,
        Segment: segment,
        TotalSegments: SCAN_SEGMENTS,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': COUNTER_PREFIX },
      };
      // Summed page by page: the counters of a whole table need not be held at once.
      for await (const page of paginateScan({ client: doc }, input)) {
        for (const item of page.Items ?? []) onItem(item, segment);
      }
    }),
  );
}

/**
 * Every stored bucket's counters, summed over its shards, in the stored layout (counters.ts, storedLayout: a
 * month's bucket, or a quarter's or a year's own); items of the earlier layout are left out. For `stats rebuild`,
 * which corrects what is stored; every other reader wants scanCounters.
 */
export async function scanStoredCounters(doc: DynamoDBDocumentClient, tableName: string): Promise<BucketDeltas> {
  const segments = Array.from({ length: SCAN_SEGMENTS }, (): BucketDeltas => new Map());
  await forEachCounterItem(doc, tableName, (item, segment) => {
    const sums = segments[segment];
    if (sums) addItem(sums, item);
  });
  const total: BucketDeltas = new Map();
  for (const sums of segments) mergeDeltas(total, sums);
  return total;
}

/**
 * Every bucket's counters as published: the stored buckets summed over their shards, and added into the quarters
 * and years that hold them (counters.ts, publishedLayout). Buckets whose counters are all zero are left out.
 */
export async function scanCounters(doc: DynamoDBDocumentClient, tableName: string): Promise<BucketDeltas> {
  return publishedLayout(await scanStoredCounters(doc, tableName));
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

const COUNTER_KEY = new RegExp(`^FIG#((?:U|A)#.+)#(\\d{4}(?:-Q[1-4]|-\\d{2})?)(#${OWN_PERIOD_MARKER})?#\\d+$`);

/**
 * The stored bucket of a counter item's partition key (`FIG#U#00304#2024-05#3`, `FIG#U#00304#2024-Q2#own#0`), or
 * undefined for another key, including a quarter's or a year's item of the earlier layout (isLegacyCounterKey).
 */
export function bucketOfCounterKey(pk: string): { scope: Scope; period: string } | undefined {
  const match = COUNTER_KEY.exec(pk);
  if (!match?.[1] || !match[2]) return undefined;
  const month = match[2].length === 7 && !match[2].includes('Q');
  if (month === Boolean(match[3])) return undefined;
  return { scope: match[1] as Scope, period: match[2] };
}

/**
 * True for a quarter's or a year's counter item of the layout before storedLayout (`FIG#U#01#2024#3`), which
 * summed every record of the period: readers ignore it (the months hold the same records) and rebuild deletes it.
 */
export function isLegacyCounterKey(pk: string): boolean {
  const match = COUNTER_KEY.exec(pk);
  return match?.[2] !== undefined && !match[3] && (match[2].length === 4 || match[2].includes('Q'));
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
