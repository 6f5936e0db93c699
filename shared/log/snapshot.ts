import { createHash } from 'node:crypto';
import { vietnamDate } from '../time/periods.js';
import { parseCheckpointText } from './checkpoint.js';
import { parseNote } from './note.js';
import type { LogFile } from './publish.js';

/**
 * Monthly snapshots of the open data: the first build after a month closes (in Vietnam) copies the open data's
 * tables as they then stand into `/data/snapshots/<YYYY-MM>/`, with the log checkpoint current at that moment and a
 * manifest of SHA-256s. A snapshot is written once and never again: later corrections change the live files and
 * the log, never a snapshot, so anyone can see what was published then and check it against the log's history
 * (a later checkpoint is consistent with the snapshot's). Months closed before the first build have none: a
 * snapshot is never reconstructed after the fact.
 */

/** The open-data files a snapshot keeps (the tables; per-unit files are these figures, split). */
export const SNAPSHOT_FILES = [
  'summary.json',
  'conclusions.json',
  'integrity.json',
  'figures.csv',
  'units.csv',
  'conclusions.csv',
] as const;

/** Where the snapshots are read and written (paths relative to the site root, `data/…`). */
export interface SnapshotStore {
  read(path: string): Promise<Uint8Array | undefined>;
  write(file: LogFile): Promise<void>;
}

export interface SnapshotManifest {
  readonly month: string;
  readonly takenAt: string;
  /** The log's checkpoint when the snapshot was taken (the full signed note is in `checkpoint` beside). */
  readonly checkpoint: { readonly origin: string; readonly size: number; readonly root: string };
  /** SHA-256 (hex) of each file kept. */
  readonly files: Readonly<Record<string, string>>;
}

/** The month that closed last before `now`, in Vietnam: `2026-10` on 2026-11-05. */
export function lastClosedMonth(now: Date): string {
  const [year, month] = vietnamDate(now).split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** Takes the snapshot of the last closed month if it has none yet; returns its manifest when it wrote one. */
export async function snapshotClosedMonth(
  store: SnapshotStore,
  checkpointNote: string,
  now: Date = new Date(),
): Promise<SnapshotManifest | undefined> {
  const month = lastClosedMonth(now);
  const dir = `data/snapshots/${month}`;
  if (await store.read(`${dir}/manifest.json`)) return undefined;
  const files: Record<string, string> = {};
  for (const name of SNAPSHOT_FILES) {
    const bytes = await store.read(`data/${name}`);
    if (!bytes) continue;
    files[name] = createHash('sha256').update(bytes).digest('hex');
    await store.write({ path: `${dir}/${name}`, bytes, contentType: contentType(name), immutable: true });
  }
  const checkpoint = parseCheckpointText(parseNote(checkpointNote).text);
  await store.write({ path: `${dir}/checkpoint`, bytes: utf8(checkpointNote), contentType: TEXT, immutable: true });
  const manifest: SnapshotManifest = {
    month,
    takenAt: now.toISOString(),
    checkpoint: {
      origin: checkpoint.origin,
      size: checkpoint.size,
      root: Buffer.from(checkpoint.root).toString('base64'),
    },
    files,
  };
  // The manifest last: its presence is what says the snapshot is complete (and never to be written again).
  await store.write({
    path: `${dir}/manifest.json`,
    bytes: utf8(`${JSON.stringify(manifest)}\n`),
    contentType: 'application/json',
    immutable: true,
  });
  await recordInIndex(store, month);
  return manifest;
}

/** `/data/snapshots/index.json`: the months that have a snapshot, oldest first. */
async function recordInIndex(store: SnapshotStore, month: string): Promise<void> {
  const path = 'data/snapshots/index.json';
  const existing = await store.read(path);
  let months: string[] = [];
  try {
    months = existing ? (JSON.parse(new TextDecoder().decode(existing)) as { months: string[] }).months : [];
  } catch {
    months = [];
  }
  const all = [...new Set([...months, month])].sort();
  await store.write({
    path,
    bytes: utf8(`${JSON.stringify({ months: all })}\n`),
    contentType: 'application/json',
    immutable: false,
  });
}

const TEXT = 'text/plain; charset=utf-8';

function contentType(name: string): string {
  return name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/json';
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
