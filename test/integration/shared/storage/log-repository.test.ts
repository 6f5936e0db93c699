import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendInOrder, appendOnce, MAX_RUN_ENTRIES } from '../../../../shared/log/appender.js';
import { decodeLogEntry, encodeLogEntry, type LogEntry, versionKey } from '../../../../shared/log/entry.js';
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

          const pause = () => new Promise<void>((r) => setTimeout(r, Math.random() * 5));
          await Promise.all(
            queues.map(async (queue, a) => {
              // Half the appenders take their queue as one batch, in runs (as the stream handler does), the others
              // one version at a time: runs race single appends and each other, with redeliveries inside a batch.
              if (a % 2 === 1) {
                const outcome = await appendInOrder(queue, store, pause);
                expect(outcome.error).toBeUndefined();
                expect(outcome.results).toHaveLength(queue.length);
                return;
              }
              for (const entry of queue) await appendOnce(entry, store, pause);
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

describe('appendInOrder and appendRun (DynamoDB Local)', () => {
  it('appends a batch in its order, one transaction per run, and answers each version as appendOnce would', async () => {
    // Arrange: more versions than one run holds, one of them twice in the batch, one logged before the batch
    const store = new DynamoLogStore(tables.doc, tables.names.stats);
    const tag = `inorder${run++}`;
    const earlier = await appendOnce(version(`${tag}-early`, 1), store);
    const batch = Array.from({ length: MAX_RUN_ENTRIES + 3 }, (_, i) => version(`${tag}-${i}`, 1));
    batch.splice(5, 0, version(`${tag}-2`, 1));
    batch.push(version(`${tag}-early`, 1));
    const start = await store.size();

    // Act
    const outcome = await appendInOrder(batch, store);
    const again = await appendInOrder(batch, store);

    // Assess: every new version once, in the batch's order and right after the head; the second delivery of a
    // version (in the batch, or in a later one) answers the index it has
    expect(outcome.error).toBeUndefined();
    const indexes = outcome.results.map((result) => result.index);
    const fresh = batch.slice(0, 5).concat(batch.slice(6, -1));
    expect(outcome.results.filter((result) => result.appended).map((result) => result.index)).toEqual(
      fresh.map((_, i) => start + i),
    );
    expect(indexes[5]).toBe(start + 2);
    expect(outcome.results[5]?.appended).toBe(false);
    expect(outcome.results.at(-1)).toEqual({ index: earlier.index, appended: false });
    expect(again).toEqual({ results: outcome.results.map(({ index }) => ({ index, appended: false })) });
    const entries = (await readLogEntries(tables.doc, tables.names.stats)).map(decodeLogEntry);
    expect(entries.length).toBe(start + fresh.length);
    expect(entries.slice(start).map(versionKey)).toEqual(fresh.map(versionKey));
  }, 60_000);

  it('writes a run whole or not at all: a logged version or a moved head refuses all of it', async () => {
    const store = new DynamoLogStore(tables.doc, tables.names.stats);
    const tag = `run${run++}`;
    const encoded = (id: string) => ({ entry: version(id, 1), bytes: encodeLogEntry(version(id, 1)) });
    const start = await store.size();

    expect(await store.appendRun(start, [encoded(`${tag}-a`), encoded(`${tag}-b`)])).toBe('appended');
    expect(await store.size()).toBe(start + 2);
    // The third version is new, the fourth is logged: nothing of the run is written, and the head stays.
    expect(await store.appendRun(start + 2, [encoded(`${tag}-c`), encoded(`${tag}-a`)])).toBe('already-logged');
    expect(await store.size()).toBe(start + 2);
    expect(await store.indexOf(version(`${tag}-c`, 1))).toBeUndefined();
    expect(await store.appendRun(start + 1, [encoded(`${tag}-c`), encoded(`${tag}-d`)])).toBe('stale-head');
    expect(await store.appendRun(start + 3, [encoded(`${tag}-c`)])).toBe('stale-head');
    expect(await store.indexOf(version(`${tag}-c`, 1))).toBeUndefined();
    const entries = (await readLogEntries(tables.doc, tables.names.stats)).map(decodeLogEntry);
    expect(entries.slice(start).map(versionKey)).toEqual([`conclusion#${tag}-a#1`, `conclusion#${tag}-b#1`]);
    expect(await store.indexOf(version(`${tag}-b`, 1))).toBe(start + 1);
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
