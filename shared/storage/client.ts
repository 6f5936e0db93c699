import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from '../env.js';

/**
 * Clients are created once per process (module scope in handlers). `DYNAMODB_ENDPOINT` points them at
 * DynamoDB Local; in AWS it is unset and the SDK's defaults apply.
 *
 * DynamoDB Local has no option to listen on loopback only, so it is run without `-sharedDb`: it then keeps one
 * database per access key and region, and the local store's access key is a random one kept 0600 in its data
 * folder (local/credentials.ts). Anyone else who reaches the port, with any other key, sees an empty database.
 * Every local client (stack, CLI, tests) takes the key from `DYNAMODB_LOCAL_ACCESS_KEY_ID` and
 * `DYNAMODB_LOCAL_SECRET_ACCESS_KEY`, and the one fixed region below (the region is part of the database's name).
 */

/** The region of every local client: DynamoDB Local keeps a database per access key *and* region. */
export const LOCAL_REGION = 'ap-southeast-1';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The local store's credentials from the environment; throws when a local endpoint is set without them. */
export function localCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalCredentials {
  const values = requiredEnv(
    env,
    ['DYNAMODB_LOCAL_ACCESS_KEY_ID', 'DYNAMODB_LOCAL_SECRET_ACCESS_KEY'],
    'DYNAMODB_ENDPOINT is set but DYNAMODB_LOCAL_ACCESS_KEY_ID / DYNAMODB_LOCAL_SECRET_ACCESS_KEY are not: the local store only answers its own key (see local/credentials.ts)',
  );
  return { accessKeyId: values.DYNAMODB_LOCAL_ACCESS_KEY_ID, secretAccessKey: values.DYNAMODB_LOCAL_SECRET_ACCESS_KEY };
}

/** The environment variables that carry local credentials, for handing them to code that reads process.env. */
export function localCredentialsEnv(credentials: LocalCredentials): Record<string, string> {
  return {
    DYNAMODB_LOCAL_ACCESS_KEY_ID: credentials.accessKeyId,
    DYNAMODB_LOCAL_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
}

/** Endpoint, region and credentials of a client of DynamoDB Local (tables or streams), or `{}` for AWS. */
export function localClientConfig(env: NodeJS.ProcessEnv = process.env): {
  endpoint?: string;
  region?: string;
  credentials?: () => Promise<LocalCredentials>;
} {
  const endpoint = env.DYNAMODB_ENDPOINT;
  if (!endpoint) return {};
  // Read on first use, not at construction: a module that makes its client at import time stays importable.
  return { endpoint, region: LOCAL_REGION, credentials: async () => localCredentialsFromEnv(env) };
}

export function createDynamoClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const local = localClientConfig(env);
  const config: DynamoDBClientConfig = local.endpoint
    ? {
        ...local,
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
