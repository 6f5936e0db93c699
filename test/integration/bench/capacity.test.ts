import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemSize, meterWriteCapacity } from '../../../bench/capacity.js';
import { createDocumentClient } from '../../../shared/storage/client.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';

describe('meterWriteCapacity', () => {
  let tables: TestTables;
  let meter: ReturnType<typeof meterWriteCapacity>;
  let doc: ReturnType<typeof createDocumentClient>;

  beforeAll(async () => {
    tables = await createTestTables('capacity');
    meter = meterWriteCapacity(tables.client, () => ['pk', 'sk']);
    doc = createDocumentClient(tables.client);
  });
  afterAll(() => tables.drop());

  // DynamoDB Local reports single writes' capacity as the service does: the meter must agree with it there.
  it.each([10, 900, 1_500, 3_000, 9_000])(
    'agrees with DynamoDB Local on a put and an update of a %i-byte item',
    async (bytes) => {
      const key = { pk: `P#${bytes}`, sk: 'S' };
      meter.reset();
      const put = await doc.send(
        new PutCommand({
          TableName: tables.names.stats,
          Item: { ...key, body: 'x'.repeat(bytes) },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      expect(meter.units()).toBe(put.ConsumedCapacity?.CapacityUnits);
      meter.reset();
      const update = await doc.send(
        new UpdateCommand({
          TableName: tables.names.stats,
          Key: key,
          UpdateExpression: 'ADD n :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      expect(meter.units()).toBe(update.ConsumedCapacity?.CapacityUnits);
    },
  );

  it('charges a transaction twice per started kilobyte of every item, after the write', async () => {
    meter.reset();
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tables.names.stats, Item: { pk: 'T#1', sk: 'S', body: 'x'.repeat(1_500) } } },
          ...['T#2', 'T#3', 'T#4'].map((pk) => ({
            Update: {
              TableName: tables.names.stats,
              Key: { pk, sk: 'S' },
              UpdateExpression: 'ADD n :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          })),
        ],
      }),
    );
    expect(meter.units()).toBe(2 * 2 + 3 * 2);
    expect(meter.byKind()).toEqual(new Map([['T', 2 * 2 + 3 * 2]]));
  });

  it('sizes items by the documented rules', () => {
    expect(itemSize({ pk: { S: 'abc' } })).toBe(2 + 3);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ m: { M: { a: { S: 'é' } } } })).toBe(1 + 3 + 1 + 2 + 1);
  });
});
