import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionRef } from '../../../../shared/stats/ports.js';
import { scanCounters, scanStoredCounters } from '../../../../shared/storage/export-reader.js';
import {
  addCorrections,
  counterShards,
  DynamoStatsStore,
  deleteLegacyCounters,
  readDirty,
  setBuiltVersion,
  shardFor,
} from '../../../../shared/storage/stats-repository.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

describe('DynamoStatsStore on DynamoDB Local', () => {
  let tables: TestTables;
  let store: DynamoStatsStore;

  beforeAll(async () => {
    tables = await createTestTables('stats-repo');
    store = new DynamoStatsStore(tables.doc, tables.names.stats);
  });

  afterAll(async () => {
    await tables?.drop();
  });

  const positions = (prefix: string, count: number, set = '1716200000#0'): PositionRef[] =>
    Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, set }));

  it('applies a chunk once: the same tokens again change nothing and answer already-applied', async () => {
    // Prepare
    const chunk = { positions: positions('a', 3), deltas: new Map([['U#00304|2024', { surveys: 3, satisfied: 2 }]]) };

    // Act
    const first = await store.applyChunk(chunk);
    const second = await store.applyChunk(chunk);
    const overlapping = await store.applyChunk({ ...chunk, positions: [...positions('b', 2), ...positions('a', 1)] });

    // Assess
    expect([first, second, overlapping]).toEqual(['applied', 'already-applied', 'already-applied']);
    expect((await scanCounters(tables.doc, tables.names.stats)).get('U#00304|2024')).toEqual({
      surveys: 3,
      satisfied: 2,
    });
    expect(await store.appliedAmong([...positions('a', 4), ...positions('b', 2)])).toEqual(new Set(['a0', 'a1', 'a2']));
  });

  it('writes a transaction of a hundred items (99 counters and one applied set)', async () => {
    // Prepare
    const deltas = new Map(Array.from({ length: 99 }, (_, i) => [`U#${String(10_000 + i)}|2023`, { reports: 1 }]));

    // Act
    const result = await store.applyChunk({ positions: positions('wide', 100, '1700000000#2'), deltas });

    // Assess
    expect(result).toBe('applied');
    const counted = await scanCounters(tables.doc, tables.names.stats);
    expect([...counted.keys()].filter((key) => key.endsWith('|2023'))).toHaveLength(99);
  });

  it('spreads a province bucket over shards and sums them on read', async () => {
    // Prepare: chunks starting at different positions write different shards of Hanoi's bucket
    for (let i = 0; i < 24; i++) {
      await store.applyChunk({
        positions: positions(`h${i}-`, 1, '1716300000#1'),
        deltas: new Map([['U#01|2022', { surveys: 1 }]]),
      });
    }

    // Act
    const counted = await scanCounters(tables.doc, tables.names.stats);
    const { Items = [] } = await tables.doc.send(
      new ScanCommand({
        TableName: tables.names.stats,
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': 'FIG#U#01#2022#' },
      }),
    );

    // Assess
    expect(counted.get('U#01|2022')).toEqual({ surveys: 24 });
    expect(Items.length).toBeGreaterThan(1);
    expect(Items.length).toBeLessThanOrEqual(counterShards('U#01'));
  });

  it('adds corrections, and keeps the dirty versions apart', async () => {
    // Prepare
    await store.markDirty();
    await store.markDirty();

    // Act
    await addCorrections(tables.doc, tables.names.stats, new Map([['U#00304|2024', { surveys: -1 }]]));
    await setBuiltVersion(tables.doc, tables.names.stats, 2);
    await setBuiltVersion(tables.doc, tables.names.stats, 1);

    // Assess
    expect((await scanCounters(tables.doc, tables.names.stats)).get('U#00304|2024')).toEqual({
      surveys: 2,
      satisfied: 2,
    });
    expect(await readDirty(tables.doc, tables.names.stats)).toEqual({ version: 2, builtVersion: 2 });
  });
});

describe('the stored layout on DynamoDB Local', () => {
  let tables: TestTables;

  beforeAll(async () => {
    tables = await createTestTables('stats-layout');
  });

  afterAll(async () => {
    await tables?.drop();
  });

  it('reads a month into its quarter and year, ignores the items of the earlier layout, and rebuild deletes them', async () => {
    // Prepare: two responses of May and a year's report as the aggregation writes them, and an item of the earlier
    // layout (the year's sum of everything) that a deployed table still holds
    const store = new DynamoStatsStore(tables.doc, tables.names.stats);
    await store.applyChunk({
      positions: [{ id: 'm1', set: '1716200000#0' }],
      deltas: new Map([
        ['U#00999|2021-05', { surveys: 2 }],
        ['U#00999|2021', { reports: 1 }],
      ]),
    });
    await tables.doc.send(
      new PutCommand({
        TableName: tables.names.stats,
        Item: { pk: 'FIG#U#00999#2021#0', sk: 'FIG', entity: 'counter', surveys: 2, reports: 1 },
      }),
    );

    // Act
    const published = await scanCounters(tables.doc, tables.names.stats);
    const stored = await scanStoredCounters(tables.doc, tables.names.stats);
    const removed = await deleteLegacyCounters(tables.doc, tables.names.stats);
    const { Items = [] } = await tables.doc.send(new ScanCommand({ TableName: tables.names.stats }));

    // Assess
    expect(published.get('U#00999|2021')).toEqual({ surveys: 2, reports: 1 });
    expect(published.get('U#00999|2021-Q2')).toEqual({ surveys: 2 });
    expect(published.get('U#00999|2021-05')).toEqual({ surveys: 2 });
    expect(stored.get('U#00999|2021')).toEqual({ reports: 1 });
    expect(stored.has('U#00999|2021-Q2')).toBe(false);
    expect(removed).toBe(1);
    expect(
      Items.map((item) => item.pk)
        .filter((pk) => String(pk).startsWith('FIG#'))
        .sort(),
    ).toEqual(['FIG#U#00999#2021#own#0', 'FIG#U#00999#2021-05#0']);
  });
});

describe('counter keys', () => {
  it('give provinces eight shards, districts two, wards and agencies one', () => {
    // Act / Assess
    expect([counterShards('U#01'), counterShards('U#008'), counterShards('U#00304'), counterShards('A#x')]).toEqual([
      8, 2, 1, 1,
    ]);
    expect(shardFor('U#00304', 'anything')).toBe(0);
    expect(new Set(Array.from({ length: 64 }, (_, i) => shardFor('U#01', `chunk-${i}`))).size).toBe(8);
  });
});
