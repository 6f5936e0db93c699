import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ReplayedRequestError, type ReplayMarker } from '../auth/replay.js';
import type { SignedRequest } from '../auth/signed-request.js';
import { StaleWriteError } from '../publishing/optimistic.js';
import { ENTITY_ATTRIBUTE, REPLAY_MARKER_ENTITY, replayMarkerKey } from './keys.js';
import { asUnavailable } from './sdk-errors.js';
import { signedBodyPut } from './signed-bodies-repository.js';

/**
 * Every transaction of the storage, and the one place that reads its cancellation (`transact`, `cancellationOf`):
 * which item's condition failed, what it found (ALL_OLD), whether another transaction held an item, and the
 * retry of such a conflict; each caller turns that into its own outcome (a survey's 409, the log's "already
 * logged", the aggregation's "already applied"). The agency writes (conclusions, summaries, reports, attachments,
 * agency keys) share one transaction on top: the caller's items, the signed body and the replay marker, all or
 * nothing, whose cancellation is a replay (401) for the marker's condition and otherwise a StaleWriteError that
 * carries what the record's failed condition found, so the service decides again without reading.
 */

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A cancelled transaction, read once. */
export interface Cancellation {
  /**
   * The code of each item, in the transaction's order (`None` where it passed, `ConditionalCheckFailed` where its
   * condition did not hold); empty when the engine gave none, or for a TransactionConflictException.
   */
  readonly reasons: readonly string[];
  /** Another transaction held one of the items at that instant: nothing was written, and trying again may pass. */
  readonly conflict: boolean;
  /** Whether the condition of the item at `index` failed; without an index, whether any item's did. */
  conditionFailed(index?: number): boolean;
  /** What the failed condition of the item at `index` found, when the item asked for it (ALL_OLD). */
  found(index: number): Record<string, unknown> | undefined;
}

/** The cancellation a transaction's error tells (undefined for any other error: the caller rethrows it). */
export function cancellationOf(error: unknown): Cancellation | undefined {
  if (error instanceof TransactionConflictException) {
    return { reasons: [], conflict: true, conditionFailed: () => false, found: () => undefined };
  }
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const parts = error.CancellationReasons ?? [];
  const reasons = parts.map((reason) => reason.Code ?? 'None');
  return {
    reasons,
    conflict: reasons.includes('TransactionConflict'),
    conditionFailed: (index?: number) =>
      index === undefined ? reasons.includes('ConditionalCheckFailed') : reasons[index] === 'ConditionalCheckFailed',
    found: (index: number) => {
      const item = reasons[index] === 'ConditionalCheckFailed' ? parts[index]?.Item : undefined;
      return item ? unmarshall(item) : undefined;
    },
  };
}

/** How a caller reads its transaction's cancellation, and how long it waits out a conflict. */
export interface TransactOptions<T> {
  /**
   * The caller's outcome of a cancellation: a value to return, a typed error thrown, or undefined to throw the SDK
   * error itself (a ServiceUnavailableError where the database cannot answer).
   */
  readonly onCancelled: (cancellation: Cancellation, error: unknown) => T | undefined;
  /**
   * Attempts while a conflict with another transaction is the only cause (no condition failed, which another try
   * would only fail again), with a jittered exponential backoff of `backoffMs` × 2^attempt; then `onCancelled`
   * reads the last conflict. Default 1: no retry.
   */
  readonly conflictAttempts?: number;
  readonly backoffMs?: number;
}

/**
 * Writes the items in one transaction: undefined when written, else what `onCancelled` makes of the cancellation.
 * Any other failure is thrown, as a ServiceUnavailableError (503) where the database cannot answer now.
 */
export async function transact<T>(
  doc: DynamoDBDocumentClient,
  items: readonly TransactItem[],
  options: TransactOptions<T>,
): Promise<T | undefined> {
  const command = new TransactWriteCommand({ TransactItems: [...items] });
  const attempts = options.conflictAttempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    try {
      await doc.send(command);
      return undefined;
    } catch (error) {
      const cancellation = cancellationOf(error);
      if (!cancellation) throw asUnavailable(error) ?? error;
      if (cancellation.conflict && !cancellation.conditionFailed() && attempt < attempts) {
        await sleep((options.backoffMs ?? 10) * 2 ** attempt * Math.random());
        continue;
      }
      const outcome = options.onCancelled(cancellation, error);
      if (outcome === undefined) throw asUnavailable(error) ?? error;
      return outcome;
    }
  }
}

/** The Put of a replay marker, for a transaction: it fails when the token was already used. */
export function replayMarkerPut(tableName: string, marker: ReplayMarker): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...replayMarkerKey(marker.agencyId, marker.jti),
        [ENTITY_ATTRIBUTE]: REPLAY_MARKER_ENTITY,
        agencyId: marker.agencyId,
        jti: marker.jti,
        expiresAt: marker.expiresAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A transaction item whose condition, when it fails, returns the item it found (no read to learn why). */
function returningOldOnFailure(item: TransactItem): TransactItem {
  const [kind, operation] = Object.entries(item)[0] ?? [];
  if (!kind || !operation || !('ConditionExpression' in operation)) return item;
  return { [kind]: { ...operation, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } } as TransactItem;
}

/**
 * Writes the given items, the signed request's body bytes and the replay marker (when given) in one transaction. A failed marker condition is a
 * replay (401); a failed condition on any other item, or a conflict with another transaction, is a
 * StaleWriteError for the service to resolve by reading again. Nothing is written in either case.
 */
export async function transactWithReplayMarker(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly TransactItem[],
  marker: ReplayMarker | undefined,
  signed?: SignedRequest,
): Promise<void> {
  // The body bytes go in the same transaction as the version that cites them (a refused request stores nothing);
  // the marker stays last, where the cancellation reasons are read for it.
  const withBody = signed ? [...items, signedBodyPut(tableName, signed)] : [...items];
  const all = marker ? [...withBody, replayMarkerPut(tableName, marker)] : withBody;
  await transact<never>(doc, all.map(returningOldOnFailure), {
    onCancelled: (cancellation, error) => {
      if (marker && cancellation.conditionFailed(all.length - 1)) throw new ReplayedRequestError();
      if (cancellation.reasons.length === 0 && cancellation.conflict) {
        throw new StaleWriteError('another transaction held the record', { cause: error });
      }
      if (cancellation.conditionFailed() || cancellation.conflict) {
        // The first item is the record the caller decided on: what its failed condition found is its new state.
        const current = cancellation.found(0);
        throw new StaleWriteError(
          'the record changed before the write',
          { cause: error },
          current ? { current } : undefined,
        );
      }
      // Without reasons (some engines omit them) a cancellation is still a lost race: read again and decide.
      if (cancellation.reasons.length === 0)
        throw new StaleWriteError('the transaction was cancelled', { cause: error });
      return undefined;
    },
  });
}

/**
 * Awaits a write whose lost race carries the item its condition found (transactWithReplayMarker), and hands the
 * service that item as its record, parsed by its schema (a malformed item fails here, not in the decision).
 */
export async function foundAs(toRecord: (item: unknown) => unknown, write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof StaleWriteError) || !error.found) throw error;
    throw new StaleWriteError(error.message, { cause: error.cause }, { current: toRecord(error.found.current) });
  }
}
