import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BinaryWriter, exportLog, type LogExportSummary } from '../shared/log/export-log.js';
import { LOCAL_LOG_ORIGIN, type LogIdentity, localLogKey, logIdentity } from '../shared/log/signer.js';
import { snapshotClosedMonth } from '../shared/log/snapshot.js';
import { readLogEntries } from '../shared/storage/log-repository.js';
import { readSignedBodies } from '../shared/storage/signed-bodies-repository.js';
import type { TableNames } from '../shared/storage/tables.js';

/**
 * The log's step of publishing (shared/log/export-log.ts): writes `/log/…`, the proofs and the signed bodies into a
 * folder. The site pipeline (site-pipeline.ts) writes them into the built site; `npm start`'s rebuilder
 * (local/site-rebuilder.ts) into `${dataDir}/export`, which the gateway serves ahead of the site. Here rather than
 * in local/ because the publisher runs it and local/ may depend on publisher/, not the other way round. A local
 * log key is `${dataDir}/log-key.pem` (0600, made on first use); `LOG_ORIGIN` names the log (default: a
 * `.localhost` name).
 */

/** The local log's identity, its key made on first use. */
export function localLogIdentity(dataDir: string, origin = process.env.LOG_ORIGIN || LOCAL_LOG_ORIGIN): LogIdentity {
  return logIdentity(origin, localLogKey(join(dataDir, 'log-key.pem')));
}

/** Writes files under a directory, each renamed into place (a reader never sees half a file). */
export function binaryDirectoryWriter(root: string): BinaryWriter {
  return {
    async write(file) {
      const target = join(root, file.path);
      mkdirSync(dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      writeFileSync(temporary, file.bytes);
      renameSync(temporary, target);
    },
  };
}

/** Reads a file under a directory; undefined when absent. */
function readUnder(root: string, path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(join(root, path)));
  } catch {
    return undefined;
  }
}

/**
 * Writes the log of the store under `outDir` (`outDir/log/…`, `outDir/data/…`), then the snapshot of the last
 * closed month if it has none yet (shared/log/snapshot.ts), from the open data already in `outDir/data/`.
 */
export async function writeLocalLog(
  store: { readonly doc: DynamoDBDocumentClient; readonly tables: TableNames },
  identity: LogIdentity,
  outDir: string,
  now: Date = new Date(),
): Promise<LogExportSummary> {
  const writer = binaryDirectoryWriter(outDir);
  const summary = await exportLog(
    identity,
    {
      readEntries: () => readLogEntries(store.doc, store.tables.stats),
      readBodies: (hashes) => readSignedBodies(store.doc, store.tables.records, hashes),
    },
    writer,
  );
  await snapshotClosedMonth(
    { read: async (path) => readUnder(outDir, path), write: (file) => writer.write(file) },
    summary.checkpoint,
    now,
  );
  return summary;
}
