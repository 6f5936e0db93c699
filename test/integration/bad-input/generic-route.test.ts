import { randomUUID } from 'node:crypto';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { httpHandler } from '../../../functions/lib/http.js';
import { isIsoDate } from '../../../shared/time/periods.js';
import { apiEvent, lambdaContext } from '../../support/api-event.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { snapshotDiff, snapshotTables } from '../../support/table-snapshot.js';
import { type BodyTarget, badInputs, JSON_TYPE, nfdBody, withField } from './corpus.js';
import { expectProblem, expectPrototypeClean } from './problem-assertions.js';

/**
 * The corpus and fast-check properties against a generic POST route built with the project's one HTTP stack
 * (`functions/lib/http.ts`) and writing to the real engine: what every endpoint inherits, proved once on a
 * route whose only job is to accept or refuse.
 */

const MAX_BYTES = 256 * 1024;
const GenericSchema = z.strictObject({
  title: z.string().min(1).max(200),
  count: z.number().int().min(0).max(1_000_000),
  issuedOn: z.string().refine(isIsoDate, { error: 'a date YYYY-MM-DD' }),
  tags: z.array(z.string().max(50)).max(10),
});
const target: BodyTarget = {
  base: { title: 'Kết luận kiểm tra công vụ', count: 3, issuedOn: '2024-12-31', tags: ['kỷ luật'] },
  textField: 'title',
  numberField: 'count',
  dateField: 'issuedOn',
  acceptsForm: false,
  strict: true,
  maxBytes: MAX_BYTES,
};

describe('bad input against a generic POST route', () => {
  let tables: TestTables;
  let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

  const call = async (headers: Record<string, string>, body: Buffer | string | undefined) => {
    const result = await handler(
      apiEvent({ method: 'POST', path: '/api/v1/generic', headers, ...(body === undefined ? {} : { body }) }),
    );
    const responseHeaders = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    return { status: result.statusCode ?? 0, headers: responseHeaders, body: result.body ?? '' };
  };

  beforeAll(async () => {
    tables = await createTestTables('badgeneric');
    const names = tables.names;
    const generic = httpHandler({
      body: { maxBytes: MAX_BYTES, mediaTypes: ['application/json'], schema: GenericSchema },
      async handle(request) {
        const id = randomUUID();
        await tables.doc.send(
          new PutCommand({
            TableName: names.records,
            Item: { pk: `GENERIC#${id}`, sk: 'ITEM', ...request.body },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { status: 201, body: { id } };
      },
    });
    handler = (event) => generic(event, lambdaContext('generic'));
  });

  afterAll(async () => {
    await tables?.drop();
  });

  it('accepts the valid body the corpus is built from', async () => {
    const response = await call({ 'content-type': JSON_TYPE }, JSON.stringify(target.base));
    expect(response.status).toBe(201);
  });

  for (const input of badInputs(target)) {
    it(`refuses ${input.name} with ${input.expected.join(' or ')} and writes nothing`, async () => {
      const before = await snapshotTables(tables.doc, tables.names);
      const headers = {
        ...input.headers,
        ...(input.contentType === undefined ? {} : { 'content-type': input.contentType }),
      };
      const response = await call(headers, input.body);
      expectProblem(response, input.expected, input.name);
      expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
      expectPrototypeClean();
    });
  }

  it('stores decomposed (NFD) Vietnamese as NFC', async () => {
    const text = 'Ủy ban nhân dân phường Vĩnh Hưng';
    const response = await call({ 'content-type': JSON_TYPE }, nfdBody(target, text));
    expect(response.status).toBe(201);
    const { id } = JSON.parse(response.body) as { id: string };
    const { Items } = await tables.doc.send(
      new ScanCommand({
        TableName: tables.names.records,
        FilterExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `GENERIC#${id}` },
      }),
    );
    expect(Items?.[0]?.title).toBe(text.normalize('NFC'));
    expect(Items?.[0]?.title).not.toBe(text.normalize('NFD'));
  });

  it('answers arbitrary bytes with 400 or 422, never 5xx, and writes nothing (fuzzed)', async () => {
    const before = await snapshotTables(tables.doc, tables.names);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const response = await call({ 'content-type': JSON_TYPE }, Buffer.from(bytes));
        expectProblem(response, [400, 422], 'random bytes');
      }),
      { numRuns: 300 },
    );
    expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
  });

  it('answers any JSON value that breaks the schema with 400 or 422 and writes nothing (fuzzed)', async () => {
    const before = await snapshotTables(tables.doc, tables.names);
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue().filter((value) => !GenericSchema.safeParse(value).success),
        async (value) => {
          const response = await call({ 'content-type': JSON_TYPE }, JSON.stringify(value));
          // 400 only for a key such as "__proto__" that fast-check may generate; 422 otherwise.
          expectProblem(response, [400, 422], JSON.stringify(value).slice(0, 80));
        },
      ),
      { numRuns: 300 },
    );
    expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
    expectPrototypeClean();
  });

  it('answers a valid body with one field replaced by a wrong value with 422 naming that field (fuzzed)', async () => {
    const before = await snapshotTables(tables.doc, tables.names);
    const field = fc.constantFrom('title', 'count', 'issuedOn', 'tags');
    await fc.assert(
      fc.asyncProperty(field, fc.jsonValue(), async (name, value) => {
        const body = withField(target.base, name, value);
        // Keys that could reach a prototype are refused earlier, with 400 (covered by the corpus).
        fc.pre(
          !GenericSchema.safeParse(body).success && !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(value)),
        );
        const response = await call({ 'content-type': JSON_TYPE }, JSON.stringify(body));
        expectProblem(response, [422], `${name} = ${JSON.stringify(value).slice(0, 80)}`);
        const paths = (JSON.parse(response.body) as { errors: { path: string }[] }).errors.map(
          (e) => e.path.split('.')[0],
        );
        expect(paths).toContain(name);
      }),
      { numRuns: 300 },
    );
    expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
  });

  it('answers any Content-Type with 201 or 415, never 5xx (fuzzed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), async (contentType) => {
        const before = await snapshotTables(tables.doc, tables.names);
        const response = await call({ 'content-type': contentType }, JSON.stringify(target.base));
        expect([201, 415], `${JSON.stringify(contentType)} → ${response.status}`).toContain(response.status);
        if (response.status === 415) {
          expectProblem(response, [415], contentType);
          expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
        }
      }),
      { numRuns: 100 },
    );
  });
});
