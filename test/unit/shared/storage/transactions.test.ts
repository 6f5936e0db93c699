import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../../../shared/errors.js';
import { cancellationOf, transact } from '../../../../shared/storage/transactions.js';

/**
 * The conflict path of `transact`: DynamoDB Local answers a conflict between transactions only when two happen to
 * overlap, so the retry is shown here with the engine's own exception classes, in the shapes the SDK throws.
 */

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** A client whose sends fail with the given errors in turn, then succeed; counts the sends. */
function failingClient(...errors: unknown[]): { doc: DynamoDBDocumentClient; sends: () => number } {
  let sends = 0;
  const doc = {
    send: async () => {
      const error = errors[sends++];
      if (error) throw error;
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, sends: () => sends };
}

describe('transact: conflicts with another transaction', () => {
  it('tries again while a conflict is the only cause, then writes', async () => {
    // Prepare
    const { doc, sends } = failingClient(cancelled('None', 'TransactionConflict'), cancelled('TransactionConflict'));
    // Act
    const outcome = await transact(doc, [], { conflictAttempts: 3, backoffMs: 0, onCancelled: () => 'lost' });
    // Assess
    expect(outcome).toBeUndefined();
    expect(sends()).toBe(3);
  });

  it('hands the last conflict to onCancelled after every attempt', async () => {
    // Prepare
    const { doc, sends } = failingClient(...Array.from({ length: 5 }, () => cancelled('TransactionConflict')));
    // Act
    const write = transact(doc, [], {
      conflictAttempts: 4,
      backoffMs: 0,
      onCancelled: (cancellation) => {
        if (cancellation.conflict) throw new ServiceUnavailableError(1);
        return undefined;
      },
    });
    // Assess
    await expect(write).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(sends()).toBe(4);
  });

  it('does not retry a conflict beside a failed condition: another try would fail the same way', async () => {
    // Prepare
    const { doc, sends } = failingClient(cancelled('ConditionalCheckFailed', 'TransactionConflict'));
    // Act
    const outcome = await transact(doc, [], { conflictAttempts: 5, backoffMs: 0, onCancelled: () => 'refused' });
    // Assess
    expect(outcome).toBe('refused');
    expect(sends()).toBe(1);
  });

  it('reads a TransactionConflictException as a conflict without reasons, and any other error as none', () => {
    const conflict = cancellationOf(
      new TransactionConflictException({ message: 'conflict', $metadata: { httpStatusCode: 400 } }),
    );
    expect(conflict).toMatchObject({ reasons: [], conflict: true });
    expect(conflict?.conditionFailed()).toBe(false);
    expect(cancellationOf(new Error('other'))).toBeUndefined();
    expect(cancellationOf(cancelled())).toMatchObject({ reasons: [], conflict: false });
  });

  it('throws an error that is not a cancellation as unavailable where the database cannot answer', async () => {
    // Prepare
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const { doc } = failingClient(throttled);
    // Act
    const write = transact(doc, [], { onCancelled: () => 'never' });
    // Assess
    await expect(write).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
