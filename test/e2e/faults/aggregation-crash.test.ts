import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionConfig } from '../../../functions/lib/config.js';
import { REPO_ROOT, type Stack, startStack } from '../../../local/stack.js';
import {
  type Outcome,
  reconcileFigures,
  runConcurrently,
  send,
  statusCounts,
  sumOverProvincesToday,
} from '../../support/load.js';
import { ensureUnits, surveyWorkload } from '../../support/workload.js';

/**
 * The aggregation crashing mid-batch: a survey load goes in through the gateway, then the aggregation (the
 * stream poller and the real handler, in a process of its own) is SIGKILLed right after committing a chunk of
 * counters in the middle of a batch, before anything is checkpointed. Restarted, it redelivers that batch;
 * afterwards every counter equals a full recomputation from the records: nothing lost, nothing counted twice.
 * Size: FAULT_AGGREGATION_SURVEYS (default 600).
 */

const N = Number(process.env.FAULT_AGGREGATION_SURVEYS ?? 600);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 32);
const WORKER = fileURLToPath(new URL('./aggregation-worker.ts', import.meta.url));

interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the aggregation worker to its end (drained, or killed by its own crash). */
function runWorker(config: FunctionConfig, dataDir: string, crashAfterChunks?: number): Promise<WorkerExit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      cwd: REPO_ROOT,
      // The stack's store and tables, as the handlers' configuration names them (functions/lib/config.ts).
      env: {
        ...config,
        DATA_DIR: dataDir,
        CRASH_AFTER_CHUNKS: String(crashAfterChunks ?? 0),
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe(`fault: the aggregation killed mid-batch over ${N} surveys`, () => {
  let stack: Stack;
  let dataDir: string;
  let workerDir: string;
  let outcomes: Outcome[];
  let crashed: WorkerExit;
  let partial: Awaited<ReturnType<typeof reconcileFigures>>;
  let recovered: WorkerExit;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fault-aggregation-'));
    workerDir = mkdtempSync(join(tmpdir(), 'fault-aggregation-worker-'));
    stack = await startStack({
      port: 0,
      dataDir,
      inMemory: true,
      buildSite: null,
      env: { SURVEY_RATE_LIMIT: '1000000000', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    // The stack's own poller would aggregate alongside: the worker below must be the only one, to be crashed.
    await stack.statistics.stop();
    await ensureUnits(stack.doc, stack.tables.records);
    const workload = surveyWorkload(`a${Date.now().toString(36)}`);
    outcomes = await runConcurrently(N, CONCURRENCY, async (i) => send(stack.origin, await workload.request(i), i));

    crashed = await runWorker(stack.config, workerDir, 2);
    partial = await reconcileFigures(stack.doc, stack.tables);
    recovered = await runWorker(stack.config, workerDir);
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
    for (const dir of [dataDir, workerDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores the load (every submission accepted)', () => {
    expect(statusCounts(outcomes)).toEqual({ 201: N });
  });

  it('crashes in the middle: some counters committed, not all', () => {
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    expect(crashed.stdout).toContain('crashing after chunk 2');
    expect(partial.mismatches.length).toBeGreaterThan(0);
    expect(partial.counted.size).toBeGreaterThan(0);
  });

  it('recovers on restart, and every counter equals a full recomputation from the records', async () => {
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout).toContain('drained');
    const { mismatches, counted, items } = await reconcileFigures(stack.doc, stack.tables);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(items.surveys).toBe(N);
    // Every service point is in Hanoi (01) or Quảng Ninh (22): their yearly totals hold each response once.
    expect(sumOverProvincesToday(counted, 'surveys')).toBe(N);
  });
});
