import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../../../functions/lib/origin-verify.js';
import { routes } from '../../../../functions/routes.js';
import { saveUnits } from '../../../../shared/storage/units-repository.js';
import { committedRegistry } from '../../../support/agency-fixtures.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../../support/api-event.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { surveyForm, surveyHandlerEnv, surveyJson } from '../../../support/survey-fixtures.js';
import { snapshotDiff, snapshotTables } from '../../../support/table-snapshot.js';

/**
 * Only through the front door, as in AWS: the origin check configured (ORIGIN_VERIFY_VALUES stands in for the
 * Secrets Manager secret; its current and previous values), every production handler called in-process on
 * DynamoDB Local. A request without the header or with a wrong one is refused with 403 problem+json before
 * anything is read or written; with the header it is served, and only then is the viewer address believed.
 */

const CURRENT = 'c'.repeat(20) + 'current-origin-value-0123456789';
const PREVIOUS = 'p'.repeat(20) + 'previous-origin-value-012345678';
const UNIT_IDS = ['01', '22', '008', '00304', '00301'];

let counter = 0;
const dossier = () => `ORIGIN-${process.pid}-${++counter}`;

describe('the origin check on every handler (CloudFront in front)', () => {
  let tables: TestTables;
  const handlers = new Map<string, ApiHandler>();

  async function call(
    name: string,
    headers: Record<string, string>,
    body?: string,
    sourceIp = '198.51.100.7',
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const route = routes.find((candidate) => candidate.name === name);
    const handler = handlers.get(name);
    if (!route || !handler) throw new Error(`no route ${name}`);
    const path = route.path.replace(/\{[^}]+\}/g, 'kaaaaaaaaaaaaaaaaaaa');
    const result = await handler(
      apiEvent({
        method: route.method,
        path,
        routePath: route.path,
        headers,
        ...(body === undefined ? {} : { body }),
        sourceIp,
      }),
      lambdaContext(name),
    );
    const lower = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    return { status: result.statusCode ?? 0, headers: lower, body: result.body ?? '' };
  }

  const survey = (headers: Record<string, string>, sourceIp?: string) =>
    call(
      'surveys-create',
      { 'content-type': 'application/json', ...headers },
      JSON.stringify(surveyJson({ dossierCode: dossier() })),
      sourceIp,
    );

  beforeAll(async () => {
    tables = await createTestTables('origin');
    const registry = committedRegistry();
    const units = UNIT_IDS.map((id) => registry.get(id)).filter((unit) => unit !== undefined);
    await saveUnits(tables.doc, tables.names.records, units, registry);
    Object.assign(process.env, tables.env, {
      ORIGIN_VERIFY_VALUES: `${CURRENT},${PREVIOUS}`,
      CLIENT_ADDRESS_HEADER: 'cloudfront-viewer-address',
      ...surveyHandlerEnv(1),
      ATTACHMENTS_DIR: `/tmp/origin-verify-attachments-${process.pid}`,
    });
    for (const route of routes) {
      const mod = (await import(`../../../../${route.entry.replace(/\.ts$/, '.js')}`)) as { handler: ApiHandler };
      handlers.set(route.name, mod.handler);
    }
  });

  afterAll(async () => {
    delete process.env.ORIGIN_VERIFY_VALUES;
    delete process.env.CLIENT_ADDRESS_HEADER;
    await tables?.drop();
  });

  it('refuses a request without the header on every route, with 403 problem+json, and writes nothing', async () => {
    // Prepare
    const before = await snapshotTables(tables.doc, tables.names);

    // Act
    const answers = await Promise.all(
      routes.map(async (route) => ({
        name: route.name,
        answer: await call(
          route.name,
          { 'content-type': 'application/json' },
          route.method === 'GET' ? undefined : '{}',
        ),
      })),
    );

    // Assess
    for (const { name, answer } of answers) {
      expect(answer.status, name).toBe(403);
      expect(answer.headers['content-type'], name).toBe('application/problem+json');
      expect(JSON.parse(answer.body), name).toMatchObject({ status: 403 });
    }
    expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
  });

  it('refuses a wrong value, a prefix of the right one, and a form post wanting HTML, all as problem+json', async () => {
    // Prepare
    const before = await snapshotTables(tables.doc, tables.names);

    // Act
    const wrong = await survey({ [ORIGIN_VERIFY_HEADER]: `${CURRENT.slice(0, -1)}x` });
    const prefix = await survey({ [ORIGIN_VERIFY_HEADER]: CURRENT.slice(0, 16) });
    const form = await call(
      'surveys-create',
      { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      surveyForm({ dossierCode: dossier() }),
    );

    // Assess
    for (const answer of [wrong, prefix, form]) {
      expect(answer.status).toBe(403);
      expect(answer.headers['content-type']).toBe('application/problem+json');
    }
    expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
  });

  it('serves a request carrying the current value, and the previous one during a rotation', async () => {
    // Act
    const current = await survey({ [ORIGIN_VERIFY_HEADER]: CURRENT }, '203.0.113.1');
    const previous = await survey({ [ORIGIN_VERIFY_HEADER]: PREVIOUS }, '203.0.113.2');
    const health = await call('health', { [ORIGIN_VERIFY_HEADER]: CURRENT });

    // Assess
    expect(current.status, current.body).toBe(201);
    expect(previous.status, previous.body).toBe(201);
    expect(health.status).toBe(200);
  });

  it('counts the rate limit by the viewer address CloudFront gives, once the origin is verified', async () => {
    // Prepare: one response per client per minute (SURVEY_RATE_LIMIT=1); the connection comes from edge servers.
    const viewer = { [ORIGIN_VERIFY_HEADER]: CURRENT, 'cloudfront-viewer-address': '192.0.2.44:51234' };

    // Act
    const first = await survey(viewer, '130.176.0.1');
    const sameViewerOtherEdge = await survey(viewer, '130.176.0.2');
    const otherViewerSameEdge = await survey(
      { ...viewer, 'cloudfront-viewer-address': '192.0.2.45:443' },
      '130.176.0.1',
    );

    // Assess
    expect(first.status, first.body).toBe(201);
    expect(sameViewerOtherEdge.status).toBe(429);
    expect(otherViewerSameEdge.status, otherViewerSameEdge.body).toBe(201);
  });
});
