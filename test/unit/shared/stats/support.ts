import { randomUUID } from 'node:crypto';
import type { ConclusionRecord } from '../../../../shared/conclusions/records.js';
import type { RollupSource } from '../../../../shared/stats/contributions.js';
import { type BucketDeltas, mergeDeltas, publishedLayout } from '../../../../shared/stats/counters.js';
import type { ChangeRecord, ChunkWrite, PositionRef, StatsStore } from '../../../../shared/stats/ports.js';
import { conclusionIndexKey } from '../../../../shared/storage/keys.js';
import { loadRegistryFile } from '../../../../shared/units/load.js';
import { RegistryUnitLookup } from '../../../../shared/units/registry-lookup.js';

/** The committed registry (the whole country) and its lookup, as the aggregation sees it. */
export const registry = loadRegistryFile();
export const lookup = new RegistryUnitLookup(registry);

/** The synchronous roll-up source of the registry, for pure tests. */
export const rollups: RollupSource = (unitId, onDate) =>
  registry.get(unitId) ? registry.rollupTargets(unitId, onDate) : undefined;

export type Item = Record<string, unknown>;

/** A conclusion as the service stores it (shared/conclusions/records.ts: every required field). */
export function conclusionRecord(overrides: Partial<ConclusionRecord> & { id: string }): ConclusionRecord {
  const at = '2024-06-01T02:00:00.000Z';
  return {
    version: 1,
    status: 'published',
    agencyId: 'hanoi-dktcv',
    documentNumber: `${overrides.id}/KL`,
    issuedOn: '2024-05-20',
    kind: 'surprise',
    inspectedUnits: ['00304'],
    unitIds: ['00304'],
    topics: ['administrative_discipline'],
    legalBasis: [],
    summary: { vi: 'Tóm tắt kết luận.' },
    violations: { organizations: 0, individuals: 0 },
    discipline: [],
    otherMeasures: { transfers: 0, responsibilityReviews: 0 },
    recommendations: [],
    contentHash: 'a'.repeat(64),
    createdContentHash: 'a'.repeat(64),
    publishedAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/**
 * A conclusion CURRENT item in its stored shape (shared/storage/items/conclusion.ts: every required attribute),
 * with its gsi1 key.
 */
export function conclusionItem(overrides: Partial<Item> & { id: string }): Item {
  const item: Item = {
    pk: `CONCLUSION#${overrides.id}`,
    sk: 'CURRENT',
    entity: 'conclusion',
    ...conclusionRecord({ id: overrides.id }),
    ...overrides,
  };
  return { ...item, ...conclusionIndexKey(overrides.id, String(item.issuedOn)) };
}

/** A survey response item (entity `survey`). */
export function surveyItem(overrides: Partial<Item> & { hash: string }): Item {
  const { hash, ...rest } = overrides;
  return {
    pk: `SURVEY#${hash}`,
    sk: 'SURVEY',
    entity: 'survey',
    id: hash,
    unitId: '00304',
    date: '2024-05-20',
    ratings: { access: 5, procedures: 4, staff: 5, results: 4, feedback: null },
    overall: 5,
    channel: 'web',
    hasComment: false,
    ...rest,
  };
}

/** A report item (entity `report`). */
export function reportItem(
  overrides: Partial<Item> & { unitId: string; month: string | undefined; agencyId?: string },
): Item {
  const agencyId = overrides.agencyId ?? 'hanoi-snv';
  return {
    pk: `REPORT#${overrides.unitId}#${overrides.month ?? overrides.period}`,
    sk: `AGENCY#${agencyId}`,
    entity: 'report',
    agencyId,
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  };
}

/**
 * A simulated table with a stream: every put or delete appends the stream record DynamoDB would (old and new
 * images), with increasing sequence numbers.
 */
export class SimulatedTable {
  readonly items = new Map<string, Item>();
  readonly stream: ChangeRecord[] = [];
  #sequence = 100n;

  put(item: Item): void {
    const key = `${String(item.pk)}|${String(item.sk)}`;
    const old = this.items.get(key);
    this.items.set(key, item);
    this.#append(old, item);
  }

  delete(pk: string, sk: string): void {
    const key = `${pk}|${sk}`;
    const old = this.items.get(key);
    if (!old) return;
    this.items.delete(key);
    this.#append(old, undefined);
  }

  #append(oldImage: Item | undefined, newImage: Item | undefined): void {
    this.#sequence += 7n;
    this.stream.push({
      eventId: randomUUID(),
      sequence: this.#sequence.toString().padStart(21, '0'),
      // A few records per second, as a busy table would produce.
      createdAt: 1_716_200_000 + Math.floor(this.stream.length / 3),
      ...(oldImage ? { oldImage } : {}),
      ...(newImage ? { newImage } : {}),
    });
  }
}

/** When a fake write fails: before anything is written, or after the transaction committed (a lost response). */
export type FailureMode = 'before' | 'after';

/**
 * The StatsStore port in memory, with failures injected between writes: `failures` maps the n-th call
 * (1-based, over all operations) to a failure mode.
 */
export class FakeStatsStore implements StatsStore {
  /** What the chunks wrote, in the stored layout (counters.ts, storedLayout). */
  readonly stored: BucketDeltas = new Map();
  readonly sets = new Map<string, Set<string>>();
  /** New responses per unit and hour (ChunkWrite.hours), summed as the real store ADDs them. */
  readonly hours = new Map<string, number>();
  dirtyVersion = 0;
  calls = 0;
  /** Counter items written, one per bucket of each applied chunk. */
  counterWrites = 0;
  transactions = 0;
  largestTransaction = 0;
  failures = new Map<number, FailureMode>();

  async appliedAmong(positions: readonly PositionRef[]): Promise<Set<string>> {
    this.#maybeFail();
    return new Set(positions.filter((p) => this.sets.get(p.set)?.has(p.id)).map((p) => p.id));
  }

  async applyChunk(chunk: ChunkWrite): Promise<'applied' | 'already-applied'> {
    const mode = this.#maybeFail();
    const items = chunk.deltas.size + (chunk.hours?.size ?? 0) + new Set(chunk.positions.map((p) => p.set)).size;
    if (items > 100) throw new Error(`transaction of ${items} items`);
    if (chunk.positions.some((p) => this.sets.get(p.set)?.has(p.id))) return 'already-applied';
    for (const p of chunk.positions) {
      const set = this.sets.get(p.set) ?? new Set<string>();
      set.add(p.id);
      this.sets.set(p.set, set);
    }
    mergeDeltas(this.stored, chunk.deltas);
    for (const [key, n] of chunk.hours ?? []) this.hours.set(key, (this.hours.get(key) ?? 0) + n);
    this.transactions++;
    this.counterWrites += chunk.deltas.size;
    this.largestTransaction = Math.max(this.largestTransaction, items);
    if (mode === 'after') throw new Error('injected: the response was lost after the commit');
    return 'applied';
  }

  /** The counters as published, read as the real store reads them (stats-repository.ts, scanCounters). */
  get counters(): BucketDeltas {
    return publishedLayout(this.stored);
  }

  async markDirty(): Promise<void> {
    const mode = this.#maybeFail();
    this.dirtyVersion++;
    if (mode === 'after') throw new Error('injected: the response was lost after the update');
  }

  /** Throws for a 'before' failure; returns 'after' so the caller writes first and then throws. */
  #maybeFail(): FailureMode | undefined {
    this.calls++;
    const mode = this.failures.get(this.calls);
    if (mode === 'before') throw new Error(`injected failure at call ${this.calls}`);
    return mode;
  }
}
