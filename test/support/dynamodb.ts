import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient, createDynamoClient, localCredentialsEnv } from '../../shared/storage/client.js';
import { ensureTables } from '../../shared/storage/create-tables.js';
import { prefixedTableNames, type TableNames } from '../../shared/storage/tables.js';

export interface TestTables {
  readonly endpoint: string;
  readonly names: TableNames;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  /** Environment for code that reads its configuration from process.env (handlers). */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * Creates a fresh pair of tables with a unique prefix on the run's DynamoDB Local, so test files never see
 * each other's data. Call in `beforeAll`, and `drop()` in `afterAll`.
 */
export async function createTestTables(label = 't'): Promise<TestTables> {
  const endpoint = inject('dynamodbEndpoint');
  const env = {
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'ap-southeast-1',
    ...localCredentialsEnv(inject('dynamodbCredentials')),
  };
  const client = createDynamoClient(env);
  const names = prefixedTableNames(`${label}-${randomBytes(4).toString('hex')}-`);
  await ensureTables(client, names);
  return {
    endpoint,
    names,
    client,
    doc: createDocumentClient(client),
    env: { ...env, RECORDS_TABLE: names.records, STATS_TABLE: names.stats },
    async drop() {
      await Promise.allSettled([
        client.send(new DeleteTableCommand({ TableName: names.records })),
        client.send(new DeleteTableCommand({ TableName: names.stats })),
      ]);
      client.destroy();
    },
  };
}
