import { createHash } from 'node:crypto';
import type { UnitLookup } from '../units/ports.js';
import { isPublishedOnly, type RollupSource, rollupNeeds, storedChangeDelta } from './contributions.js';
import { type BucketDeltas, mergeDeltas } from './counters.js';
import { fnv1a } from './hash.js';
import type { ChangeRecord, PositionRef, StatsStore } from './ports.js';
import { prefetchRollups } from './rollups.js';
import { responseHour } from './spikes.js';

/**
 * Applies one batch of stream records to the counters exactly once, pre-aggregated.
 *
 * Each record's deltas are computed (pure); a record whose deltas do not fit one transaction is cut into parts,
 * deterministically. The records' parts are the batch's *positions*; records that move no figure have none.
 * Positions are packed into *chunks* whose items fit one DynamoDB transaction (at most 100: counters and applied
 * sets), their deltas summed per bucket: a hundred responses to one ward cost three counter writes (the
 * month of the ward, its district and its city: counters.ts, storedLayout), not nine hundred.
 *
 * Exactly once: every position's id goes into an *applied set* (an item of the stats table) in the same
 * transaction as its deltas, on condition that it is not in the set yet. A delivery first reads the sets of its
 * positions and leaves out those found; if another delivery adds one of its ids in between, the condition cancels
 * the whole transaction (nothing is written) and the positions are read again. So whatever Lambda or the local
 * poller redelivers (the same batch, half of it, a longer or shorter batch, a bisected one, a record after a
 * timeout whose transaction had committed), each position is applied once. Deltas are sums, so the order in which
 * positions are applied does not matter either: a failed record does not stop the ones after it.
 *
 * Applied sets are keyed by the record's creation time (10-second windows) and a hash of its id (appliedSetOf):
 * the records of one delivery share a few sets (a few writes per chunk, not one per record), and a set holds short
 * tokens (positionToken), so it stays a few kilobytes even at ten times the expected peak.
 * They expire after the stream's 24-hour retention, when no redelivery is possible any more.
 */

/** DynamoDB's limit of items in one TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

/** Most positions in one chunk: bounds the condition expression of an applied set (4 KB in DynamoDB). */
export const MAX_CHUNK_POSITIONS = 100;

/** Seconds of records that share applied sets: long enough to amortise a set, short enough to keep it small. */
export const APPLIED_SET_WINDOW_SECONDS = 10;

/** Applied sets per window: spreads a busy window over a few items (their size, and the writers per item). */
export const APPLIED_SET_SPREAD = 4;

/** The applied set of a record: `<window start, epoch seconds>#<0..3>`. */
export function appliedSetOf(createdAt: number | undefined, eventId: string): string {
  const second = createdAt !== undefined && Number.isFinite(createdAt) ? Math.floor(createdAt) : 0;
  const window = second - (second % APPLIED_SET_WINDOW_SECONDS);
  return `${window}#${fnv1a(eventId) % APPLIED_SET_SPREAD}`;
}

/**
 * The token of a position in its applied set: 96 bits of SHA-256 of the event id (and part), 16 characters
 * instead of a 36-character id, since every byte of a set counts against its write units. Two positions of one
 * set collide with probability about n²/2⁹⁷: for the thousands of records of a window, never in practice.
 */
export function positionToken(eventId: string, part: number): string {
  const name = part === 0 ? eventId : `${eventId}#${part}`;
  return createHash('sha256').update(name).digest('base64url').slice(0, 16);
}

/** One part of one record: a unit of exactly-once application. */
export interface Position extends PositionRef {
  /** Index of the record in the batch. */
  readonly record: number;
  readonly part: number;
  readonly deltas: BucketDeltas;
  /** The unit and hour a new survey response adds one to (spikes.ts; on the record's first part only). */
  readonly hour?: string;
}

/** The positions of a batch, and the records that cannot be counted. */
export interface PreparedBatch {
  readonly positions: readonly Position[];
  readonly invalid: ReadonlyMap<number, Error>;
}

/** Computes the positions of a batch (pure): per-record deltas, cut into parts of at most `maxBuckets` buckets. */
export function prepareBatch(
  records: readonly ChangeRecord[],
  rollups: RollupSource,
  maxBuckets: number = MAX_TRANSACTION_ITEMS - 1,
): PreparedBatch {
  const positions: Position[] = [];
  const invalid = new Map<number, Error>();
  for (const [index, record] of records.entries()) {
    let deltas: BucketDeltas;
    try {
      // In the stored layout (counters.ts): one bucket per scope, the record's own period.
      deltas = storedChangeDelta(record.oldImage, record.newImage, rollups);
    } catch (error) {
      invalid.set(index, error instanceof Error ? error : new Error(String(error)));
      continue;
    }
    if (deltas.size === 0) continue;
    // Sorted bucket keys make the parts the same on every delivery: a part's id must always mean the same buckets.
    const keys = [...deltas.keys()].sort();
    const hour = responseHour(record);
    // A response's hourly count is one more item of its transaction: one bucket fewer per part leaves it room.
    const perPart = hour ? maxBuckets - 1 : maxBuckets;
    const parts = Math.ceil(keys.length / perPart);
    const set = appliedSetOf(record.createdAt, record.eventId);
    for (let part = 0; part < parts; part++) {
      const slice = keys.slice(part * perPart, (part + 1) * perPart);
      positions.push({
        record: index,
        part,
        id: positionToken(record.eventId, part),
        set,
        deltas: new Map(slice.map((key) => [key, deltas.get(key) ?? {}])),
        ...(part === 0 && hour ? { hour } : {}),
      });
    }
  }
  return { positions, invalid };
}

/** A chunk planned from a position: the positions [from, end) and their deltas summed per bucket. */
export interface PlannedChunk {
  readonly from: number;
  readonly end: number;
  readonly deltas: BucketDeltas;
  /** New responses per unit and hour (spikes.ts), each an item of the transaction. */
  readonly hours: ReadonlyMap<string, number>;
  /** Items the transaction writes: counter buckets, hourly counts and applied sets. */
  readonly items: number;
}

/** Packs positions from `from` while their buckets and applied sets fit one transaction. */
export function planChunk(
  positions: readonly Position[],
  from: number,
  maxItems: number = MAX_TRANSACTION_ITEMS,
): PlannedChunk {
  const deltas: BucketDeltas = new Map();
  const hours = new Map<string, number>();
  const buckets = new Set<string>();
  const sets = new Set<string>();
  let end = from;
  while (end < positions.length && end - from < MAX_CHUNK_POSITIONS) {
    const position = positions[end];
    if (!position) break;
    const added = [...position.deltas.keys()].filter((key) => !buckets.has(key)).length;
    const addedSet = sets.has(position.set) ? 0 : 1;
    const addedHour = position.hour !== undefined && !hours.has(position.hour) ? 1 : 0;
    if (end > from && buckets.size + hours.size + sets.size + added + addedHour + addedSet > maxItems) break;
    for (const key of position.deltas.keys()) buckets.add(key);
    sets.add(position.set);
    if (position.hour !== undefined) hours.set(position.hour, (hours.get(position.hour) ?? 0) + 1);
    mergeDeltas(deltas, position.deltas);
    end++;
  }
  // Deltas that cancel out (a record and its correction in one chunk) leave no counter to write, but the
  // positions still go into their sets, so the chunk stays applied.
  return { from, end, deltas, hours, items: deltas.size + hours.size + sets.size };
}

/** What happened to a batch. */
export interface BatchOutcome {
  /** Positions applied by this delivery. */
  readonly applied: number;
  /** Positions found applied by an earlier delivery. */
  readonly skipped: number;
  /** Transactions written. */
  readonly transactions: number;
  /** Items written by those transactions (counters and applied sets). */
  readonly itemWrites: number;
  /** Indexes of the records not (fully) applied, ascending, with the first error met for each. */
  readonly failed: ReadonlyMap<number, Error>;
}

export interface AggregateDependencies {
  readonly lookup: UnitLookup;
  readonly store: StatsStore;
  /** Milliseconds left before the invocation times out; the batch stops early rather than be cut off. */
  readonly remainingMs?: () => number;
  /** Stop starting transactions when fewer milliseconds than this are left. */
  readonly safetyMs?: number;
  readonly maxItems?: number;
}

/** How often one chunk is re-planned after another delivery applied some of its positions first. */
const MAX_RACES = 3;

/** Applies a batch exactly once (see the module comment); never throws: failures are in the outcome. */
export async function aggregateBatch(
  records: readonly ChangeRecord[],
  deps: AggregateDependencies,
): Promise<BatchOutcome> {
  const failed = new Map<number, Error>();
  const failAll = (indexes: Iterable<number>, error: unknown) => {
    const cause = error instanceof Error ? error : new Error(String(error));
    for (const index of indexes) if (!failed.has(index)) failed.set(index, cause);
  };
  let applied = 0;
  let skipped = 0;
  let transactions = 0;
  let itemWrites = 0;
  const outcome = (): BatchOutcome => ({
    applied,
    skipped,
    transactions,
    itemWrites,
    failed: new Map([...failed].sort(([a], [b]) => a - b)),
  });

  let pending: Position[];
  let lastCounted: number | undefined;
  try {
    const needs = records.flatMap((record) => [...rollupNeeds(record.oldImage), ...rollupNeeds(record.newImage)]);
    const prepared = prepareBatch(
      records,
      await prefetchRollups(deps.lookup, needs),
      (deps.maxItems ?? MAX_TRANSACTION_ITEMS) - 1,
    );
    for (const [index, error] of prepared.invalid) failAll([index], error);
    lastCounted = prepared.positions[prepared.positions.length - 1]?.record;
    const done = prepared.positions.length > 0 ? await deps.store.appliedAmong(prepared.positions) : new Set<string>();
    // Grouped by applied set (a stable sort): a chunk then touches one or two sets instead of all of the batch's.
    // Deltas are sums, so the order in which positions are applied does not matter.
    pending = prepared.positions
      .filter((position) => !done.has(position.id))
      .sort((a, b) => (a.set < b.set ? -1 : a.set > b.set ? 1 : 0));
    skipped = prepared.positions.length - pending.length;
  } catch (error) {
    // The lookup or the read failed (the database is unavailable): nothing was applied; all is retried.
    failAll(records.keys(), error);
    return outcome();
  }

  let index = 0;
  let races = 0;
  while (index < pending.length) {
    if (deps.remainingMs && deps.remainingMs() < (deps.safetyMs ?? 5_000)) {
      failAll(
        pending.slice(index).map((position) => position.record),
        new Error('stopped before the invocation timed out'),
      );
      break;
    }
    const chunk = planChunk(pending, index, deps.maxItems);
    const positions = pending.slice(chunk.from, chunk.end);
    try {
      const result = await deps.store.applyChunk({ positions, deltas: chunk.deltas, hours: chunk.hours });
      if (result === 'applied') {
        transactions++;
        itemWrites += chunk.items;
        applied += positions.length;
        index = chunk.end;
        races = 0;
        continue;
      }
      // Another delivery applied some of these positions since they were read: read them again, drop those.
      if (++races > MAX_RACES) throw new Error('applied sets keep changing under this delivery');
      const done = await deps.store.appliedAmong(positions);
      skipped += done.size;
      pending = [
        ...pending.slice(0, chunk.from),
        ...positions.filter((p) => !done.has(p.id)),
        ...pending.slice(chunk.end),
      ];
    } catch (error) {
      // Nothing of this chunk was written (or, after a lost response, all of it: its ids are in their sets and a
      // redelivery skips them). Report its records and go on with the next chunk.
      failAll(
        positions.map((position) => position.record),
        error,
      );
      index = chunk.end;
      races = 0;
    }
  }

  // A summary report moves no counter but changes the pages: its change alone marks the site dirty too.
  const lastPublished = records.findLastIndex((record) => isPublishedOnly(record.oldImage ?? record.newImage));
  const counted = applied + skipped > 0 && lastCounted !== undefined ? lastCounted : -1;
  const signalled = Math.max(counted, lastPublished);
  if (signalled >= 0) {
    try {
      await deps.store.markDirty();
    } catch (error) {
      // The figures are applied; only the signal is missing. Reporting the last record that needs it as failed
      // makes the invoker redeliver it: a counted one is skipped (it is in its set) and the signal is sent again.
      failAll([signalled], error);
    }
  }
  return outcome();
}
