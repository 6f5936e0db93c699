import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { httpHandler } from '../lib/http.js';

const doc = createDocumentClient(createDynamoClient());
const tables = tableNamesFromEnv();

/** `GET /api/v1/health`: 200 `{"status":"ok"}` when the store answers; 503 with Retry-After when it does not. */
export const handler = httpHandler({
  async handle() {
    // A read of a key that never exists: proves the table answers without touching any record.
    await doc.send(new GetCommand({ TableName: tables.records, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
    return { status: 200, body: { status: 'ok' } };
  },
});
