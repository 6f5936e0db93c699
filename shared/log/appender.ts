import { encodeLogEntry, type LogEntry, versionKey } from './entry.js';

/**
 * Appends published versions to the log exactly once and in one order, whatever the stream does: DynamoDB
 * Streams delivers at least once (a batch may come again after a crash or a partial failure) and several
 * appenders may run at once (shards, retries). The port's append is one conditional write that succeeds only if
 * the log still has `index` entries and the version is not in it yet; losing that race means reading the head
 * again; finding the version already there means it was appended before (redelivery), which is success.
 */

/** What an append attempt found. */
export type AppendOutcome = 'appended' | 'already-logged' | 'stale-head';

/** One entry of a run, with the bytes the log keeps of it. */
export interface EncodedEntry {
  readonly entry: LogEntry;
  readonly bytes: Uint8Array;
}

/** The log's storage (adapter: shared/storage/log-repository.ts). */
export interface LogStore {
  /** The number of entries (strongly consistent). */
  size(): Promise<number>;
  /** The index of a version's entry, if it is in the log. */
  indexOf(entry: Pick<LogEntry, 'type' | 'id' | 'version'>): Promise<number | undefined>;
  /**
   * Writes `bytes` as entry `index` if the log has exactly `index` entries and the version is not logged,
   * atomically; says which condition failed otherwise.
   */
  append(index: number, entry: LogEntry, bytes: Uint8Array): Promise<AppendOutcome>;
  /**
   * Writes a run of entries as entries `index`, `index + 1`, … in one atomic write, on the same conditions as
   * `append` for each (the head at `index`, no version logged yet): all of them or none. `already-logged` when
   * any version of the run is in the log already.
   */
  appendRun(index: number, run: readonly EncodedEntry[]): Promise<AppendOutcome>;
}

/**
 * Most entries in one run (one transaction of the head and two items per entry). A transaction could hold 49, but
 * a large one holds the items of every other transaction waiting on DynamoDB Local, which runs them one at a time:
 * with 8 the gateway's conclusions ran at 66–77/s against 44–64/s with 49, at a little less engine CPU each
 * (docs/benchmarks.md, 2026-11-30), and a batch of 100 stream records (25 conclusions) is still 4 transactions
 * instead of 50 reads and 25 transactions. In AWS a transaction costs 2 WCU per item however they are grouped.
 */
export const MAX_RUN_ENTRIES = 8;

/** The log keeps appending until it wins or has lost this many races in a row (then the stream redelivers). */
const MAX_ATTEMPTS = 20;

export class LogContentionError extends Error {
  override readonly name = 'LogContentionError';
}

/** Appends one version (once); returns its index and whether this call appended it. */
export async function appendOnce(
  entry: LogEntry,
  store: LogStore,
  pause: (attempt: number) => Promise<void> = jitter,
): Promise<{ index: number; appended: boolean }> {
  const bytes = encodeLogEntry(entry);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const known = await store.indexOf(entry);
    if (known !== undefined) return { index: known, appended: false };
    const index = await store.size();
    const outcome = await store.append(index, entry, bytes);
    if (outcome === 'appended') return { index, appended: true };
    if (outcome === 'already-logged') {
      const found = await store.indexOf(entry);
      if (found !== undefined) return { index: found, appended: false };
    }
    await pause(attempt);
  }
  throw new LogContentionError(`could not append ${entry.type} ${entry.id} v${entry.version}: the log kept moving`);
}

/** A short random pause that grows with the attempts, so racing appenders spread out. */
function jitter(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(200, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What `appendInOrder` did: the outcome of each entry it got to, in order, and the error that stopped it. */
export interface InOrderOutcome {
  /** One per entry handled, in the entries' order: every entry before `results.length` is in the log. */
  readonly results: readonly { readonly index: number; readonly appended: boolean }[];
  /** Why the entry at `results.length` (and so every later one) is not known to be in the log. */
  readonly error?: unknown;
}

/**
 * Appends a batch's versions in their order, once each, as `appendOnce` one after the other would, but in runs:
 * the head is read once, then each run of up to MAX_RUN_ENTRIES new versions is one atomic write of the head and
 * the run (appendRun), under the same conditions as a single append. Only when a run is refused (a version of it
 * already logged, as after a redelivery, or the head moved by another appender) are its entries appended one by
 * one with `appendOnce`, which reads what it needs; nothing of a refused run was written. So a batch of n new
 * versions costs one read and ceil(n / MAX_RUN_ENTRIES) transactions instead of n reads of the head, n of the versions' keys
 * and n transactions, and the log's content, order and exactly-once are those of the conditions as before.
 */
export async function appendInOrder(
  entries: readonly LogEntry[],
  store: LogStore,
  pause: (attempt: number) => Promise<void> = jitter,
): Promise<InOrderOutcome> {
  const results: { index: number; appended: boolean }[] = [];
  // Where this call put each version: a second delivery of one in the same batch is answered without a write.
  const placed = new Map<string, number>();
  // The log's size as this batch's own appends left it: a guess for the next run, which its head condition checks.
  let size: number | undefined;
  try {
    for (let next = entries[0]; next !== undefined; next = entries[results.length]) {
      const known = placed.get(versionKey(next));
      if (known !== undefined) {
        results.push({ index: known, appended: false });
        continue;
      }
      const run = nextRun(entries, results.length, placed);
      size ??= await store.size();
      const outcome = await store.appendRun(
        size,
        run.map((entry) => ({ entry, bytes: encodeLogEntry(entry) })),
      );
      if (outcome === 'appended') {
        for (const [offset, entry] of run.entries()) {
          results.push({ index: size + offset, appended: true });
          placed.set(versionKey(entry), size + offset);
        }
        size += run.length;
        continue;
      }
      for (const entry of run) {
        const result = await appendOnce(entry, store, pause);
        results.push(result);
        placed.set(versionKey(entry), result.index);
      }
      size = undefined;
    }
  } catch (error) {
    return { results, error };
  }
  return { results };
}

/**
 * The run from `from`: at most MAX_RUN_ENTRIES entries, ending before a version already in the run or placed by
 * this batch (one transaction may not write a version's key twice; the second delivery is answered from `placed`).
 */
function nextRun(entries: readonly LogEntry[], from: number, placed: ReadonlyMap<string, number>): LogEntry[] {
  const run: LogEntry[] = [];
  const versions = new Set<string>();
  for (const entry of entries.slice(from, from + MAX_RUN_ENTRIES)) {
    const key = versionKey(entry);
    if (versions.has(key) || placed.has(key)) break;
    versions.add(key);
    run.push(entry);
  }
  return run;
}
