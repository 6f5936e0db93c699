import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgencyApiDependencies } from '../../../../functions/lib/agency-api.js';
import { createCorrectSummaryHandler } from '../../../../functions/summaries/correct.js';
import { createCreateSummaryHandler } from '../../../../functions/summaries/create.js';
import { createGetSummaryHandler } from '../../../../functions/summaries/get.js';
import { createRetractSummaryHandler } from '../../../../functions/summaries/retract.js';
import { SummaryResourceSchema } from '../../../../shared/openapi/responses.js';
import {
  call,
  documentRequests,
  registerTestAgency,
  type TestAgency,
  testDependencies,
} from '../../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { exampleSummary } from '../../../support/summary-fixtures.js';
import { refusedWithoutChange, snapshotDiff, snapshotTables } from '../../../support/table-snapshot.js';

let tables: TestTables;
let deps: AgencyApiDependencies;
let hanoi: TestAgency;
let dongDa: TestAgency;
let quangNinh: TestAgency;

const create = createCreateSummaryHandler(() => deps);
const correct = createCorrectSummaryHandler(() => deps);
const retract = createRetractSummaryHandler(() => deps);
const get = createGetSummaryHandler(() => deps);

const PATH = '/api/v1/summaries';

const { post, put, read, retraction } = documentRequests(PATH);

/** Publishes a fresh summary (unique document number) and returns its id and body. */
async function published(agency: TestAgency, overrides: Record<string, unknown> = {}) {
  const body = exampleSummary({ documentNumber: `${randomUUID().slice(0, 8)}/BC`, ...overrides });
  const answer = await call(create, await post(agency, body));
  expect(answer.status).toBe(201);
  return { id: String(answer.body.id), body };
}

beforeAll(async () => {
  tables = await createTestTables('summ');
  deps = testDependencies(tables);
  hanoi = await registerTestAgency(deps, 'hanoi-btctu', ['01'], 'Ban Tổ chức Thành ủy Hà Nội');
  dongDa = await registerTestAgency(deps, 'dongda-ubkt', ['006']);
  quangNinh = await registerTestAgency(deps, 'quangninh-snv', ['22']);
});

afterAll(async () => {
  await tables.drop();
});

describe('POST /api/v1/summaries', () => {
  it('publishes version 1 with the figures exactly as stated (unsplit totals stay unsplit), readable with GET', async () => {
    // Act
    const created = await call(create, await post(hanoi, exampleSummary()));
    const fetched = await call(get, read(String(created.body.id)));

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/summaries/${created.body.id}`);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      version: 1,
      status: 'published',
      jurisdiction: '01',
      unitId: '01',
      from: '2023-08-07',
      to: '2024-08-30',
      inspections: { total: 911 },
      violations: { total: 873 },
      disciplined: { total: 368 },
    });
    // Nothing the source did not give appears, not even as 0.
    expect(created.body.violations).toEqual({ total: 873 });
    expect(created.body).not.toHaveProperty('procedures');
    expect(SummaryResourceSchema.safeParse(created.body).success).toBe(true);
    expect(fetched.status).toBe(200);
    expect(fetched.body.agency).toEqual({ id: 'hanoi-btctu', name: 'Ban Tổ chức Thành ủy Hà Nội' });
    expect(fetched.body.versions).toHaveLength(1);
    expect(SummaryResourceSchema.safeParse(fetched.body).success).toBe(true);
  });

  it('answers 200 with the stored record when the same content is sent again, and stores nothing new', async () => {
    // Prepare
    const body = exampleSummary({ documentNumber: 'BC-2/2024' });
    const first = await call(create, await post(hanoi, body));

    // Act
    const before = await snapshotTables(tables.doc, tables.names);
    const again = await call(create, await post(hanoi, body));
    const after = await snapshotTables(tables.doc, tables.names);

    // Assess
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(snapshotDiff(before, after).filter((change) => !change.includes('JTI#'))).toEqual([]);
  });

  it('answers 409 for the same agency and document number with different content, naming the existing one', async () => {
    // Prepare
    const body = exampleSummary({ documentNumber: 'BC-3/2024' });
    const first = await call(create, await post(hanoi, body));

    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, { ...body, violations: { total: 874 } })),
    );

    // Assess
    expect(answer.status).toBe(409);
    expect(answer.body.existing).toEqual({ id: first.body.id, version: 1 });
  });

  it('answers 403 when the jurisdiction is outside the agency’s, and changes nothing', async () => {
    // Act
    const city = await refusedWithoutChange(tables, async () =>
      call(create, await post(dongDa, exampleSummary({ documentNumber: 'BC-4/2024' }))),
    );
    const otherProvince = await refusedWithoutChange(tables, async () =>
      call(create, await post(quangNinh, exampleSummary({ documentNumber: 'BC-5/2024' }))),
    );

    // Assess
    expect(city.status).toBe(403);
    expect(otherProvince.status).toBe(403);
  });

  it('lets a district agency publish its district’s Party discipline of a half-year, by form', async () => {
    // Act
    const answer = await call(
      create,
      await post(
        dongDa,
        exampleSummary({
          documentNumber: 'BC-KL/2024-H1',
          issuedOn: '2024-07-20',
          jurisdiction: '006',
          from: '2024-01-01',
          to: '2024-06-30',
          scope: { vi: 'Cấp ủy, Ủy ban Kiểm tra các cấp trong Đảng bộ quận' },
          inspections: undefined,
          violations: undefined,
          disciplined: {
            individuals: 15,
            track: 'party',
            byForm: { warning: { individuals: 2 }, reprimand: { individuals: 12 }, expulsion: { individuals: 1 } },
          },
        }),
      ),
    );

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.body.unitId).toBe('006');
    expect(answer.body.disciplined).toEqual({
      individuals: 15,
      track: 'party',
      byForm: { warning: { individuals: 2 }, reprimand: { individuals: 12 }, expulsion: { individuals: 1 } },
    });
  });

  it('answers 422 naming the field for a code with no unit on `to`, a span that ends before it starts, and no figure', async () => {
    // Act
    const unknown = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, exampleSummary({ documentNumber: 'BC-6/2024', jurisdiction: '00999' }))),
    );
    const backwards = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, exampleSummary({ documentNumber: 'BC-7/2024', from: '2024-09-01' }))),
    );
    const empty = await refusedWithoutChange(tables, async () =>
      call(
        create,
        await post(
          hanoi,
          exampleSummary({
            documentNumber: 'BC-8/2024',
            inspections: undefined,
            violations: undefined,
            disciplined: undefined,
          }),
        ),
      ),
    );

    // Assess
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'jurisdiction' })]);
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'to' })]));
    expect(empty.status).toBe(422);
  });
});

describe('PUT /api/v1/summaries/{id}', () => {
  it('corrects with If-Match: version 2, the history keeps version 1 as it was', async () => {
    // Prepare
    const { id, body } = await published(hanoi);

    // Act
    const corrected = await call(
      correct,
      await put(
        hanoi,
        id,
        { ...body, disciplined: { total: 369 }, reason: 'Số liệu đã được rà soát lại.' },
        {
          'if-match': '"1"',
        },
      ),
    );
    const fetched = await call(get, read(id));

    // Assess
    expect(corrected.status).toBe(200);
    expect(corrected.headers.etag).toBe('"2"');
    expect(corrected.body).toMatchObject({
      version: 2,
      disciplined: { total: 369 },
      reason: 'Số liệu đã được rà soát lại.',
    });
    const versions = fetched.body.versions as Record<string, unknown>[];
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]?.disciplined).toEqual({ total: 368 });
  });

  it('answers 428 without If-Match and 412 with a stale one, changing nothing', async () => {
    // Prepare
    const { id, body } = await published(hanoi);
    await call(correct, await put(hanoi, id, { ...body, inspections: { total: 912 } }, { 'if-match': '"1"' }));

    // Act
    const missing = await refusedWithoutChange(tables, async () => call(correct, await put(hanoi, id, body)));
    const stale = await refusedWithoutChange(tables, async () =>
      call(correct, await put(hanoi, id, { ...body, inspections: { total: 913 } }, { 'if-match': '"1"' })),
    );

    // Assess
    expect(missing.status).toBe(428);
    expect(stale.status).toBe(412);
  });

  it('answers 403 when another agency corrects, and 404 for an id of the right form that no summary has', async () => {
    // Prepare
    const { id, body } = await published(hanoi);

    // Act
    const other = await refusedWithoutChange(tables, async () =>
      call(correct, await put(dongDa, id, body, { 'if-match': '"1"' })),
    );
    const absent = await call(correct, await put(hanoi, 'saaaaaaaaaaaaaaaaaaa', body, { 'if-match': '"1"' }));

    // Assess
    expect(other.status).toBe(403);
    expect(absent.status).toBe(404);
  });
});

describe('POST /api/v1/summaries/{id}/retraction', () => {
  it('retracts as a new version with status retracted and the last content; again is a no-op', async () => {
    // Prepare
    const { id } = await published(hanoi);

    // Act
    const retracted = await call(retract, await retraction(hanoi, id, { reason: 'Công bố nhầm kỳ báo cáo.' }));
    const again = await call(retract, await retraction(hanoi, id));
    const fetched = await call(get, read(id));

    // Assess
    expect(retracted.status).toBe(200);
    expect(retracted.body).toMatchObject({ version: 2, status: 'retracted', inspections: { total: 911 } });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
    expect((fetched.body.versions as unknown[]).length).toBe(2);
  });

  it('refuses to correct a retracted summary (409), and another agency’s retraction (403)', async () => {
    // Prepare
    const { id, body } = await published(hanoi);
    await call(retract, await retraction(hanoi, id));

    // Act
    const correction = await refusedWithoutChange(tables, async () =>
      call(correct, await put(hanoi, id, { ...body, inspections: { total: 1 } }, { 'if-match': '"2"' })),
    );
    const foreign = await refusedWithoutChange(tables, async () => call(retract, await retraction(quangNinh, id)));

    // Assess
    expect(correction.status).toBe(409);
    expect(foreign.status).toBe(403);
  });
});
