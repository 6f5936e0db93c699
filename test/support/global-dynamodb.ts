import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';

/** One in-memory DynamoDB Local per test run; each test file creates its own tables (see dynamodb.ts). */
export default async function setup(project: TestProject) {
  const engine = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', engine.endpoint);
  return async () => {
    await engine.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
