import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, ServiceUnavailableError } from '../errors.js';
import type { CommentRecord, RateCount, SurveyRecord, SurveyStore } from '../surveys/ports.js';
import { commentItem } from './items/comment.js';
import { surveyItem } from './items/survey.js';
import type { DynamoRateLimitStore } from './rate-limit-repository.js';
import { asUnavailable } from './sdk-errors.js';
import { type TransactItem, transact } from './transactions.js';

/**
 * Survey responses in the `records` table (keys: keys.ts, "Surveys"). The dossier hash is the partition key and
 * every write is conditional on its absence, so "one response per dossier" holds however many requests race:
 * the database, not a read-then-write in the handler, decides which one wins.
 */

/** Attempts when a transaction is cancelled only because another one held the same item (TransactionConflict). */
const TRANSACTION_ATTEMPTS = 8;
const DUPLICATE_MESSAGE = 'A response for this dossier was already received; each dossier can be rated once.';

/** The SurveyStore port over DynamoDB. */
export class DynamoSurveyStore implements SurveyStore {
  /** `rateLimits`: where a rate count given to `create` is counted (its bucket, in the stats table). */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly rateLimits?: DynamoRateLimitStore,
  ) {}

  /**
   * Puts the response (and its comment) if no response exists for the dossier; ConflictError otherwise.
   * With a comment, both items go in one transaction, so a comment is never stored without its response; with a
   * rate count, the client's counter is counted in the same transaction (refused at the limit: `count.refusal()`).
   */
  async create(survey: SurveyRecord, comment?: CommentRecord, count?: RateCount): Promise<void> {
    if (!comment && !count) {
      await this.#putAlone(survey);
      return;
    }
    await this.#transact(survey, comment, count);
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

  async #transact(survey: SurveyRecord, comment: CommentRecord | undefined, count: RateCount | undefined) {
    // What the transaction guarantees: the response is new, the comment id (random) is too, and the client's
    // counter was under the limit and now counts this response.
    const isNew = 'attribute_not_exists(pk)';
    const items: TransactItem[] = [
      { Put: { TableName: this.tableName, Item: surveyItem(survey), ConditionExpression: isNew } },
      ...(comment
        ? [{ Put: { TableName: this.tableName, Item: commentItem(comment), ConditionExpression: isNew } }]
        : []),
    ];
    let counterAt = -1;
    if (count) {
      if (!this.rateLimits) throw new Error('a rate count needs the store of rate-limit buckets');
      counterAt = items.push(this.rateLimits.countUpdate(count)) - 1;
    }
    await transact(this.doc, items, {
      // Another transaction on the same dossier, or on the same client's counter (many people behind one address,
      // an office kiosk or a carrier's NAT), was in flight: once it settles, a retry either passes or meets the
      // condition that decides (the response it wrote: 409; the counter at the limit: 429). Never a refusal.
      conflictAttempts: TRANSACTION_ATTEMPTS,
      backoffMs: 20,
      onCancelled: (cancellation, error) => {
        if (count && cancellation.conditionFailed(counterAt)) throw count.refusal();
        if (cancellation.conditionFailed(0)) throw new ConflictError(DUPLICATE_MESSAGE, undefined, { cause: error });
        // Still conflicting after every attempt: nothing was written; the client may simply retry.
        if (cancellation.conflict) throw new ServiceUnavailableError(1, undefined, { cause: error });
        return undefined;
      },
    });
  }
}
