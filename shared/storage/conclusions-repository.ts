import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplayMarker } from '../auth/replay.js';
import type { SignedRequest } from '../auth/signed-request.js';
import type { ConclusionStore } from '../conclusions/ports.js';
import type { ConclusionAttachment, ConclusionRecord, ConclusionVersionRecord } from '../conclusions/records.js';
import { transactWithReplayMarker } from './agencies-repository.js';
import {
  CONCLUSION_ENTITY,
  CONCLUSION_VERSION_ENTITY,
  CONCLUSION_VERSION_PREFIX,
  conclusionCurrentKey,
  conclusionIndexKey,
  conclusionPartition,
  conclusionVersionKey,
  ENTITY_ATTRIBUTE,
} from './keys.js';
import { asUnavailable } from './sdk-errors.js';

/**
 * Conclusions in the `records` table (keys.ts, "Conclusions"): the CURRENT item, which the aggregation reads
 * from the stream (old image out, new image in), and one item per version. Every write is one transaction whose
 * conditions say what the service expects (absent, or this version), so a lost race writes nothing.
 */

/** The CURRENT item of a record (the whole current version, flat, plus keys and gsi1). */
export function conclusionItem(record: ConclusionRecord): Record<string, unknown> {
  return {
    ...record,
    ...conclusionCurrentKey(record.id),
    ...conclusionIndexKey(record.id, record.issuedOn),
    [ENTITY_ATTRIBUTE]: CONCLUSION_ENTITY,
  };
}

/** The item of one version, kept for ever. */
export function conclusionVersionItem(record: ConclusionVersionRecord): Record<string, unknown> {
  const {
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    createdContentHash: _created,
    ...version
  } = record as ConclusionRecord;
  return {
    ...version,
    ...conclusionVersionKey(record.id, record.version),
    [ENTITY_ATTRIBUTE]: CONCLUSION_VERSION_ENTITY,
  };
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, [ENTITY_ATTRIBUTE]: _entity, ...rest } = item;
  return rest;
}

/** The ConclusionStore port over DynamoDB. */
export class DynamoConclusionStore implements ConclusionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The CURRENT item, strongly consistent (decisions are made on it). */
  async get(id: string): Promise<ConclusionRecord | undefined> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: conclusionCurrentKey(id), ConsistentRead: true }),
      );
      return Item ? (strip(Item) as ConclusionRecord) : undefined;
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  }

  /** Every version, oldest first (the sort key is zero-padded). */
  async versions(id: string): Promise<ConclusionVersionRecord[]> {
    const versions: ConclusionVersionRecord[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const page = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': conclusionPartition(id), ':prefix': CONCLUSION_VERSION_PREFIX },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) versions.push(strip(item) as ConclusionVersionRecord);
        start = page.LastEvaluatedKey;
      } while (start);
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
    return versions;
  }

  /** CURRENT and version 1, both only if absent, with the replay marker: all or nothing. */
  async create(record: ConclusionRecord, replay?: ReplayMarker, signed?: SignedRequest): Promise<void> {
    await transactWithReplayMarker(
      this.doc,
      this.tableName,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: conclusionItem(record),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: conclusionVersionItem(record),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      replay,
      signed,
    );
  }

  /** The new CURRENT only if the stored one is still `expectedVersion`, and the new version only if absent. */
  async replace(
    record: ConclusionRecord,
    expectedVersion: number,
    replay?: ReplayMarker,
    signed?: SignedRequest,
  ): Promise<void> {
    await transactWithReplayMarker(
      this.doc,
      this.tableName,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: conclusionItem(record),
            ConditionExpression: '#version = :expected AND agencyId = :agency',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion, ':agency': record.agencyId },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: conclusionVersionItem(record),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      replay,
      signed,
    );
  }

  /** Sets the attachment on CURRENT and on its version item, if CURRENT is still that version without one. */
  async attach(id: string, version: number, attachment: ConclusionAttachment, replay?: ReplayMarker): Promise<void> {
    await transactWithReplayMarker(
      this.doc,
      this.tableName,
      [
        {
          Update: {
            TableName: this.tableName,
            Key: conclusionCurrentKey(id),
            UpdateExpression: 'SET attachment = :attachment',
            ConditionExpression: '#version = :version AND attribute_not_exists(attachment)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':attachment': attachment, ':version': version },
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: conclusionVersionKey(id, version),
            UpdateExpression: 'SET attachment = :attachment',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':attachment': attachment },
          },
        },
      ],
      replay,
    );
  }
}
