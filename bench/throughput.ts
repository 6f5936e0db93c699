import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import type { Stack } from '../local/stack.js';
import { availableWorkloads, type WorkloadRequest } from '../test/support/workload.js';
import { type ClosedLoopResult, closedLoop, quantile } from './measure.js';
import { type BenchRow, row, type SectionOptions } from './rows.js';
import { startBenchStack } from './stack.js';

/**
 * Requests per second through the local gateway (HTTP → API Gateway v2 event → handler → DynamoDB Local), driven
 * by autocannon at a fixed concurrency, against raw PutItem (or GetItem for a reading route) per second from the
 * same process to the same engine at the same concurrency: the ceiling the engine sets on this machine.
 * Every request is distinct (its own dossier code or document number) and prepared before the run; the engine
 * and the handlers are warmed up first, since a cold JVM would halve the first figures.
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

async function drive(origin: string, prepared: readonly WorkloadRequest[]): Promise<AutocannonResult> {
  let next = 0;
  const setupRequest = (request: AutocannonRequest): AutocannonRequest => {
    const r = prepared[next++ % prepared.length];
    if (!r) return request;
    return {
      ...request,
      method: r.method,
      path: r.path,
      headers: r.headers,
      ...(r.body === undefined ? {} : { body: r.body }),
    };
  };
  return autocannon({
    url: origin,
    connections: CONNECTIONS,
    amount: prepared.length,
    timeout: 30,
    requests: [{ setupRequest }],
  });
}

/** The throughput section. */
export async function benchThroughput({ quick, log }: SectionOptions): Promise<BenchRow[]> {
  // Conclusions are signed before the run with 300-second tokens: the full size must be sent within that.
  const total = quick ? 1000 : 5000;
  const warmup = quick ? 300 : 2000;
  const { stack, signing } = await startBenchStack(SECTION);
  try {
    await rawPuts(stack, `WARMUP#${randomUUID()}`, warmup);
    await rawGets(stack, `WARMUP#${randomUUID()}`, warmup);
    const prefix = `BENCH#${randomUUID()}`;
    const rawPut = await rawPuts(stack, prefix, total);
    const rawGet = await rawGets(stack, prefix, total);
    if (rawPut.failures + rawGet.failures > 0) throw new Error('raw baseline calls failed');
    log(`raw PutItem ${rawPut.perSecond.toFixed(0)}/s, GetItem ${rawGet.perSecond.toFixed(0)}/s at ${CONNECTIONS}`);

    const rows: BenchRow[] = [];
    for (const workload of availableWorkloads(undefined, signing).workloads.filter((w) => ROUTES.has(w.route))) {
      await workload.prepare?.(stack.origin);
      const prepared: WorkloadRequest[] = [];
      for (let i = 0; i < total + warmup; i++) prepared.push(await workload.request(i));
      await drive(stack.origin, prepared.slice(total));
      const result = await drive(stack.origin, prepared.slice(0, total));
      const bad = Object.entries(result.statusCodeStats).filter(([status]) => Number(status) >= 300);
      if (bad.length > 0 || result.errors > 0) {
        throw new Error(
          `${workload.route}: ${result.errors} errors, statuses ${JSON.stringify(result.statusCodeStats)}`,
        );
      }
      const perSecond = total / result.duration;
      const baseline = workload.writes ? rawPut : rawGet;
      const baselineName = workload.writes ? 'raw PutItem' : 'raw GetItem';
      log(`${workload.route}: ${perSecond.toFixed(0)}/s, p99 ${result.latency.p99} ms`);
      rows.push(
        row(SECTION, `${workload.route} via gateway`, perSecond, 'req/s', baselineName, baseline.perSecond),
        row(
          SECTION,
          `${workload.route} via gateway p99`,
          result.latency.p99,
          'ms',
          baselineName,
          quantile(baseline.latencies, 0.99),
        ),
      );
    }
    return rows;
  } finally {
    await stack.stop();
  }
}
