import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStreamBatch } from '../../../../functions/aggregation/handler.js';
import { logger } from '../../../../functions/lib/observability.js';
import { registerAgency } from '../../../../shared/agencies/service.js';
import { signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';
import { buildFigures, suppressionGroups } from '../../../../shared/stats/figures.js';
import { compareCounters, recompute } from '../../../../shared/stats/recompute.js';
import { DynamoAgencyRepository } from '../../../../shared/storage/agencies-repository.js';
import { scanCountedRecords, scanCounters } from '../../../../shared/storage/export-reader.js';
import { DynamoStatsStore } from '../../../../shared/storage/stats-repository.js';
import { DynamoUnitLookup, saveUnits } from '../../../../shared/storage/units-repository.js';
import { mintReceipt } from '../../../../shared/surveys/receipt.js';
import { vietnamDate } from '../../../../shared/time/periods.js';
import { UnitRegistry } from '../../../../shared/units/registry.js';
import { generateKeyPair } from '../../../support/agency-fixtures.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../../support/api-event.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { surveyHandlerEnv, surveyJson, testUnitLookup, testUnits } from '../../../support/survey-fixtures.js';
import { readStream, streamsClient } from './stream-support.js';

/**
 * Verified responses from end to end on DynamoDB Local: the real survey handler stores them, the real stream
 * carries them, the aggregation counts them, and the published figures show them apart from all responses.
 */
describe('verified responses, from the survey handler to the published figures', () => {
  let tables: TestTables;
  let streams: DynamoDBStreamsClient;
  let handler: ApiHandler;

  beforeAll(async () => {
    logger.setLogLevel('ERROR');
    tables = await createTestTables('verified');
    streams = streamsClient(tables);
    await saveUnits(tables.doc, tables.names.records, testUnits, new UnitRegistry(testUnits));
    Object.assign(process.env, tables.env, surveyHandlerEnv(100_000));
    handler = (await import('../../../../functions/surveys/create.js')).handler as unknown as ApiHandler;
  });

  afterAll(async () => {
    streams?.destroy();
    await tables?.drop();
  });

  it('counts a verified response in `verified` and an unverified one only in all responses', async () => {
    // Prepare: the city's agency signs a receipt for one dossier; another dossier comes without one.
    const pair = generateKeyPair();
    await registerAgency(
      { id: 'hanoi-verified', name: 'Sở Nội vụ', jurisdiction: ['01'], publicKeyPem: pair.publicPem },
      { agencies: new DynamoAgencyRepository(tables.doc, tables.names.records), units: testUnitLookup() },
    );
    const key = await signingKeyFromPem('hanoi-verified', pair.privatePem);
    const receipt = await mintReceipt(key, { dossierCode: 'VERIFIED-0001', unit: '00301' });
    const post = (body: Record<string, unknown>) =>
      handler(
        apiEvent({
          method: 'POST',
          path: '/api/v1/surveys',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(surveyJson(body)),
        }),
        lambdaContext('surveys-create'),
      );

    // Act
    const verified = await post({ dossierCode: 'VERIFIED-0001', receipt, channel: 'qr', overall: 5 });
    const unverified = await post({ dossierCode: 'PLAIN-0002', channel: 'web', overall: 2 });
    const stream = await readStream(tables, streams);
    const outcome = await processStreamBatch(
      { Records: stream },
      {
        lookup: new DynamoUnitLookup(tables.doc, tables.names.records),
        store: new DynamoStatsStore(tables.doc, tables.names.stats),
      },
    );

    // Assess
    expect([verified.statusCode, unverified.statusCode]).toEqual([201, 201]);
    expect(outcome.batchItemFailures).toEqual([]);
    const counters = await scanCounters(tables.doc, tables.names.stats);
    const year = vietnamDate(new Date()).slice(0, 4);
    expect(counters.get(`U#00301|${year}`)).toMatchObject({
      surveys: 2,
      satisfied: 1,
      vsurveys: 1,
      vsatisfied: 1,
      ch_qr: 1,
      ch_web: 1,
    });
    // The same as a full recomputation from the stored items (what `stats verify` checks)
    const lookup = new UnitRegistry(testUnits);
    const recomputed = recompute(await scanCountedRecords(tables.doc, tables.names.records), (id, on) =>
      lookup.rollupTargets(id, on),
    );
    expect(compareCounters(recomputed.counters, counters)).toEqual([]);
    // Two responses are too few to publish: the verified figure is there, withheld like the others
    const figures = buildFigures(counters, suppressionGroups(testUnits)).get('U#00301')?.get(year);
    expect(figures?.satisfaction.verified).toEqual({ responses: null, overall: null });
    expect(figures?.satisfaction.responses).toBeNull();
  });
});
