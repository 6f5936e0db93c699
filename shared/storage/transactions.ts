import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ReplayedRequestError, type ReplayMarker } from '../auth/replay.js';
import type { SignedRequest } from '../auth/signed-request.js';
import { StaleWriteError } from '../publishing/optimistic.js';
import { ENTITY_ATTRIBUTE, REPLAY_MARKER_ENTITY, replayMarkerKey } from './keys.js';
import { asUnavailable, cancellationItems, cancellationReasons } from './sdk-errors.js';
import { signedBodyPut } from './signed-bodies-repository.js';

/**
 * The one transaction of every agency write (conclusions, summaries, reports, attachments, agency keys): the
 * caller's items, the signed body and the replay marker, all or nothing, and the one mapping of its cancellation:
 * the marker's condition is a replay (401), any other lost condition or conflict a StaleWriteError that carries
 * what the record's failed condition found (ALL_OLD), so the service decides again without reading.
 */

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

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
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: all.map(returningOldOnFailure) }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = cancellationReasons(error);
      if (marker && reasons[all.length - 1] === 'ConditionalCheckFailed') throw new ReplayedRequestError();
      if (reasons.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) {
        // The first item is the record the caller decided on: what its failed condition found is its new state.
        const current = reasons[0] === 'ConditionalCheckFailed' ? cancellationItems(error)[0] : undefined;
        throw new StaleWriteError(
          'the record changed before the write',
          { cause: error },
          current ? { current } : undefined,
        );
      }
      // Without reasons (some engines omit them) a cancellation is still a lost race: read again and decide.
      if (reasons.length === 0) throw new StaleWriteError('the transaction was cancelled', { cause: error });
    }
    if (error instanceof TransactionConflictException) {
      throw new StaleWriteError('another transaction held the record', { cause: error });
    }
    throw asUnavailable(error) ?? error;
  }
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
