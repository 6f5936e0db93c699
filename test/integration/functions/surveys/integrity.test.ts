import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportToDirectory } from '../../../../cli/lib/stats-tasks.js';
import { IntegrityFileSchema } from '../../../../shared/open-data/schemas.js';
import { saveUnits } from '../../../../shared/storage/units-repository.js';
import { REFUSAL_REASONS } from '../../../../shared/surveys/integrity.js';
import { periodsOfDate, vietnamDate } from '../../../../shared/time/periods.js';
import { UnitRegistry } from '../../../../shared/units/registry.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../../support/api-event.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { surveyHandlerEnv, surveyJson, testUnits } from '../../../support/survey-fixtures.js';

const JSON_TYPE = { 'content-type': 'application/json' };
/** The limit of this file's handler: the fourth response of one client in a minute is refused. */
const RATE_LIMIT = 3;

/**
 * `/data/integrity.json` counts each kind of refusal of the real survey handler (production wiring, DynamoDB
 * Local), written by the real export; and what a refusal stores is its count, nothing of the submission.
 */
describe('integrity statistics of the survey channel', () => {
  let tables: TestTables;
  let handler: ApiHandler;
  let out: string;
  let address = 0;

  /** Posts from a client of its own (a rate-limit bucket of its own), unless `sourceIp` is given. */
  const post = (body: string, headers: Record<string, string> = JSON_TYPE, sourceIp?: string) =>
    handler(
      apiEvent({
        method: 'POST',
        path: '/api/v1/surveys',
        headers,
        body,
        sourceIp: sourceIp ?? `203.0.113.${++address}`,
      }),
      lambdaContext('surveys-create'),
    );
  const json = (overrides: Record<string, unknown>) => JSON.stringify(surveyJson(overrides));

  beforeAll(async () => {
    tables = await createTestTables('integrity');
    await saveUnits(tables.doc, tables.names.records, testUnits, new UnitRegistry(testUnits));
    Object.assign(process.env, tables.env, surveyHandlerEnv(RATE_LIMIT));
    handler = (await import('../../../../functions/surveys/create.js')).handler as unknown as ApiHandler;
    out = mkdtempSync(join(tmpdir(), 'integrity-'));
  });

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await tables?.drop();
  });

  it('counts each refusal reason once per refused submission, and an accepted one not at all', async () => {
    // Act: one or two submissions of every kind the handler refuses, and accepted ones around them
    const statuses: Record<string, number[]> = {};
    const send = async (label: string, answer: Promise<APIGatewayProxyStructuredResultV2>) => {
      statuses[label] = [...(statuses[label] ?? []), (await answer).statusCode ?? 0];
    };
    await send('crossSite', post(json({ dossierCode: 'INTEG-X-1' }), { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' }));
    await send('invalid', post('{"unit": "00301",'));
    await send('invalid', post(json({ dossierCode: 'INTEG-X-2', overall: 9 })));
    await send('honeypot', post(json({ dossierCode: 'INTEG-X-3', website: 'https://spam.example' })));
    for (let i = 0; i <= RATE_LIMIT; i++) {
      await send(
        i < RATE_LIMIT ? 'accepted' : 'rateLimited',
        post(json({ dossierCode: `INTEG-R-${i}` }), JSON_TYPE, '192.0.2.9'),
      );
    }
    await send('unknownUnit', post(json({ dossierCode: 'INTEG-X-4', unit: '99999' })));
    await send('invalidReceipt', post(json({ dossierCode: 'INTEG-X-5', receipt: 'aaaa.bbbb.cccc' })));
    await send('accepted', post(json({ dossierCode: 'INTEG-D-1' })));
    await send('duplicate', post(json({ dossierCode: 'INTEG-D-1' })));
    const summary = await exportToDirectory(
      { doc: tables.doc, tables: tables.names },
      new UnitRegistry(testUnits),
      out,
    );

    // Assess: the answers are the handler's usual ones
    expect(statuses).toEqual({
      crossSite: [403],
      invalid: [400, 422],
      honeypot: [202],
      accepted: [201, 201, 201, 201],
      rateLimited: [429],
      unknownUnit: [422],
      invalidReceipt: [422],
      duplicate: [409],
    });
    expect(summary.files).toBeGreaterThan(0);
    const file = IntegrityFileSchema.parse(JSON.parse(readFileSync(join(out, 'data/integrity.json'), 'utf8')));
    const expected = {
      total: 8,
      byReason: {
        crossSite: 1,
        invalid: 2,
        honeypot: 1,
        rateLimited: 1,
        unknownUnit: 1,
        invalidReceipt: 1,
        duplicate: 1,
      },
    };
    expect(Object.keys(expected.byReason).sort()).toEqual([...REFUSAL_REASONS].sort());
    for (const period of periodsOfDate(vietnamDate(new Date()))) {
      expect(file.periods[period]?.refused, period).toEqual(expected);
    }
  });

  it('keeps nothing of a refused submission but the count of its reason on its day', async () => {
    // Act
    const items = (await tables.doc.send(new ScanCommand({ TableName: tables.names.records }))).Items ?? [];

    // Assess: one item for the day, holding counts only (no address, no dossier, no content, no time)
    const counts = items.filter((item) => String(item.pk).startsWith('REFUSED#'));
    expect(counts).toHaveLength(1);
    expect(Object.keys(counts[0] ?? {}).sort()).toEqual(
      ['date', 'entity', 'gsi1pk', 'gsi1sk', 'pk', 'sk', ...REFUSAL_REASONS].sort(),
    );
    expect(JSON.stringify(counts)).not.toMatch(/203\.0\.113|192\.0\.2|INTEG|spam/);
    // The refused dossiers were not stored; the accepted ones were
    const surveys = items.filter((item) => item.entity === 'survey');
    expect(surveys).toHaveLength(RATE_LIMIT + 1);
  });
});
