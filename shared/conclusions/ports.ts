import type { ReplayMarker } from '../auth/replay.js';
import type { SignedRequest } from '../auth/signed-request.js';
import type { ConclusionAttachment, ConclusionRecord, ConclusionVersionRecord } from './records.js';

/**
 * The ports of the conclusion service. Adapters: shared/storage/conclusions-repository.ts (DynamoDB) and
 * shared/storage/attachments/ (S3, local files).
 */

/**
 * A conditional write lost: the record is not in the state the write expected (someone else wrote first).
 * Not a DomainError: the service reads again and decides what the caller gets (200, 409 or 412).
 */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
}

export interface ConclusionStore {
  /** The current state (strongly consistent), or undefined. */
  get(id: string): Promise<ConclusionRecord | undefined>;
  /** Every version, oldest first. */
  versions(id: string): Promise<ConclusionVersionRecord[]>;
  /**
   * Writes the current state and version 1 atomically, with the replay marker when given.
   * Throws StaleWriteError when the conclusion exists, ReplayedRequestError when the marker does.
   * `signed` (the request's body bytes) is stored content-addressed in the same write.
   */
  create(record: ConclusionRecord, replay?: ReplayMarker, signed?: SignedRequest): Promise<void>;
  /**
   * Replaces the current state with a new version and keeps that version, atomically, if the current version is
   * still `expectedVersion`. Throws StaleWriteError otherwise, ReplayedRequestError on a replay.
   */
  replace(
    record: ConclusionRecord,
    expectedVersion: number,
    replay?: ReplayMarker,
    signed?: SignedRequest,
  ): Promise<void>;
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
