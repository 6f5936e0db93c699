import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
 * A write route is also read against its own round trips sent raw (CEILINGS below): on DynamoDB Local a
 * transaction costs the engine several PutItems, so that, not the handler, bounds a route whose write must be one
 * transaction. Each measurement starts once the stream consumers have caught up (`settle`), so none is charged
 * with the backlog of the seed or of an earlier step; during it they run, as in `npm start`.
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

/**
 * What a write route's own round trips cost the engine, sent raw: its ceiling on this engine, whatever the handler
 * does. A survey is one transaction of two items (the response, and its address's rate-limit count in the stats
 * table: shared/storage/surveys-repository.ts); a conclusion is a Query (the agency's keys) and one transaction of
 * four items (its current pointer, the version, the signed body, the replay marker:
 * shared/storage/conclusions-repository.ts). Test/integration/functions/round-trips.test.ts pins those round
 * trips. The items are small and go to the stats table (no stream here, as the raw PutItem's), so the ceiling is
 * an upper bound: the routes' real items are larger and the records table has indexes.
 */
interface Ceiling {
  readonly route: string;
  readonly name: string;
  run(stack: Stack, prefix: string, total: number): Promise<ClosedLoopResult>;
}

const newItem = (table: string, pk: string, sk: string) => ({
  Put: { TableName: table, Item: { pk, sk, value: 1 }, ConditionExpression: 'attribute_not_exists(pk)' },
});

/**
 * A survey's rate-limit count, as shared/storage/rate-limit-repository.ts adds it: a counter per request, as the
 * workload sends each survey from an address of its own.
 */
const rateCount = (stack: Stack, prefix: string, i: number, limit: number) => ({
  TableName: stack.tables.stats,
  Key: { pk: `${prefix}#RATE#${i}`, sk: 'RATE' },
  UpdateExpression: 'ADD hits :one SET expiresAt = :expires',
  ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
  ExpressionAttributeValues: { ':one': 1, ':expires': 0, ':limit': limit },
});

const CEILINGS: readonly Ceiling[] = [
  {
    route: 'surveys-create',
    name: "raw TransactWriteItems, 2 items (a survey's write)",
    run: (stack, prefix, total) =>
      closedLoop(
        (i) =>
          stack.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                newItem(stack.tables.stats, `${prefix}#${i}`, 'SURVEY'),
                { Update: rateCount(stack, prefix, i, total) },
              ],
            }),
          ),
        total,
        CONNECTIONS,
      ),
  },
  {
    // Not a route: the design a survey would need to leave the transaction (count first, then write), with one
    // round trip more. Shown so the ceiling above is read against the alternative, not alone.
    route: 'surveys-create, two writes',
    name: "raw UpdateItem then PutItem (a survey's writes without a transaction)",
    run: (stack, prefix, total) =>
      closedLoop(
        async (i) => {
          await stack.doc.send(new UpdateCommand(rateCount(stack, prefix, i, total)));
          await stack.doc.send(new PutCommand(newItem(stack.tables.stats, `${prefix}#${i}`, 'SURVEY').Put));
        },
        total,
        CONNECTIONS,
      ),
  },
  {
    route: 'conclusions-create',
    name: "raw Query + TransactWriteItems, 4 items (a conclusion's round trips)",
    run: (stack, prefix, total) =>
      closedLoop(
        async (i) => {
          await stack.doc.send(
            new QueryCommand({
              TableName: stack.tables.stats,
              KeyConditionExpression: 'pk = :pk',
              // The partition the transaction is about to write: empty, so the cheapest Query there is.
              ExpressionAttributeValues: { ':pk': `${prefix}#${i}` },
            }),
          );
          await stack.doc.send(
            new TransactWriteCommand({
              TransactItems: ['CURRENT', 'VERSION', 'BODY', 'REPLAY'].map((sk) =>
                newItem(stack.tables.stats, `${prefix}#${i}`, sk),
              ),
            }),
          );
        },
        total,
        CONNECTIONS,
      ),
  },
];

/**
 * Waits until both stream consumers have handled everything written so far, so that a measurement is charged with
 * the stream work of its own writes only, not with the seed's or an earlier route's backlog (the seed of the
 * national registry leaves tens of seconds of it, which made the first baseline read slow).
 */
async function settle(stack: Stack): Promise<void> {
  await Promise.all([stack.statistics.poller.drain(300_000), stack.statistics.logPoller.drain(300_000)]);
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
    for (const ceiling of CEILINGS) await ceiling.run(stack, `WARMUP#${randomUUID()}`, warmup);
    await settle(stack);
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
    const ceilings = new Map<string, ClosedLoopResult>();
    for (const ceiling of CEILINGS) {
      const cpuBefore = readCpu(stack);
      const result = await ceiling.run(stack, `${prefix}#${ceiling.route}`, total);
      const cpu = cpuPerRequest(cpuBefore, readCpu(stack), total);
      if (result.failures > 0) throw new Error(`${ceiling.name}: ${result.failures} calls failed`);
      ceilings.set(ceiling.route, result);
      log(
        `${ceiling.name}: ${result.perSecond.toFixed(0)}/s (CPU ${cpu.own.toFixed(2)} ms here, ${cpu.engine.toFixed(2)} ms engine)`,
      );
      rows.push(
        row(SECTION, ceiling.name, result.perSecond, 'req/s', 'raw PutItem', rawPut.perSecond),
        row(SECTION, `${ceiling.name}, CPU per call, DynamoDB Local`, cpu.engine, 'ms', 'raw PutItem', putCpu.engine),
      );
    }

    const { workloads } = availableWorkloads(undefined, signing, frontDoor);
    for (const workload of workloads.filter((w) => ROUTES.has(w.route))) {
      await workload.prepare?.(stack.origin);
      const prepared: WorkloadRequest[] = [];
      for (let i = 0; i < total + warmup; i++) prepared.push(await workload.request(i));
      await drive(prepared.slice(total));
      await settle(stack);
      const cpuBefore = readCpu(stack);
      const result = await drive(prepared.slice(0, total));
      const cpuAfter = readCpu(stack);
      const cpu = cpuPerRequest(cpuBefore, cpuAfter, total);
      // What the stream consumers still had to do for these requests when the run ended (the aggregation and the
      // log appender catch up after it): the run's CPU rows leave it out, so a consumer that falls behind looks
      // cheaper there than one that keeps up. Measured until they have caught up.
      await settle(stack);
      const backlog = cpuPerRequest(cpuAfter, readCpu(stack), total);
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
          `${((result.cpuSeconds * 1000) / total).toFixed(2)} ms load generator; ` +
          `stream work left after the run: ${backlog.own.toFixed(2)} ms here, ${backlog.engine.toFixed(2)} ms engine`,
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
        row(
          SECTION,
          `${workload.route} CPU per request with the stream work left after the run, bench process`,
          cpu.own + backlog.own,
          'ms',
          baselineName,
          baselineCpu.own,
        ),
        row(
          SECTION,
          `${workload.route} CPU per request with the stream work left after the run, DynamoDB Local`,
          cpu.engine + backlog.engine,
          'ms',
          baselineName,
          baselineCpu.engine,
        ),
      );
      const ceiling = ceilings.get(workload.route);
      const ceilingName = CEILINGS.find((c) => c.route === workload.route)?.name;
      if (ceiling && ceilingName) {
        rows.push(row(SECTION, `${workload.route} via gateway`, perSecond, 'req/s', ceilingName, ceiling.perSecond));
      }
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
