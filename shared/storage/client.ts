import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Clients are created once per process (module scope in handlers). `DYNAMODB_ENDPOINT` points them at
 * DynamoDB Local; in AWS it is unset and the SDK's defaults apply.
 */
export function createDynamoClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const endpoint = env.DYNAMODB_ENDPOINT;
  const config: DynamoDBClientConfig = endpoint
    ? {
        endpoint,
        region: env.AWS_REGION ?? 'ap-southeast-1',
        // DynamoDB Local accepts any credentials; these are placeholders, not secrets.
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        // Fail fast locally so a dead engine turns into a 503 rather than a long hang.
        maxAttempts: 2,
      }
    : {};
  return new DynamoDBClient(config);
}

/** Document client that drops `undefined` and accepts class instances such as Date-free plain objects. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}
