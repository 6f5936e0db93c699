import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../errors.js';
import type { CommentPage, CommentRecord, CommentStatus, CommentStore } from '../surveys/ports.js';
import * as z from '../zod.js';
import { commentOf } from './items/comment.js';
import { commentIndexKey, commentKey, commentStatusPartition } from './keys.js';
import { asUnavailable, orUnavailable } from './sdk-errors.js';
import { recordsTable } from './tables.js';

/**
 * Citizens' comments in the `records` table (keys: keys.ts, "Surveys"). A comment is written with its survey
 * response (surveys-repository.ts) as `pending`; moderators move it to `approved` or `rejected`, and its gsi1
 * key moves with the status, so each queue is one Query in submission order.
 */

/** Most comments listed per page. */
export const MAX_COMMENT_PAGE = 100;

/** The CommentStore port over DynamoDB. */
export class DynamoCommentStore implements CommentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One page of the comments in a status, oldest first. */
  async list(status: CommentStatus, options: { limit?: number; cursor?: string } = {}): Promise<CommentPage> {
    const limit = Math.min(Math.max(1, options.limit ?? 50), MAX_COMMENT_PAGE);
    const page = await orUnavailable(
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: recordsTable.indexes[0].indexName,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': commentStatusPartition(status) },
          Limit: limit,
          ...(options.cursor ? { ExclusiveStartKey: decodeCursor(options.cursor) } : {}),
        }),
      ),
    );
    const items = (page.Items ?? []).map(commentOf);
    return page.LastEvaluatedKey ? { items, cursor: encodeCursor(page.LastEvaluatedKey) } : { items };
  }

  /** The comment with this id, or undefined. */
  async get(id: string): Promise<CommentRecord | undefined> {
    const { Item } = await orUnavailable(
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: commentKey(id) })),
    );
    return Item ? commentOf(Item) : undefined;
  }

  /**
   * Approves or rejects a pending comment. The condition (it exists and is pending) makes two moderators deciding
   * at once safe: the second gets ConflictError and the first decision stands.
   */
  async decide(id: string, status: Exclude<CommentStatus, 'pending'>, at: string, by: string): Promise<CommentRecord> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`No comment with id ${id}.`);
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: commentKey(id),
          UpdateExpression:
            'SET #status = :status, moderatedAt = :at, moderatedBy = :by, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
          ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':at': at,
            ':by': by,
            ':pending': 'pending',
            ...prefixKeys(commentIndexKey(status, current.submittedAt, id)),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return commentOf(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`Comment ${id} is no longer pending.`, { id }, { cause: error });
      }
      throw asUnavailable(error) ?? error;
    }
  }
}

function prefixKeys(key: { gsi1pk: string; gsi1sk: string }): Record<string, string> {
  return { ':gsi1pk': key.gsi1pk, ':gsi1sk': key.gsi1sk };
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const CursorSchema = z.record(z.string(), z.string());

function decodeCursor(cursor: string): Record<string, string> {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (error) {
    throw new RangeError('not a cursor of this list', { cause: error });
  }
}
