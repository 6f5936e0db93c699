import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { FunctionConfig } from '../functions/lib/config.js';
import { matchPath, routes } from '../functions/routes.js';
import { REPO_ROOT } from '../local/stack.js';
import { apiEvent, lambdaContext } from '../test/support/api-event.js';
import { availableWorkloads } from '../test/support/workload.js';
import { quantile, timeSequential } from './measure.js';
import { type BenchRow, row, type SectionOptions } from './rows.js';
import { startBenchStack } from './stack.js';

/**
 * Warm handler latency, in-process: each handler module is imported once (as a warm Lambda keeps it) and called
 * with API Gateway v2 events one after the other; p50 and p99 against a bare @aws-sdk/lib-dynamodb call (GetItem
 * for a reading route, PutItem for a writing one) to the same DynamoDB Local, measured right after it. The
 * difference is what the middleware, validation, signature check and domain (and their extra database calls: a
 * survey also reads its unit and counts the client; a conclusion reads the agency and writes a transaction) add
 * on top of one round trip.
 */

const SECTION = 'latency';
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The latency section. */
export async function benchLatency({ quick, log }: SectionOptions): Promise<BenchRow[]> {
  const iterations = quick ? 200 : 2000;
  const warmup = quick ? 50 : 300;
  const { stack, signing, frontDoor } = await startBenchStack(SECTION);
  try {
    // The statistics (stream poller) would aggregate the writes in the background: not what is measured here.
    await stack.statistics.stop();
    const rows: BenchRow[] = [];
    const baselineKeyPrefix = `BENCH#${randomUUID()}`;
    let n = 0;
    const bareGet = () =>
      timeSequential(
        () =>
          stack.doc.send(
            new GetCommand({ TableName: stack.tables.records, Key: { pk: baselineKeyPrefix, sk: 'GET' } }),
          ),
        iterations,
        warmup,
      );
    const barePut = () =>
      timeSequential(
        () =>
          stack.doc.send(
            new PutCommand({
              TableName: stack.tables.stats,
              Item: { pk: baselineKeyPrefix, sk: `PUT#${n++}`, value: 1 },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        iterations,
        warmup,
      );

    const { workloads, missing } = availableWorkloads(undefined, signing, frontDoor);
    if (missing.length > 0) log(`no workload yet for: ${missing.join(', ')}`);
    for (const workload of workloads) {
      const route = routes.find((r) => r.name === workload.route);
      if (!route) continue;
      await workload.prepare?.(stack.origin);
      // Built from the stack's configuration, as the gateway builds it (functions/lib/config.ts).
      const mod = (await import(pathToFileURL(join(REPO_ROOT, route.entry)).href)) as {
        createHandler: (config: FunctionConfig) => Handler;
      };
      const handler = mod.createHandler(stack.config);
      let i = 0;
      // Requests are built (and signed) before the clock starts: only the handler is timed.
      const events: APIGatewayProxyEventV2[] = [];
      for (let k = 0; k < iterations + warmup; k++) {
        const request = await workload.request(k);
        // Path parameters as the gateway would extract them from the concrete path.
        const params = matchPath(route.path, new URL(request.path, 'http://local').pathname) ?? {};
        events.push(apiEvent({ ...request, params, ...(request.body === undefined ? {} : { body: request.body }) }));
      }
      const statuses = new Map<number, number>();
      const times = await timeSequential(
        async () => {
          const event = events[i++];
          if (!event) throw new Error('ran out of prepared events');
          const result = await handler(event, lambdaContext(route.name));
          const status = result.statusCode ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        },
        iterations,
        warmup,
      );
      const failed = [...statuses].filter(([status]) => status >= 300);
      if (failed.length > 0)
        throw new Error(`${route.name}: unexpected statuses ${JSON.stringify(Object.fromEntries(failed))}`);
      // The baseline runs right after, in the same conditions (engine warmth, the machine's other load).
      const baseline = await (workload.writes ? barePut() : bareGet());
      const baselineName = workload.writes ? 'bare PutItem' : 'bare GetItem';
      log(`${route.name}: p50 ${quantile(times, 0.5).toFixed(2)} ms, p99 ${quantile(times, 0.99).toFixed(2)} ms`);
      rows.push(
        row(SECTION, `${route.name} p50`, quantile(times, 0.5), 'ms', baselineName, quantile(baseline, 0.5)),
        row(SECTION, `${route.name} p99`, quantile(times, 0.99), 'ms', baselineName, quantile(baseline, 0.99)),
      );
    }
    return rows;
  } finally {
    await stack.stop();
  }
}
