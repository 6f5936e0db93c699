import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorrectConclusionHandler } from '../../../../functions/conclusions/correct.js';
import { createCreateConclusionHandler } from '../../../../functions/conclusions/create.js';
import type { ConclusionApiDependencies } from '../../../../functions/conclusions/dependencies.js';
import { createGetConclusionHandler } from '../../../../functions/conclusions/get.js';
import { createRetractConclusionHandler } from '../../../../functions/conclusions/retract.js';
import { UNAUTHORIZED_DETAIL } from '../../../../shared/errors.js';
import { ConclusionResourceSchema } from '../../../../shared/openapi/responses.js';
import { DynamoAgencyRepository } from '../../../../shared/storage/agencies-repository.js';
import {
  call,
  documentRequests,
  exampleConclusion,
  registerTestAgency,
  type TestAgency,
  testDependencies,
} from '../../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { refusedWithoutChange, snapshotDiff, snapshotTables } from '../../../support/table-snapshot.js';

let tables: TestTables;
let deps: ConclusionApiDependencies;
let hanoi: TestAgency;
let dongDa: TestAgency;
let quangNinh: TestAgency;

const create = createCreateConclusionHandler(() => deps);
const correct = createCorrectConclusionHandler(() => deps);
const retract = createRetractConclusionHandler(() => deps);
const get = createGetConclusionHandler(() => deps);

const POST_PATH = '/api/v1/conclusions';

const { post, put, read, retraction } = documentRequests(POST_PATH);

/** Publishes a fresh conclusion (unique document number) and returns its id. */
async function published(agency: TestAgency, overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await call(
    create,
    await post(agency, exampleConclusion({ documentNumber: `${randomUUID().slice(0, 8)}/KL`, ...overrides })),
  );
  expect(answer.status).toBe(201);
  return String(answer.body.id);
}

beforeAll(async () => {
  tables = await createTestTables('concl');
  deps = testDependencies(tables);
  hanoi = await registerTestAgency(deps, 'hanoi-dktcv', ['01'], 'Đoàn Kiểm tra công vụ TP Hà Nội');
  dongDa = await registerTestAgency(deps, 'dongda-ubkt', ['006']);
  quangNinh = await registerTestAgency(deps, 'quangninh-snv', ['22']);
});

afterAll(async () => {
  await tables.drop();
});

describe('POST /api/v1/conclusions', () => {
  it('creates version 1 with Location and ETag, readable with GET', async () => {
    // Prepare
    const event = await post(hanoi, exampleConclusion());

    // Act
    const created = await call(create, event);
    const fetched = await call(get, read(String(created.body.id)));

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      version: 1,
      status: 'published',
      documentNumber: '385/KL-ĐKTCV',
      unitIds: ['00304'],
    });
    expect(created.headers.location).toBe(`/api/v1/conclusions/${created.body.id}`);
    expect(created.headers.etag).toBe('"1"');
    expect(ConclusionResourceSchema.safeParse(created.body).success).toBe(true);
    expect(fetched.status).toBe(200);
    expect(fetched.body.agency).toEqual({ id: 'hanoi-dktcv', name: 'Đoàn Kiểm tra công vụ TP Hà Nội' });
    expect(fetched.body.versions).toHaveLength(1);
    expect(ConclusionResourceSchema.safeParse(fetched.body).success).toBe(true);
  });

  it('answers 200 with the stored record when the same content is sent again, and stores nothing new', async () => {
    // Prepare
    const body = exampleConclusion({ documentNumber: '386/KL-ĐKTCV' });
    const first = await call(create, await post(hanoi, body));

    // Act
    const before = await snapshotTables(tables.doc, tables.names);
    const again = await call(
      create,
      await post(hanoi, { ...body, documentNumber: ' 386/kl-đktcv '.trim().toUpperCase() }),
    );
    const after = await snapshotTables(tables.doc, tables.names);

    // Assess
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(snapshotDiff(before, after).filter((change) => !change.includes('JTI#'))).toEqual([]);
  });

  it('normalizes decomposed Vietnamese to NFC, so NFD and NFC bodies are the same content', async () => {
    // Prepare
    const nfc = exampleConclusion({ documentNumber: '387/KL-ĐKTCV', summary: { vi: 'Phường Vĩnh Hưng' } });
    const nfd = { ...nfc, summary: { vi: 'Phường Vĩnh Hưng'.normalize('NFD') } };

    // Act
    const first = await call(create, await post(hanoi, nfd));
    const second = await call(create, await post(hanoi, nfc));

    // Assess
    expect(first.status).toBe(201);
    expect((first.body.summary as { vi: string }).vi).toBe('Phường Vĩnh Hưng'.normalize('NFC'));
    expect(second.status).toBe(200);
  });

  it('answers 409 for the same document number with different content, naming the existing record', async () => {
    // Prepare
    const body = exampleConclusion({ documentNumber: '388/KL-ĐKTCV' });
    const first = await call(create, await post(hanoi, body));

    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, { ...body, violations: { organizations: 2, individuals: 2 } })),
    );

    // Assess
    expect(answer.status).toBe(409);
    expect(answer.body.existing).toEqual({ id: first.body.id, version: 1 });
  });

  it('gives one 201 and otherwise 200 when the same conclusion is sent by racing retries', async () => {
    // Prepare
    const body = exampleConclusion({ documentNumber: '389/KL-ĐKTCV' });
    const events = await Promise.all(Array.from({ length: 8 }, () => post(hanoi, body)));

    // Act
    const answers = await Promise.all(events.map((event) => call(create, event)));
    const fetched = await call(get, read(String(answers[0]?.body.id)));

    // Assess
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(7);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(fetched.body.versions).toHaveLength(1);
  });

  it('keeps conclusions of two agencies with the same document number apart', async () => {
    // Prepare
    const body = exampleConclusion({ documentNumber: '12/KL', inspectedUnits: ['00238'] });

    // Act
    const [a, b] = await Promise.all([call(create, await post(hanoi, body)), call(create, await post(dongDa, body))]);

    // Assess
    expect(a?.status).toBe(201);
    expect(b?.status).toBe(201);
    expect(a?.body.id).not.toBe(b?.body.id);
  });

  it('reads a reused code as the unit in force on issuedOn (00097 was Tứ Liên before 2025-07-01)', async () => {
    // Prepare
    const before = exampleConclusion({
      documentNumber: '97-old/KL',
      inspectedUnits: ['00097'],
      issuedOn: '2024-06-01',
    });
    const after = exampleConclusion({ documentNumber: '97-new/KL', inspectedUnits: ['00097'], issuedOn: '2025-08-01' });

    // Act
    const old = await call(create, await post(hanoi, before));
    const current = await call(create, await post(hanoi, after));

    // Assess
    expect(old.body.unitIds).toEqual(['00097-pre2025']);
    expect(current.body.unitIds).toEqual(['00097']);
  });

  it('lets a district agency publish for a ward of its district (a jurisdiction covers its subtree)', async () => {
    // Act
    const answer = await call(
      create,
      await post(dongDa, exampleConclusion({ documentNumber: '1/KL-UBKT', inspectedUnits: ['00238'] })),
    );

    // Assess
    expect(answer.status).toBe(201);
  });

  it('lets the agency of a 2025 ward publish about a ward that merged into it, dated before the merger', async () => {
    // Prepare: Khương Thượng (00238) merged fully into the new Kim Liên ward (00229) on 2025-07-01.
    const kimLien = await registerTestAgency(deps, 'kimlien-ubnd', ['00229']);

    // Act
    const old = await call(
      create,
      await post(kimLien, exampleConclusion({ documentNumber: '7/KL', inspectedUnits: ['00238'] })),
    );
    const neighbour = await call(
      create,
      await post(kimLien, exampleConclusion({ documentNumber: '8/KL', inspectedUnits: ['00304'] })),
    );

    // Assess
    expect(kimLien.agency.jurisdictionUnitIds).toEqual(['00229']);
    expect(old.status).toBe(201);
    expect(neighbour.status).toBe(403);
  });

  it('answers 403 for a unit outside the jurisdiction, and changes nothing', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(quangNinh, exampleConclusion({ documentNumber: '5/KL-SNV' }))),
    );

    // Assess
    expect(answer.status).toBe(403);
  });

  it('answers 403 to a district agency for a ward of another district', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(dongDa, exampleConclusion({ documentNumber: '2/KL-UBKT', inspectedUnits: ['00304'] }))),
    );

    // Assess
    expect(answer.status).toBe(403);
  });

  it('answers 422 with the field path for a code that names no unit on issuedOn', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(
        create,
        await post(hanoi, exampleConclusion({ documentNumber: '6/KL', inspectedUnits: ['00304', '99999'] })),
      ),
    );

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'inspectedUnits.1' })]);
  });

  it('answers 422 with dotted paths for a body that breaks the schema', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(
        create,
        await post(hanoi, exampleConclusion({ discipline: [{ form: 'flogging', organizations: 0, individuals: 1 }] })),
      ),
    );

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'discipline.0.form' })]);
  });

  it('answers 422 when the disciplined exceed the violating', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(
        create,
        await post(hanoi, exampleConclusion({ discipline: [{ form: 'warning', organizations: 0, individuals: 3 }] })),
      ),
    );

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'discipline' })]);
  });

  it('answers 422 for a date in the future', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, exampleConclusion({ issuedOn: '2999-01-01' }))),
    );

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'issuedOn' })]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, undefined, { rawBody: Buffer.from('{"documentNumber": ') })),
    );

    // Assess
    expect(answer.status).toBe(400);
  });

  it('answers 415 for a body that is not sent as JSON', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, exampleConclusion(), { headers: { 'content-type': 'text/plain' } })),
    );

    // Assess
    expect(answer.status).toBe(415);
  });

  it('answers 413 for a body over 256 KiB', async () => {
    // Prepare
    const huge = exampleConclusion({ summary: { vi: 'x'.repeat(300 * 1024) } });

    // Act
    const answer = await refusedWithoutChange(tables, async () => call(create, await post(hanoi, huge)));

    // Assess
    expect(answer.status).toBe(413);
  });
});

describe('discipline per the law in force on the decision date', () => {
  // 00097 is Hồng Hà ward from 2025-07-01 (Tứ Liên before): a unit in force on the dates below.
  const after2025 = (discipline: unknown[], overrides: Record<string, unknown> = {}) =>
    exampleConclusion({
      documentNumber: `${randomUUID().slice(0, 8)}/KL`,
      issuedOn: '2025-08-01',
      inspectedUnits: ['00097'],
      violations: { organizations: 1, individuals: 3 },
      discipline,
      ...overrides,
    });

  it('answers 422 naming discipline.N.form for hạ bậc lương dated 2025-08-01, and changes nothing', async () => {
    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(
        create,
        await post(
          hanoi,
          after2025([
            { form: 'reprimand', organizations: 0, individuals: 1 },
            { form: 'salary_demotion', organizations: 0, individuals: 1 },
          ]),
        ),
      ),
    );

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ path: 'discipline.1.form', message: expect.stringContaining('172/2025/NĐ-CP') }),
    ]);
  });

  it('accepts bãi nhiệm dated 2025-08-01 and publishes its track and stage as sent', async () => {
    // Act
    const answer = await call(
      create,
      await post(
        hanoi,
        after2025([{ form: 'removal_from_office', organizations: 0, individuals: 1, category: 'cadre' }]),
      ),
    );

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.body.discipline).toEqual([
      { form: 'removal_from_office', organizations: 0, individuals: 1, category: 'cadre' },
    ]);
    expect(ConclusionResourceSchema.safeParse(answer.body).success).toBe(true);
  });

  it('accepts giáng chức decided before 2025-07-01 in a conclusion issued after it', async () => {
    const answer = await call(
      create,
      await post(hanoi, after2025([{ form: 'demotion', organizations: 0, individuals: 1, decidedOn: '2025-06-20' }])),
    );
    expect(answer.status).toBe(201);
  });

  it('answers 422 for state discipline of an organization, and accepts a Party reprimand of one', async () => {
    const refused = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, after2025([{ form: 'reprimand', organizations: 1, individuals: 0 }]))),
    );
    const accepted = await call(
      create,
      await post(hanoi, after2025([{ form: 'reprimand', track: 'party', organizations: 1, individuals: 0 }])),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'discipline.0.organizations' })]);
    expect(accepted.status).toBe(201);
  });

  it('counts the disciplined against the violating per track and stage, never summed across them', async () => {
    // Three violating individuals: three state and three Party decisions, and three recommendations, all fit.
    const fits = await call(
      create,
      await post(
        hanoi,
        after2025([
          { form: 'warning', organizations: 0, individuals: 3 },
          { form: 'warning', track: 'party', organizations: 0, individuals: 3 },
          { form: 'dismissal', stage: 'recommended', leader: true, organizations: 0, individuals: 3 },
        ]),
      ),
    );
    const exceeds = await refusedWithoutChange(tables, async () =>
      call(
        create,
        await post(
          hanoi,
          after2025([
            { form: 'warning', track: 'party', organizations: 0, individuals: 2 },
            { form: 'expulsion', organizations: 0, individuals: 2 },
          ]),
        ),
      ),
    );
    expect(fits.status).toBe(201);
    expect(exceeds.status).toBe(422);
    expect(exceeds.body.errors).toEqual([expect.objectContaining({ path: 'discipline' })]);
  });

  it('accepts a conclusion that does not state its violating, with sources, a dated legal basis and lighter measures', async () => {
    // Prepare
    const body = after2025([], {
      kind: 'regular',
      violations: undefined,
      legalBasis: [
        '26/CT-TTg',
        { number: '24-CT/TU', issuer: 'Ban Thường vụ Thành ủy Hà Nội', issuedOn: '2023-08-07' },
      ],
      otherMeasures: { reminders: 2, criticisms: 1, suspensions: 1 },
      sources: [
        {
          title: 'Hà Nội: Kỷ cương, kỷ luật, chất lượng phục vụ nhân dân được nâng cao',
          publisher: 'Kinh tế & Đô thị',
          publishedOn: '2024-10-11',
          url: 'https://kinhtedothi.vn/ha-noi-ky-cuong-ky-luat-chat-luong-phuc-vu-nhan-dan-duoc-nang-cao.html',
        },
      ],
    });

    // Act
    const created = await call(create, await post(hanoi, body));
    const fetched = await call(get, read(String(created.body.id)));

    // Assess
    expect(created.status).toBe(201);
    expect(fetched.body).not.toHaveProperty('violations');
    expect(fetched.body).toMatchObject({
      kind: 'regular',
      legalBasis: body.legalBasis,
      otherMeasures: { reminders: 2, criticisms: 1, suspensions: 1 },
      sources: body.sources,
    });
    expect(ConclusionResourceSchema.safeParse(fetched.body).success).toBe(true);
  });

  it('answers 422 for a source that is not a web address and for a violating unit that was not inspected', async () => {
    const badSource = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, after2025([], { sources: [{ title: 'x', url: 'javascript:alert(1)' }] }))),
    );
    const badUnit = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, after2025([], { violatingUnits: ['00304'] }))),
    );
    expect(badSource.body.errors).toEqual([expect.objectContaining({ path: 'sources.0.url' })]);
    expect(badUnit.body.errors).toEqual([expect.objectContaining({ path: 'violatingUnits.0' })]);
  });
});

describe('agency authentication', () => {
  const conclusion = () => exampleConclusion({ documentNumber: `auth-${randomUUID().slice(0, 8)}` });

  it('answers 401 without an Authorization header', async () => {
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, conclusion(), { unsigned: true })),
    );
    expect(answer.status).toBe(401);
  });

  it('answers 401 to a token signed with a key that is not the agency’s (forged)', async () => {
    // Prepare
    const stranger = await registerTestAgency(deps, `stranger-${randomUUID().slice(0, 6)}`, ['01']);
    const forged = { ...stranger.signing, agencyId: hanoi.agency.id, kid: hanoi.signing.kid };

    // Act
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, conclusion(), { sign: { key: forged } })),
    );

    // Assess
    expect(answer.status).toBe(401);
  });

  it('answers 401 to a forged token without kid, trying every active key', async () => {
    const stranger = await registerTestAgency(deps, `stranger-${randomUUID().slice(0, 6)}`, ['01']);
    const { kid: _kid, ...withoutKid } = { ...stranger.signing, agencyId: hanoi.agency.id };
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, conclusion(), { sign: { key: withoutKid } })),
    );
    expect(answer.status).toBe(401);
  });

  it('accepts a token without kid when an active key verifies it', async () => {
    const { kid: _kid, ...withoutKid } = hanoi.signing;
    const answer = await call(create, await post(hanoi, conclusion(), { sign: { key: withoutKid } }));
    expect(answer.status).toBe(201);
  });

  it('answers 401 to an expired token', async () => {
    const answer = await refusedWithoutChange(tables, async () =>
      call(
        create,
        await post(hanoi, conclusion(), { sign: { now: new Date(Date.now() - 10 * 60_000), lifetimeSeconds: 120 } }),
      ),
    );
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toBe(UNAUTHORIZED_DETAIL);
  });

  it('tolerates a clock 50 s ahead but refuses one 5 minutes ahead', async () => {
    const skewed = await call(
      create,
      await post(hanoi, conclusion(), { sign: { now: new Date(Date.now() + 50_000) } }),
    );
    const future = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, conclusion(), { sign: { now: new Date(Date.now() + 5 * 60_000) } })),
    );
    expect(skewed.status).toBe(201);
    expect(future.status).toBe(401);
  });

  it('answers 401 to a token that lives longer than 300 s', async () => {
    const event = await post(hanoi, conclusion());
    // Re-sign with a lifetime the signer itself refuses to make: build it by hand with jose.
    const { SignJWT } = await import('jose');
    const body = Buffer.from(event.body ?? '', 'base64');
    const { bodyHash } = await import('../../../../shared/auth/body-hash.js');
    const iat = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ htm: 'POST', htu: POST_PATH, bh: bodyHash(body) })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(hanoi.agency.id)
      .setAudience('transparency-api')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .setJti(randomUUID())
      .sign(hanoi.signing.privateKey);
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, { ...event, headers: { ...event.headers, authorization: `Bearer ${token}` } }),
    );
    expect(answer.status).toBe(401);
  });

  it('answers 401 to a replayed token, even with a body that is otherwise accepted', async () => {
    // Prepare
    const event = await post(hanoi, conclusion());
    const first = await call(create, event);

    // Act
    const replay = await refusedWithoutChange(tables, async () => call(create, event));

    // Assess
    expect(first.status).toBe(201);
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toBe(UNAUTHORIZED_DETAIL);
  });

  it('answers 401 when the body is not the one signed (bh)', async () => {
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, conclusion(), { sign: { body: Buffer.from('{}') } })),
    );
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toBe(UNAUTHORIZED_DETAIL);
  });

  it('answers 401 to a token for another audience', async () => {
    const event = await post(hanoi, conclusion());
    const { SignJWT } = await import('jose');
    const { bodyHash } = await import('../../../../shared/auth/body-hash.js');
    const token = await new SignJWT({
      htm: 'POST',
      htu: POST_PATH,
      bh: bodyHash(Buffer.from(event.body ?? '', 'base64')),
    })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(hanoi.agency.id)
      .setAudience('another-api')
      .setIssuedAt()
      .setExpirationTime('2m')
      .setJti(randomUUID())
      .sign(hanoi.signing.privateKey);
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, { ...event, headers: { ...event.headers, authorization: `Bearer ${token}` } }),
    );
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toBe(UNAUTHORIZED_DETAIL);
  });

  it('answers 401 to a token for another method or path', async () => {
    const wrongMethod = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, conclusion(), { sign: { method: 'PUT' } })),
    );
    const wrongPath = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, conclusion(), { sign: { path: '/api/v1/reports' } })),
    );
    expect(wrongMethod.status).toBe(401);
    expect(wrongPath.status).toBe(401);
  });

  it('answers 401 to an unsigned (alg none) token and to an unknown agency', async () => {
    const event = await post(hanoi, conclusion());
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: hanoi.agency.id, aud: 'transparency-api' })).toString(
      'base64url',
    );
    const none = await refusedWithoutChange(tables, async () =>
      call(create, { ...event, headers: { ...event.headers, authorization: `Bearer ${header}.${payload}.` } }),
    );
    const nobody = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, conclusion(), { sign: { key: { ...hanoi.signing, agencyId: 'nobody' } } })),
    );
    expect(none.status).toBe(401);
    expect(nobody.status).toBe(401);
  });

  it('answers every authentication failure with the same problem, whatever failed', async () => {
    // Prepare: an unknown agency, a revoked key, a suspended agency, a wrong body hash.
    const revoked = await registerTestAgency(deps, `rev2-${randomUUID().slice(0, 6)}`, ['01']);
    const suspended = await registerTestAgency(deps, `susp-${randomUUID().slice(0, 6)}`, ['01']);
    const repository = new DynamoAgencyRepository(tables.doc, tables.names.records);
    await repository.revokeKey(revoked.agency.id, revoked.signing.kid ?? '', new Date().toISOString());
    await repository.setStatus(suspended.agency.id, 'suspended', new Date().toISOString());
    const tampered = await post(hanoi, conclusion());
    // Act
    const answers = await Promise.all([
      call(create, await post(hanoi, conclusion(), { sign: { key: { ...hanoi.signing, agencyId: 'nobody' } } })),
      call(create, await post(revoked, conclusion())),
      call(create, await post(suspended, conclusion())),
      call(create, { ...tampered, body: Buffer.from('{"documentNumber":"x"}').toString('base64') }),
    ]);
    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ title: 'Unauthorized', detail: UNAUTHORIZED_DETAIL });
    }
  });

  it('verifies the signature before reading the body: an unsigned body that breaks the schema is 401, not 422', async () => {
    const answer = await refusedWithoutChange(tables, async () =>
      call(create, await post(hanoi, { documentNumber: 42 } as never, { unsigned: true })),
    );
    expect(answer.status).toBe(401);
  });

  it('answers 401 once the key is revoked', async () => {
    // Prepare
    const agency = await registerTestAgency(deps, `revoked-${randomUUID().slice(0, 6)}`, ['01']);
    await new DynamoAgencyRepository(tables.doc, tables.names.records).revokeKey(
      agency.agency.id,
      agency.signing.kid ?? '',
      new Date().toISOString(),
    );

    // Act
    const answer = await refusedWithoutChange(tables, async () => call(create, await post(agency, conclusion())));

    // Assess
    expect(answer.status).toBe(401);
  });
});

describe('PUT /api/v1/conclusions/{id}', () => {
  it('answers 428 without If-Match and 412 with a stale one, changing nothing', async () => {
    // Prepare
    const id = await published(hanoi);
    const body = exampleConclusion({ documentNumber: 'x' });
    const { body: current } = await call(get, read(id));
    const corrected = {
      ...exampleConclusion({ documentNumber: current.documentNumber }),
      violations: { organizations: 3, individuals: 2 },
    };

    // Act
    const missing = await refusedWithoutChange(tables, async () => call(correct, await put(hanoi, id, corrected)));
    const stale = await refusedWithoutChange(tables, async () =>
      call(correct, await put(hanoi, id, corrected, { 'if-match': '"7"' })),
    );

    // Assess
    expect(body.documentNumber).toBe('x');
    expect(missing.status).toBe(428);
    expect(stale.status).toBe(412);
  });

  it('makes version 2, keeps version 1 in the history, and answers a retry with the same version', async () => {
    // Prepare
    const id = await published(hanoi);
    const { body: current } = await call(get, read(id));
    const corrected = {
      ...exampleConclusion({ documentNumber: current.documentNumber }),
      violations: { organizations: 2, individuals: 2 },
      reason: 'Sửa số tổ chức vi phạm',
    };

    // Act
    const first = await call(correct, await put(hanoi, id, corrected, { 'if-match': '"1"' }));
    const retry = await call(correct, await put(hanoi, id, corrected, { 'if-match': '"1"' }));
    const fetched = await call(get, read(id));

    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 2, reason: 'Sửa số tổ chức vi phạm' });
    expect(first.headers.etag).toBe('"2"');
    expect(retry.status).toBe(200);
    expect(retry.body.version).toBe(2);
    const versions = fetched.body.versions as { version: number; violations: { organizations: number } }[];
    expect(versions.map((v) => [v.version, v.violations.organizations])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('lets exactly one of many concurrent corrections of the same version win; the others get 412', async () => {
    // Prepare
    const id = await published(hanoi);
    const { body: current } = await call(get, read(id));
    const events = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        put(
          hanoi,
          id,
          {
            ...exampleConclusion({ documentNumber: current.documentNumber }),
            otherMeasures: { transfers: n + 1, responsibilityReviews: 0 },
          },
          { 'if-match': '"1"' },
        ),
      ),
    );

    // Act
    const answers = await Promise.all(events.map((event) => call(correct, event)));
    const fetched = await call(get, read(id));

    // Assess
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 412)).toHaveLength(7);
    expect(fetched.body.version).toBe(2);
    expect(fetched.body.versions).toHaveLength(2);
    const winner = answers.find((a) => a.status === 200);
    expect(fetched.body.otherMeasures).toEqual(winner?.body.otherMeasures);
  });

  it('answers 403 when another agency corrects, and 404 for an unknown id', async () => {
    // Prepare
    const id = await published(hanoi);
    const { body: current } = await call(get, read(id));
    const corrected = exampleConclusion({ documentNumber: current.documentNumber, inspectedUnits: ['00238'] });

    // Act
    const other = await refusedWithoutChange(tables, async () =>
      call(correct, await put(dongDa, id, corrected, { 'if-match': '"1"' })),
    );
    const unknown = await refusedWithoutChange(tables, async () =>
      call(correct, await put(hanoi, 'kaaaaaaaaaaaaaaaaaaa', corrected, { 'if-match': '"1"' })),
    );

    // Assess
    expect(other.status).toBe(403);
    expect(unknown.status).toBe(404);
  });
});

describe('POST /api/v1/conclusions/{id}/retraction', () => {
  it('makes a retracted version with the last content; retracting again changes nothing', async () => {
    // Prepare
    const id = await published(hanoi);

    // Act
    const first = await call(retract, await retraction(hanoi, id, { reason: 'Ban hành nhầm' }));
    const again = await call(retract, await retraction(hanoi, id));
    const fetched = await call(get, read(id));

    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      version: 2,
      status: 'retracted',
      reason: 'Ban hành nhầm',
      violations: { organizations: 1, individuals: 2 },
    });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
    expect((fetched.body.versions as { status: string }[]).map((v) => v.status)).toEqual(['published', 'retracted']);
  });

  it('refuses a correction of a retracted conclusion with 409', async () => {
    const id = await published(hanoi);
    await call(retract, await retraction(hanoi, id));
    const { body: current } = await call(get, read(id));
    const answer = await refusedWithoutChange(tables, async () =>
      call(
        correct,
        await put(hanoi, id, exampleConclusion({ documentNumber: current.documentNumber, kind: 'planned' }), {
          'if-match': '"2"',
        }),
      ),
    );
    expect(answer.status).toBe(409);
  });

  it('answers 403 to another agency and 422 to a malformed reason', async () => {
    const id = await published(hanoi);
    const other = await refusedWithoutChange(tables, async () => call(retract, await retraction(dongDa, id)));
    const malformed = await refusedWithoutChange(tables, async () =>
      call(retract, await retraction(hanoi, id, { reason: 42 })),
    );
    expect(other.status).toBe(403);
    expect(malformed.status).toBe(422);
  });
});

describe('GET /api/v1/conclusions/{id}', () => {
  it('answers 404 for an unknown or malformed id', async () => {
    const unknown = await call(get, read('kaaaaaaaaaaaaaaaaaab'));
    const malformed = await call(get, read('../etc'));
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
  });
});
