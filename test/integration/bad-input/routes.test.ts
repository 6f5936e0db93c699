import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../../functions/routes.js';
import { type SigningKey, signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { committedRegistry, exampleConclusion } from '../../support/agency-fixtures.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../support/api-event.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { formReturnAddress } from '../../support/form-answer.js';
import { exampleSummary } from '../../support/summary-fixtures.js';
import { surveyHandlerEnv } from '../../support/survey-fixtures.js';
import { type Snapshot, snapshotDiff, snapshotTables } from '../../support/table-snapshot.js';
import { registerLoadAgency } from '../../support/workload.js';
import { badInputs, JSON_TYPE, nfdBody, withField } from './corpus.js';
import { expectProblem, expectPrototypeClean } from './problem-assertions.js';
import {
  ABSENT_CONCLUSION_ID,
  ABSENT_SUMMARY_ID,
  REPORT_BASE,
  routeTargets,
  type TargetApi,
  validReport,
} from './targets.js';

/**
 * The nasty-input corpus and fast-check properties against every route of functions/routes.ts, each handler
 * called in-process with API Gateway v2 events and writing to the real engine: 4xx problem+json, never 5xx,
 * and the tables exactly as before (scanned before and after). Agency requests are signed as CONTRACT.md
 * says, so a nasty body meets the route's own parsing and not only a 401.
 */

interface Response {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const bodyRoutes = routes.filter((route) => route.method !== 'GET');
/** Units the requests name, with their ancestors: enough for every target, small enough to scan per case. */
const UNIT_IDS = ['01', '22', '008', '00304', '00301'];

describe('bad input against every route', () => {
  let tables: TestTables;
  let signing: SigningKey;
  const handlers = new Map<string, ApiHandler>();

  const call = async (
    route: RouteDefinition,
    headers: Record<string, string>,
    body?: Buffer | string,
    params: Record<string, string> = {},
  ): Promise<Response> => {
    const handler = handlers.get(route.name);
    if (!handler) throw new Error(`no handler for ${route.name}`);
    const values = Object.fromEntries(
      [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => [
        m[1] ?? '',
        route.path.startsWith('/api/v1/summaries/') ? ABSENT_SUMMARY_ID : ABSENT_CONCLUSION_ID,
      ]),
    );
    Object.assign(values, params);
    const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    const signed: Record<string, string> =
      route.access === 'agency' && headers.authorization === undefined
        ? {
            authorization: await signAgencyRequest(signing, { method: route.method, pathWithQuery: path, body: bytes }),
          }
        : {};
    const event = apiEvent({
      method: route.method,
      path,
      routePath: route.path,
      params: values,
      headers: { ...headers, ...signed },
      ...(body === undefined ? {} : { body: bytes }),
    });
    const result = await handler(event, lambdaContext(route.name));
    const responseHeaders = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    return { status: result.statusCode ?? 0, headers: responseHeaders, body: result.body ?? '' };
  };

  const byName = (name: string): RouteDefinition => {
    const route = routes.find((r) => r.name === name);
    if (!route) throw new Error(`no route ${name}`);
    return route;
  };

  const api: TargetApi = {
    async createConclusion(i) {
      const body = exampleConclusion({ documentNumber: `${i}/KL-SETUP-${Date.now()}` });
      const response = await call(byName('conclusions-create'), { 'content-type': JSON_TYPE }, JSON.stringify(body));
      if (response.status !== 201) throw new Error(`setup: conclusion not created: ${response.body}`);
      return { id: String((JSON.parse(response.body) as { id: string }).id), etag: response.headers.etag ?? '', body };
    },
    async createSummary(i) {
      const body = exampleSummary({ documentNumber: `${i}/BC-SETUP-${Date.now()}` });
      const response = await call(byName('summaries-create'), { 'content-type': JSON_TYPE }, JSON.stringify(body));
      if (response.status !== 201) throw new Error(`setup: summary not created: ${response.body}`);
      return { id: String((JSON.parse(response.body) as { id: string }).id), etag: response.headers.etag ?? '', body };
    },
    async createReport(i) {
      const response = await call(
        byName('reports-create'),
        { 'content-type': JSON_TYPE },
        JSON.stringify(validReport(REPORT_BASE + i)),
      );
      if (response.status !== 201) throw new Error(`setup: report not created: ${response.body}`);
      return { id: String((JSON.parse(response.body) as { id: string }).id), etag: response.headers.etag ?? '' };
    },
  };

  const changes = async (before: Snapshot) => snapshotDiff(before, await snapshotTables(tables.doc, tables.names));

  beforeAll(async () => {
    tables = await createTestTables('badroutes');
    const registry = committedRegistry();
    const units = UNIT_IDS.map((id) => registry.get(id)).filter((unit) => unit !== undefined);
    await saveUnits(tables.doc, tables.names.records, units, registry);
    signing = await registerLoadAgency(tables.doc, tables.names.records, 'bad-input', ['01', '22']);
    Object.assign(process.env, tables.env, {
      ...surveyHandlerEnv(1_000_000),
      ATTACHMENTS_DIR: `/tmp/bad-input-attachments-${process.pid}`,
    });
    for (const route of routes) {
      const mod = (await import(`../../../${route.entry.replace(/\.ts$/, '.js')}`)) as { handler: ApiHandler };
      handlers.set(route.name, mod.handler);
    }
  });

  afterAll(async () => {
    await tables?.drop();
  });

  it('has a bad-input target for every JSON route that takes a body', () => {
    // The attachment upload takes PDF bytes, not JSON: it has its own tests (attachments.test.ts).
    const json = bodyRoutes.filter((r) => r.name !== 'attachments-upload');
    expect(json.map((r) => r.name).filter((name) => !routeTargets[name])).toEqual([]);
  });

  for (const route of routes.filter((r) => r.method === 'GET')) {
    it(`${route.name}: ignores or refuses every corpus body, never with a 5xx, and writes nothing`, async () => {
      const before = await snapshotTables(tables.doc, tables.names);
      const generic = {
        base: { a: 'x', n: 1 },
        textField: 'a',
        numberField: 'n',
        acceptsForm: true,
        strict: true,
        maxBytes: 256 * 1024,
      };
      for (const input of badInputs(generic)) {
        const headers = { ...input.headers, ...(input.contentType ? { 'content-type': input.contentType } : {}) };
        const response = await call(route, headers, input.body);
        expect(response.status, input.name).toBeLessThan(500);
        if (response.status >= 400) expectProblem(response, [response.status], input.name);
      }
      expect(await changes(before)).toEqual([]);
    });
  }

  for (const route of bodyRoutes) {
    const spec = routeTargets[route.name];
    if (!spec) continue;
    describe(`${route.method} ${route.path}`, () => {
      it('accepts a valid request (the corpus is built from one)', async () => {
        const request = await spec.accepted(1, api);
        const response = await call(
          route,
          { 'content-type': JSON_TYPE, ...request.headers },
          JSON.stringify(request.body),
          request.params,
        );
        expect(response.status, response.body).toBeGreaterThanOrEqual(200);
        expect(response.status, response.body).toBeLessThan(300);
      });

      for (const input of badInputs(spec.target)) {
        const expected = spec.overrides?.[input.name] ?? input.expected;
        it(`refuses ${input.name} with ${expected.join(' or ')} and writes nothing`, async () => {
          const before = await snapshotTables(tables.doc, tables.names);
          const headers = {
            ...input.headers,
            ...(input.contentType === undefined ? {} : { 'content-type': input.contentType }),
          };
          const response = await call(route, headers, input.body);
          expectProblem(response, expected, input.name);
          expect(await changes(before)).toEqual([]);
          expectPrototypeClean();
        });
      }

      if (spec.target.storedTextField) {
        it('stores decomposed (NFD) Vietnamese as NFC', async () => {
          const request = await spec.accepted(2, api);
          const before = await snapshotTables(tables.doc, tables.names);
          const text = 'Cán bộ phường Vĩnh Hưng hướng dẫn tận tình, chu đáo.';
          const body = nfdBody({ ...spec.target, base: request.body }, text);
          const response = await call(route, { 'content-type': JSON_TYPE, ...request.headers }, body, request.params);
          expect(response.status, response.body).toBeLessThan(300);
          const after = await snapshotTables(tables.doc, tables.names);
          const written = [...after].filter(([key, value]) => before.get(key) !== value).map(([, value]) => value);
          expect(written.some((item) => item.includes(text.normalize('NFC')))).toBe(true);
          for (const item of written) expect(item).toBe(item.normalize('NFC'));
        });
      }

      it('answers arbitrary bytes with a 4xx problem, never 5xx, and writes nothing (fuzzed)', async () => {
        const before = await snapshotTables(tables.doc, tables.names);
        await fc.assert(
          fc.asyncProperty(
            fc.uint8Array({ minLength: 1, maxLength: 4096 }),
            fc.constantFrom(JSON_TYPE, 'application/x-www-form-urlencoded'),
            async (bytes, type) => {
              const response = await call(
                route,
                { 'content-type': type, accept: 'application/json' },
                Buffer.from(bytes),
              );
              expectProblem(response, [400, 415, 422], `${bytes.length} random bytes as ${type}`);
            },
          ),
          { numRuns: 100 },
        );
        expect(await changes(before)).toEqual([]);
      });

      it('answers a valid body with one field replaced by a wrong value with 400 or 422 and writes nothing (fuzzed)', async () => {
        const before = await snapshotTables(tables.doc, tables.names);
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...spec.fuzzFields), fc.jsonValue(), async (field, value) => {
            const body = withField(spec.target.base, field, value);
            fc.pre(!spec.schema.safeParse(body).success);
            const response = await call(route, { 'content-type': JSON_TYPE }, JSON.stringify(body));
            expectProblem(response, [400, 422], `${field} = ${JSON.stringify(value).slice(0, 80)}`);
          }),
          { numRuns: 100 },
        );
        expect(await changes(before)).toEqual([]);
        expectPrototypeClean();
      });

      if (spec.target.acceptsForm) {
        it("sends a broken browser form post back to the site's form, its errors named (4xx, never 5xx), and writes nothing", async () => {
          const before = await snapshotTables(tables.doc, tables.names);
          for (const body of ['', 'unit=00301', '__proto__.x=1', `comment=${'%E1'.repeat(10)}`, 'a=1&a=2']) {
            const response = await call(
              route,
              { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
              body,
            );
            expect(response.status, body).toBeGreaterThanOrEqual(400);
            expect(response.status, body).toBeLessThan(500);
            expect(formReturnAddress(response.body), body).toMatch(
              /^\/(en\/survey|danh-gia)\/[^?]+\/\?loi=[a-z-]+(,[a-z-]+)*#loi-/,
            );
          }
          expect(await changes(before)).toEqual([]);
        });
      }
    });
  }
});
