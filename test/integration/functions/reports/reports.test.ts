import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgencyApiDependencies } from '../../../../functions/lib/agency-api.js';
import { createCorrectReportHandler } from '../../../../functions/reports/correct.js';
import { createFileReportHandler } from '../../../../functions/reports/create.js';
import { createGetReportHandler } from '../../../../functions/reports/get.js';
import { ReportResourceSchema } from '../../../../shared/openapi/responses.js';
import { reportKey } from '../../../../shared/storage/keys.js';
import {
  call,
  documentRequests,
  registerTestAgency,
  signedEvent,
  type TestAgency,
  testDependencies,
} from '../../../support/agency-fixtures.js';
import { apiEvent } from '../../../support/api-event.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { refusedWithoutChange } from '../../../support/table-snapshot.js';

let tables: TestTables;
let deps: AgencyApiDependencies;
let dongDa: TestAgency;
let quangNinh: TestAgency;

const file = createFileReportHandler(() => deps);
const correct = createCorrectReportHandler(() => deps);
const get = createGetReportHandler(() => deps);

/** Đống Đa's citizen reception in the first half of 2024 (seed document): reported here for one month. */
function receptionReport(overrides: Record<string, unknown> = {}) {
  return {
    unit: '006',
    month: '2024-06',
    reception: {
      citizensReceived: 517,
      complaintsReceived: 485,
      complaintsResolved: 487,
      denunciationsReceived: 0,
      denunciationsResolved: 0,
    },
    ...overrides,
  };
}

const { post, put } = documentRequests('/api/v1/reports');

beforeAll(async () => {
  tables = await createTestTables('reports');
  deps = testDependencies(tables);
  dongDa = await registerTestAgency(deps, 'dongda-ubnd', ['006']);
  quangNinh = await registerTestAgency(deps, 'quangninh-snv', ['22']);
});

afterAll(async () => {
  await tables.drop();
});

describe('POST /api/v1/reports', () => {
  it('files a report as one flat item per agency, unit and month', async () => {
    // Act
    const answer = await call(file, await post(dongDa, receptionReport()));
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.records, Key: reportKey('006', '2024-06', 'dongda-ubnd') }),
    );

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.headers.location).toBe('/api/v1/reports/dongda-ubnd.006.2024-06');
    expect(ReportResourceSchema.safeParse(answer.body).success).toBe(true);
    expect(Item).toMatchObject({
      entity: 'report',
      unitId: '006',
      month: '2024-06',
      agencyId: 'dongda-ubnd',
      version: 1,
      citizensReceived: 517,
      complaintsResolved: 487,
    });
    expect(Item?.received).toBeUndefined();
  });

  it('answers 200 for the same figures again and 409 for other figures', async () => {
    // Prepare
    const body = receptionReport({ month: '2024-05' });
    await call(file, await post(dongDa, body));

    // Act
    const same = await call(file, await post(dongDa, body));
    const other = await refusedWithoutChange(tables, async () =>
      call(file, await post(dongDa, { ...body, reception: { ...body.reception, citizensReceived: 1 } })),
    );

    // Assess
    expect(same.status).toBe(200);
    expect(other.status).toBe(409);
    expect(other.body.existing).toEqual({ id: 'dongda-ubnd.006.2024-05', version: 1 });
  });

  it('answers 403 outside the jurisdiction and 422 for a month in the future or no figures', async () => {
    const outside = await refusedWithoutChange(tables, async () =>
      call(file, await post(quangNinh, receptionReport())),
    );
    const future = await refusedWithoutChange(tables, async () =>
      call(file, await post(dongDa, receptionReport({ month: '2999-01' }))),
    );
    const empty = await refusedWithoutChange(tables, async () =>
      call(file, await post(dongDa, { unit: '006', month: '2024-01' })),
    );
    expect(outside.status).toBe(403);
    expect(future.status).toBe(422);
    expect(empty.status).toBe(422);
  });

  it('files a year or a quarter as one report for that period, read as the unit in force on its last day', async () => {
    // Act: Đống Đa (006) existed until 2025-07-01: its 2024 reception as a year, and a quarter with its source.
    const year = await call(file, await post(dongDa, receptionReport({ month: undefined, period: '2024' })));
    const quarter = await call(
      file,
      await post(
        dongDa,
        receptionReport({
          month: undefined,
          period: '2024-Q1',
          sources: [{ title: 'Báo cáo tiếp công dân quý I/2024', url: 'https://example.org/dong-da-q1' }],
        }),
      ),
    );
    const both = await refusedWithoutChange(tables, async () =>
      call(file, await post(dongDa, receptionReport({ period: '2024-Q3' }))),
    );
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.records, Key: reportKey('006', '2024', 'dongda-ubnd') }),
    );

    // Assess
    expect(year.status).toBe(201);
    expect(year.headers.location).toBe('/api/v1/reports/dongda-ubnd.006.2024');
    expect(year.body).toMatchObject({ period: '2024', unitId: '006' });
    expect(year.body).not.toHaveProperty('month');
    expect(Item).toMatchObject({ period: '2024', unitDate: '2024-12-31' });
    expect(Item).not.toHaveProperty('month');
    expect(quarter.status).toBe(201);
    expect(quarter.body).toMatchObject({
      period: '2024-Q1',
      sources: [expect.objectContaining({ url: 'https://example.org/dong-da-q1' })],
    });
    expect(ReportResourceSchema.safeParse(quarter.body).success).toBe(true);
    expect(
      (
        await call(
          get,
          apiEvent({
            method: 'GET',
            path: '/api/v1/reports/dongda-ubnd.006.2024-Q1',
            routePath: '/api/v1/reports/{id}',
            params: { id: 'dongda-ubnd.006.2024-Q1' },
          }),
        )
      ).status,
    ).toBe(200);
    expect(both.status).toBe(422);
    expect(both.body.errors).toEqual([expect.objectContaining({ path: 'period' })]);
  });

  it('answers 401 to an unsigned request', async () => {
    const event = await signedEvent(dongDa, {
      method: 'POST',
      path: '/api/v1/reports',
      body: receptionReport(),
      unsigned: true,
    });
    const answer = await refusedWithoutChange(tables, () => call(file, event));
    expect(answer.status).toBe(401);
  });
});

describe('PUT /api/v1/reports/{id}', () => {
  it('corrects the same item in place with If-Match; 412 for a stale version, 428 without', async () => {
    // Prepare
    const body = receptionReport({ month: '2024-04' });
    const filed = await call(file, await post(dongDa, body));
    const id = String(filed.body.id);
    const corrected = { ...body, reception: { ...body.reception, citizensReceived: 520 } };

    // Act
    const missing = await refusedWithoutChange(tables, async () => call(correct, await put(dongDa, id, corrected)));
    const ok = await call(correct, await put(dongDa, id, corrected, { 'if-match': '"1"' }));
    const stale = await refusedWithoutChange(tables, async () =>
      call(
        correct,
        await put(
          dongDa,
          id,
          { ...corrected, reception: { ...corrected.reception, citizensReceived: 9 } },
          { 'if-match': '"1"' },
        ),
      ),
    );
    const read = await call(get, apiEvent({ method: 'GET', path: `/api/v1/reports/${id}`, params: { id } }));

    // Assess
    expect(missing.status).toBe(428);
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
    expect(stale.status).toBe(412);
    expect(read.body).toMatchObject({ version: 2, reception: { citizensReceived: 520 } });
  });

  it('answers 403 to another agency and 404 for an unknown report', async () => {
    const body = receptionReport({ month: '2024-03' });
    const filed = await call(file, await post(dongDa, body));
    const other = await refusedWithoutChange(tables, async () =>
      call(correct, await put(quangNinh, String(filed.body.id), body, { 'if-match': '"1"' })),
    );
    const unknown = await call(get, apiEvent({ method: 'GET', path: '/api/v1/reports/x', params: { id: 'x' } }));
    expect(other.status).toBe(403);
    expect(unknown.status).toBe(404);
  });
});
