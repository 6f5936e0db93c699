import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendOnce } from '../../../../shared/log/appender.js';
import { decodeLogEntry, type LogEntry, versionKey } from '../../../../shared/log/entry.js';
import { DynamoLogStore, readLogEntries } from '../../../../shared/storage/log-repository.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

let tables: TestTables;
let run = 0;

beforeAll(async () => {
  tables = await createTestTables('log');
});
afterAll(async () => {
  await tables.drop();
});

function version(id: string, v: number): LogEntry {
  return {
    type: 'conclusion',
    id,
    version: v,
    status: 'published',
    agency: 'demo-agency',
    keyThumbprint: 'A'.repeat(43),
    jti: `jti-${id}-${v}-xxxxxx`,
    jws: 'eyJhbGciOiJFZERTQSJ9.e30.c2ln',
    body: `/data/bodies/${'0'.repeat(64)}.json`,
    bodySha256: '0'.repeat(64),
    publishedAt: '2026-11-29T12:00:00.000Z',
  };
}

describe('DynamoLogStore with appendOnce (DynamoDB Local)', () => {
  it('appends one entry per version, numbered without gaps, however the stream redelivers and appenders race', async () => {
    await fc.assert(
      fc.asyncProperty(
        // A few versions, each delivered 1-3 times, split over 1-4 concurrent appenders in random order.
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 3 })), {
          minLength: 1,
          maxLength: 8,
          selector: ([id, v]) => `${id}#${v}`,
        }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (versions, deliveries, appenders, seed) => {
          // Each run gets a table prefix of its own inside the stats table: a fresh log.
          const tableName = tables.names.stats;
          const prefix = `run${run++}-`;
          const store = new DynamoLogStore(tables.doc, tableName);
          const sent = versions.flatMap(([id, v], i) =>
            Array.from({ length: deliveries[i] ?? 1 }, () => version(`${prefix}${id}`, v)),
          );
          const shuffled = shuffle(sent, seed);
          const queues = Array.from({ length: appenders }, (_, a) => shuffled.filter((_, i) => i % appenders === a));
          const before = (await readLogEntries(tables.doc, tableName)).length;

          await Promise.all(
            queues.map(async (queue) => {
              for (const entry of queue)
                await appendOnce(entry, store, () => new Promise((r) => setTimeout(r, Math.random() * 5)));
            }),
          );

          const all = (await readLogEntries(tables.doc, tableName)).map(decodeLogEntry);
          const mine = all.slice(before);
          expect(all.length).toBe(await store.size());
          expect(mine.map(versionKey).sort()).toEqual(
            versions.map(([id, v]) => `conclusion#${prefix}${id}#${v}`).sort(),
          );
          for (const entry of mine) {
            expect(await store.indexOf(entry)).toBe(all.findIndex((e) => versionKey(e) === versionKey(entry)));
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('keeps the order of one appender and never rewrites an entry', async () => {
    const store = new DynamoLogStore(tables.doc, tables.names.stats);
    const start = await store.size();
    const first = await appendOnce(version('order-a', 1), store);
    const second = await appendOnce(version('order-b', 1), store);
    const again = await appendOnce({ ...version('order-a', 1), jti: 'a-different-jti-value' }, store);

    expect(first).toEqual({ index: start, appended: true });
    expect(second).toEqual({ index: start + 1, appended: true });
    expect(again).toEqual({ index: start, appended: false });
    const entries = (await readLogEntries(tables.doc, tables.names.stats)).map(decodeLogEntry);
    expect(entries[start]?.jti).toBe('jti-order-a-1-xxxxxx');
    expect(await store.append(start, version('order-c', 1), new Uint8Array([1]))).toBe('stale-head');
    // A version already in the log, offered at the head: its key refuses it (the third item of the transaction).
    expect(await store.append(start + 2, version('order-a', 1), new Uint8Array([1]))).toBe('already-logged');
  });
});

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
