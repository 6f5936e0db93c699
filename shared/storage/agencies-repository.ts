import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AgencyRegistry } from '../agencies/ports.js';
import { type Agency, type AgencyKey, AgencyKeySchema, AgencySchema } from '../agencies/schemas.js';
import { ReplayedRequestError, type ReplayGuard, type ReplayMarker } from '../auth/replay.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { StaleWriteError } from '../publishing/optimistic.js';
import { withoutKeys } from './items/item.js';
import {
  AGENCIES_PARTITION,
  AGENCY_ENTITY,
  AGENCY_KEY_ENTITY,
  agencyIndexKey,
  agencyKey,
  agencyKeyKey,
  agencyPartition,
  ENTITY_ATTRIBUTE,
  replayMarkerKey,
} from './keys.js';
import { queryAll } from './pages.js';
import { asUnavailable, orUnavailable } from './sdk-errors.js';
import { replayMarkerPut, transactWithReplayMarker } from './transactions.js';

/**
 * Agencies, their keys and the replay markers in the `records` table (keys.ts, "Agencies"). An agency and its
 * keys share a partition, so verifying a request costs one strongly consistent Query (a key revoked a moment ago
 * is already refused). The transaction every agency write uses, with its replay marker, is transactions.ts.
 */

/** The AgencyRegistry and ReplayGuard ports over DynamoDB. */
export class DynamoAgencyRepository implements AgencyRegistry, ReplayGuard {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The agency and all its keys, in one strongly consistent Query of its partition. */
  async find(agencyId: string): Promise<{ agency: Agency; keys: AgencyKey[] } | undefined> {
    let agency: Agency | undefined;
    const keys: AgencyKey[] = [];
    const items = await orUnavailable(
      queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': agencyPartition(agencyId) },
        ConsistentRead: true,
      }),
    );
    for (const item of items) {
      if (item[ENTITY_ATTRIBUTE] === AGENCY_ENTITY) agency = AgencySchema.parse(withoutKeys(item));
      else if (item[ENTITY_ATTRIBUTE] === AGENCY_KEY_ENTITY) keys.push(AgencyKeySchema.parse(withoutKeys(item)));
    }
    return agency ? { agency, keys } : undefined;
  }

  /** Creates the agency and its first key atomically; ConflictError when the id is taken. */
  async create(agency: Agency, key: AgencyKey): Promise<void> {
    try {
      await transactWithReplayMarker(
        this.doc,
        this.tableName,
        [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...agencyKey(agency.id),
                ...agencyIndexKey(agency.id),
                [ENTITY_ATTRIBUTE]: AGENCY_ENTITY,
                ...agency,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: this.tableName, Item: keyItem(key), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
        undefined,
      );
    } catch (error) {
      if (error instanceof StaleWriteError)
        throw new ConflictError(`Agency "${agency.id}" already exists.`, { id: agency.id });
      throw error;
    }
  }

  /** Adds a key if the agency exists and the key is not there yet (both checked in one transaction). */
  async addKey(key: AgencyKey): Promise<void> {
    try {
      await transactWithReplayMarker(
        this.doc,
        this.tableName,
        [
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: agencyKey(key.agencyId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          { Put: { TableName: this.tableName, Item: keyItem(key), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
        undefined,
      );
    } catch (error) {
      if (error instanceof StaleWriteError) {
        throw new ConflictError(`Agency "${key.agencyId}" does not exist or already has key ${key.thumbprint}.`);
      }
      throw error;
    }
  }

  /** Marks a key revoked (idempotent: revoking twice keeps the first date). */
  async revokeKey(agencyId: string, thumbprint: string, revokedAt: string): Promise<AgencyKey> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: agencyKeyKey(agencyId, thumbprint),
          UpdateExpression: 'SET #status = :revoked, revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'revoked', ':at': revokedAt },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return AgencyKeySchema.parse(withoutKeys(Attributes ?? {}));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new NotFoundError(`Agency "${agencyId}" has no key ${thumbprint}.`);
      }
      throw asUnavailable(error) ?? error;
    }
  }

  /** Suspends or reinstates an agency: one conditional update of its item (requests read it on every call). */
  async setStatus(agencyId: string, status: Agency['status'], at: string): Promise<Agency> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: agencyKey(agencyId),
          UpdateExpression: 'SET #status = :status, statusChangedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return AgencySchema.parse(withoutKeys(Attributes ?? {}));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new NotFoundError(`No agency "${agencyId}".`);
      }
      throw asUnavailable(error) ?? error;
    }
  }

  /** Every agency, in id order (gsi1 `AGENCIES`). */
  async list(): Promise<Agency[]> {
    const items = await orUnavailable(
      queryAll(this.doc, {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': AGENCIES_PARTITION },
      }),
    );
    return items.map((item) => AgencySchema.parse(withoutKeys(item)));
  }

  /** True when the token's marker exists (the conditional write is what decides; this only refuses early). */
  async seen(marker: ReplayMarker): Promise<boolean> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: replayMarkerKey(marker.agencyId, marker.jti),
          ConsistentRead: true,
        }),
      );
      return Item !== undefined;
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  }

  /** Writes the marker alone (the idempotent "same content" path); ReplayedRequestError when it exists. */
  async remember(marker: ReplayMarker): Promise<void> {
    const put = replayMarkerPut(this.tableName, marker).Put;
    if (!put) return;
    try {
      await this.doc.send(new PutCommand(put));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ReplayedRequestError();
      throw asUnavailable(error) ?? error;
    }
  }
}

function keyItem(key: AgencyKey): Record<string, unknown> {
  return { ...agencyKeyKey(key.agencyId, key.thumbprint), [ENTITY_ATTRIBUTE]: AGENCY_KEY_ENTITY, ...key };
}

/** Every agency's keys (current and revoked), by agency id: published so anyone can check the signatures. */
export async function readAgencyKeys(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<Map<string, AgencyKey[]>> {
  const repository = new DynamoAgencyRepository(doc, tableName);
  const out = new Map<string, AgencyKey[]>();
  for (const agency of await repository.list()) {
    const found = await repository.find(agency.id);
    if (found) out.set(agency.id, found.keys);
  }
  return out;
}
