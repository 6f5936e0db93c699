import type { ReplayMarker } from '../auth/replay.js';
import type { ConclusionStore } from '../conclusions/ports.js';
import type { ConclusionAttachment, ConclusionRecord, ConclusionVersionRecord } from '../conclusions/records.js';
import { ConclusionItemSchema, ConclusionVersionItemSchema } from './items/conclusion.js';
import {
  CONCLUSION_NAMES,
  CONCLUSION_PREFIX,
  conclusionIndexKey,
  versionedCurrentKey,
  versionedVersionKey,
} from './keys.js';
import { foundAs, transactWithReplayMarker } from './transactions.js';
import { currentOf, type VersionedLayout, versionedStoreOf } from './versioned-repository.js';

/**
 * Conclusions in the `records` table (keys.ts, "Conclusions"): the versioned layout every published document
 * shares (versioned-repository.ts), listed by date issued, plus the attachment of a version.
 */

export const CONCLUSION_LAYOUT: VersionedLayout<ConclusionRecord> = {
  ...CONCLUSION_NAMES,
  indexKey: (record) => conclusionIndexKey(record.id, record.issuedOn),
  currentSchema: ConclusionItemSchema,
  versionSchema: ConclusionVersionItemSchema,
};

/** The ConclusionStore port over DynamoDB: the versioned store, and the attachment of a version. */
export class DynamoConclusionStore
  extends versionedStoreOf<ConclusionRecord, ConclusionVersionRecord>(CONCLUSION_LAYOUT)
  implements ConclusionStore
{
  /** Sets the attachment on CURRENT and on its version item, if CURRENT is still that version without one. */
  async attach(id: string, version: number, attachment: ConclusionAttachment, replay?: ReplayMarker): Promise<void> {
    await foundAs(
      (item) => currentOf(CONCLUSION_LAYOUT, item),
      transactWithReplayMarker(
        this.doc,
        this.tableName,
        [
          {
            Update: {
              TableName: this.tableName,
              Key: versionedCurrentKey(CONCLUSION_PREFIX, id),
              UpdateExpression: 'SET attachment = :attachment',
              ConditionExpression: '#version = :version AND attribute_not_exists(attachment)',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':attachment': attachment, ':version': version },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: versionedVersionKey(CONCLUSION_PREFIX, id, version),
              UpdateExpression: 'SET attachment = :attachment',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':attachment': attachment },
            },
          },
        ],
        replay,
      ),
    );
  }
}
