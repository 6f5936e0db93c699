import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../../local/dynamodb-local.js';
import { type Stack, startStack } from '../../../local/stack.js';
import { COMMENT_ENTITY, SURVEY_ENTITY } from '../../../shared/storage/keys.js';
import {
  type Outcome,
  reconcileFigures,
  runConcurrently,
  scanEntity,
  send,
  statusCounts,
  sumOverProvincesToday,
} from '../../support/load.js';
import { ensureUnits, surveyWorkload } from '../../support/workload.js';

/**
 * DynamoDB Local killed (SIGKILL, as a crash) in the middle of a survey load through the gateway, then
 * restarted on the same port and data directory while the load goes on. While it is down, requests fail fast
 * with 503 and Retry-After; nothing is half-written (a response and its comment are one transaction); and once
 * the client retries every 503 as told, each dossier has exactly one record and every 201 is among them.
 * Size: FAULT_SURVEYS (default 800) sent by LOAD_CONCURRENCY (default 32) clients.
 */

const N = Number(process.env.FAULT_SURVEYS ?? 800);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 32);
const DOWN_MS = 2000;
/** A 503 must come back quickly: the SDK makes two attempts against a refused port, not a long hang. */
const FAIL_FAST_MS = 5000;

interface Timed extends Outcome {
  /** When the request left (ms since the load began), and how long its answer took. */
  readonly at: number;
  readonly ms: number;
}

/**
 * The engine's files go to memory-backed /dev/shm when there is one: a killed process loses nothing there
 * either (the files outlive it), and the engine is not slowed by fsync on a shared CI disk.
 */
function dataRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

describe(`fault: DynamoDB Local killed and restarted under a load of ${N} surveys`, () => {
  let stack: Stack;
  let dataDir: string;
  let restarted: DynamoDbLocal | undefined;
  let first: Timed[];
  let retries: Outcome[];
  let killedAt = 0;
  let backAt = 0;
  const workload = surveyWorkload(`f${Date.now().toString(36)}`);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(dataRoot(), 'fault-dynamodb-'));
    // Persistent, as `npm start` runs it, so the data outlives the engine process.
    stack = await startStack({
      port: 0,
      dataDir,
      buildSite: null,
      env: { SURVEY_RATE_LIMIT: '1000000000', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    await ensureUnits(stack.doc, stack.tables.records);
    const requests = await Promise.all(Array.from({ length: N }, (_, i) => workload.request(i)));

    const t0 = performance.now();
    let answered = 0;
    const fault = (async () => {
      // Kill once a quarter of the submissions are answered, so writes are in flight at that moment.
      while (answered < N / 4) await new Promise((r) => setTimeout(r, 5));
      killedAt = performance.now() - t0;
      await stack.engine.kill();
      await new Promise((r) => setTimeout(r, DOWN_MS));
      restarted = await stack.engine.restart();
      backAt = performance.now() - t0;
    })();
    first = await runConcurrently(N, CONCURRENCY, async (i) => {
      const request = requests[i];
      if (!request) throw new Error(`no request ${i}`);
      const start = performance.now();
      const outcome = await send(stack.origin, request, i);
      const timed = { ...outcome, at: start - t0, ms: performance.now() - start };
      answered += 1;
      // A client told 503 waits Retry-After before sending anything else (the failed one is retried later), so
      // the outage meets a steady trickle of requests and the rest of the load comes after the restart.
      if (outcome.status === 503)
        await new Promise((r) => setTimeout(r, Number(outcome.headers?.get('retry-after') ?? 1) * 1000));
      return timed;
    });
    await fault;

    // The client does what a 503 says: waits Retry-After, then sends the same submission again.
    const failed = first.filter((o) => o.status === 503);
    const wait = Math.max(0, ...failed.map((o) => Number(o.headers?.get('retry-after') ?? 0)));
    await new Promise((r) => setTimeout(r, Math.min(wait, 10) * 1000));
    retries = await runConcurrently(failed.length, CONCURRENCY, async (k) => {
      const index = failed[k]?.index ?? -1;
      const request = requests[index];
      if (!request) throw new Error('lost a failed request');
      return send(stack.origin, request, index);
    });
    console.log(
      `killed at ${(killedAt / 1000).toFixed(1)} s, back at ${(backAt / 1000).toFixed(1)} s;`,
      'first pass:',
      statusCounts(first),
      'retries:',
      statusCounts(retries),
    );
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
    await restarted?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every request during the outage with 201 or a fast 503 with Retry-After, never another 5xx', () => {
    expect(
      first
        .filter((o) => o.status !== 201 && o.status !== 503)
        .map((o) => `${o.index}: ${o.status} ${o.error ?? o.body}`),
    ).toEqual([]);
    const unavailable = first.filter((o) => o.status === 503);
    // The engine was down for seconds under load: requests must have met it, and only around the outage.
    expect(unavailable.length).toBeGreaterThan(0);
    for (const o of unavailable) {
      expect(Number(o.headers?.get('retry-after'))).toBeGreaterThan(0);
      expect(o.headers?.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(o.ms, `request ${o.index} took ${o.ms.toFixed(0)} ms to fail`).toBeLessThan(FAIL_FAST_MS);
      // Only requests that met the outage fail: none sent well before the kill or after the restart.
      expect(o.at + o.ms).toBeGreaterThanOrEqual(killedAt);
      expect(o.at).toBeLessThanOrEqual(backAt);
    }
    // And the load was served before the kill and again after the restart.
    expect(first.filter((o) => o.status === 201 && o.at + o.ms < killedAt).length).toBeGreaterThan(0);
    expect(first.filter((o) => o.status === 201 && o.at > backAt).length).toBeGreaterThan(0);
  });

  it('accepts every retried submission once the engine is back (201, or 409 when the first attempt had been stored)', () => {
    expect(
      retries.filter((o) => o.status !== 201 && o.status !== 409).map((o) => `${o.index}: ${o.status} ${o.body}`),
    ).toEqual([]);
  });

  it('holds exactly one record per submission and every 201 among them', async () => {
    const surveys = await scanEntity(stack.doc, stack.tables.records, SURVEY_ENTITY);
    const stored = new Set(surveys.map((s) => String(s.id)));
    const accepted = [...first, ...retries]
      .filter((o) => o.status === 201)
      .map((o) => (JSON.parse(o.body) as { id: string }).id);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(accepted.filter((id) => !stored.has(id))).toEqual([]);
    // A 409 on retry means the first attempt was stored although it answered 503 (the engine died between
    // committing and answering): the one ambiguity a crash leaves, and retrying resolves it without a duplicate.
    const ambiguous = retries.filter((o) => o.status === 409).length;
    expect(accepted.length + ambiguous).toBe(N);
    expect(surveys.length).toBe(N);
  });

  it('reconciles every figure afterwards: the aggregation counted each stored response exactly once', async () => {
    // The stack's stream poller went on through the outage; once it has caught up, nothing may be missing.
    await stack.statistics.poller.drain(300_000);
    const { mismatches, counted, items } = await reconcileFigures(stack.doc, stack.tables);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(items.surveys).toBe(N);
    expect(sumOverProvincesToday(counted, 'surveys')).toBe(N);
  });

  it('leaves nothing half-written: every response with a comment has its comment, and no comment is alone', async () => {
    const surveys = await scanEntity(stack.doc, stack.tables.records, SURVEY_ENTITY);
    const comments = await scanEntity(stack.doc, stack.tables.records, COMMENT_ENTITY);
    expect(comments.length).toBe(surveys.filter((s) => s.hasComment === true).length);
    expect(comments.length).toBe(Math.ceil(N / 5));
  });
});
