import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure, fast, no I/O), `integration` (the real DynamoDB Local, one instance per run
 * started by the global setup, isolated tables per test file) and `e2e` (the whole local stack and Chromium).
 * Vitest runs the unit and integration files together, then the e2e files one at a time.
 */
export default defineConfig({
  test: {
    // At least two files at a time. Vitest's default is one worker fewer than the cores, which on the two cores CI
    // has is one: every unit and integration file ran after the other (11 minutes of `npm test`), though most of an
    // integration file's time is spent waiting for DynamoDB Local, a process of its own.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-dynamodb.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-dynamodb.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
