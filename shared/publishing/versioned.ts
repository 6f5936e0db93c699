import type { ReplayGuard, ReplayMarker } from '../auth/replay.js';
import type { SignedRequest, VersionSignature } from '../auth/signed-request.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { optionalVersion, requireVersion, staleIfMatch } from './if-match.js';
import { StaleWriteError, withOptimisticRetries } from './optimistic.js';
import { illustrativeOf, type Publisher, rememberToken, signatureOf } from './publisher.js';

/**
 * The publishing kernel of versioned documents (conclusions, summary reports): create, correct, retract, read,
 * the same for every type. A document is identified by its agency and document number; every version is kept;
 * a correction names the version it corrects (If-Match); a retraction is a new version with status `retracted`.
 * Idempotent: the same content again answers with the stored record; different content under the same number is
 * a conflict (409). Each type gives its noun, its store and how to build its record; the rules are here once.
 */

export const PUBLICATION_STATUSES = ['published', 'retracted'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

/** What every version of a versioned document carries beside its content. */
export interface VersionFields {
  readonly id: string;
  readonly version: number;
  readonly status: PublicationStatus;
  readonly agencyId: string;
  readonly documentNumber: string;
  /** SHA-256 of the canonical JSON of the content (what idempotency compares). */
  readonly contentHash: string;
  /** When this version was accepted. */
  readonly publishedAt: string;
  /** Why this version replaced the previous one (corrections and retractions). */
  readonly reason?: string;
  /** The agency's signed request that made this version (absent only for versions older than the log). */
  readonly signature?: VersionSignature;
  /** Illustrative data (set by trusted loaders only): every figure the version moves says so. */
  readonly illustrative?: true;
}

/** The current state: the current version plus when the document was first created and last changed. */
export interface CurrentFields extends VersionFields {
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The content hash of version 1, so a retried creation is recognised after a correction. */
  readonly createdContentHash: string;
}

/** Largest number of versions a document may have: the history is returned whole. */
export const MAX_VERSIONS = 20;

/** The store of one type of versioned document (adapter: shared/storage/versioned-repository.ts). */
export interface VersionedStore<R extends CurrentFields, V extends VersionFields = VersionFields> {
  /** The current state (strongly consistent), or undefined. */
  get(id: string): Promise<R | undefined>;
  /** Every version, oldest first. */
  versions(id: string): Promise<V[]>;
  /**
   * Writes the current state and version 1 atomically, with the replay marker when given, and the signed request's
   * body bytes (content-addressed) when given.
   * Throws StaleWriteError when the document exists, ReplayedRequestError when the marker does.
   */
  create(record: R, replay?: ReplayMarker, signed?: SignedRequest): Promise<void>;
  /**
   * Replaces the current state with a new version and keeps that version, atomically, if the current version is
   * still `expectedVersion`. Throws StaleWriteError otherwise, ReplayedRequestError on a replay.
   */
  replace(record: R, expectedVersion: number, replay?: ReplayMarker, signed?: SignedRequest): Promise<void>;
}

/** One type of versioned document, as the kernel needs it. */
export interface DocumentType<R extends CurrentFields, V extends VersionFields = VersionFields> {
  /** How messages name it: "conclusion", "summary report". */
  readonly noun: string;
  readonly store: VersionedStore<R, V>;
  readonly replay: Pick<ReplayGuard, 'remember'>;
  readonly now?: () => Date;
}

/** The identity and timestamps the kernel gives a new version; the type adds its content and derived fields. */
export type VersionStamp = Pick<CurrentFields, 'id' | 'version' | 'status' | 'agencyId' | 'contentHash'> &
  Pick<
    CurrentFields,
    'createdContentHash' | 'publishedAt' | 'createdAt' | 'updatedAt' | 'signature' | 'illustrative'
  > & {
    reason?: string;
  };

/**
 * Creates a document (version 1), or answers with the existing one when the same content was already sent.
 * @param build the record from the kernel's stamp (the type spreads its content and derived fields over it)
 */
export async function createDocument<R extends CurrentFields, V extends VersionFields>(
  type: DocumentType<R, V>,
  id: string,
  hash: string,
  publisher: Publisher,
  build: (stamp: VersionStamp) => R,
): Promise<{ record: R; created: boolean }> {
  const answerExisting = async (existing: R): Promise<{ record: R; created: boolean }> => {
    if (existing.contentHash !== hash && existing.createdContentHash !== hash) {
      throw new ConflictError(
        `${capitalized(type.noun)} ${existing.documentNumber} of this agency already exists with different content; correct it with PUT and If-Match.`,
        { id, version: existing.version },
      );
    }
    await rememberToken(publisher, type.replay);
    return { record: existing, created: false };
  };
  const write = async (): Promise<{ record: R; created: boolean }> => {
    const now = timestamp(type);
    const record = build({
      id,
      version: 1,
      status: 'published',
      agencyId: publisher.agency.id,
      contentHash: hash,
      createdContentHash: hash,
      publishedAt: now,
      createdAt: now,
      updatedAt: now,
      ...signatureOf(publisher),
      ...illustrativeOf(publisher),
    });
    await type.store.create(record, publisher.replay, publisher.signed);
    return { record, created: true };
  };
  // Most creations are of a new document: write first, on condition that it does not exist (the store's
  // transaction decides, with the replay marker), and read only when that condition fails. This saves the read of
  // every first publication; what each case answers is what reading first would answer.
  let lost: StaleWriteError['found'];
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // The failed condition returned the document it found: the first decision needs no read either.
    lost = error.found;
  }
  return withOptimisticRetries(type.noun, async (found) => {
    const known = found ?? lost;
    lost = undefined;
    const existing = known ? (known.current as R) : await type.store.get(id);
    if (existing) return answerExisting(existing);
    // Someone may create it between our read and our write: StaleWriteError, read again, answer as above.
    return write();
  });
}

/**
 * Corrects a document: a new version with the whole corrected content, if `If-Match` names the current version
 * (412 otherwise, 428 without it). The same correction sent again answers 200 with the version it made.
 * @param build the new record from the kernel's stamp; called only when a version is written (it may resolve
 *   units, once: it runs again only after a lost race)
 */
export async function correctDocument<R extends CurrentFields, V extends VersionFields>(
  type: DocumentType<R, V>,
  id: string,
  ifMatch: string | undefined,
  correction: { readonly documentNumber: string; readonly contentHash: string; readonly reason?: string | undefined },
  publisher: Publisher,
  build: (stamp: VersionStamp) => R | Promise<R>,
): Promise<{ record: R; changed: boolean }> {
  const expected = requireVersion(ifMatch, type.noun);
  const hash = correction.contentHash;
  return withOptimisticRetries(type.noun, async (found) => {
    const existing = await readOwned(type, id, publisher, found);
    if (correction.documentNumber !== existing.documentNumber) {
      throw new ValidationError([
        {
          path: 'documentNumber',
          message: `the document number identifies the ${type.noun}; retract it and publish a new one`,
        },
      ]);
    }
    if (existing.version !== expected) {
      // A retry of a correction that was applied: the version after the one it named holds exactly this content.
      if (existing.version === expected + 1 && existing.status === 'published' && existing.contentHash === hash) {
        await rememberToken(publisher, type.replay);
        return { record: existing, changed: false };
      }
      throw staleIfMatch(expected, existing.version);
    }
    if (existing.status === 'retracted')
      throw new ConflictError(`A retracted ${type.noun} cannot be corrected.`, { id, version: existing.version });
    if (existing.contentHash === hash) {
      await rememberToken(publisher, type.replay);
      return { record: existing, changed: false };
    }
    if (existing.version >= MAX_VERSIONS) {
      throw new ConflictError(
        `A ${type.noun} keeps at most ${MAX_VERSIONS} versions; retract it and publish a new one.`,
        {
          id,
          version: existing.version,
        },
      );
    }
    const now = timestamp(type);
    const record = await build({
      id,
      version: existing.version + 1,
      status: 'published',
      agencyId: existing.agencyId,
      contentHash: hash,
      createdContentHash: existing.createdContentHash,
      publishedAt: now,
      createdAt: existing.createdAt,
      updatedAt: now,
      ...(correction.reason ? { reason: correction.reason } : {}),
      ...signatureOf(publisher),
      ...illustrativeOf(publisher),
    });
    await type.store.replace(record, existing.version, publisher.replay, publisher.signed);
    return { record, changed: true };
  });
}

/** Retracts a document: a new version with the last content and status `retracted`; again is a no-op (200). */
export async function retractDocument<R extends CurrentFields, V extends VersionFields>(
  type: DocumentType<R, V>,
  id: string,
  ifMatch: string | undefined,
  reason: string | undefined,
  publisher: Publisher,
): Promise<{ record: R; changed: boolean }> {
  const expected = optionalVersion(ifMatch, type.noun);
  return withOptimisticRetries(type.noun, async (found) => {
    const existing = await readOwned(type, id, publisher, found);
    if (existing.status === 'retracted' && (expected === undefined || expected >= existing.version - 1)) {
      await rememberToken(publisher, type.replay);
      return { record: existing, changed: false };
    }
    if (expected !== undefined && existing.version !== expected) throw staleIfMatch(expected, existing.version);
    const now = timestamp(type);
    // The new version has its own reason and signature (the retraction request's), never the previous ones.
    const { reason: _previousReason, signature: _previousSignature, ...previous } = existing;
    const record = {
      ...previous,
      version: existing.version + 1,
      status: 'retracted',
      publishedAt: now,
      updatedAt: now,
      ...(reason ? { reason } : {}),
      ...signatureOf(publisher),
      ...illustrativeOf(publisher),
    } as R;
    await type.store.replace(record, existing.version, publisher.replay, publisher.signed);
    return { record, changed: true };
  });
}

/** The current state and every version, oldest first; 404 when there is no such document. */
export async function getDocument<R extends CurrentFields, V extends VersionFields>(
  type: Pick<DocumentType<R, V>, 'noun' | 'store'>,
  id: string,
): Promise<{ record: R; versions: V[] }> {
  const [record, versions] = await Promise.all([type.store.get(id), type.store.versions(id)]);
  if (!record) throw new NotFoundError(`No ${type.noun} ${id}.`);
  return { record, versions };
}

/**
 * Reads a document that the publisher may change: 404 when absent, 403 when another agency published it.
 * @param found what a lost write found (StaleWriteError): the current state without reading it again
 */
export async function readOwned<R extends CurrentFields, V extends VersionFields>(
  type: Pick<DocumentType<R, V>, 'noun' | 'store'>,
  id: string,
  publisher: Publisher,
  found?: StaleWriteError['found'],
): Promise<R> {
  const existing = found ? (found.current as R) : await type.store.get(id);
  if (!existing) throw new NotFoundError(`No ${type.noun} ${id}.`);
  if (existing.agencyId !== publisher.agency.id) {
    throw new ForbiddenError(`${capitalized(type.noun)} ${id} was published by another agency; only it may change it.`);
  }
  return existing;
}

function timestamp(type: Pick<DocumentType<never>, 'now'>): string {
  return (type.now?.() ?? new Date()).toISOString();
}

function capitalized(noun: string): string {
  return noun.charAt(0).toUpperCase() + noun.slice(1);
}
