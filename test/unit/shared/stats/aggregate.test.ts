import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateBatch,
  appliedSetOf,
  type BatchOutcome,
  planChunk,
  prepareBatch,
} from '../../../../shared/stats/aggregate.js';
import { InvalidRecordError } from '../../../../shared/stats/errors.js';
import type { ChangeRecord } from '../../../../shared/stats/ports.js';
import { recompute } from '../../../../shared/stats/recompute.js';
import { responseHour } from '../../../../shared/stats/spikes.js';
import { LATENESS, SUBMISSION_METHODS, TRIPS_MAX } from '../../../../shared/surveys/questionnaire.js';
import {
  conclusionItem,
  type FailureMode,
  FakeStatsStore,
  lookup,
  registry,
  reportItem,
  rollups,
  SimulatedTable,
  surveyItem,
} from './support.js';

const WARDS = registry
  .all()
  .filter((unit) => unit.level === 3 && unit.validTo === '2025-07-01' && unit.id.startsWith('00'))
  .map((unit) => unit.id)
  .slice(0, 200);

/** A table with a mix of every kind of change: inserts, corrections, retractions, report revisions, noise. */
function mixedTable(): SimulatedTable {
  const table = new SimulatedTable();
  for (let i = 0; i < 40; i++) {
    table.put(
      surveyItem({
        hash: `s${i}`,
        unitId: WARDS[i % 7] ?? '00304',
        overall: (i % 5) + 1,
        verified: i % 3 === 0,
        channel: i % 3 === 0 ? 'qr' : 'web',
      }),
    );
  }
  const first = conclusionItem({
    id: 'k1',
    unitIds: ['00238', '00229-pre2025'],
    violations: { organizations: 1, individuals: 3 },
  });
  table.put(first);
  table.put({ pk: 'RATE#x', sk: 'RATE', entity: 'rate-bucket', n: 1 });
  table.put({ ...first, version: 2, violations: { organizations: 1, individuals: 5 } });
  table.put(conclusionItem({ id: 'k2', unitIds: ['00304'], issuedOn: '2024-11-02' }));
  table.put({ ...first, version: 3, status: 'retracted' });
  table.put(reportItem({ unitId: '00304', month: '2024-12', received: 100, resolvedOnTime: 90 }));
  table.put(reportItem({ unitId: '00304', month: '2024-12', received: 120, resolvedOnTime: 100, resolvedLate: 2 }));
  table.delete('RATE#x', 'RATE');
  return table;
}

function expected(table: SimulatedTable) {
  return recompute(table.items.values(), rollups).counters;
}

function firstFailed(outcome: BatchOutcome): number | undefined {
  return outcome.failed.keys().next().value;
}

/** Delivers a stream as Lambda does: a batch from the checkpoint; on failures, again from the first failed one. */
async function deliver(stream: readonly ChangeRecord[], store: FakeStatsStore, batchSize: number) {
  const outcomes: BatchOutcome[] = [];
  let checkpoint = 0;
  for (let attempts = 0; checkpoint < stream.length; attempts++) {
    if (attempts > 1_000) throw new Error('no progress');
    const batch = stream.slice(checkpoint, checkpoint + batchSize);
    const outcome = await aggregateBatch(batch, { lookup, store });
    outcomes.push(outcome);
    checkpoint += firstFailed(outcome) ?? batch.length;
  }
  return outcomes;
}

describe('aggregateBatch', () => {
  it('makes the counters equal to a full recomputation', async () => {
    // Prepare
    const table = mixedTable();
    const store = new FakeStatsStore();

    // Act
    await deliver(table.stream, store, 10);

    // Assess
    expect(store.counters).toEqual(expected(table));
    expect(store.dirtyVersion).toBeGreaterThan(0);
    // The verified and channel counters are among them: 14 of the 40 responses came with a receipt, by QR.
    expect(store.counters.get('U#01|2024')).toMatchObject({ surveys: 40, vsurveys: 14, ch_qr: 14, ch_web: 26 });
  });

  it('marks the site dirty for a summary report, which moves no counter, and not for other items', async () => {
    // Prepare
    const summaries = new SimulatedTable();
    const summary = { pk: 'SUMMARY#s1', sk: 'CURRENT', entity: 'summary', id: 's1', unitId: '01', version: 1 };
    summaries.put(summary);
    summaries.put({ ...summary, version: 2, status: 'retracted' });
    const noise = new SimulatedTable();
    noise.put({ pk: 'RATE#x', sk: 'RATE', entity: 'rate-bucket', n: 1 });
    const summaryStore = new FakeStatsStore();
    const noiseStore = new FakeStatsStore();

    // Act
    const outcome = await aggregateBatch(summaries.stream, { lookup, store: summaryStore });
    await aggregateBatch(noise.stream, { lookup, store: noiseStore });

    // Assess
    expect(outcome.failed.size).toBe(0);
    expect(summaryStore.counters.size).toBe(0);
    expect(summaryStore.dirtyVersion).toBe(1);
    expect(noiseStore.dirtyVersion).toBe(0);
  });

  it('changes nothing when a batch is delivered twice', async () => {
    // Prepare
    const table = mixedTable();
    const store = new FakeStatsStore();
    await aggregateBatch(table.stream, { lookup, store });
    const transactions = store.transactions;

    // Act
    const again = await aggregateBatch(table.stream, { lookup, store });

    // Assess
    expect(store.counters).toEqual(expected(table));
    expect(store.transactions).toBe(transactions);
    expect(again.applied).toBe(0);
    expect(again.skipped).toBeGreaterThan(0);
  });

  it('changes nothing when half a batch is applied and then the whole one, or the whole and then any piece', async () => {
    // Prepare
    const table = mixedTable();
    const store = new FakeStatsStore();
    const half = Math.floor(table.stream.length / 2);

    // Act
    await aggregateBatch(table.stream.slice(0, half), { lookup, store });
    await aggregateBatch(table.stream, { lookup, store });
    await aggregateBatch(table.stream.slice(half - 3), { lookup, store });
    await aggregateBatch(table.stream.slice(5, 9), { lookup, store });

    // Assess
    expect(store.counters).toEqual(expected(table));
  });

  it('recovers from a failure before a write by redelivering from the first failed record', async () => {
    // Prepare: call 1 reads the applied sets, call 2 is the first transaction
    const table = mixedTable();
    const store = new FakeStatsStore();
    store.failures.set(2, 'before');

    // Act
    const outcomes = await deliver(table.stream, store, table.stream.length);

    // Assess
    expect(firstFailed(outcomes[0] as BatchOutcome)).toBe(0);
    expect([...(outcomes[0]?.failed.values() ?? [])][0]?.message).toMatch(/injected/);
    expect(store.counters).toEqual(expected(table));
  });

  it('does not count twice a chunk whose commit succeeded although its caller saw an error', async () => {
    // Prepare: the first transaction commits, then its response is lost
    const table = mixedTable();
    const store = new FakeStatsStore();
    store.failures.set(2, 'after');

    // Act
    const outcomes = await deliver(table.stream, store, table.stream.length);

    // Assess
    expect(firstFailed(outcomes[0] as BatchOutcome)).toBe(0);
    expect(outcomes[1]?.skipped).toBeGreaterThan(0);
    expect(store.counters).toEqual(expected(table));
  });

  it('pre-aggregates a batch: a hundred responses to one ward cost three counters, an hourly count and a few applied sets', async () => {
    // Prepare
    const table = new SimulatedTable();
    for (let i = 0; i < 100; i++) table.put(surveyItem({ hash: `h${i}` }));
    const store = new FakeStatsStore();

    // Act
    const outcome = await aggregateBatch(table.stream, { lookup, store });

    // Assess: 100 records over 34 seconds: 4 windows of 4 sets at most, the month of the ward, its district and its
    // city (the quarter and the year are read from the month: counters.ts, storedLayout), the ward's one hour
    expect(outcome).toMatchObject({ applied: 100, transactions: 1 });
    expect(store.counterWrites).toBe(3);
    expect(outcome.itemWrites).toBeLessThanOrEqual(3 + 1 + 16);
    expect([...store.hours.values()]).toEqual([100]);
    expect(store.counters.get('U#01|2024')).toMatchObject({ surveys: 100 });
  });

  it('splits a record too large for one transaction into parts, each applied once', async () => {
    // Prepare: a conclusion over 120 wards of many districts touches far more than 99 buckets (one per scope)
    const table = new SimulatedTable();
    const wide = conclusionItem({ id: 'wide', unitIds: WARDS.slice(0, 120) });
    table.put(wide);
    table.put({ ...wide, version: 2, issuedOn: '2024-08-08' });
    const store = new FakeStatsStore();
    store.failures.set(3, 'after');

    // Act
    await deliver(table.stream, store, 2);

    // Assess
    const prepared = prepareBatch(table.stream, rollups);
    expect(prepared.positions.filter((p) => p.record === 0).length).toBeGreaterThan(1);
    expect(store.largestTransaction).toBeLessThanOrEqual(100);
    expect(store.counters).toEqual(expected(table));
  });

  it('applies every record but one that cannot be counted, and reports that one', async () => {
    // Prepare
    const table = new SimulatedTable();
    table.put(surveyItem({ hash: 'ok1' }));
    table.put(surveyItem({ hash: 'bad', unitId: '99999' }));
    table.put(surveyItem({ hash: 'ok2' }));
    const store = new FakeStatsStore();

    // Act
    const outcome = await aggregateBatch(table.stream, { lookup, store });

    // Assess
    expect([...outcome.failed.keys()]).toEqual([1]);
    expect(outcome.failed.get(1)).toBeInstanceOf(InvalidRecordError);
    expect(store.counters.get('U#00304|2024')).toMatchObject({ surveys: 2 });
  });

  it('stops before the invocation times out and reports the rest', async () => {
    // Prepare
    const table = mixedTable();
    const store = new FakeStatsStore();

    // Act
    const outcome = await aggregateBatch(table.stream, { lookup, store, remainingMs: () => 1_000 });

    // Assess
    expect(firstFailed(outcome)).toBe(0);
    expect(store.transactions).toBe(0);
  });

  it('matches the recomputation whatever the batches, replays and failures between writes', async () => {
    const op = fc.oneof(
      fc.record({
        type: fc.constant('survey' as const),
        ward: fc.nat(20),
        overall: fc.integer({ min: 1, max: 5 }),
        // The questions on submission and conduct, any of them unanswered (questionnaire.ts).
        extra: fc.record(
          {
            submission: fc.constantFrom(...SUBMISSION_METHODS),
            conduct: fc.record(
              {
                extraDocuments: fc.boolean(),
                extraPayment: fc.boolean(),
                harassment: fc.boolean(),
                trips: fc.integer({ min: 0, max: TRIPS_MAX }),
                lateness: fc.constantFrom(...LATENESS),
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: [] },
        ),
        verified: fc.boolean(),
        channel: fc.constantFrom('web' as const, 'qr' as const, 'api' as const),
      }),
      fc.record({
        type: fc.constant('conclusion' as const),
        id: fc.nat(4),
        wards: fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }),
        individuals: fc.nat(9),
        // A correction may move a conclusion to another month, quarter or year.
        issuedOn: fc.constantFrom('2024-05-20', '2024-06-02', '2024-11-02', '2023-12-31'),
      }),
      fc.record({ type: fc.constant('retract' as const), id: fc.nat(4) }),
      fc.record({
        type: fc.constant('report' as const),
        ward: fc.nat(3),
        received: fc.nat(500),
        // Reports of a month, a quarter or a whole year count in different buckets (counters.ts, storedLayout).
        period: fc.constantFrom('2024-03', '2024-Q1', '2024', '2023-Q4'),
      }),
      fc.record({ type: fc.constant('wide' as const), id: fc.nat(1), offset: fc.nat(80) }),
    );
    const replay = fc.record({ after: fc.nat(60), from: fc.nat(60), length: fc.integer({ min: 1, max: 30 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 80 }), fc.constantFrom<FailureMode>('before', 'after')), {
          maxLength: 8,
        }),
        fc.array(replay, { maxLength: 5 }),
        async (ops, batchSizes, failures, replays) => {
          // Prepare
          const table = new SimulatedTable();
          ops.forEach((o, i) => {
            if (o.type === 'survey') {
              table.put(
                surveyItem({
                  hash: `p${i}`,
                  unitId: WARDS[o.ward] ?? '00304',
                  overall: o.overall,
                  verified: o.verified,
                  channel: o.channel,
                  ...o.extra,
                }),
              );
            } else if (o.type === 'conclusion') {
              const unitIds = [...new Set(o.wards.map((w) => WARDS[w] ?? '00304'))];
              table.put(
                conclusionItem({
                  id: `c${o.id}`,
                  unitIds,
                  violations: { organizations: 0, individuals: o.individuals },
                  issuedOn: o.issuedOn,
                }),
              );
            } else if (o.type === 'retract') {
              const current = table.items.get(`CONCLUSION#c${o.id}|CURRENT`);
              if (current) table.put({ ...current, status: 'retracted' });
            } else if (o.type === 'report') {
              table.put(
                reportItem({
                  unitId: WARDS[o.ward] ?? '00304',
                  month: undefined,
                  period: o.period,
                  received: o.received,
                }),
              );
            } else {
              // Over 99 buckets even one per scope: a record cut into parts.
              table.put(conclusionItem({ id: `w${o.id}`, unitIds: WARDS.slice(o.offset, o.offset + 110) }));
            }
          });
          const store = new FakeStatsStore();
          for (const [call, mode] of failures) store.failures.set(call, mode);

          // Act: deliver in batches of varying sizes; now and then replay any piece already delivered
          let checkpoint = 0;
          for (let attempts = 0; checkpoint < table.stream.length && attempts < 500; attempts++) {
            const batchSize = batchSizes[attempts % batchSizes.length] ?? 1;
            const batch = table.stream.slice(checkpoint, checkpoint + batchSize);
            const outcome = await aggregateBatch(batch, { lookup, store });
            checkpoint += firstFailed(outcome) ?? batch.length;
            for (const r of replays.filter((r) => r.after === attempts)) {
              const start = Math.min(r.from, checkpoint);
              await aggregateBatch(table.stream.slice(start, Math.min(checkpoint, start + r.length)), {
                lookup,
                store,
              });
            }
          }

          // Assess
          expect(checkpoint).toBe(table.stream.length);
          expect(store.counters).toEqual(expected(table));
          // Each new response counts once in its unit's hour, however often it was delivered
          const hours = new Map<string, number>();
          for (const record of table.stream) {
            const key = responseHour(record);
            if (key) hours.set(key, (hours.get(key) ?? 0) + 1);
          }
          expect(store.hours).toEqual(hours);
        },
      ),
      { numRuns: Number(process.env.STATS_PROPERTY_RUNS ?? 60) },
    );
  }, 300_000);
});

describe('planChunk', () => {
  it('never plans more items than a transaction holds', () => {
    // Prepare
    const table = new SimulatedTable();
    for (let i = 0; i < 120; i++) table.put(surveyItem({ hash: `w${i}`, unitId: WARDS[i] ?? '00304' }));
    const { positions } = prepareBatch(table.stream, rollups);

    // Act
    const chunks = [];
    for (let from = 0; from < positions.length; ) {
      const chunk = planChunk(positions, from);
      chunks.push(chunk);
      from = chunk.end;
    }

    // Assess
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.items).toBeLessThanOrEqual(100);
  });
});

describe('appliedSetOf', () => {
  it('spreads the records of a ten-second window over four sets, the same on every delivery', () => {
    // Act
    const sets = new Set(Array.from({ length: 200 }, (_, i) => appliedSetOf(1_716_200_000, `event-${i}`)));

    // Assess
    expect([...sets].sort()).toEqual(['1716200000#0', '1716200000#1', '1716200000#2', '1716200000#3']);
    expect(appliedSetOf(1_716_200_009.9, 'event-1')).toBe(appliedSetOf(1_716_200_000, 'event-1'));
    expect(appliedSetOf(1_716_200_010, 'event-1')).not.toBe(appliedSetOf(1_716_200_000, 'event-1'));
  });
});
