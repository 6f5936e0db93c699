import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { type FunctionConfig, perConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';

/** The store of a configuration: one client per configuration, made on the first request. */
const storeOf = perConfig((config) => ({
  doc: createDocumentClient(createDynamoClient(config)),
  tables: tableNamesFromEnv(config),
}));

/** `GET /api/v1/health`: 200 `{"status":"ok"}` when the store answers; 503 with Retry-After when it does not. */
export const createHandler = (config: FunctionConfig) =>
  httpHandler({
    config,
    async handle() {
      const { doc, tables } = storeOf(config);
      // A read of a key that never exists: proves the table answers without touching any record.
      await doc.send(new GetCommand({ TableName: tables.records, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
      return { status: 200, body: { status: 'ok' } };
    },
  });

export const handler = createHandler(process.env);
