import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VIEWER_ADDRESS_HEADER } from '../functions/lib/origin-verify.js';
import { type Stack, startStack } from '../local/stack.js';
import type { SigningKey } from '../shared/auth/sign-agency-request.js';
import { DEFAULT_SURVEY_RATE_LIMIT } from '../shared/surveys/rate-limit.js';
import { ensureUnits, type FrontDoor, registerLoadAgency } from '../test/support/workload.js';

/**
 * The stack a bench section measures: what `npm start` runs (DynamoDB Local, the tables, the gateway over the
 * same handler modules), in memory, configured as the API runs in AWS behind CloudFront: the origin check is on
 * (`ORIGIN_VERIFY_VALUES`, a value made for the run) and the client's address is read from the viewer-address
 * header CloudFront adds (`CLIENT_ADDRESS_HEADER`). The survey rate limit is the product's default, enforced: each
 * request comes from a viewer address of its own (`FrontDoor` in test/support/workload.ts), as citizens do, so the
 * load is not refused; the throughput section checks that one address past the limit is refused.
 */

const WORK_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '.work');

export interface BenchStack {
  readonly stack: Stack;
  /** The key of an agency registered for every unit of the registry: the conclusion workload signs with it. */
  readonly signing: SigningKey;
  /** What CloudFront adds to every request: the workloads send it (`availableWorkloads(…, frontDoor)`). */
  readonly frontDoor: FrontDoor;
  /** Survey responses accepted per address per minute (the product's default). */
  readonly surveyRateLimit: number;
}

/** Starts an in-memory stack on a free port, its site and attachment files under bench/.work/<name>. */
export async function startBenchStack(name: string): Promise<BenchStack> {
  const dataDir = join(WORK_DIR, `stack-${name}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const frontDoor: FrontDoor = { originVerify: randomBytes(32).toString('base64url') };
  const stack = await startStack({
    port: 0,
    dataDir,
    inMemory: true,
    seed: true,
    // The site rebuilder would run Astro builds in the middle of the measurements; its own section measures it.
    buildSite: null,
    env: {
      ORIGIN_VERIFY_VALUES: frontDoor.originVerify,
      CLIENT_ADDRESS_HEADER: VIEWER_ADDRESS_HEADER,
      // Set, so that a SURVEY_RATE_LIMIT in the shell cannot lift it.
      SURVEY_RATE_LIMIT: String(DEFAULT_SURVEY_RATE_LIMIT),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
  });
  // Surveys need their service points; a no-op when the stack's own seed already loaded the registry.
  try {
    await ensureUnits(stack.doc, stack.tables.records);
    const signing = await registerLoadAgency(stack.doc, stack.tables.records, `bench-${name}`);
    return { stack, signing, frontDoor, surveyRateLimit: DEFAULT_SURVEY_RATE_LIMIT };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
