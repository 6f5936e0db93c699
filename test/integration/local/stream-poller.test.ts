import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StreamPoller } from '../../../local/stream-poller.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { streamsClient } from '../functions/aggregation/stream-support.js';

describe('StreamPoller on DynamoDB Local', () => {
  let tables: TestTables;
  let streams: DynamoDBStreamsClient;
  const dirs: string[] = [];
  const pollers: StreamPoller[] = [];

  beforeAll(async () => {
    tables = await createTestTables('poller');
    streams = streamsClient(tables);
  });

  afterEach(async () => {
    for (const poller of pollers.splice(0)) await poller.stop();
  });

  afterAll(async () => {
    streams?.destroy();
    await tables?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'poller-'));
    dirs.push(dir);
    return dir;
  };
  const put = (pk: string, extra: Record<string, unknown> = {}) =>
    tables.doc.send(new PutCommand({ TableName: tables.names.records, Item: { pk, sk: 'X', ...extra } }));
  const poller = (
    dataDir: string,
    handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>,
    extra: Partial<ConstructorParameters<typeof StreamPoller>[0]> = {},
  ) => {
    const p = new StreamPoller({
      dynamo: tables.client,
      streams,
      tableName: tables.names.records,
      dataDir,
      handler,
      idleMs: 50,
      retryDelayMs: 10,
      ...extra,
    });
    pollers.push(p);
    p.start();
    return p;
  };

  it('delivers every record once in the shape Lambda sends, and resumes from its checkpoint after a restart', async () => {
    // Prepare
    const dataDir = newDir();
    const seen: DynamoDBRecord[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      seen.push(...event.Records);
      return { batchItemFailures: [] };
    };
    await put('A#1', { n: 1 });
    await put('A#1', { n: 2 });

    // Act
    const first = poller(dataDir, handler);
    await first.drain();
    await first.stop();
    await put('A#2', { n: 3 });
    const second = poller(dataDir, handler);
    await second.drain();

    // Assess
    expect(seen.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S])).toEqual([
      ['INSERT', 'A#1'],
      ['MODIFY', 'A#1'],
      ['INSERT', 'A#2'],
    ]);
    const modify = seen[1];
    expect(modify?.dynamodb?.OldImage?.n).toEqual({ N: '1' });
    expect(modify?.dynamodb?.NewImage?.n).toEqual({ N: '2' });
    expect(typeof modify?.dynamodb?.ApproximateCreationDateTime).toBe('number');
    expect(modify?.eventSourceARN).toMatch(/:table\/.*\/stream\//);
    expect(JSON.parse(readFileSync(join(dataDir, 'stream-checkpoints.json'), 'utf8')).shards).not.toEqual({});
  });

  it('retries from the first failed record, then parks a record that keeps failing and moves on', async () => {
    // Prepare: a new table state after the records of the previous test, read from a fresh checkpoint
    const dataDir = newDir();
    await put('B#ok1');
    await put('B#poison');
    await put('B#ok2');
    const deliveries: string[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      const failures = event.Records.filter((r) => r.dynamodb?.Keys?.pk?.S === 'B#poison').map((r) => ({
        itemIdentifier: r.dynamodb?.SequenceNumber ?? '',
      }));
      for (const r of event.Records) deliveries.push(r.dynamodb?.Keys?.pk?.S ?? '');
      return { batchItemFailures: failures };
    };

    // Act
    const p = poller(dataDir, handler, { maxAttempts: 3 });
    await p.drain();

    // Assess
    expect(deliveries.filter((pk) => pk === 'B#poison')).toHaveLength(3);
    expect(deliveries.filter((pk) => pk === 'B#ok1')).toHaveLength(1);
    expect(deliveries).toContain('B#ok2');
    const parked = readdirSync(join(dataDir, 'dlq'));
    expect(parked).toHaveLength(1);
    const entry = JSON.parse(readFileSync(join(dataDir, 'dlq', parked[0] ?? ''), 'utf8'));
    expect(entry).toMatchObject({ attempts: 3, record: { dynamodb: { Keys: { pk: { S: 'B#poison' } } } } });
  });

  it('treats a handler that throws as a failure of the whole batch', async () => {
    // Prepare
    const dataDir = newDir();
    let calls = 0;
    const handler = async (event: DynamoDBStreamEvent) => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return { batchItemFailures: [] as { itemIdentifier: string }[], records: event.Records.length };
    };

    // Act
    const p = poller(dataDir, handler, { maxAttempts: 5 });
    await p.drain();

    // Assess: redelivered from the start, nothing parked
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(() => readdirSync(join(dataDir, 'dlq'))).toThrow();
  });
});
