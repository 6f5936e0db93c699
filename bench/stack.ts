import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Stack, startStack } from '../local/stack.js';
import type { SigningKey } from '../shared/auth/sign-agency-request.js';
import { ensureUnits, registerLoadAgency } from '../test/support/workload.js';

/**
 * The stack a bench section measures: what `npm start` runs (DynamoDB Local, the tables, the gateway over the
 * same handler modules), in memory, with the survey rate limit lifted so the load is not refused with 429.
 */

const WORK_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '.work');

export interface BenchStack {
  readonly stack: Stack;
  /** The key of an agency registered for every unit of the registry: the conclusion workload signs with it. */
  readonly signing: SigningKey;
}

/** Starts an in-memory stack on a free port, its site and attachment files under bench/.work/<name>. */
export async function startBenchStack(name: string): Promise<BenchStack> {
  const dataDir = join(WORK_DIR, `stack-${name}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const stack = await startStack({
    port: 0,
    dataDir,
    inMemory: true,
    seed: true,
    // The site rebuilder would run Astro builds in the middle of the measurements; its own section measures it.
    buildSite: null,
    env: { SURVEY_RATE_LIMIT: '1000000000', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  // Surveys need their service points; a no-op when the stack's own seed already loaded the registry.
  try {
    await ensureUnits(stack.doc, stack.tables.records);
    const signing = await registerLoadAgency(stack.doc, stack.tables.records, `bench-${name}`);
    return { stack, signing };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
