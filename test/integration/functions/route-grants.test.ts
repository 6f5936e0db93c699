import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../../functions/routes.js';
import { type SigningKey, signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { committedRegistry, exampleConclusion } from '../../support/agency-fixtures.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../support/api-event.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import {
  type DynamoRecorder,
  declaredPrefixes,
  type ItemAccess,
  refusedByRoute,
  startDynamoRecorder,
} from '../../support/dynamodb-recorder.js';
import { exampleSummary } from '../../support/summary-fixtures.js';
import { surveyHandlerEnv } from '../../support/survey-fixtures.js';
import { registerLoadAgency } from '../../support/workload.js';
import { REPORT_BASE, routeTargets, type TargetApi, TEST_PDF, validReport } from '../bad-input/targets.js';

/**
 * Each write route's real requests against its declared grants (functions/routes.ts, the declaration CDK turns
 * into IAM with dynamodb:LeadingKeys): every production handler runs in-process, its DynamoDB traffic recorded
 * through a proxy in front of DynamoDB Local, and every item it reads or writes is checked against what IAM
 * would allow its role in AWS. The other way round, every declared write action and partition must be used, so
 * the grants stay exactly what the handler needs.
 */

const UNIT_IDS = ['01', '22', '008', '00304', '00301'];
const writeRoutes = routes.filter(
  (route) => typeof route.tables.records === 'object' || typeof route.tables.stats === 'object',
);

describe('per-route grants against what each handler really does', () => {
  let tables: TestTables;
  let recorder: DynamoRecorder;
  let signing: SigningKey;
  const handlers = new Map<string, ApiHandler>();

  const byName = (name: string): RouteDefinition => {
    const route = routes.find((r) => r.name === name);
    if (!route) throw new Error(`no route ${name}`);
    return route;
  };

  async function call(
    route: RouteDefinition,
    request: { params?: Record<string, string>; headers?: Record<string, string>; body: Buffer; type: string },
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const handler = handlers.get(route.name);
    if (!handler) throw new Error(`no handler for ${route.name}`);
    const params = request.params ?? {};
    const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
    const authorization: Record<string, string> =
      route.access === 'agency'
        ? {
            authorization: await signAgencyRequest(signing, {
              method: route.method,
              pathWithQuery: path,
              body: request.body,
            }),
          }
        : {};
    const result = await handler(
      apiEvent({
        method: route.method,
        path,
        routePath: route.path,
        params,
        headers: { 'content-type': request.type, ...request.headers, ...authorization },
        body: request.body,
      }),
      lambdaContext(route.name),
    );
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    return { status: result.statusCode ?? 0, headers, body: result.body ?? '' };
  }

  const json = (body: unknown) => ({ body: Buffer.from(JSON.stringify(body)), type: 'application/json' });

  async function created(name: string, body: unknown) {
    const answer = await call(byName(name), json(body));
    if (answer.status !== 201) throw new Error(`setup: ${name} answered ${answer.status}: ${answer.body}`);
    return { id: String((JSON.parse(answer.body) as { id: string }).id), etag: answer.headers.etag ?? '' };
  }

  const api: TargetApi = {
    async createConclusion(i) {
      const body = exampleConclusion({ documentNumber: `${i}/KL-GRANTS-${Date.now()}` });
      return { ...(await created('conclusions-create', body)), body };
    },
    async createSummary(i) {
      const body = exampleSummary({ documentNumber: `${i}/BC-GRANTS-${Date.now()}` });
      return { ...(await created('summaries-create', body)), body };
    },
    createReport: (i) => created('reports-create', validReport(REPORT_BASE + i)),
  };

  /** Prepares an accepted request for the route (its setup unrecorded), then records only the route's own call. */
  async function run(route: RouteDefinition): Promise<{ status: number; accesses: ItemAccess[] }> {
    let request: Parameters<typeof call>[1];
    if (route.name === 'attachments-upload') {
      const { id } = await api.createConclusion(90);
      const attach = await call(byName('conclusions-attach'), {
        params: { id },
        ...json({
          sha256: createHash('sha256').update(TEST_PDF).digest('hex'),
          bytes: TEST_PDF.length,
          mediaType: 'application/pdf',
        }),
      });
      const name = (JSON.parse(attach.body) as { upload: { url: string } }).upload.url.split('/').at(-1) ?? '';
      request = { params: { name: decodeURIComponent(name) }, body: TEST_PDF, type: 'application/pdf' };
    } else {
      const target = routeTargets[route.name];
      if (!target) throw new Error(`no accepted request for ${route.name}`);
      const accepted = await target.accepted(7, api);
      request = {
        ...(accepted.params ? { params: accepted.params } : {}),
        ...(accepted.headers ? { headers: accepted.headers } : {}),
        ...json(accepted.body),
      };
    }
    recorder.take();
    const answer = await call(route, request);
    expect(answer.status, answer.body).toBeLessThan(300);
    const accesses = recorder.take();
    if (route.name === 'surveys-create') {
      // The same dossier again is refused (409), and a refusal writes its count (integrity statistics)
      const again = await call(route, request);
      expect(again.status, again.body).toBe(409);
      accesses.push(...recorder.take());
    }
    return { status: answer.status, accesses };
  }

  beforeAll(async () => {
    tables = await createTestTables('grants');
    const registry = committedRegistry();
    const units = UNIT_IDS.map((id) => registry.get(id)).filter((unit) => unit !== undefined);
    await saveUnits(tables.doc, tables.names.records, units, registry);
    signing = await registerLoadAgency(tables.doc, tables.names.records, 'grants', ['01', '22']);
    recorder = await startDynamoRecorder(tables.endpoint, tables.names);
    Object.assign(process.env, tables.env, {
      // The handlers' own clients go through the recorder; setup above wrote directly.
      DYNAMODB_ENDPOINT: recorder.endpoint,
      ...surveyHandlerEnv(1_000_000),
      ATTACHMENTS_DIR: `/tmp/route-grants-attachments-${process.pid}`,
    });
    for (const route of routes) {
      const mod = (await import(`../../../${route.entry.replace(/\.ts$/, '.js')}`)) as { handler: ApiHandler };
      handlers.set(route.name, mod.handler);
    }
  });

  afterAll(async () => {
    await recorder?.close();
    await tables?.drop();
  });

  it('covers every write route of the route table', () => {
    // Assess
    expect(writeRoutes.map((route) => route.name)).toContain('surveys-create');
    expect(writeRoutes.length).toBeGreaterThan(5);
  });

  for (const route of writeRoutes) {
    it(`${route.name}: stays inside its grants and uses every write action and partition it declares`, async () => {
      // Act
      const { accesses } = await run(route);

      // Assess
      expect(accesses.map((access) => refusedByRoute(access, route.tables)).filter(Boolean)).toEqual([]);
      for (const table of ['records', 'stats'] as const) {
        const use = route.tables[table];
        const writes = accesses.filter((access) => access.table === table && !/GetItem|Query$/.test(access.action));
        if (typeof use !== 'object') {
          expect(writes, `${table}: declared without writes`).toEqual([]);
          continue;
        }
        expect([...new Set(writes.map((access) => access.action))].sort(), table).toEqual(
          use.write.map((action) => `dynamodb:${action}`).sort(),
        );
        const prefixes = declaredPrefixes(table, use);
        const written = new Set(
          writes.flatMap((access) =>
            access.leadingKeys.map((key) => use.partitions[prefixes.findIndex((prefix) => key.startsWith(prefix))]),
          ),
        );
        expect([...written].sort(), table).toEqual([...use.partitions].sort());
      }
    });
  }

  it('would refuse the survey function a write to an agency key (the declaration is not a formality)', () => {
    // Act
    const refused = refusedByRoute(
      { action: 'dynamodb:PutItem', table: 'records', leadingKeys: ['AGENCY#hanoi-dktcv'] },
      byName('surveys-create').tables,
    );

    // Assess
    expect(refused).toMatch(/partition outside SURVEY#, COMMENT#, REFUSED#/);
  });

  it('would refuse the survey function a read or a write of the stats table other than its rate-limit buckets', () => {
    // Act
    const tables = byName('surveys-create').tables;
    const counter = refusedByRoute(
      { action: 'dynamodb:UpdateItem', table: 'stats', leadingKeys: ['FIG#U#00304#2024-05#0'] },
      tables,
    );
    const read = refusedByRoute({ action: 'dynamodb:GetItem', table: 'stats', leadingKeys: ['META#dirty'] }, tables);
    const bucket = refusedByRoute({ action: 'dynamodb:UpdateItem', table: 'stats', leadingKeys: ['RATE#b'] }, tables);

    // Assess
    expect(counter).toMatch(/partition outside RATE#/);
    expect(read).toMatch(/action not declared/);
    expect(bucket).toBeUndefined();
  });
});
