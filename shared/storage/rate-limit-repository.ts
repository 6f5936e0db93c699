import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimitStore } from '../surveys/ports.js';
import { addOne } from './counter.js';
import { RATE_BUCKET_ENTITY, rateBucketKey } from './keys.js';

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
    return addOne(this.doc, this.tableName, {
      key: rateBucketKey(bucket),
      entity: RATE_BUCKET_ENTITY,
      counter: 'count',
      setIfAbsent: { expiresAt },
    });
  }
}
