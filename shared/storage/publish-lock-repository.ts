import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PublishLease, PublishLeaseClaim, PublishLockStore } from '../publishing/ports.js';
import { ENTITY_ATTRIBUTE, PUBLISH_LOCK_ENTITY, publishLockKey } from './keys.js';

/**
 * The publish lock in the stats table (keys.ts, "Publish lock"): one item, only ever changed by a conditional
 * UpdateItem, so the publishers need no other write on that table (IAM: UpdateItem on `META#publish-lock` alone).
 * `leaseUntil` is epoch milliseconds, not the table's TTL attribute (`expiresAt`, seconds): the item stays, and a
 * released lease is an item without an owner.
 */
export class DynamoPublishLock implements PublishLockStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acquire(
    claim: PublishLeaseClaim,
    now: number,
  ): Promise<{ readonly acquired: true } | { readonly acquired: false; readonly held: PublishLease }> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: publishLockKey(),
          UpdateExpression:
            'SET #entity = :entity, #owner = :owner, #holder = :holder, #until = :until, #since = :since',
          // Free (never taken, or released), or run out: a holder that died cannot keep it past its lease.
          ConditionExpression: 'attribute_not_exists(#owner) OR #until < :now',
          ExpressionAttributeNames: {
            '#entity': ENTITY_ATTRIBUTE,
            '#owner': 'owner',
            '#holder': 'holder',
            '#until': 'leaseUntil',
            '#since': 'heldSince',
          },
          ExpressionAttributeValues: {
            ':entity': PUBLISH_LOCK_ENTITY,
            ':owner': claim.owner,
            ':holder': claim.holder,
            ':until': claim.until,
            ':since': new Date(now).toISOString(),
            ':now': now,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { acquired: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The item as the refusal found it: who holds it, until when.
      const item = error.Item;
      return {
        acquired: false,
        held: {
          holder: item?.holder?.S ?? 'unknown',
          until: Number(item?.leaseUntil?.N ?? 0),
        },
      };
    }
  }

  async renew(owner: string, until: number): Promise<boolean> {
    // Only its owner extends it: once another publisher took it over, `owner` differs and the renewal fails.
    return this.#ifOwner(owner, 'SET #until = :until', { ':until': until });
  }

  async release(owner: string): Promise<boolean> {
    return this.#ifOwner(owner, 'REMOVE #owner, #holder, #until, #since', {});
  }

  /** `update` if `owner` holds the lease (whether or not it ran out: nobody took it over meanwhile). */
  async #ifOwner(owner: string, update: string, values: Record<string, unknown>): Promise<boolean> {
    const names = { '#owner': 'owner', '#holder': 'holder', '#until': 'leaseUntil', '#since': 'heldSince' };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: publishLockKey(),
          UpdateExpression: update,
          ConditionExpression: '#owner = :owner',
          // Only the names the expressions use: DynamoDB refuses unused ones.
          ExpressionAttributeNames: Object.fromEntries(
            Object.entries(names).filter(([name]) => update.includes(name) || name === '#owner'),
          ),
          ExpressionAttributeValues: { ...values, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
