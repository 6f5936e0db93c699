import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, ServiceUnavailableError } from '../errors.js';
import type { CommentRecord, SurveyRecord, SurveyStore } from '../surveys/ports.js';
import { commentItem } from './items/comment.js';
import { surveyItem } from './items/survey.js';
import { asUnavailable } from './sdk-errors.js';
import { transact } from './transactions.js';

/**
 * Survey responses in the `records` table (keys: keys.ts, "Surveys"). The dossier hash is the partition key and
 * every write is conditional on its absence, so "one response per dossier" holds however many requests race:
 * the database, not a read-then-write in the handler, decides which one wins.
 */

/** Attempts when a transaction is cancelled only because another one held the same item (TransactionConflict). */
const TRANSACTION_ATTEMPTS = 5;
const DUPLICATE_MESSAGE = 'A response for this dossier was already received; each dossier can be rated once.';

/** The SurveyStore port over DynamoDB. */
export class DynamoSurveyStore implements SurveyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Puts the response (and its comment) if no response exists for the dossier; ConflictError otherwise.
   * With a comment, both items go in one transaction, so a comment is never stored without its response.
   */
  async create(survey: SurveyRecord, comment?: CommentRecord): Promise<void> {
    if (!comment) {
      await this.#putAlone(survey);
      return;
    }
    await this.#putWithComment(survey, comment);
  }

  async #putAlone(survey: SurveyRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: surveyItem(survey),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(DUPLICATE_MESSAGE, undefined, { cause: error });
      }
      throw asUnavailable(error) ?? error;
    }
  }

  async #putWithComment(survey: SurveyRecord, comment: CommentRecord): Promise<void> {
    // What the transaction guarantees: the response is new, and the comment id (random) is too.
    const isNew = 'attribute_not_exists(pk)';
    await transact(
      this.doc,
      [
        { Put: { TableName: this.tableName, Item: surveyItem(survey), ConditionExpression: isNew } },
        { Put: { TableName: this.tableName, Item: commentItem(comment), ConditionExpression: isNew } },
      ],
      {
        // Another transaction on the same dossier was in flight: once it settles, a retry either wins or sees the
        // response it wrote and becomes a 409.
        conflictAttempts: TRANSACTION_ATTEMPTS,
        backoffMs: 20,
        onCancelled: (cancellation, error) => {
          if (cancellation.conditionFailed(0)) throw new ConflictError(DUPLICATE_MESSAGE, undefined, { cause: error });
          // Still conflicting after every attempt: nothing was written; the client may simply retry.
          if (cancellation.conflict) throw new ServiceUnavailableError(1, undefined, { cause: error });
          return undefined;
        },
      },
    );
  }
}
