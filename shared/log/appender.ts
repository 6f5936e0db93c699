import { encodeLogEntry, type LogEntry } from './entry.js';

/**
 * Appends published versions to the log exactly once and in one order, whatever the stream does: DynamoDB
 * Streams delivers at least once (a batch may come again after a crash or a partial failure) and several
 * appenders may run at once (shards, retries). The port's append is one conditional write that succeeds only if
 * the log still has `index` entries and the version is not in it yet; losing that race means reading the head
 * again; finding the version already there means it was appended before (redelivery), which is success.
 */

/** What an append attempt found. */
export type AppendOutcome = 'appended' | 'already-logged' | 'stale-head';

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
}

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
