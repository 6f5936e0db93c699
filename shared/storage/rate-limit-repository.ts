import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateCount, RateLimitStore } from '../surveys/ports.js';
import { addOne, type CounterAdd, counterUpdate } from './counter.js';
import { RATE_BUCKET_ENTITY, rateBucketKey } from './keys.js';
import type { TransactItem } from './transactions.js';

/**
 * Rate-limit buckets in the `records` table (keys: keys.ts, "Surveys"). One atomic add (counter.ts) both creates
 * the counter and increments it, so concurrent requests of one client each see a distinct count.
 * The TTL attribute lets DynamoDB delete buckets after their window; the key changes every window anyway.
 */
export class DynamoRateLimitStore implements RateLimitStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds one hit to the bucket and returns the new count (the bucket expires after the window of its first hit). */
  hit(bucket: string, expiresAt: number): Promise<number> {
    return addOne(this.doc, this.tableName, bucketAdd(bucket, expiresAt));
  }
}

/** The add of one hit to a bucket: the same item, whether added alone (`hit`) or in a transaction (`rateCountUpdate`). */
function bucketAdd(bucket: string, expiresAt: number): CounterAdd {
  return { key: rateBucketKey(bucket), entity: RATE_BUCKET_ENTITY, counter: 'count', setIfAbsent: { expiresAt } };
}

/**
 * The hit of a request as an item of the transaction that stores what it allows: added only while the bucket holds
 * fewer than the limit, so the transaction is cancelled on this item's condition at the limit (a survey's 429).
 */
export function rateCountUpdate(tableName: string, count: RateCount): TransactItem {
  const update = counterUpdate(bucketAdd(count.bucket, count.expiresAt));
  return {
    Update: {
      TableName: tableName,
      ...update,
      ConditionExpression: 'attribute_not_exists(#counter) OR #counter < :limit',
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':limit': count.limit },
    },
  };
}
