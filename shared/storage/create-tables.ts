import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { recordsTable, statsTable, type TableDefinition, type TableNames } from './tables.js';

/**
 * The CreateTable input for a definition: used by the local stack and tests (CDK maps the same definition, with every
 * stream; here a stream only AWS reads is left out: `streamLocally`).
 */
export function createTableInput(def: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([def.partitionKey, def.sortKey]);
  for (const index of def.indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...attributes].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      { AttributeName: def.sortKey, KeyType: 'RANGE' },
    ],
    ...(def.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: def.indexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
    ...(def.stream && def.streamLocally !== false
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } }
      : {}),
  };
}

/** Creates both tables if they do not exist yet (idempotent), and enables TTL. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all([ensureTable(client, recordsTable, names.records), ensureTable(client, statsTable, names.stats)]);
}

async function ensureTable(client: DynamoDBClient, def: TableDefinition, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(def, tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  if (def.ttlAttribute) {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (described.Table) {
      try {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
          }),
        );
      } catch (error) {
        // Enabling TTL twice is refused with a ValidationException; that is the state we want.
        if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
      }
    }
  }
}
