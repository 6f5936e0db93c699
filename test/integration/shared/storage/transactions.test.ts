import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayedRequestError } from '../../../../shared/auth/replay.js';
import { StaleWriteError } from '../../../../shared/publishing/optimistic.js';
import {
  type Cancellation,
  type TransactItem,
  transact,
  transactWithReplayMarker,
} from '../../../../shared/storage/transactions.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

/**
 * The one reading of a cancelled transaction (shared/storage/transactions.ts) against the real engine: which
 * item's condition failed, what it found, and the agency transaction's replay and stale mappings built on it.
 */
describe('transact and its cancellation on DynamoDB Local', () => {
  let tables: TestTables;
  beforeAll(async () => {
    tables = await createTestTables('transactions');
  });
  afterAll(async () => {
    await tables.drop();
  });

  const putNew = (pk: string, extra: Record<string, unknown> = {}): TransactItem => ({
    Put: {
      TableName: tables.names.records,
      Item: { pk, sk: 'ITEM', ...extra },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  });
  const read = async (pk: string) =>
    (await tables.doc.send(new GetCommand({ TableName: tables.names.records, Key: { pk, sk: 'ITEM' } }))).Item;

  it('writes every item and answers undefined, without calling onCancelled', async () => {
    // Act
    const outcome = await transact(tables.doc, [putNew('T#a'), putNew('T#b')], {
      onCancelled: () => {
        throw new Error('not cancelled');
      },
    });
    // Assess
    expect(outcome).toBeUndefined();
    expect(await read('T#a')).toMatchObject({ pk: 'T#a' });
    expect(await read('T#b')).toMatchObject({ pk: 'T#b' });
  });

  it('names the item whose condition failed and hands back what it found, and writes nothing', async () => {
    // Prepare
    await transact(tables.doc, [putNew('T#found', { n: 7 })], { onCancelled: () => undefined });
    let seen: Cancellation | undefined;
    // Act
    const outcome = await transact(tables.doc, [putNew('T#fresh'), putNew('T#found', { n: 8 })], {
      onCancelled: (cancellation) => {
        seen = cancellation;
        return 'refused' as const;
      },
    });
    // Assess
    expect(outcome).toBe('refused');
    expect(seen?.reasons).toEqual(['None', 'ConditionalCheckFailed']);
    expect(seen?.conflict).toBe(false);
    expect([seen?.conditionFailed(), seen?.conditionFailed(0), seen?.conditionFailed(1)]).toEqual([true, false, true]);
    expect(seen?.found(1)).toMatchObject({ pk: 'T#found', n: 7 });
    expect(seen?.found(0)).toBeUndefined();
    expect(await read('T#fresh')).toBeUndefined();
  });

  it('throws the engine error itself when onCancelled has no outcome for it', async () => {
    // Prepare
    await transact(tables.doc, [putNew('T#twice')], { onCancelled: () => undefined });
    // Act
    const write = transact(tables.doc, [putNew('T#twice')], { onCancelled: () => undefined });
    // Assess
    await expect(write).rejects.toBeInstanceOf(TransactionCanceledException);
  });

  describe('the agency transaction', () => {
    const marker = { agencyId: 'agency-t', jti: 'jti-transactions-test-1', expiresAt: 4_000_000_000 };

    it('is a replay (ReplayedRequestError) when the marker was already written, and writes nothing', async () => {
      // Prepare
      await transactWithReplayMarker(tables.doc, tables.names.records, [putNew('T#first')], marker);
      // Act
      const again = transactWithReplayMarker(tables.doc, tables.names.records, [putNew('T#second')], marker);
      // Assess
      await expect(again).rejects.toBeInstanceOf(ReplayedRequestError);
      expect(await read('T#second')).toBeUndefined();
    });

    it("is a StaleWriteError carrying what the record's failed condition found", async () => {
      // Prepare
      await transact(tables.doc, [putNew('T#record', { version: 3 })], { onCancelled: () => undefined });
      // Act
      const error = await transactWithReplayMarker(tables.doc, tables.names.records, [putNew('T#record')], {
        ...marker,
        jti: 'jti-transactions-test-2',
      }).catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(StaleWriteError);
      expect((error as StaleWriteError).found?.current).toMatchObject({ pk: 'T#record', version: 3 });
    });
  });
});
