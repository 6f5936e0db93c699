import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SummaryStore } from '../summaries/ports.js';
import type { SummaryRecord, SummaryVersionRecord } from '../summaries/records.js';
import { SummaryItemSchema, SummaryVersionItemSchema } from './items/summary.js';
import { SUMMARY_NAMES, summaryIndexKey } from './keys.js';
import { type VersionedLayout, versionedStoreOf } from './versioned-repository.js';

/**
 * Summary reports in the `records` table (keys.ts, "Summaries"): the versioned layout every published document
 * shares (versioned-repository.ts), listed by the end of their span.
 */

export const SUMMARY_LAYOUT: VersionedLayout<SummaryRecord> = {
  ...SUMMARY_NAMES,
  indexKey: (record) => summaryIndexKey(record.id, record.to),
  currentSchema: SummaryItemSchema,
  versionSchema: SummaryVersionItemSchema,
};

/** The SummaryStore port over DynamoDB: the versioned store as it is (`new DynamoSummaryStore(doc, tableName)`). */
export const DynamoSummaryStore = versionedStoreOf<SummaryRecord, SummaryVersionRecord>(SUMMARY_LAYOUT) satisfies new (
  doc: DynamoDBDocumentClient,
  tableName: string,
) => SummaryStore;
