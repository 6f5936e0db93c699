import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Stack } from '../local/stack.js';
import {
  availableWorkloads,
  type FrontDoor,
  frontDoorHeaders,
  surveyWorkload,
  type WorkloadRequest,
} from '../test/support/workload.js';
import { type LoadResult, startLoadGenerator } from './load-generator.js';
import { type ClosedLoopResult, closedLoop, ownCpuSeconds, processCpuSeconds, quantile } from './measure.js';
import { type BenchRow, row, type SectionOptions } from './rows.js';
import { startBenchStack } from './stack.js';

/**
 * Requests per second through the local gateway (HTTP → API Gateway v2 event → handler → DynamoDB Local), driven
 * by autocannon at a fixed concurrency from a child process (load-generator.ts), against raw PutItem (or GetItem for
 * a reading route) per second sent by the SDK from this process to the same engine at the same concurrency: the
 * ceiling the engine sets on this machine, with the SDK's own cost per call, as every handler pays it.
 * Every request is distinct (its own dossier code or document number) and prepared before the run; the engine
 * and the handlers are warmed up first, since a cold JVM would halve the first figures. The stack runs as behind
 * CloudFront (bench/stack.ts): each request from a viewer address of its own, the survey rate limit at the
 * product's default and checked to refuse one address past it.
 *
 * Rates move with whatever else the machine runs; CPU time per request much less so. Each run also reports the CPU
 * time per request of this process (the gateway, the handlers, the stream pollers: what `npm start`'s one process
 * does; the load generator's is logged apart) and of DynamoDB Local's JVM, against the same per raw call (this
 * process: the SDK and the closed loop that sends the calls).
 */

const SECTION = 'throughput';
const CONNECTIONS = 32;
/** The routes driven: the two write paths the issue names, and two reads to show the gateway's own cost. */
const ROUTES = new Set(['health', 'conclusions-get', 'surveys-create', 'conclusions-create']);

function rawPuts(stack: Stack, prefix: string, total: number): Promise<ClosedLoopResult> {
  return closedLoop(
    (i) =>
      stack.doc.send(
        new PutCommand({
          TableName: stack.tables.stats,
          Item: { pk: `${prefix}#${i}`, sk: 'PUT', value: i },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    total,
    CONNECTIONS,
  );
}

function rawGets(stack: Stack, prefix: string, total: number): Promise<ClosedLoopResult> {
  return closedLoop(
    (i) =>
      stack.doc.send(new GetCommand({ TableName: stack.tables.records, Key: { pk: `${prefix}#${i}`, sk: 'GET' } })),
    total,
    CONNECTIONS,
  );
}

/** CPU seconds of this process and of the engine's, read before and after a run. */
interface CpuReading {
  readonly own: number;
  readonly engine: number;
}

function readCpu(stack: Stack): CpuReading {
  return { own: ownCpuSeconds(), engine: processCpuSeconds(stack.engine.pid) };
}

/** Milliseconds of CPU per request between two readings. */
function cpuPerRequest(before: CpuReading, after: CpuReading, requests: number): CpuReading {
  return {
    own: ((after.own - before.own) * 1000) / requests,
    engine: ((after.engine - before.engine) * 1000) / requests,
  };
}

/**
 * The rate limit is on: one viewer address sending one more survey than the limit within a minute is refused once,
 * the rest accepted (a bench that measured surveys with the limit lifted or bypassed would fail here). Returns how
 * many were accepted.
 */
async function checkRateLimit(origin: string, door: FrontDoor, limit: number): Promise<number> {
  // Not across a window's end (60-s windows, shared/surveys/rate-limit.ts): the count would restart midway.
  const intoWindow = (Date.now() / 1000) % 60;
  if (intoWindow > 40) await new Promise((r) => setTimeout(r, (61 - intoWindow) * 1000));
  const surveys = surveyWorkload();
  // A viewer no workload request uses (they number at most a few thousand).
  const headers = frontDoorHeaders(door, 100_000);
  const statuses: number[] = [];
  for (let i = 0; i <= limit; i++) {
    const request = await surveys.request(i);
    const response = await fetch(`${origin}${request.path}`, {
      method: request.method,
      headers: { ...request.headers, ...headers },
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  const accepted = statuses.filter((status) => status === 201).length;
  const refused = statuses.filter((status) => status === 429).length;
  if (accepted !== limit || refused !== 1) {
    throw new Error(`the survey rate limit is not enforced as configured (${limit}): statuses ${statuses.join(',')}`);
  }
  return accepted;
}

/** The throughput section. */
export async function benchThroughput({ quick, log }: SectionOptions): Promise<BenchRow[]> {
  // Conclusions are signed before the run with 300-second tokens: the full size must be sent within that.
  const total = quick ? 1000 : 5000;
  const warmup = quick ? 300 : 2000;
  const { stack, signing, frontDoor, surveyRateLimit } = await startBenchStack(SECTION);
  // Started after the stack, so its start-up is not timed; stopped with it.
  const load = startLoadGenerator();
  const drive = (requests: readonly WorkloadRequest[]): Promise<LoadResult> =>
    load.run({ origin: stack.origin, connections: CONNECTIONS, requests });
  try {
    await rawPuts(stack, `WARMUP#${randomUUID()}`, warmup);
    await rawGets(stack, `WARMUP#${randomUUID()}`, warmup);
    const prefix = `BENCH#${randomUUID()}`;
    const putCpuBefore = readCpu(stack);
    const rawPut = await rawPuts(stack, prefix, total);
    const putCpu = cpuPerRequest(putCpuBefore, readCpu(stack), total);
    const getCpuBefore = readCpu(stack);
    const rawGet = await rawGets(stack, prefix, total);
    const getCpu = cpuPerRequest(getCpuBefore, readCpu(stack), total);
    if (rawPut.failures + rawGet.failures > 0) throw new Error('raw baseline calls failed');
    log(
      `raw PutItem ${rawPut.perSecond.toFixed(0)}/s (CPU ${putCpu.own.toFixed(2)} ms here, ${putCpu.engine.toFixed(2)} ms engine), ` +
        `GetItem ${rawGet.perSecond.toFixed(0)}/s (CPU ${getCpu.own.toFixed(2)} + ${getCpu.engine.toFixed(2)} ms) at ${CONNECTIONS}`,
    );

    const rows: BenchRow[] = [];
    const { workloads } = availableWorkloads(undefined, signing, frontDoor);
    for (const workload of workloads.filter((w) => ROUTES.has(w.route))) {
      await workload.prepare?.(stack.origin);
      const prepared: WorkloadRequest[] = [];
      for (let i = 0; i < total + warmup; i++) prepared.push(await workload.request(i));
      await drive(prepared.slice(total));
      const cpuBefore = readCpu(stack);
      const result = await drive(prepared.slice(0, total));
      const cpu = cpuPerRequest(cpuBefore, readCpu(stack), total);
      const bad = Object.entries(result.statusCodeStats).filter(([status]) => Number(status) >= 300);
      if (bad.length > 0 || result.errors > 0) {
        throw new Error(
          `${workload.route}: ${result.errors} errors, statuses ${JSON.stringify(result.statusCodeStats)}`,
        );
      }
      const perSecond = total / result.duration;
      const baseline = workload.writes ? rawPut : rawGet;
      const baselineName = workload.writes ? 'raw PutItem' : 'raw GetItem';
      const baselineCpu = workload.writes ? putCpu : getCpu;
      log(
        `${workload.route}: ${perSecond.toFixed(0)}/s, p99 ${result.p99} ms, ` +
          `CPU ${cpu.own.toFixed(2)} ms here, ${cpu.engine.toFixed(2)} ms engine, ` +
          `${((result.cpuSeconds * 1000) / total).toFixed(2)} ms load generator`,
      );
      rows.push(
        row(SECTION, `${workload.route} via gateway`, perSecond, 'req/s', baselineName, baseline.perSecond),
        row(
          SECTION,
          `${workload.route} via gateway p99`,
          result.p99,
          'ms',
          baselineName,
          quantile(baseline.latencies, 0.99),
        ),
        row(SECTION, `${workload.route} CPU per request, bench process`, cpu.own, 'ms', baselineName, baselineCpu.own),
        row(
          SECTION,
          `${workload.route} CPU per request, DynamoDB Local`,
          cpu.engine,
          'ms',
          baselineName,
          baselineCpu.engine,
        ),
      );
      if (workload.route === 'surveys-create') {
        const accepted = await checkRateLimit(stack.origin, frontDoor, surveyRateLimit);
        log(`rate limit: ${accepted} of ${surveyRateLimit + 1} surveys from one address accepted, the last refused`);
        rows.push(
          row(
            SECTION,
            'surveys-create accepted from one address in a minute',
            accepted,
            'req',
            'SURVEY_RATE_LIMIT',
            surveyRateLimit,
          ),
        );
      }
    }
    return rows;
  } finally {
    load.stop();
    await stack.stop();
  }
}
