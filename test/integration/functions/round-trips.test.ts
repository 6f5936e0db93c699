import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SigningKey, signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { vietnamDate } from '../../../shared/time/periods.js';
import { inForceOn } from '../../../shared/units/types.js';
import { committedRegistry, exampleConclusion } from '../../support/agency-fixtures.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../support/api-event.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { type DynamoRecorder, startDynamoRecorder } from '../../support/dynamodb-recorder.js';
import { surveyHandlerEnv, surveyJson } from '../../support/survey-fixtures.js';
import { registerLoadAgency } from '../../support/workload.js';
import { surveyItem } from '../../unit/shared/stats/support.js';
import { readStream, streamsClient } from './aggregation/stream-support.js';

/**
 * How many requests to DynamoDB a survey and a conclusion cost, and how many unit lookups the aggregation makes
 * (issue 15, "fewer round trips"): the production
 * handlers run in-process against DynamoDB Local through a recording proxy, and every operation they send is
 * counted. Counting, not timing, so the figure is the same on a loaded machine and a regression fails here.
 *
 * Two stores: one imported from the committed registry (as `npm start` and a deployment load it), whose manifest
 * lets the handlers resolve units from the registry shipped with the code; one imported from another registry
 * (five units), where every unit is still looked up in the store.
 */

type HandlerModule = { createHandler: (config: Record<string, string | undefined>) => ApiHandler };

const FEW_UNIT_IDS = ['01', '22', '008', '00304', '00301'];

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

interface Store {
  readonly tables: TestTables;
  readonly signing: SigningKey;
  readonly surveys: ApiHandler;
  readonly conclusions: ApiHandler;
  readonly aggregation: StreamHandler;
  readonly log: StreamHandler;
}

describe('DynamoDB round trips of the write routes', () => {
  let recorder: DynamoRecorder;
  let committed: Store;
  let another: Store;
  let streams: DynamoDBStreamsClient;
  let run = 0;

  const postSurvey = async (store: Store, overrides: Record<string, unknown> = {}) => {
    run += 1;
    const body = JSON.stringify(surveyJson({ dossierCode: `ROUND-TRIPS-${process.pid}-${run}`, ...overrides }));
    recorder.takeOperations();
    recorder.take();
    const result = await store.surveys(
      apiEvent({
        method: 'POST',
        path: '/api/v1/surveys',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      }),
      lambdaContext('surveys-create'),
    );
    const items = recorder
      .take()
      .map(
        (access) => `${access.action.replace('dynamodb:', '')} ${access.table} ${access.leadingKeys[0]?.split('#')[0]}`,
      );
    return { status: result.statusCode, operations: recorder.takeOperations(), items };
  };

  /**
   * Stores survey responses (directly, as the survey function would) and runs the aggregation on their stream records
   * as Lambda delivers them; answers the unit reads it made (item accesses under `UNIT`: the manifest, a unit).
   */
  const aggregate = async (store: Store, responses: readonly { hash: string; unitId: string }[]) => {
    const hashes = new Set(responses.map(({ hash }) => `SURVEY#${hash}`));
    for (const response of responses) {
      await store.tables.doc.send(
        new PutCommand({ TableName: store.tables.names.records, Item: surveyItem(response) }),
      );
    }
    const records = (await readStream(store.tables, streams)).filter((record) =>
      hashes.has(String(record.dynamodb?.Keys?.pk?.S)),
    );
    recorder.take();
    const result = await store.aggregation({ Records: records }, lambdaContext('aggregation'));
    const unitReads = recorder
      .take()
      .filter((access) => access.leadingKeys.some((key) => key.startsWith('UNIT')))
      .map((access) => `${access.action.replace('dynamodb:', '')} ${access.leadingKeys.join(',')}`);
    return { failures: result.batchItemFailures, unitReads };
  };

  const postConclusion = async (
    store: Store,
    documentNumber: string,
    options: { authorization?: string; units?: string[] } = {},
  ) => {
    const body = Buffer.from(
      JSON.stringify(
        exampleConclusion({ documentNumber, ...(options.units ? { inspectedUnits: options.units } : {}) }),
      ),
    );
    const token =
      options.authorization ??
      (await signAgencyRequest(store.signing, { method: 'POST', pathWithQuery: '/api/v1/conclusions', body }));
    recorder.takeOperations();
    const result = await store.conclusions(
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

  /** Tables holding the units (with their manifest) and an agency for Hà Nội and Hà Giang. */
  const openTables = async (label: string, unitIds: readonly string[] | 'all') => {
    const tables = await createTestTables(label);
    const registry = committedRegistry();
    const units =
      unitIds === 'all' ? registry.all() : unitIds.map((id) => registry.get(id)).filter((unit) => unit !== undefined);
    await saveUnits(tables.doc, tables.names.records, units, registry);
    const signing = await registerLoadAgency(tables.doc, tables.names.records, label, ['01', '22']);
    return { tables, signing };
  };

  /** The production handlers over a configuration of their own (each has its own clients and caches). */
  const withHandlers = async ({ tables, signing }: Awaited<ReturnType<typeof openTables>>): Promise<Store> => {
    const config = {
      ...tables.env,
      DYNAMODB_ENDPOINT: recorder.endpoint,
      ...surveyHandlerEnv(1_000_000),
    };
    const surveys = ((await import('../../../functions/surveys/create.js')) as HandlerModule).createHandler(config);
    const conclusions = ((await import('../../../functions/conclusions/create.js')) as HandlerModule).createHandler(
      config,
    );
    const { createHandler } = await import('../../../functions/aggregation/handler.js');
    const aggregation = createHandler({ ...config, POWERTOOLS_METRICS_DISABLED: 'true' });
    const log = (await import('../../../functions/log/handler.js')).createHandler(config);
    return { tables, signing, surveys, conclusions, aggregation, log };
  };

  /** Wards of Hà Nội (01) in force on the date, other than the fixtures' own: units no handler has resolved yet. */
  const freshWards = (onDate: string, count: number): string[] => {
    const registry = committedRegistry();
    return registry
      .all()
      .filter(
        (unit) =>
          unit.level === 3 &&
          inForceOn(unit, onDate) &&
          !FEW_UNIT_IDS.includes(unit.code) &&
          registry.rollupTargets(unit.id, onDate).includes('01'),
      )
      .slice(0, count)
      .map((unit) => unit.code);
  };

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    // The whole country, as `npm start` and a deployment import it (a few seconds on DynamoDB Local).
    const [national, few] = await Promise.all([
      openTables('round-trips', 'all'),
      openTables('round-trips-few', FEW_UNIT_IDS),
    ]);
    recorder = await startDynamoRecorder(national.tables.endpoint, national.tables.names);
    streams = streamsClient(national.tables);
    committed = await withHandlers(national);
    another = await withHandlers(few);
  }, 300_000);

  afterAll(async () => {
    streams?.destroy();
    await recorder?.close();
    await Promise.all([committed?.tables.drop(), another?.tables.drop()]);
  });

  describe('a store imported from the committed registry', () => {
    it('a survey: the manifest once per container, then no unit lookup at all', async () => {
      // Arrange
      const [second, third] = freshWards(vietnamDate(new Date()), 2);

      // Act
      const first = await postSurvey(committed);
      const fresh = await postSurvey(committed, { unit: second });
      const withComment = await postSurvey(committed, { unit: third, comment: 'Cán bộ hướng dẫn tận tình.' });

      // Assess
      expect([first.status, fresh.status, withComment.status]).toEqual([201, 201, 201]);
      // The manifest is read once per cache period: its digest is the committed registry's, so units come from it.
      expect(first.operations).toEqual(['GetItem', 'TransactWriteItems']);
      // A ward never seen before costs no request, and the rate-limit count is part of the response's write.
      expect(fresh.operations).toEqual(['TransactWriteItems']);
      expect(withComment.operations).toEqual(['TransactWriteItems']);
      // The transaction spans the tables: the response (and comment) among the records, the count in the stats
      // table, so no counter goes through the records stream that the aggregation and the log appender read.
      expect(fresh.items).toEqual(['PutItem records SURVEY', 'UpdateItem stats RATE']);
      expect(withComment.items).toEqual(['PutItem records SURVEY', 'PutItem records COMMENT', 'UpdateItem stats RATE']);
      const streamed = (await readStream(committed.tables, streams)).map((record) =>
        String(record.dynamodb?.Keys?.pk?.S),
      );
      expect(streamed.filter((pk) => pk.startsWith('SURVEY#')).length).toBeGreaterThanOrEqual(3);
      expect(streamed.filter((pk) => pk.startsWith('RATE#'))).toEqual([]);
    });

    it('a refused survey is counted against the limit on its own, after the refusal', async () => {
      // Arrange
      const dossierCode = `ROUND-TRIPS-DUP-${process.pid}-${Date.now()}`;
      await postSurvey(committed, { dossierCode });

      // Act
      const duplicate = await postSurvey(committed, { dossierCode });
      const unknown = await postSurvey(committed, { unit: '99999' });

      // Assess: cancelled by the dossier's condition, the transaction counted nothing, so the rate-limit count
      // follows alone; then the day's count of refusals by reason (integrity statistics), as for every refusal.
      expect(duplicate.status).toBe(409);
      expect(duplicate.operations).toEqual(['TransactWriteItems', 'UpdateItem', 'UpdateItem']);
      expect(duplicate.items.slice(-2)).toEqual(['UpdateItem stats RATE', 'UpdateItem records REFUSED']);
      // Refused before any write (no unit lookup either): the two counts.
      expect(unknown.status).toBe(422);
      expect(unknown.operations).toEqual(['UpdateItem', 'UpdateItem']);
    });

    it('a conclusion: the agency and its keys, one transaction, whatever unit it names', async () => {
      // Arrange
      const [ward] = freshWards('2024-05-20', 1);

      // Act
      const first = await postConclusion(committed, `1/KL-ROUND-${Date.now()}`);
      const fresh = await postConclusion(committed, `2/KL-ROUND-${Date.now()}`, { units: [ward ?? ''] });

      // Assess
      expect([first.status, fresh.status]).toEqual([201, 201]);
      expect(first.operations).toEqual(['Query', 'GetItem', 'TransactWriteItems']);
      expect(fresh.operations).toEqual(['Query', 'TransactWriteItems']);
    });

    it('the log appender: the head once per batch, then one transaction for all its new versions', async () => {
      // Arrange: three conclusions published, their version records as the stream delivers them
      const tag = `KL-LOG-RT-${Date.now()}`;
      for (let i = 1; i <= 3; i++) expect((await postConclusion(committed, `${i}/${tag}`)).status).toBe(201);
      const versions = (await readStream(committed.tables, streams)).filter(
        (record) =>
          record.dynamodb?.NewImage?.entity?.S === 'conclusion-version' &&
          String(record.dynamodb.NewImage.documentNumber?.S).endsWith(tag),
      );
      recorder.takeOperations();

      // Act
      const first = await committed.log({ Records: versions }, lambdaContext('log'));
      const firstOperations = recorder.takeOperations();
      const again = await committed.log({ Records: versions }, lambdaContext('log'));
      const againOperations = recorder.takeOperations();

      // Assess: the head read once, the three versions in one transaction, then the dirty marker; redelivered,
      // the run is refused by the versions' keys (nothing written), and each version's index is read from its key.
      expect(versions).toHaveLength(3);
      expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
      expect(firstOperations).toEqual(['GetItem', 'TransactWriteItems', 'UpdateItem']);
      expect(againOperations).toEqual(['GetItem', 'TransactWriteItems', 'GetItem', 'GetItem', 'GetItem']);
    });

    it('the aggregation: the manifest once per container, then no unit lookup for any ward', async () => {
      // Arrange
      const wards = freshWards('2024-05-20', 3);

      // Act
      const first = await aggregate(committed, [{ hash: `AGG-RT-${run++}`, unitId: '00304' }]);
      const fresh = await aggregate(
        committed,
        wards.map((unitId) => ({ hash: `AGG-RT-${run++}`, unitId })),
      );

      // Assess: roll-up targets come from the registry shipped with the code, which the manifest vouches for
      expect([first.failures, fresh.failures]).toEqual([[], []]);
      expect(first.unitReads).toEqual(['GetItem UNITS']);
      expect(fresh.unitReads).toEqual([]);
    });
  });

  describe('a store imported from another registry', () => {
    it('a survey: the unit once per container, one transaction with the rate-limit count', async () => {
      // Act
      const first = await postSurvey(another);
      const warm = await postSurvey(another);
      const withComment = await postSurvey(another, { comment: 'Cán bộ hướng dẫn tận tình.' });

      // Assess
      expect([first.status, warm.status, withComment.status]).toEqual([201, 201, 201]);
      // The manifest's digest is not the committed registry's: the unit is looked up in the store.
      expect(first.operations).toEqual(['GetItem', 'Query', 'TransactWriteItems']);
      // The unit is resolved from the container's cache: the write, which counts the request, is all that remains.
      expect(warm.operations).toEqual(['TransactWriteItems']);
      expect(withComment.operations).toEqual(['TransactWriteItems']);
    });

    it('a conclusion: the agency and its keys, the unit once per container, one transaction', async () => {
      // Act
      const first = await postConclusion(another, `1/KL-ROUND-${Date.now()}`);
      const warm = await postConclusion(another, `2/KL-ROUND-${Date.now()}`);

      // Assess
      expect([first.status, warm.status]).toEqual([201, 201]);
      // No early read of the replay marker and no read of the (absent) conclusion: the transaction decides both.
      expect(first.operations).toEqual(['Query', 'GetItem', 'Query', 'TransactWriteItems']);
      expect(warm.operations).toEqual(['Query', 'TransactWriteItems']);
    });

    it('the aggregation: each unit once per container, from the store', async () => {
      // Act
      const first = await aggregate(another, [{ hash: `AGG-RT-${run++}`, unitId: '00304' }]);
      const warm = await aggregate(another, [{ hash: `AGG-RT-${run++}`, unitId: '00304' }]);

      // Assess: the manifest's digest is not the committed registry's, so the unit is read from the store
      expect([first.failures, warm.failures]).toEqual([[], []]);
      expect(first.unitReads).toEqual(['GetItem UNITS', 'GetItem UNIT#00304']);
      expect(warm.unitReads).toEqual([]);
    });

    it('a replayed or repeated conclusion answers 401 and 200 without reading the conclusion', async () => {
      // Arrange
      const documentNumber = `3/KL-ROUND-${Date.now()}`;
      const created = await postConclusion(another, documentNumber);

      // Act
      const replayed = await postConclusion(another, documentNumber, { authorization: created.token });
      const repeated = await postConclusion(another, documentNumber);

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
});
