import type { ReplayMarker } from '../auth/replay.js';
import type { VersionedStore } from '../publishing/versioned.js';
import type { ConclusionAttachment, ConclusionRecord, ConclusionVersionRecord } from './records.js';

/**
 * The ports of the conclusion service. Adapters: shared/storage/conclusions-repository.ts (DynamoDB) and
 * shared/storage/attachments-repository.ts (S3, local files).
 */

/** The conclusion store: the kernel's versioned store, plus attachments. */
export interface ConclusionStore extends VersionedStore<ConclusionRecord, ConclusionVersionRecord> {
  /** Records the attachment of the current version, if it is still `version`. Throws StaleWriteError otherwise. */
  attach(id: string, version: number, attachment: ConclusionAttachment, replay?: ReplayMarker): Promise<void>;
}

/** Where the signed PDF of a conclusion goes: an upload the agency makes itself, bound to the hash. */
export interface UploadInstructions {
  readonly method: 'PUT';
  readonly url: string;
  /** Headers the upload must carry exactly (the checksum among them). */
  readonly headers: Readonly<Record<string, string>>;
  /** True when the upload goes to this API and must be signed like any agency request. */
  readonly signed: boolean;
  readonly expiresAt: string;
}

export interface AttachmentStore {
  /** Instructions to upload exactly these bytes (hash and size bound) under `key`. */
  prepareUpload(
    key: string,
    attachment: { sha256: string; bytes: number; mediaType: string },
  ): Promise<UploadInstructions>;
  /** Stores bytes directly (the local adapter, and small files); checks the hash; all or nothing. */
  write(key: string, bytes: Uint8Array, sha256: string): Promise<void>;
  /** The public address of a stored attachment (the API's download route). */
  publicUrl(key: string): string;
  /** Where the download route finds the file: its bytes (local), a short-lived URL (S3), or nothing yet. */
  locate(key: string): Promise<{ readonly bytes: Uint8Array } | { readonly redirect: string } | undefined>;
}
