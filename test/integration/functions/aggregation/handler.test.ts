import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStreamBatch } from '../../../../functions/aggregation/handler.js';
import { logger } from '../../../../functions/lib/observability.js';
import { compareCounters, recompute } from '../../../../shared/stats/recompute.js';
import { scanCountedRecords, scanCounters } from '../../../../shared/storage/export-reader.js';
import { dirtyKey } from '../../../../shared/storage/keys.js';
import { DynamoStatsStore } from '../../../../shared/storage/stats-repository.js';
import { DynamoUnitLookup, saveUnits } from '../../../../shared/storage/units-repository.js';
import { lambdaContext } from '../../../support/api-event.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { saveTestUnits } from '../../../support/units.js';
import { conclusionItem, registry, reportItem, rollups, surveyItem } from '../../../unit/shared/stats/support.js';
import { FailingStatsStore, putAll, readStream, streamsClient } from './stream-support.js';

const DONG_DA_WARDS = registry.children('006').map((unit) => unit.id);
const HOANG_MAI_WARDS = registry.children('008').map((unit) => unit.id);

describe('aggregation handler on the records stream of DynamoDB Local', () => {
  let tables: TestTables;
  let streams: DynamoDBStreamsClient;
  let lookup: DynamoUnitLookup;

  beforeAll(async () => {
    logger.setLogLevel('ERROR');
    tables = await createTestTables('agg');
    streams = streamsClient(tables);
    // The real lookup, over units stored in the records table (their stream records are noise to ignore).
    await saveTestUnits(tables.doc, tables.names.records, registry);
    lookup = new DynamoUnitLookup(tables.doc, tables.names.records);
  });

  afterAll(async () => {
    streams?.destroy();
    await tables?.drop();
  });

  it('replays every batch twice and in pieces, with failures between writes, and matches a full recomputation', async () => {
    // Prepare: responses, conclusions with corrections and a retraction, revised reports, one poison record
    const { doc, names } = tables;
    const wards = [...DONG_DA_WARDS, ...HOANG_MAI_WARDS];
    await putAll(
      doc,
      names.records,
      Array.from({ length: 300 }, (_, i) =>
        surveyItem({ hash: `r${i}`, unitId: wards[i % wards.length] ?? '00304', overall: (i % 5) + 1 }),
      ),
    );
    for (let i = 0; i < 20; i++) {
      const item = conclusionItem({
        id: `k${i}`,
        unitIds: [wards[i] ?? '00304', wards[i + 3] ?? '00304'],
        issuedOn: `2024-0${(i % 9) + 1}-15`,
        violations: { organizations: i % 2, individuals: i },
        discipline: [{ form: 'reprimand', organizations: 0, individuals: Math.floor(i / 2) }],
      });
      await doc.send(new PutCommand({ TableName: names.records, Item: item }));
      if (i % 4 === 0) {
        const corrected = {
          ...item,
          version: 2,
          issuedOn: '2024-12-01',
          violations: { organizations: 1, individuals: i + 2 },
        };
        await doc.send(new PutCommand({ TableName: names.records, Item: corrected }));
      }
      if (i % 7 === 0) {
        await doc.send(
          new PutCommand({ TableName: names.records, Item: { ...item, version: 3, status: 'retracted' } }),
        );
      }
    }
    for (const received of [100, 140]) {
      const report = reportItem({ unitId: '00304', month: '2024-06', received, resolvedOnTime: 80, resolvedLate: 3 });
      await doc.send(new PutCommand({ TableName: names.records, Item: report }));
    }
    await doc.send(new PutCommand({ TableName: names.records, Item: surveyItem({ hash: 'poison', unitId: '99999' }) }));
    const stream = await readStream(tables, streams);
    const store = new FailingStatsStore(
      new DynamoStatsStore(doc, names.stats),
      new Map([
        [3, 'before'],
        [8, 'after'],
        [15, 'before'],
        [22, 'after'],
        [40, 'after'],
      ]),
    );
    const deps = { lookup, store };
    const invoke = (records: readonly DynamoDBRecord[]) => processStreamBatch({ Records: [...records] }, deps);

    // Act: Lambda's semantics (from the first failed record on), every batch twice and its second half again;
    // a record failing three times in a row is parked and passed
    const sizes = [7, 50, 100, 13];
    let checkpoint = 0;
    let attemptsOnFirstFailure = 0;
    const parked: string[] = [];
    for (let attempt = 0; checkpoint < stream.length; attempt++) {
      expect(attempt).toBeLessThan(500);
      const batch = stream.slice(checkpoint, checkpoint + (sizes[attempt % sizes.length] ?? 10));
      const { batchItemFailures } = await invoke(batch);
      await invoke(batch);
      await invoke(batch.slice(Math.floor(batch.length / 2)));
      const failed = batch.findIndex((r) =>
        batchItemFailures.some((f) => f.itemIdentifier === r.dynamodb?.SequenceNumber),
      );
      if (failed < 0) {
        checkpoint += batch.length;
        attemptsOnFirstFailure = 0;
      } else if (failed === 0 && ++attemptsOnFirstFailure >= 3) {
        parked.push(batch[0]?.dynamodb?.SequenceNumber ?? '');
        checkpoint += 1;
        attemptsOnFirstFailure = 0;
      } else {
        checkpoint += failed;
      }
    }

    // Assess
    const counted = await scanCounters(doc, names.stats);
    const expected = recompute(await scanCountedRecords(doc, names.records), rollups);
    expect(compareCounters(expected.counters, counted)).toEqual([]);
    expect(expected.invalid.map((item) => item.pk)).toEqual(['SURVEY#poison']);
    expect(parked).toHaveLength(1);
    expect(counted.get('U#00304|2024-06')).toMatchObject({ reports: 1, received: 140, resolvedLate: 3 });
    const { Item } = await doc.send(new GetCommand({ TableName: names.stats, Key: dirtyKey() }));
    expect(Item?.version).toBeGreaterThan(0);
  });

  it('reports a record it cannot count by its sequence number and applies the others', async () => {
    // Prepare
    const fresh = await createTestTables('agg-poison');
    try {
      await saveUnits(
        fresh.doc,
        fresh.names.records,
        registry.all().filter((u) => u.id === '01' || u.id === '008' || u.id === '00304'),
        registry,
      );
      const items = [surveyItem({ hash: 'a' }), surveyItem({ hash: 'b', unitId: '99999' }), surveyItem({ hash: 'c' })];
      for (const Item of items) await fresh.doc.send(new PutCommand({ TableName: fresh.names.records, Item }));
      const freshStreams = streamsClient(fresh);
      const records = (await readStream(fresh, freshStreams)).filter((r) =>
        r.dynamodb?.Keys?.pk?.S?.startsWith('SURVEY#'),
      );
      freshStreams.destroy();
      const deps = {
        lookup: new DynamoUnitLookup(fresh.doc, fresh.names.records),
        store: new DynamoStatsStore(fresh.doc, fresh.names.stats),
      };

      // Act
      const response = await processStreamBatch({ Records: records }, deps);

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
      const counted = await scanCounters(fresh.doc, fresh.names.stats);
      expect(counted.get('U#01|2024')).toMatchObject({ surveys: 2 });
    } finally {
      await fresh.drop();
    }
  });

  it('runs as the Lambda handler module, wired from the environment', async () => {
    // Prepare
    Object.assign(process.env, tables.env);
    const { handler } = await import('../../../../functions/aggregation/handler.js');
    await tables.doc.send(
      new PutCommand({
        TableName: tables.names.records,
        Item: surveyItem({ hash: 'via-handler', date: '2023-03-03' }),
      }),
    );
    const record = (await readStream(tables, streams)).find((r) => r.dynamodb?.Keys?.pk?.S === 'SURVEY#via-handler');

    // Act
    const response = await handler({ Records: record ? [record] : [] }, lambdaContext('aggregation'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const counted = await scanCounters(tables.doc, tables.names.stats);
    expect(counted.get('U#008|2023-Q1')).toMatchObject({ surveys: 1 });
  });
});
