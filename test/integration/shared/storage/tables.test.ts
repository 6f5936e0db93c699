import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsTable, statsTable } from '../../../../shared/storage/tables.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

describe('table definitions on DynamoDB Local', () => {
  let tables: TestTables;
  beforeAll(async () => {
    tables = await createTestTables('tables');
  });
  afterAll(async () => {
    await tables.drop();
  });

  it('creates the records table with its index, stream and TTL', async () => {
    const { Table } = await tables.client.send(new DescribeTableCommand({ TableName: tables.names.records }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['gsi1']);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:/);
    const ttl = await tables.client.send(new DescribeTimeToLiveCommand({ TableName: tables.names.records }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(recordsTable.ttlAttribute);
  });

  it('creates the stats table without the stream only AWS reads', async () => {
    // The publisher's stream (KEYS_ONLY, infra) would make DynamoDB Local write a stream record in every counter
    // write, for nothing: locally the site rebuilder reads the dirty marker itself.
    expect(statsTable.stream).toBe('KEYS_ONLY');
    const { Table } = await tables.client.send(new DescribeTableCommand({ TableName: tables.names.stats }));
    expect(Table?.StreamSpecification).toBeUndefined();
    expect(Table?.LatestStreamArn).toBeUndefined();
  });

  it('round-trips an item through the real engine', async () => {
    await tables.doc.send(new PutCommand({ TableName: tables.names.stats, Item: { pk: 'a', sk: 'b', n: 1 } }));
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.stats, Key: { pk: 'a', sk: 'b' } }),
    );
    expect(Item).toEqual({ pk: 'a', sk: 'b', n: 1 });
  });

  it('refuses a conditional write the way DynamoDB does', async () => {
    const put = () =>
      tables.doc.send(
        new PutCommand({
          TableName: tables.names.stats,
          Item: { pk: 'c', sk: 'c' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});
