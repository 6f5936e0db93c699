import type { TestProject } from 'vitest/node';
import { randomLocalCredentials } from '../../local/credentials.js';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import type { LocalCredentials } from '../../shared/storage/client.js';

/** One in-memory DynamoDB Local per test run; each test file creates its own tables (see dynamodb.ts). */
export default async function setup(project: TestProject) {
  // A private random key, as `npm start` has one: the engine listens on every interface, its data is this key's.
  // A generous wait: on a loaded machine (CI, parallel runs) the JVM alone may take a minute to start.
  const engine = await startDynamoDbLocal({ credentials: randomLocalCredentials(), readyTimeoutMs: 180_000 });
  project.provide('dynamodbEndpoint', engine.endpoint);
  project.provide('dynamodbCredentials', engine.credentials);
  return async () => {
    await engine.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    dynamodbCredentials: LocalCredentials;
  }
}
