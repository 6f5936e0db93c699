import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SigningKey, signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { committedRegistry, exampleConclusion } from '../../support/agency-fixtures.js';
import { apiEvent, lambdaContext } from '../../support/api-event.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { type DynamoRecorder, startDynamoRecorder } from '../../support/dynamodb-recorder.js';
import { surveyJson, TEST_DOSSIER_SECRET, TEST_RATE_SALT } from '../../support/survey-fixtures.js';
import { registerLoadAgency } from '../../support/workload.js';

/**
 * How many requests to DynamoDB a survey and a conclusion cost (issue 15, "fewer round trips"): the production
 * handlers run in-process against DynamoDB Local through a recording proxy, and every operation they send is
 * counted. Counting, not timing, so the figure is the same on a loaded machine and a regression fails here.
 */

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const UNIT_IDS = ['01', '22', '008', '00304', '00301'];

describe('DynamoDB round trips of the write routes', () => {
  let tables: TestTables;
  let recorder: DynamoRecorder;
  let signing: SigningKey;
  let surveys: Handler;
  let conclusions: Handler;
  let run = 0;

  const postSurvey = async (overrides: Record<string, unknown> = {}) => {
    run += 1;
    const body = JSON.stringify(surveyJson({ dossierCode: `ROUND-TRIPS-${process.pid}-${run}`, ...overrides }));
    const result = await surveys(
      apiEvent({
        method: 'POST',
        path: '/api/v1/surveys',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      }),
      lambdaContext('surveys-create'),
    );
    return { status: result.statusCode, operations: recorder.takeOperations() };
  };

  const postConclusion = async (documentNumber: string, authorization?: string) => {
    const body = Buffer.from(JSON.stringify(exampleConclusion({ documentNumber })));
    const token =
      authorization ??
      (await signAgencyRequest(signing, { method: 'POST', pathWithQuery: '/api/v1/conclusions', body }));
    recorder.takeOperations();
    const result = await conclusions(
      apiEvent({
        method: 'POST',
        path: '/api/v1/conclusions',
        headers: { 'content-type': 'application/json', authorization: token },
        body,
      }),
      lambdaContext('conclusions-create'),
    );
    return { status: result.statusCode, operations: recorder.takeOperations(), token };
  };

  beforeAll(async () => {
    tables = await createTestTables('round-trips');
    const registry = committedRegistry();
    const units = UNIT_IDS.map((id) => registry.get(id)).filter((unit) => unit !== undefined);
    await saveUnits(tables.doc, tables.names.records, units, registry);
    signing = await registerLoadAgency(tables.doc, tables.names.records, 'round-trips', ['01', '22']);
    recorder = await startDynamoRecorder(tables.endpoint, tables.names);
    Object.assign(process.env, tables.env, {
      DYNAMODB_ENDPOINT: recorder.endpoint,
      DOSSIER_HMAC_SECRET: TEST_DOSSIER_SECRET,
      RATE_LIMIT_SALT: TEST_RATE_SALT,
      SURVEY_RATE_LIMIT: '1000000',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    surveys = ((await import('../../../functions/surveys/create.js')) as { handler: Handler }).handler;
    conclusions = ((await import('../../../functions/conclusions/create.js')) as { handler: Handler }).handler;
  });

  afterAll(async () => {
    await recorder?.close();
    await tables?.drop();
  });

  it('a survey: the rate-limit count, the unit once per container, the conditional put', async () => {
    // Act
    const first = await postSurvey();
    const warm = await postSurvey();
    const withComment = await postSurvey({ comment: 'Cán bộ hướng dẫn tận tình.' });

    // Assess
    expect([first.status, warm.status, withComment.status]).toEqual([201, 201, 201]);
    expect(first.operations).toEqual(['UpdateItem', 'Query', 'PutItem']);
    // The unit is resolved from the container's cache: the counter and the write are all that remain.
    expect(warm.operations).toEqual(['UpdateItem', 'PutItem']);
    expect(withComment.operations).toEqual(['UpdateItem', 'TransactWriteItems']);
  });

  it('a conclusion: the agency and its keys, the unit once per container, one transaction', async () => {
    // Act
    const first = await postConclusion(`1/KL-ROUND-${Date.now()}`);
    const warm = await postConclusion(`2/KL-ROUND-${Date.now()}`);

    // Assess
    expect([first.status, warm.status]).toEqual([201, 201]);
    // No early read of the replay marker and no read of the (absent) conclusion: the transaction decides both.
    expect(first.operations).toEqual(['Query', 'Query', 'TransactWriteItems']);
    expect(warm.operations).toEqual(['Query', 'TransactWriteItems']);
  });

  it('a replayed or repeated conclusion answers 401 and 200 without reading the conclusion', async () => {
    // Arrange
    const documentNumber = `3/KL-ROUND-${Date.now()}`;
    const created = await postConclusion(documentNumber);

    // Act
    const replayed = await postConclusion(documentNumber, created.token);
    const repeated = await postConclusion(documentNumber);

    // Assess
    expect(created.status).toBe(201);
    // The transaction's marker condition refuses the replay: no read of the conclusion is needed.
    expect(replayed.status).toBe(401);
    expect(replayed.operations).toEqual(['Query', 'TransactWriteItems']);
    // The same content under a new token: the failed write, which returns the conclusion its condition found
    // (ALL_OLD, so no read follows), then the marker written alone.
    expect(repeated.status).toBe(200);
    expect(repeated.operations).toEqual(['Query', 'TransactWriteItems', 'PutItem']);
  });
});
