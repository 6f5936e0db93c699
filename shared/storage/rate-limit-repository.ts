import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimitStore } from '../surveys/ports.js';
import { ENTITY_ATTRIBUTE, RATE_BUCKET_ENTITY, rateBucketKey } from './keys.js';
import { asUnavailable } from './sdk-errors.js';

/**
 * Rate-limit buckets in the `records` table (keys: keys.ts, "Surveys"). One UpdateItem with ADD both creates
 * the counter and increments it, atomically, so concurrent requests of one client each see a distinct count.
 * The TTL attribute lets DynamoDB delete buckets after their window; the key changes every window anyway.
 */
export class DynamoRateLimitStore implements RateLimitStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds one hit to the bucket and returns the new count. */
  async hit(bucket: string, expiresAt: number): Promise<number> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateBucketKey(bucket),
          UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt), #entity = :entity',
          ExpressionAttributeNames: { '#count': 'count', '#entity': ENTITY_ATTRIBUTE },
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt, ':entity': RATE_BUCKET_ENTITY },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const count = Attributes?.count;
      if (typeof count !== 'number') throw new Error('rate-limit counter missing from the update result');
      return count;
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  }
}
