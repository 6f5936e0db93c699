import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { aggregateBatch } from '../shared/stats/aggregate.js';
import { contributionOf } from '../shared/stats/contributions.js';
import { type BucketDeltas, mergeDeltas, storedLayout } from '../shared/stats/counters.js';
import type { ChangeRecord, ChunkWrite, StatsStore } from '../shared/stats/ports.js';
import { compareCounters } from '../shared/stats/recompute.js';
import { responseHour } from '../shared/stats/spikes.js';
import { createDocumentClient, createDynamoClient, localCredentialsEnv } from '../shared/storage/client.js';
import { ensureTables } from '../shared/storage/create-tables.js';
import { scanCounters } from '../shared/storage/export-reader.js';
import { DynamoStatsStore } from '../shared/storage/stats-repository.js';
import { prefixedTableNames, statsTable } from '../shared/storage/tables.js';
import { loadRegistryFile } from '../shared/units/load.js';
import { RegistryUnitLookup } from '../shared/units/registry-lookup.js';
import { meterWriteCapacity } from './capacity.js';
import { type BenchRow, row, type SectionOptions } from './rows.js';

/**
 * Aggregation throughput and DynamoDB writes per record, against a baseline of one unconditional PutItem per record
 * measured in the same run on the same DynamoDB Local (the cheapest thing a consumer could do per record, with no
 * exactly-once and no roll-up at all). The workload is a busy day of Hanoi: mostly survey responses (dated the day
 * they arrive), concentrated on the busier service points as real ones are, a few conclusions of earlier dates (some
 * corrected) and last month's reports, arriving at about 50 records a second, delivered in batches of 100 (the
 * event source mapping's batch size) one after the other (one stream shard).
 * The counters are checked against a direct summation at the end: a fast wrong answer is not a result.
 */

const SECTION = 'aggregation';
const BATCH_SIZE = 100;
const RECORDS_PER_SECOND = 50;

/** A deterministic generator, so two runs measure the same workload. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * The workload: change records as the stream would deliver them, and what each item ends as. Exported for
 * test/unit/bench/workloads.test.ts, which runs every image through the aggregation's own item schemas.
 */
export function aggregationWorkload(total: number): {
  records: ChangeRecord[];
  finalItems: Map<string, Record<string, unknown>>;
} {
  const registry = loadRegistryFile();
  const wards = registry
    .all()
    .filter((u) => u.level === 3 && u.validFrom === '2025-07-01' && u.parent === '01')
    .map((u) => u.id);
  // A conclusion item keeps its units both as ids and as the codes the agency sent (shared/storage/items/).
  const codeOf = new Map(registry.all().map((u) => [u.id, u.code]));
  const next = random(7);
  // Popularity falls off as 1/rank (Zipf): a handful of centres take most of the responses.
  const weights = wards.map((_, rank) => 1 / (rank + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const pickWard = () => {
    let r = next() * sum;
    for (const [i, w] of weights.entries()) {
      r -= w;
      if (r <= 0) return wards[i] ?? '00097';
    }
    return wards[0] ?? '00097';
  };
  const records: ChangeRecord[] = [];
  const finalItems = new Map<string, Record<string, unknown>>();
  const start = 1_760_000_000;
  const push = (key: string, newImage: Record<string, unknown>) => {
    const oldImage = finalItems.get(key);
    finalItems.set(key, newImage);
    records.push({
      eventId: randomUUID(),
      sequence: String(10_000_000 + records.length),
      createdAt: start + Math.floor(records.length / RECORDS_PER_SECOND),
      ...(oldImage ? { oldImage } : {}),
      newImage,
    });
  };
  const rate = () => 1 + Math.floor(next() * 5);
  for (let i = 0; records.length < total; i++) {
    const roll = next();
    if (roll < 0.95) {
      push(`SURVEY#${i}`, {
        entity: 'survey',
        unitId: pickWard(),
        date: '2025-09-15',
        ratings: {
          access: rate(),
          procedures: rate(),
          staff: rate(),
          results: rate(),
          feedback: next() < 0.6 ? null : rate(),
        },
        overall: rate(),
      });
    } else if (roll < 0.98) {
      const id = `k${Math.floor(next() * (total / 50))}`;
      const previous = finalItems.get(`CONCLUSION#${id}`);
      // Two wards, or one when both picks agree: a conclusion never lists a unit twice.
      const unitIds = [...new Set([pickWard(), pickWard()])];
      push(`CONCLUSION#${id}`, {
        entity: 'conclusion',
        id,
        version: Number(previous?.version ?? 0) + 1,
        status: 'published',
        agencyId: 'hanoi-dktcv',
        issuedOn: `2025-${String(7 + Math.floor(next() * 3)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`,
        kind: 'surprise',
        unitIds,
        inspectedUnits: unitIds.map((unitId) => codeOf.get(unitId) ?? unitId),
        violations: { organizations: Math.floor(next() * 2), individuals: Math.floor(next() * 5) },
        discipline: [],
        otherMeasures: { transfers: 0, responsibilityReviews: 1 },
      });
    } else {
      const unitId = pickWard();
      push(`REPORT#${unitId}#2025-08`, {
        entity: 'report',
        unitId,
        month: '2025-08',
        received: Math.floor(next() * 2_000),
        resolvedOnTime: Math.floor(next() * 1_500),
        resolvedLate: Math.floor(next() * 30),
      });
    }
  }
  return { records, finalItems };
}

/** Counts what the store writes: items per transaction (counters, hourly counts, applied sets), city-level counters, dirty updates. */
class CountingStore implements StatsStore {
  itemWrites = 0;
  cityWrites = 0;
  dirtyWrites = 0;
  constructor(private readonly inner: StatsStore) {}
  appliedAmong(positions: Parameters<StatsStore['appliedAmong']>[0]) {
    return this.inner.appliedAmong(positions);
  }
  async applyChunk(chunk: ChunkWrite) {
    const result = await this.inner.applyChunk(chunk);
    if (result === 'applied') {
      this.itemWrites += chunk.deltas.size + (chunk.hours?.size ?? 0) + new Set(chunk.positions.map((p) => p.set)).size;
      this.cityWrites += [...chunk.deltas.keys()].filter((key) => key.startsWith('U#01|')).length;
    }
    return result;
  }
  async markDirty() {
    this.dirtyWrites++;
    await this.inner.markDirty();
  }
}

/** The aggregation section. */
export async function benchAggregation({ quick, log }: SectionOptions): Promise<BenchRow[]> {
  const total = quick ? 2_000 : 20_000;
  const engine = await startDynamoDbLocal();
  const client = createDynamoClient({
    DYNAMODB_ENDPOINT: engine.endpoint,
    AWS_REGION: 'ap-southeast-1',
    ...localCredentialsEnv(engine.credentials),
  });
  const doc = createDocumentClient(client);
  try {
    const tables = prefixedTableNames(`bench-${Date.now()}-`);
    await ensureTables(client, tables);
    const { records, finalItems } = aggregationWorkload(total);
    const registry = loadRegistryFile();
    const lookup = new RegistryUnitLookup(registry);

    // Baseline: one unconditional PutItem per record, one after the other.
    log(`baseline: ${total} unconditional puts`);
    const baselineStart = performance.now();
    for (let i = 0; i < total; i++) {
      await doc.send(new PutCommand({ TableName: tables.stats, Item: { pk: `BASELINE#${i}`, sk: 'B', surveys: 1 } }));
    }
    const baselinePerSecond = total / ((performance.now() - baselineStart) / 1000);

    log(`aggregation: ${total} records in batches of ${BATCH_SIZE}`);
    const store = new CountingStore(new DynamoStatsStore(doc, tables.stats));
    const started = performance.now();
    for (let i = 0; i < records.length; i += BATCH_SIZE) {
      const outcome = await aggregateBatch(records.slice(i, i + BATCH_SIZE), { lookup, store });
      if (outcome.failed.size > 0) throw new Error(`batch at ${i}: ${[...outcome.failed.values()][0]?.message}`);
    }
    const perSecond = total / ((performance.now() - started) / 1000);

    // The figures must be right: the counters equal the direct sum of every final item's contribution.
    const expected: BucketDeltas = new Map();
    const rollups = (unitId: string, onDate: string) => registry.rollupTargets(unitId, onDate);
    for (const item of finalItems.values()) mergeDeltas(expected, contributionOf(item, rollups));
    const mismatches = compareCounters(expected, await scanCounters(doc, tables.stats));
    if (mismatches.length > 0)
      throw new Error(`the counters differ from the direct sum in ${mismatches.length} places`);

    // Capacity, measured in a pass of its own (the meter reads items back, which would slow the timed pass): the
    // same workload and the same baseline on fresh tables through a metered client.
    log('capacity: the same workload, metered');
    const metered = createDynamoClient({
      DYNAMODB_ENDPOINT: engine.endpoint,
      AWS_REGION: 'ap-southeast-1',
      ...localCredentialsEnv(engine.credentials),
    });
    const meter = meterWriteCapacity(metered, () => [statsTable.partitionKey, statsTable.sortKey]);
    const meteredDoc = createDocumentClient(metered);
    const capacityTables = prefixedTableNames(`bench-capacity-${Date.now()}-`);
    await ensureTables(metered, capacityTables);
    meter.reset();
    for (let i = 0; i < total; i++) {
      await meteredDoc.send(
        new PutCommand({ TableName: capacityTables.stats, Item: { pk: `BASELINE#${i}`, sk: 'B', surveys: 1 } }),
      );
    }
    const baselineCapacity = meter.units() / total;
    meter.reset();
    const meteredStore = new DynamoStatsStore(meteredDoc, capacityTables.stats);
    for (let i = 0; i < records.length; i += BATCH_SIZE) {
      await aggregateBatch(records.slice(i, i + BATCH_SIZE), { lookup, store: meteredStore });
    }
    const capacityPerRecord = meter.units() / total;
    const capacityByKind = meter.byKind();
    metered.destroy();

    const writesPerRecord = (store.itemWrites + store.dirtyWrites) / total;
    // What the same exactly-once roll-up costs record by record: a marker, every bucket of the record's change in
    // the same stored layout (one bucket per scope: counters.ts, storedLayout) and a new response's hourly count.
    const itemsOf = (record: ChangeRecord) =>
      storedLayout(contributionOf(record.newImage, rollups)).size +
      storedLayout(contributionOf(record.oldImage, rollups)).size +
      (responseHour(record) ? 1 : 0);
    const perRecordWrites = records.reduce((sum, record) => sum + 1 + itemsOf(record), 0) / total;
    return [
      row(
        SECTION,
        'aggregation throughput (exactly once, rolled up)',
        perSecond,
        'records/s',
        'one unconditional PutItem per record',
        baselinePerSecond,
      ),
      row(
        SECTION,
        'DynamoDB item writes per record',
        writesPerRecord,
        'writes/record',
        'one unconditional PutItem per record',
        1,
      ),
      row(
        SECTION,
        'DynamoDB write capacity consumed per record',
        capacityPerRecord,
        'WCU/record',
        'one unconditional PutItem per record',
        baselineCapacity,
      ),
      // Where the capacity goes, by kind of item (keys.ts): counters, applied sets, hourly counts, the dirty item.
      ...(
        [
          ['FIG', 'counters'],
          ['APPLIED', 'applied sets'],
          ['HOURS', 'hourly counts (spikes)'],
          ['META', 'dirty item'],
        ] as const
      ).map(([kind, what]) =>
        row(
          SECTION,
          `write capacity per record: ${what}`,
          (capacityByKind.get(kind) ?? 0) / total,
          'WCU/record',
          'all the aggregation writes',
          capacityPerRecord,
        ),
      ),
      row(
        SECTION,
        'DynamoDB item writes per record (vs per-record roll-up)',
        writesPerRecord,
        'writes/record',
        'marker + every stored bucket + hourly count, record by record',
        perRecordWrites,
      ),
      row(
        SECTION,
        'writes to the city (01) counters per record',
        store.cityWrites / total,
        'writes/record',
        'one write per record per city bucket (year, quarter, month)',
        3,
      ),
    ];
  } finally {
    client.destroy();
    await engine.stop();
  }
}
