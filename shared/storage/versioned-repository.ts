import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplayMarker } from '../auth/replay.js';
import type { SignedRequest } from '../auth/signed-request.js';
import type { CurrentFields, VersionedStore, VersionFields } from '../publishing/versioned.js';
import type * as z from '../zod.js';
import { parseItem, withoutKeys } from './items/item.js';
import {
  ENTITY_ATTRIBUTE,
  VERSION_PREFIX,
  type VersionedNames,
  versionedCurrentKey,
  versionedVersionKey,
} from './keys.js';
import { queryAll } from './pages.js';
import { asUnavailable } from './sdk-errors.js';
import { foundAs, transactWithReplayMarker } from './transactions.js';

/**
 * Versioned documents (conclusions, summary reports) in the `records` table (keys.ts, "Versioned documents"):
 * the CURRENT item, which the aggregation and the site builder read from the stream (old image out, new image
 * in), and one item per version, kept for ever. Every write is one transaction whose conditions say what the
 * service expects (absent, or this version), so a lost race writes nothing.
 */

/** Where one type of document lives: its partition prefix, entity names, listing index and item schemas. */
export interface VersionedLayout<R extends CurrentFields> extends VersionedNames {
  /** The gsi1 key of the CURRENT item: every document of the type, listed by date. */
  readonly indexKey: (record: R) => { gsi1pk: string; gsi1sk: string };
  /** The item schemas (shared/storage/items/): every item is built and read back through them. */
  readonly currentSchema: z.core.$ZodType;
  readonly versionSchema: z.core.$ZodType;
}

/** The CURRENT item of a record (the whole current version, flat, plus keys and gsi1), built through its schema. */
export function currentItem<R extends CurrentFields>(layout: VersionedLayout<R>, record: R): Record<string, unknown> {
  const item = {
    ...(record as CurrentFields & Record<string, unknown>),
    ...versionedCurrentKey(layout.prefix, record.id),
    ...layout.indexKey(record),
    [ENTITY_ATTRIBUTE]: layout.entity,
  };
  return parseItem(layout.currentSchema, item, layout.entity) as Record<string, unknown>;
}

/** The item of one version, kept for ever (the current state's own fields left out), built through its schema. */
export function versionItem<R extends CurrentFields>(
  layout: VersionedLayout<R>,
  record: VersionFields,
): Record<string, unknown> {
  const {
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    createdContentHash: _created,
    ...version
  } = record as CurrentFields;
  const item = {
    ...version,
    ...versionedVersionKey(layout.prefix, record.id, record.version),
    [ENTITY_ATTRIBUTE]: layout.versionEntity,
  };
  return parseItem(layout.versionSchema, item, layout.versionEntity) as Record<string, unknown>;
}

/** The current record a CURRENT item holds (parsed: a malformed item fails here, not in a caller). */
export function currentOf<R extends CurrentFields>(layout: VersionedLayout<R>, item: unknown): R {
  return withoutKeys(parseItem(layout.currentSchema, item, layout.entity) as Record<string, unknown>) as unknown as R;
}

/** The version a version item holds (parsed). */
export function versionOf<V extends VersionFields>(layout: VersionedLayout<CurrentFields>, item: unknown): V {
  return withoutKeys(
    parseItem(layout.versionSchema, item, layout.versionEntity) as Record<string, unknown>,
  ) as unknown as V;
}

/** The kernel's VersionedStore port over DynamoDB, for one layout. */
export class DynamoVersionedStore<R extends CurrentFields, V extends VersionFields> implements VersionedStore<R, V> {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tableName: string,
    protected readonly layout: VersionedLayout<R>,
  ) {}

  /** The CURRENT item, strongly consistent (decisions are made on it). */
  async get(id: string): Promise<R | undefined> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: versionedCurrentKey(this.layout.prefix, id),
          ConsistentRead: true,
        }),
      );
      return Item ? currentOf(this.layout, Item) : undefined;
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  }

  /** Every version, oldest first (the sort key is zero-padded). */
  async versions(id: string): Promise<V[]> {
    try {
      const items = await queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': versionedCurrentKey(this.layout.prefix, id).pk,
          ':prefix': VERSION_PREFIX,
        },
        ConsistentRead: true,
      });
      return items.map((item) => versionOf<V>(this.layout as VersionedLayout<CurrentFields>, item));
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  }

  /** CURRENT and version 1, both only if absent, with the replay marker: all or nothing. */
  async create(record: R, replay?: ReplayMarker, signed?: SignedRequest): Promise<void> {
    await this.#write(record, { ConditionExpression: 'attribute_not_exists(pk)' }, replay, signed);
  }

  /** The new CURRENT only if the stored one is still `expectedVersion`, and the new version only if absent. */
  async replace(record: R, expectedVersion: number, replay?: ReplayMarker, signed?: SignedRequest): Promise<void> {
    const condition = {
      ConditionExpression: '#version = :expected AND agencyId = :agency',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion, ':agency': record.agencyId },
    };
    await this.#write(record, condition, replay, signed);
  }

  /**
   * CURRENT under the caller's condition and the new version item only if absent (versions are written once and
   * never overwritten), with the replay marker and the signed body: one transaction, all or nothing.
   */
  async #write(
    record: R,
    currentCondition: {
      ConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, unknown>;
    },
    replay?: ReplayMarker,
    signed?: SignedRequest,
  ): Promise<void> {
    const { tableName, layout } = this;
    await foundAs(
      (item) => currentOf(layout, item),
      transactWithReplayMarker(
        this.doc,
        tableName,
        [
          { Put: { TableName: tableName, Item: currentItem(layout, record), ...currentCondition } },
          {
            Put: {
              TableName: tableName,
              Item: versionItem(layout, record),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
        replay,
        signed,
      ),
    );
  }
}

/**
 * The store of one layout, as a class whose constructor takes only the client and the table: conclusions extend it
 * with their attachment, summaries use it as it is.
 */
export function versionedStoreOf<R extends CurrentFields, V extends VersionFields>(layout: VersionedLayout<R>) {
  return class extends DynamoVersionedStore<R, V> {
    constructor(doc: DynamoDBDocumentClient, tableName: string) {
      super(doc, tableName, layout);
    }
  };
}
