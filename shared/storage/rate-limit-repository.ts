import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateCount, RateLimitStore } from '../surveys/ports.js';
import { addOne, type CounterAdd, counterUpdate } from './counter.js';
import { RATE_BUCKET_ENTITY, rateBucketKey } from './keys.js';
import type { TransactItem } from './transactions.js';

/**
 * Rate-limit buckets, in the `stats` table (keys: keys.ts, "Rate-limit buckets", which also says why there and not
 * among the records). One atomic add (counter.ts) both creates the counter and increments it, so concurrent requests
 * of one client each see a distinct count. The TTL attribute (`expiresAt`, the stats table's as the records
 * table's) lets DynamoDB delete buckets after their window; the key changes every window anyway.
 */
export class DynamoRateLimitStore implements RateLimitStore {
  /** `tableName`: the stats table (`TableNames.stats`). */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds one hit to the bucket and returns the new count (the bucket expires after the window of its first hit). */
  hit(bucket: string, expiresAt: number): Promise<number> {
    return addOne(this.doc, this.tableName, bucketAdd(bucket, expiresAt));
  }

  /**
   * The hit of a request as an item of the transaction that stores what it allows (a transaction may span both
   * tables): added only while the bucket holds fewer than the limit, so the transaction is cancelled on this item's
   * condition at the limit (a survey's 429). The same item `hit` adds to.
   */
  countUpdate(count: RateCount): TransactItem {
    const update = counterUpdate(bucketAdd(count.bucket, count.expiresAt));
    return {
      Update: {
        TableName: this.tableName,
        ...update,
        ConditionExpression: 'attribute_not_exists(#counter) OR #counter < :limit',
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':limit': count.limit },
      },
    };
  }
}

/** The add of one hit to a bucket: the same item, whether added alone (`hit`) or in a transaction (`countUpdate`). */
function bucketAdd(bucket: string, expiresAt: number): CounterAdd {
  return { key: rateBucketKey(bucket), entity: RATE_BUCKET_ENTITY, counter: 'count', setIfAbsent: { expiresAt } };
}
