import { createHash } from 'node:crypto';
import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSurveyHandler } from '../../../../functions/surveys/create.js';
import { registerAgency } from '../../../../shared/agencies/service.js';
import { signAgencyRequest, signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';
import { DynamoAgencyRepository } from '../../../../shared/storage/agencies-repository.js';
import { rateBucketKey } from '../../../../shared/storage/keys.js';
import { DynamoRateLimitStore } from '../../../../shared/storage/rate-limit-repository.js';
import { DynamoSurveyStore } from '../../../../shared/storage/surveys-repository.js';
import { saveUnits } from '../../../../shared/storage/units-repository.js';
import { clientBucket } from '../../../../shared/surveys/hashing.js';
import { mintReceipt } from '../../../../shared/surveys/receipt.js';
import { SURVEY_MAX_BODY_BYTES, SurveyFormSchema, SurveyResponseSchema } from '../../../../shared/surveys/schemas.js';
import { UnitRegistry } from '../../../../shared/units/registry.js';
import { generateKeyPair } from '../../../support/agency-fixtures.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../../support/api-event.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { formReturnAddress } from '../../../support/form-answer.js';
import {
  surveyForm,
  surveyHandlerEnv,
  surveyJson,
  TEST_DOSSIER_SECRET,
  TEST_RATE_SALT,
  testUnitLookup,
  testUnits,
} from '../../../support/survey-fixtures.js';
import { snapshotDiff, snapshotTables } from '../../../support/table-snapshot.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = {
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
};

let counter = 0;
/** A dossier code no other test uses. */
function code(label = 'C'): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}`;
}

function post(
  body: string | Buffer,
  headers: Record<string, string>,
  sourceIp = '198.51.100.7',
): APIGatewayProxyEventV2 {
  return apiEvent({ method: 'POST', path: '/api/v1/surveys', headers, body, sourceIp });
}

const json = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify(surveyJson({ dossierCode: code(), ...overrides }));
const bodyOf = (result: APIGatewayProxyStructuredResultV2) => JSON.parse(result.body ?? 'null');
const header = (result: APIGatewayProxyStructuredResultV2, name: string) => result.headers?.[name];

describe('POST /api/v1/surveys on DynamoDB Local', () => {
  let tables: TestTables;
  /** The production handler, wired from the environment as in Lambda (units read from the table). */
  let handler: ApiHandler;
  const call = (event: APIGatewayProxyEventV2) => handler(event, lambdaContext('surveys-create'));

  beforeAll(async () => {
    tables = await createTestTables('surveys-create');
    await saveUnits(tables.doc, tables.names.records, testUnits, new UnitRegistry(testUnits));
    Object.assign(process.env, tables.env, surveyHandlerEnv(100_000));
    handler = (await import('../../../../functions/surveys/create.js')).handler as unknown as ApiHandler;
  });
  afterAll(async () => {
    await tables.drop();
  });

  describe('status codes', () => {
    it('answers 201 with the id, the resolved unit and the Vietnam date for JSON', async () => {
      const result = await call(post(json(), JSON_TYPE));
      expect(result.statusCode).toBe(201);
      expect(bodyOf(result)).toEqual({
        id: expect.any(String),
        unit: '00301',
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        comment: null,
        verified: false,
      });
      expect(header(result, 'content-type')).toMatch(/^application\/json/);
    });

    it('answers 201 with a pending comment when one was given', async () => {
      const result = await call(post(json({ comment: 'Cán bộ rất tận tình.' }), JSON_TYPE));
      expect(result.statusCode).toBe(201);
      expect(bodyOf(result).comment).toBe('pending');
    });

    it('answers a form post with 303 to the thank-you page of its language', async () => {
      const vi = await call(post(surveyForm({ dossierCode: code() }), FORM_TYPE));
      const en = await call(post(surveyForm({ dossierCode: code(), lang: 'en' }), FORM_TYPE));
      expect(vi.statusCode).toBe(303);
      expect(header(vi, 'location')).toBe('/danh-gia/cam-on/');
      expect(en.statusCode).toBe(303);
      expect(header(en, 'location')).toBe('/en/survey/thank-you/');
    });

    it('answers a form post that asks for JSON with 201', async () => {
      const result = await call(
        post(surveyForm({ dossierCode: code() }), { ...FORM_TYPE, accept: 'application/json' }),
      );
      expect(result.statusCode).toBe(201);
    });

    it('answers 400 for a body that is not JSON', async () => {
      const result = await call(post('{"unit": "00301",', JSON_TYPE));
      expect(result.statusCode).toBe(400);
      expect(header(result, 'content-type')).toBe('application/problem+json');
    });

    it('answers 409 to a second response for the same dossier, however the code is typed', async () => {
      const dossierCode = code('Dup');
      const first = await call(post(json({ dossierCode }), JSON_TYPE));
      const second = await call(post(json({ dossierCode: ` ${dossierCode.toLowerCase()} ` }), JSON_TYPE));
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(409);
      expect(bodyOf(second)).toMatchObject({ status: 409, type: '/api/v1/problems#conflict' });
    });

    it('answers 413 to a body over the cap', async () => {
      const result = await call(post(json({ comment: 'x'.repeat(SURVEY_MAX_BODY_BYTES) }), JSON_TYPE));
      expect(result.statusCode).toBe(413);
    });

    it('accepts the longest comment form-encoded in Vietnamese, under the cap', async () => {
      const result = await call(post(surveyForm({ dossierCode: code(), comment: 'ệ'.repeat(1000) }), FORM_TYPE));
      expect(result.statusCode).toBe(303);
    });

    it('answers 415 to another media type', async () => {
      const result = await call(post(json(), { 'content-type': 'text/plain' }));
      expect(result.statusCode).toBe(415);
    });

    it('answers 422 with the field paths for a JSON body that breaks the schema', async () => {
      const result = await call(
        post(json({ overall: 6, ratings: { access: 0, procedures: 4, staff: 5, results: 4 } }), JSON_TYPE),
      );
      expect(result.statusCode).toBe(422);
      expect(
        bodyOf(result)
          .errors.map((e: { path: string }) => e.path)
          .sort(),
      ).toEqual(['overall', 'ratings.access']);
    });

    it('answers 422 for a code that names no ward or commune in force today', async () => {
      const old = await call(post(json({ unit: '00304' }), JSON_TYPE));
      const unknown = await call(post(json({ unit: '99999' }), JSON_TYPE));
      expect(old.statusCode).toBe(422);
      expect(bodyOf(old).errors).toEqual([{ path: 'unit', message: expect.stringContaining('00304') }]);
      expect(unknown.statusCode).toBe(422);
    });
  });

  describe("a refused form post goes back to the site's form page", () => {
    it('names the errors in the address, in form order, the first as the fragment, and nothing typed (422)', async () => {
      // Prepare: no rating for staff, and a code with a forbidden character.
      const body = surveyForm({ dossierCode: 'H26<0001>', 'ratings.staff': undefined, comment: 'Chờ lâu' });
      // Act
      const result = await call(post(body, FORM_TYPE));
      // Assess
      expect(result.statusCode).toBe(422);
      expect(header(result, 'content-type')).toBe('text/html; charset=utf-8');
      expect(formReturnAddress(result.body)).toBe('/danh-gia/00301/?loi=dossier-invalid,staff#loi-dossier-invalid');
      expect(result.body).not.toContain('H26');
      expect(result.body).not.toContain('Chờ lâu');
    });

    it('says the dossier was already rated, in the language of the form (409)', async () => {
      const dossierCode = code('DupForm');
      await call(post(surveyForm({ dossierCode, lang: 'en' }), FORM_TYPE));
      const result = await call(post(surveyForm({ dossierCode, lang: 'en' }), FORM_TYPE));
      expect(result.statusCode).toBe(409);
      expect(formReturnAddress(result.body)).toBe('/en/survey/00301/?loi=duplicate#loi-duplicate');
    });

    it('sends a body too large to read to the error page (413)', async () => {
      const result = await call(post(surveyForm({ comment: 'x'.repeat(SURVEY_MAX_BODY_BYTES) }), FORM_TYPE));
      expect(result.statusCode).toBe(413);
      expect(formReturnAddress(result.body)).toBe('/danh-gia/loi/?loi=unreadable#loi-unreadable');
    });

    it('keeps answering problem+json to a script that posts a form and asks for JSON', async () => {
      const result = await call(post(surveyForm({ dossierCode: 'X' }), { ...FORM_TYPE, accept: 'application/json' }));
      expect(result.statusCode).toBe(422);
      expect(header(result, 'content-type')).toBe('application/problem+json');
    });
  });

  describe('receipts (verified responses)', () => {
    /** Registers an agency with a fresh key over the given jurisdiction; returns its signing key. */
    const agencyWith = async (id: string, jurisdiction: string[]) => {
      const pair = generateKeyPair();
      await registerAgency(
        { id, name: `Cơ quan ${id}`, jurisdiction, publicKeyPem: pair.publicPem },
        { agencies: new DynamoAgencyRepository(tables.doc, tables.names.records), units: testUnitLookup() },
      );
      return signingKeyFromPem(id, pair.privatePem);
    };
    const surveyItems = async () =>
      ((await tables.doc.send(new ScanCommand({ TableName: tables.names.records }))).Items ?? []).filter(
        (item) => item.entity === 'survey',
      );

    it('counts a response with a valid receipt for its own dossier and unit as verified', async () => {
      // Prepare
      const key = await agencyWith(`hanoi-${process.pid}`, ['01']);
      const dossierCode = code('Receipt');
      const receipt = await mintReceipt(key, { dossierCode, unit: '00301' });
      // Act
      const asJson = await call(post(json({ dossierCode, receipt, channel: 'qr' }), JSON_TYPE));
      const formCode = code('ReceiptForm');
      const formReceipt = await mintReceipt(key, { dossierCode: formCode, unit: '00301' });
      const asForm = await call(
        post(surveyForm({ dossierCode: formCode, receipt: formReceipt, channel: 'qr' }), {
          ...FORM_TYPE,
          accept: 'application/json',
        }),
      );
      // Assess
      expect(asJson.statusCode).toBe(201);
      expect(bodyOf(asJson).verified).toBe(true);
      expect(bodyOf(asForm).verified).toBe(true);
      const stored = (await surveyItems()).filter((item) => item.id === bodyOf(asJson).id);
      expect(stored).toEqual([expect.objectContaining({ verified: true, channel: 'qr' })]);
    });

    it('refuses a forged, foreign or misapplied receipt with 422 naming receipt, and stores nothing', async () => {
      // Prepare: the city's agency, a ward agency elsewhere, and a key nobody registered.
      const city = await agencyWith(`city-${process.pid}`, ['01']);
      const elsewhere = await agencyWith(`honghà-${process.pid}`.replace('à', 'a'), ['00097']);
      const stranger = await signingKeyFromPem(`city-${process.pid}`, generateKeyPair().privatePem);
      const dossierCode = code('Refused');
      const receipts = {
        'another dossier': await mintReceipt(city, { dossierCode: `${dossierCode}-X`, unit: '00301' }),
        'another service point': await mintReceipt(city, { dossierCode, unit: '00097' }),
        'an agency without jurisdiction there': await mintReceipt(elsewhere, { dossierCode, unit: '00301' }),
        'a key the agency never registered (forged)': await mintReceipt(stranger, { dossierCode, unit: '00301' }),
        'a tampered payload': (await mintReceipt(city, { dossierCode, unit: '00301' })).replace(
          /\.([^.]+)\./,
          (_m, payload: string) =>
            `.${Buffer.from(Buffer.from(payload, 'base64url').toString().replace('00301', '00097')).toString('base64url')}.`,
        ),
        'not a receipt': 'not-a-jws',
        'an agency request token': (
          await signAgencyRequest(city, { method: 'POST', pathWithQuery: '/api/v1/surveys', body: Buffer.alloc(0) })
        ).slice('Bearer '.length),
      };
      const before = await snapshotTables(tables.doc, tables.names);
      const surveysBefore = (await surveyItems()).length;
      for (const [label, receipt] of Object.entries(receipts)) {
        // Act
        const result = await call(post(json({ dossierCode, receipt }), JSON_TYPE));
        // Assess
        expect(result.statusCode, label).toBe(422);
        expect(bodyOf(result).errors, label).toEqual([{ path: 'receipt', message: expect.any(String) }]);
      }
      // No response and no comment; only the client's rate-limit counter moved (refusals count against it too).
      expect((await surveyItems()).length).toBe(surveysBefore);
      const changed = snapshotDiff(before, await snapshotTables(tables.doc, tables.names));
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.every((line) => line.includes('stats|RATE#'))).toBe(true);
    });
  });

  describe('form posts from other sites', () => {
    it.each([
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
      ['an Origin that is not the site', { origin: 'https://evil.example' }],
      ['an opaque Origin ("null")', { origin: 'null' }],
      ['a look-alike Origin', { origin: 'http://localhost.evil.example' }],
    ])('refuses a form post with %s (403) and stores nothing, not even a rate-limit hit', async (_label, extra) => {
      // Prepare
      const before = await snapshotTables(tables.doc, tables.names);
      // Act
      const asForm = await call(post(surveyForm({ dossierCode: code('Csrf') }), { ...FORM_TYPE, ...extra }));
      const asJson = await call(post(json(), { ...JSON_TYPE, ...extra }));
      // Assess
      expect(asForm.statusCode).toBe(403);
      expect(asJson.statusCode).toBe(403);
      expect(bodyOf(asJson)).toMatchObject({ status: 403, type: '/api/v1/problems#forbidden' });
      // Refused outright, even as a form post: no way into the site's pages from another site.
      expect(header(asForm, 'content-type')).toBe('application/problem+json');
      expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
    });

    it('refuses a cross-site post before reading its body (a malformed one is 403, not 400)', async () => {
      const result = await call(post('{"unit":', { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' }));
      expect(result.statusCode).toBe(403);
    });

    it('accepts a post from the site itself (same Origin as Host, Sec-Fetch-Site same-origin)', async () => {
      const headers = { ...FORM_TYPE, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' };
      const result = await call(post(surveyForm({ dossierCode: code('Own') }), headers));
      expect(result.statusCode).toBe(303);
    });
  });

  describe('the honeypot', () => {
    it('answers as if accepted (202 JSON, 303 form) and stores nothing, not even a rate-limit hit', async () => {
      // Prepare
      const before = await snapshotTables(tables.doc, tables.names);
      // Act
      const asJson = await call(post(json({ website: 'http://spam.example' }), JSON_TYPE, '203.0.113.200'));
      const asForm = await call(post(surveyForm({ dossierCode: code(), website: 'x' }), FORM_TYPE, '203.0.113.200'));
      // Assess
      expect(asJson.statusCode).toBe(202);
      expect(asForm.statusCode).toBe(303);
      expect(header(asForm, 'location')).toBe('/danh-gia/cam-on/');
      expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
    });
  });

  it.each([
    ['without a comment (a conditional put)', {}],
    ['with a comment (a transaction)', { comment: 'Một ý kiến' }],
  ])(
    'lets exactly one of 20 parallel identical submissions %s through (201) and refuses the rest (409)',
    async (_label, extra) => {
      // Prepare
      const body = json({ dossierCode: code('Race'), ...extra });
      // Act
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call(post(body, JSON_TYPE, `192.0.2.${i + 1}`))),
      );
      // Assess
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    },
  );

  describe('rate limiting', () => {
    // A handler of its own with a limit of 3 and a clock fixed 20 s into a minute, so the window cannot roll over. The
    // minute is tomorrow's, not a past one: DynamoDB Local deletes expired items of the stats table (where the
    // counters are) within seconds, and a counter expired mid-test would restart the count.
    const windowStart = Math.floor(Date.now() / 60_000) * 60_000 + 86_400_000;
    const fixedNow = new Date(windowStart + 20_000);
    const limited = (limit = 3, doc: DynamoDBDocumentClient = tables.doc) => {
      const rateLimits = new DynamoRateLimitStore(doc, tables.names.stats);
      return createSurveyHandler(() => ({
        submit: {
          units: testUnitLookup(),
          store: new DynamoSurveyStore(doc, tables.names.records, rateLimits),
          dossierSecret: async () => TEST_DOSSIER_SECRET,
          clock: { now: () => fixedNow },
        },
        rateLimit: {
          store: rateLimits,
          secret: async () => TEST_RATE_SALT,
          clock: { now: () => fixedNow },
          limit,
        },
      })) as unknown as ApiHandler;
    };
    /** Every survey response and comment item in the table (the rate-limit counters are not among them). */
    const stored = async () =>
      ((await tables.doc.send(new ScanCommand({ TableName: tables.names.records }))).Items ?? []).filter(
        (item) => item.entity === 'survey' || item.entity === 'comment',
      ).length;
    /** The client's counter (the bucket of 203.0.113.x in the fixed window), in the stats table. */
    const counted = async (ip: string) => {
      const bucket = clientBucket(TEST_RATE_SALT, ip, windowStart / 1000);
      const { Item } = await tables.doc.send(
        new GetCommand({ TableName: tables.names.stats, Key: rateBucketKey(bucket) }),
      );
      return Item?.count;
    };

    it('counts refusals against the limit as before: unknown units and a dossier already rated use it up', async () => {
      // Prepare
      const h = limited();
      const send = (body: string) => h(post(body, JSON_TYPE, '203.0.113.5'), lambdaContext());
      const dossierCode = code('Limit');
      // Act
      const accepted = await send(json({ dossierCode }));
      const duplicate = await send(json({ dossierCode }));
      const unknown = await send(json({ unit: '99999' }));
      const past = await send(json());
      const pastAndUnknown = await send(json({ unit: '99999' }));
      const pastAndDuplicate = await send(json({ dossierCode }));
      // Assess: three requests (one accepted, two refused) used up the limit of 3; past it every request is 429,
      // whatever else would have refused it.
      expect([accepted, duplicate, unknown].map((r) => r.statusCode)).toEqual([201, 409, 422]);
      expect([past, pastAndUnknown, pastAndDuplicate].map((r) => r.statusCode)).toEqual([429, 429, 429]);
      expect(header(past, 'retry-after')).toBe('40');
    });

    it('stores nothing for a request refused at the limit, comment included', async () => {
      // Prepare
      const h = limited(1);
      await h(post(json(), JSON_TYPE, '203.0.113.6'), lambdaContext());
      const before = await stored();
      // Act
      const refused = await h(post(json({ comment: 'Một ý kiến' }), JSON_TYPE, '203.0.113.6'), lambdaContext());
      // Assess
      expect(refused.statusCode).toBe(429);
      expect(await stored()).toBe(before);
      expect(await counted('203.0.113.6')).toBe(1);
    });

    it('lets exactly the limit through when many people share one address, and counts each of them once', async () => {
      // Prepare: 24 submissions at once from one address (an office kiosk, a carrier's NAT), with and without comments.
      const send = (h: ApiHandler, ip: string, i: number) =>
        h(post(json(i % 3 === 0 ? { comment: 'Một ý kiến' } : {}), JSON_TYPE, ip), lambdaContext());
      const h = limited(10);
      const open = limited(1_000);
      // Act
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => send(h, '203.0.113.7', i)));
      const all = await Promise.all(Array.from({ length: 24 }, (_, i) => send(open, '203.0.113.8', i)));
      // Assess
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(14);
      expect(await counted('203.0.113.7')).toBe(10);
      expect(all.map((r) => r.statusCode)).toEqual(Array.from({ length: 24 }, () => 201));
      expect(await counted('203.0.113.8')).toBe(24);
    });

    it('tries again when another transaction held the counter, instead of refusing (201, counted once)', async () => {
      // Prepare: DynamoDB Local runs transactions one at a time, so it never answers a conflict; this client
      // answers the first two writes as DynamoDB does when another transaction holds an item (nothing written),
      // then lets every write through to the engine.
      let conflicts = 2;
      const conflicting = {
        send: (command: unknown) => {
          if (command instanceof TransactWriteCommand && conflicts-- > 0) {
            return Promise.reject(
              new TransactionCanceledException({
                message: 'Transaction cancelled',
                $metadata: { httpStatusCode: 400 },
                CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
              }),
            );
          }
          if (command instanceof UpdateCommand && conflicts-- > 0) {
            return Promise.reject(
              new TransactionConflictException({
                message: 'Transaction is ongoing',
                $metadata: { httpStatusCode: 400 },
              }),
            );
          }
          return tables.doc.send(command as TransactWriteCommand);
        },
      } as unknown as DynamoDBDocumentClient;
      const h = limited(3, conflicting);
      // Act
      const accepted = await h(post(json(), JSON_TYPE, '203.0.113.9'), lambdaContext());
      conflicts = 2;
      const refused = await h(post(json({ unit: '99999' }), JSON_TYPE, '203.0.113.9'), lambdaContext());
      // Assess: the write after its conflicts, and the refusal's count after its own.
      expect(accepted.statusCode).toBe(201);
      expect(refused.statusCode).toBe(422);
      expect(await counted('203.0.113.9')).toBe(2);
    });

    it('answers 429 with Retry-After past the limit, per client', async () => {
      // Prepare
      const h = limited();
      const send = (ip: string, body = json()) => h(post(body, JSON_TYPE, ip), lambdaContext());
      // Act
      const first = await Promise.all([send('203.0.113.1'), send('203.0.113.1'), send('203.0.113.1')]);
      const fourth = await send('203.0.113.1');
      const otherClient = await send('203.0.113.2');
      // Assess
      expect(first.map((r) => r.statusCode)).toEqual([201, 201, 201]);
      expect(fourth.statusCode).toBe(429);
      expect(header(fourth, 'retry-after')).toBe('40');
      expect(bodyOf(fourth)).toMatchObject({ status: 429 });
      expect(otherClient.statusCode).toBe(201);
    });

    it('sends a limited form post back to its form, with Retry-After', async () => {
      const h = limited();
      for (let i = 0; i < 3; i++) await h(post(json(), JSON_TYPE, '203.0.113.3'), lambdaContext());
      const result = await h(post(surveyForm({ dossierCode: code() }), FORM_TYPE, '203.0.113.3'), lambdaContext());
      expect(result.statusCode).toBe(429);
      expect(header(result, 'retry-after')).toBe('40');
      expect(formReturnAddress(result.body)).toBe('/danh-gia/00301/?loi=rate-limited#loi-rate-limited');
    });

    it('does not count requests refused by validation', async () => {
      const h = limited();
      for (let i = 0; i < 5; i++) {
        const bad = await h(post(json({ overall: 9 }), JSON_TYPE, '203.0.113.4'), lambdaContext());
        expect(bad.statusCode).toBe(422);
      }
      const ok = await h(post(json(), JSON_TYPE, '203.0.113.4'), lambdaContext());
      expect(ok.statusCode).toBe(201);
    });
  });

  it('never answers 5xx to a malformed body, and never writes anything for one', async () => {
    // Prepare: bodies of every shape, minus the ones that happen to be valid submissions.
    const jsonish = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          field: fc.constantFrom(
            'unit',
            'dossierCode',
            'ratings',
            'overall',
            'comment',
            'website',
            'channel',
            'lang',
            'extra',
          ),
          value: fc.jsonValue(),
        })
        .map(({ field, value }) => JSON.stringify({ ...surveyJson({ dossierCode: 'PROP-1' }), [field]: value })),
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const formish = fc.oneof(
      fc
        .dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }))
        .map((d) => new URLSearchParams(d).toString()),
      fc
        .record({
          field: fc.constantFrom(
            'unit',
            'dossierCode',
            'ratings.access',
            'ratings.feedback',
            'overall',
            'comment',
            'ratings',
          ),
          value: fc.string({ maxLength: 80 }),
        })
        .map(({ field, value }) => surveyForm({ dossierCode: 'PROP-2', [field]: value })),
      fc.string({ maxLength: 300 }),
    );
    const request = fc.oneof(
      jsonish.map((body) => ({ body, type: 'application/json' })),
      formish.map((body) => ({ body, type: 'application/x-www-form-urlencoded' })),
      fc.record({
        body: fc.string({ maxLength: 100 }),
        type: fc.constantFrom('text/plain', 'application/xml', '', 'application/json; charset=latin1'),
      }),
    );
    const before = await snapshotTables(tables.doc, tables.names);
    // Act and assess
    await fc.assert(
      fc.asyncProperty(request, async ({ body, type }) => {
        fc.pre(!isValidSubmission(body, type));
        const result = await call(post(body, type ? { 'content-type': type } : {}));
        expect(result.statusCode).toBeGreaterThanOrEqual(400);
        expect(result.statusCode).toBeLessThan(500);
        // A browser's form post keeps its status and goes back to the form (its errors named), never to the thanks.
        if (type === 'application/x-www-form-urlencoded') {
          expect(formReturnAddress(result.body)).toMatch(/\?loi=[a-z-]+(,[a-z-]+)*(&|#)/);
        }
      }),
      { numRuns: 150 },
    );
    expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
  });

  it('stores nothing that identifies a person: no dossier code, address or user agent, in any common encoding', async () => {
    // Prepare: responses with known codes, addresses and user agents, some with comments that mention the code.
    const secrets: string[] = [];
    for (let i = 0; i < 6; i++) {
      const dossierCode = `000.00.15.H26-PRIV${process.pid}-${i}`;
      const ip = i % 2 === 0 ? `203.0.113.${50 + i}` : `2001:db8:77:${i}::${i}`;
      const userAgent = `Mozilla/5.0 (PrivacyProbe-${process.pid}-${i})`;
      secrets.push(dossierCode, ip, userAgent);
      const headers = { ...(i < 3 ? JSON_TYPE : FORM_TYPE), 'user-agent': userAgent, 'x-forwarded-for': ip };
      const comment = `Hồ sơ ${dossierCode.toLowerCase()} của tôi, gọi 0912 345 67${i}`;
      const body = i < 3 ? JSON.stringify(surveyJson({ dossierCode, comment })) : surveyForm({ dossierCode, comment });
      const event = post(body, headers, ip);
      event.requestContext.http.userAgent = userAgent;
      const result = await call(event);
      expect([201, 303]).toContain(result.statusCode);
    }
    // Act: every item of both tables, as stored.
    const dump: string[] = [];
    for (const table of [tables.names.records, tables.names.stats]) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await tables.doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        for (const item of page.Items ?? []) dump.push(JSON.stringify(item));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    const stored = dump.join('\n');
    // Assess
    expect(dump.filter((item) => item.includes('"entity":"survey"')).length).toBeGreaterThanOrEqual(6);
    expect(dump.filter((item) => item.includes('"entity":"comment"')).length).toBeGreaterThanOrEqual(6);
    for (const secret of secrets) {
      for (const form of encodings(secret)) expect(stored.toLowerCase()).not.toContain(form.toLowerCase());
    }
    expect(stored).not.toContain('0912 345 67');
  });
});

/** The forms in which a value might leak: raw, normalized, URL-, base64-, hex-encoded, and unkeyed hashes. */
function encodings(value: string): string[] {
  const upper = value.toUpperCase();
  const forms = [value, upper, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
  for (const v of [value, upper]) {
    const bytes = Buffer.from(v, 'utf8');
    forms.push(bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'));
    for (const algorithm of ['sha256', 'sha1', 'md5']) {
      const digest = createHash(algorithm).update(v).digest();
      forms.push(digest.toString('hex'), digest.toString('base64'), digest.toString('base64url'));
    }
  }
  return forms.filter((form) => form.length >= 6);
}

function isValidSubmission(body: string, type: string): boolean {
  if (type === 'application/json') {
    try {
      return SurveyResponseSchema.safeParse(JSON.parse(body)).success;
    } catch {
      return false;
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const nested: Record<string, unknown> = {};
    for (const [name, value] of new URLSearchParams(body)) {
      const [head, tail] = name.split('.');
      if (head === undefined) continue;
      if (tail === undefined) nested[head] = value;
      else nested[head] = { ...(nested[head] as object), [tail]: value };
    }
    return SurveyFormSchema.safeParse(nested).success;
  }
  return false;
}
