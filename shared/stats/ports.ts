import type { Counters } from './counters.js';

/**
 * The ports of the statistics. Adapter: shared/storage/stats-repository.ts over the stats table; the unit tests
 * use an in-memory fake that can fail between writes.
 */

/** One change of a stored record, as the stream delivers it (the handler maps a stream record to this). */
export interface ChangeRecord {
  /** The stream record's id: unique in the stream, and the same on every redelivery. */
  readonly eventId: string;
  /** The stream sequence number (decimal digits), reported back for a record that failed. */
  readonly sequence: string;
  /** The stream record's approximate creation time, epoch seconds (the same on every redelivery). */
  readonly createdAt?: number;
  readonly oldImage?: Readonly<Record<string, unknown>>;
  readonly newImage?: Readonly<Record<string, unknown>>;
}

/** A unit of exactly-once application (a record, or one part of a record too large for one transaction). */
export interface PositionRef {
  /** The position's token in its applied set (aggregate.ts, positionToken). */
  readonly id: string;
  /** The applied set the id belongs in (aggregate.ts, appliedSetOf). */
  readonly set: string;
}

/** One chunk to apply atomically: its counter deltas, and the positions it adds to their applied sets. */
export interface ChunkWrite {
  readonly positions: readonly PositionRef[];
  /** Deltas per bucket key (counters.ts); every bucket is one counter item of the transaction. */
  readonly deltas: ReadonlyMap<string, Counters>;
  /**
   * Survey responses per unit and Vietnam hour (`<unit id>|<YYYY-MM-DDTHH>`, spikes.ts), each one more item of the
   * transaction: counted exactly once like the counters, for the spike rule's baseline.
   */
  readonly hours?: ReadonlyMap<string, number>;
}

/** The stats table as the aggregation writes it. */
export interface StatsStore {
  /** Which of these positions are in their applied sets already (a strongly consistent read). */
  appliedAmong(positions: readonly PositionRef[]): Promise<Set<string>>;
  /**
   * Adds the deltas and the positions' ids to their applied sets in one transaction, on condition that none of
   * the ids is in its set yet. Answers 'already-applied' when that condition failed (another delivery applied
   * some of them first): nothing was written, and the caller re-reads.
   */
  applyChunk(chunk: ChunkWrite): Promise<'applied' | 'already-applied'>;
  /** Increments the dirty version (`META#dirty`), telling the site builder that figures changed. */
  markDirty(): Promise<void>;
}
