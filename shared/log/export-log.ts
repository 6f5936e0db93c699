import { signedBodyPath } from '../auth/signed-request.js';
import { decodeLogEntry } from './entry.js';
import { buildLogFiles, type LogFile, type LogIndex } from './publish.js';
import type { LogIdentity } from './signer.js';

/**
 * The log's step of a site build: reads the entries and the signed bodies they cite, and writes the log files
 * (publish.ts) and the bodies (`/data/bodies/<sha256>.json`, the exact bytes) through a writer. A separate step
 * from the open-data export, run right after it, by the local rebuilder and by the AWS build alike.
 */

export interface LogExportSources {
  /** Every entry's bytes, in log order. */
  readEntries(): Promise<Uint8Array[]>;
  /** The body bytes with these SHA-256 (hex). */
  readBodies(hashes: readonly string[]): Promise<Map<string, Uint8Array>>;
}

/** Writes one file: its path relative to the site root, its bytes, and whether it never changes. */
export interface BinaryWriter {
  write(file: LogFile): Promise<void>;
}

export interface LogExportSummary {
  readonly size: number;
  readonly files: number;
  readonly checkpoint: string;
  readonly index: LogIndex;
  /** Bodies cited by an entry but not found in the store (verification will fail on them). */
  readonly missingBodies: readonly string[];
}

/** Writes the whole log and its bodies (see the module comment). */
export async function exportLog(
  identity: LogIdentity,
  sources: LogExportSources,
  writer: BinaryWriter,
): Promise<LogExportSummary> {
  const entries = await sources.readEntries();
  const hashes = [...new Set(entries.map((bytes) => decodeLogEntry(bytes).bodySha256))];
  const bodies = await sources.readBodies(hashes);
  const { files, checkpoint, index } = await buildLogFiles(entries, identity);
  const missingBodies: string[] = [];
  for (const hash of hashes) {
    const bytes = bodies.get(hash);
    if (!bytes) {
      missingBodies.push(hash);
      continue;
    }
    await writer.write({
      path: signedBodyPath(hash).slice(1),
      bytes,
      contentType: 'application/json',
      immutable: true,
    });
  }
  // Tiles, bundles and proofs before the checkpoint: a reader who sees the new checkpoint finds what it needs.
  const last = files.filter((file) => file.path === 'log/checkpoint');
  for (const file of files) if (file.path !== 'log/checkpoint') await writer.write(file);
  for (const file of last) await writer.write(file);
  return {
    size: entries.length,
    files: files.length + hashes.length - missingBodies.length,
    checkpoint,
    index,
    missingBodies,
  };
}
