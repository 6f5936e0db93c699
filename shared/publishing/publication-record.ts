import { gunzipSync, gzipSync } from 'node:zlib';
import * as z from '../zod.js';
import type { Digests } from './plan.js';
import type { ObjectStore } from './ports.js';

/**
 * The record of the last publication, shared by every publisher: what the bucket holds once it succeeded (every
 * file and its digest), when, and by whom. Each publisher keeps its own manifest too (`published.json` in its state
 * folder, to compare a change with), but the two publishers in AWS keep their state apart (the function on EFS,
 * CodeBuild in its S3 cache), so neither manifest says what the other last published. This one does: the nightly
 * reconciliation reads it to tell drift (the bucket no longer holds what the last publication wrote: a file changed
 * behind the publishers' back, or left by a publication that failed half-way) from a change that is only pending
 * (not published yet when the nightly export read the data). It lives in the build-cache bucket in AWS (private,
 * regenerable: without it the nightly compares as if there were none) and in the state folder locally.
 */

/** The record's key in its store. */
export const PUBLICATION_RECORD_KEY = 'publication/last.json.gz';

export interface PublicationRecord {
  /** Every file the bucket held once the publication succeeded, with its digest (plan.ts's Digests). */
  readonly files: Digests;
  /** When it ended (ISO 8601). */
  readonly publishedAt: string;
  /** Who published (`site-publisher <request id>`, `codebuild <build id>`): for the build log, nothing personal. */
  readonly publisher: string;
}

const PublicationRecordSchema = z.object({
  files: z.record(z.string(), z.string()),
  publishedAt: z.string(),
  publisher: z.string(),
});

/**
 * The last publication's record, or undefined when there is none or it cannot be read (a first publication, an
 * emptied cache bucket, a record of another shape): then the caller cannot tell pending from drift, and says so.
 */
export async function readPublicationRecord(store: ObjectStore): Promise<PublicationRecord | undefined> {
  if (!(await store.list(PUBLICATION_RECORD_KEY)).has(PUBLICATION_RECORD_KEY)) return undefined;
  try {
    const parsed = PublicationRecordSchema.parse(
      JSON.parse(gunzipSync(await store.read(PUBLICATION_RECORD_KEY)).toString('utf8')),
    );
    return { ...parsed, files: new Map(Object.entries(parsed.files)) };
  } catch {
    return undefined;
  }
}

/** Records a publication that succeeded (one PUT: a reader sees the previous record or this one, whole). */
export async function writePublicationRecord(store: ObjectStore, record: PublicationRecord): Promise<void> {
  const body = JSON.stringify({ ...record, files: Object.fromEntries([...record.files].sort()) });
  // Compressed: the national site's record is some 5 MB of paths and digests, and every publication writes it.
  await store.put(PUBLICATION_RECORD_KEY, gzipSync(body, { level: 6 }), { contentType: 'application/gzip' });
}
