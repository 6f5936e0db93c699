import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SummaryStore } from '../summaries/ports.js';
import type { SummaryRecord, SummaryVersionRecord } from '../summaries/records.js';
import { SummaryItemSchema, SummaryVersionItemSchema } from './items/summary.js';
import { SUMMARY_ENTITY, SUMMARY_PREFIX, SUMMARY_VERSION_ENTITY, summaryIndexKey } from './keys.js';
import { DynamoVersionedStore, type VersionedLayout } from './versioned-repository.js';

/**
 * Summary reports in the `records` table (keys.ts, "Summaries"): the versioned layout every published document
 * shares (versioned-repository.ts), listed by the end of their span.
 */

export const SUMMARY_LAYOUT: VersionedLayout<SummaryRecord> = {
  prefix: SUMMARY_PREFIX,
  entity: SUMMARY_ENTITY,
  versionEntity: SUMMARY_VERSION_ENTITY,
  indexKey: (record) => summaryIndexKey(record.id, record.to),
  currentSchema: SummaryItemSchema,
  versionSchema: SummaryVersionItemSchema,
};

/** The SummaryStore port over DynamoDB. */
export class DynamoSummaryStore
  extends DynamoVersionedStore<SummaryRecord, SummaryVersionRecord>
  implements SummaryStore
{
  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    super(doc, tableName, SUMMARY_LAYOUT);
  }
}
