import { createHash } from 'node:crypto';
import { resolveUnitsInJurisdiction } from '../agencies/jurisdiction.js';
import type { Agency } from '../agencies/schemas.js';
import type { ReplayGuard, ReplayMarker } from '../auth/replay.js';
import type { SignedRequest, VersionSignature } from '../auth/signed-request.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  ServiceUnavailableError,
  ValidationError,
} from '../errors.js';
import type { UnitLookup } from '../units/ports.js';
import type { AttachmentStore, ConclusionStore, UploadInstructions } from './ports.js';
import { StaleWriteError } from './ports.js';
import {
  type ConclusionAttachment,
  type ConclusionRecord,
  type ConclusionVersionRecord,
  conclusionId,
  contentHash,
  contentOf,
  MAX_VERSIONS,
} from './records.js';
import type { AttachmentInput, ConclusionCorrection, ConclusionInput } from './schemas.js';

/**
 * The conclusion service: create, correct, retract, attach, read. Pure domain logic over ports; every write is
 * one conditional (transactional) write, and a lost race is answered by reading again, so two agencies or two
 * retries racing never lose or double a version, and a refused request writes nothing (not even its replay
 * marker). Idempotency: the same content again answers with the stored record instead of a new version.
 */

export interface ConclusionDependencies {
  readonly conclusions: ConclusionStore;
  readonly units: UnitLookup;
  readonly replay: Pick<ReplayGuard, 'remember'>;
  readonly now?: () => Date;
}

/** Who publishes: a verified agency, with the replay marker of its token (none for trusted internal callers). */
export interface Publisher {
  readonly agency: Agency;
  readonly replay?: ReplayMarker;
  /** The signed request as sent (token, key, body): kept with the version it makes, and logged. */
  readonly signed?: SignedRequest;
}

/** The `signature` fields of a version made by this publisher (none for trusted internal callers). */
export function signatureOf(publisher: Publisher): { signature?: VersionSignature } {
  return publisher.signed ? { signature: publisher.signed.signature } : {};
}

/** How many times a lost race is retried before giving up with a 503 (each retry reads the new state first). */
const MAX_ATTEMPTS = 4;

/** Creates a conclusion (201), or answers with the existing one when the same content was already sent (200). */
export async function createConclusion(
  input: ConclusionInput,
  publisher: Publisher,
  deps: ConclusionDependencies,
): Promise<{ record: ConclusionRecord; created: boolean }> {
  const units = await resolveUnitsInJurisdiction(
    input.inspectedUnits,
    input.issuedOn,
    publisher.agency,
    deps.units,
    'inspectedUnits',
  );
  const id = conclusionId(publisher.agency.id, input.documentNumber);
  const hash = contentHash(input);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await deps.conclusions.get(id);
    if (existing) {
      if (existing.contentHash !== hash && existing.createdContentHash !== hash) {
        throw new ConflictError(
          `Conclusion ${existing.documentNumber} of this agency already exists with different content; correct it with PUT and If-Match.`,
          { id, version: existing.version },
        );
      }
      await remember(publisher, deps);
      return { record: existing, created: false };
    }
    const now = timestamp(deps);
    const record: ConclusionRecord = {
      ...contentOf(input),
      id,
      version: 1,
      status: 'published',
      agencyId: publisher.agency.id,
      unitIds: units.map((unit) => unit.id),
      contentHash: hash,
      createdContentHash: hash,
      publishedAt: now,
      createdAt: now,
      updatedAt: now,
      ...signatureOf(publisher),
    };
    try {
      await deps.conclusions.create(record, publisher.replay, publisher.signed);
      return { record, created: true };
    } catch (error) {
      // Someone created it between our read and our write: read again and answer as for an existing one.
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
  throw lostRaces();
}

/**
 * Corrects a conclusion: a new version with the whole corrected content, if `If-Match` names the current
 * version (412 otherwise, 428 without it). The same correction sent again answers 200 with the version it made.
 */
export async function correctConclusion(
  id: string,
  ifMatch: string | undefined,
  input: ConclusionCorrection,
  publisher: Publisher,
  deps: ConclusionDependencies,
): Promise<{ record: ConclusionRecord; changed: boolean }> {
  const expected = requireVersion(ifMatch);
  const { reason, ...content } = input;
  const hash = contentHash(content);
  let unitIds: string[] | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await readOwned(id, publisher, deps);
    if (content.documentNumber !== existing.documentNumber) {
      throw new ValidationError([
        {
          path: 'documentNumber',
          message: 'the document number identifies the conclusion; retract it and publish a new one',
        },
      ]);
    }
    if (existing.version !== expected) {
      // A retry of a correction that was applied: the version after the one it named holds exactly this content.
      if (existing.version === expected + 1 && existing.status === 'published' && existing.contentHash === hash) {
        await remember(publisher, deps);
        return { record: existing, changed: false };
      }
      throw new PreconditionFailedError(
        `If-Match names version ${expected}; the current version is ${existing.version}.`,
      );
    }
    if (existing.status === 'retracted')
      throw new ConflictError('A retracted conclusion cannot be corrected.', { id, version: existing.version });
    if (existing.contentHash === hash) {
      await remember(publisher, deps);
      return { record: existing, changed: false };
    }
    if (existing.version >= MAX_VERSIONS) {
      throw new ConflictError(
        `A conclusion keeps at most ${MAX_VERSIONS} versions; retract it and publish a new one.`,
        {
          id,
          version: existing.version,
        },
      );
    }
    unitIds ??= (
      await resolveUnitsInJurisdiction(
        content.inspectedUnits,
        content.issuedOn,
        publisher.agency,
        deps.units,
        'inspectedUnits',
      )
    ).map((unit) => unit.id);
    const now = timestamp(deps);
    const record: ConclusionRecord = {
      ...contentOf(content),
      id,
      version: existing.version + 1,
      status: 'published',
      agencyId: existing.agencyId,
      unitIds,
      contentHash: hash,
      createdContentHash: existing.createdContentHash,
      publishedAt: now,
      createdAt: existing.createdAt,
      updatedAt: now,
      ...(reason ? { reason } : {}),
      ...signatureOf(publisher),
    };
    try {
      await deps.conclusions.replace(record, existing.version, publisher.replay, publisher.signed);
      return { record, changed: true };
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
  throw lostRaces();
}

/** Retracts a conclusion: a new version with the last content and status `retracted`; again is a no-op (200). */
export async function retractConclusion(
  id: string,
  ifMatch: string | undefined,
  reason: string | undefined,
  publisher: Publisher,
  deps: ConclusionDependencies,
): Promise<{ record: ConclusionRecord; changed: boolean }> {
  const expected = ifMatch === undefined ? undefined : requireVersion(ifMatch);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await readOwned(id, publisher, deps);
    if (existing.status === 'retracted' && (expected === undefined || expected >= existing.version - 1)) {
      await remember(publisher, deps);
      return { record: existing, changed: false };
    }
    if (expected !== undefined && existing.version !== expected) {
      throw new PreconditionFailedError(
        `If-Match names version ${expected}; the current version is ${existing.version}.`,
      );
    }
    const now = timestamp(deps);
    // The new version has its own reason and signature (the retraction request's), never the previous ones.
    const { reason: _previousReason, signature: _previousSignature, ...previous } = existing;
    const record: ConclusionRecord = {
      ...previous,
      version: existing.version + 1,
      status: 'retracted',
      publishedAt: now,
      updatedAt: now,
      ...(reason ? { reason } : {}),
      ...signatureOf(publisher),
    };
    try {
      await deps.conclusions.replace(record, existing.version, publisher.replay, publisher.signed);
      return { record, changed: true };
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
  throw lostRaces();
}

/** The current state and every version, oldest first; 404 when there is no such conclusion. */
export async function getConclusion(
  id: string,
  deps: Pick<ConclusionDependencies, 'conclusions'>,
): Promise<{ record: ConclusionRecord; versions: ConclusionVersionRecord[] }> {
  const [record, versions] = await Promise.all([deps.conclusions.get(id), deps.conclusions.versions(id)]);
  if (!record) throw new NotFoundError(`No conclusion ${id}.`);
  return { record, versions };
}

/**
 * Records the signed PDF of the current version (its SHA-256 and size are published) and says how to upload it.
 * The upload is bound to the hash, so the only file that can ever sit under the published key is that one.
 * Attaching the same file again is idempotent; a different file to a version that has one is a conflict.
 */
export async function attachDocument(
  id: string,
  input: AttachmentInput,
  publisher: Publisher,
  deps: ConclusionDependencies & { readonly attachments: AttachmentStore },
): Promise<{ record: ConclusionRecord; upload: UploadInstructions; created: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await readOwned(id, publisher, deps);
    if (existing.status === 'retracted')
      throw new ConflictError('A retracted conclusion takes no attachment.', { id, version: existing.version });
    const key = attachmentKey(id, existing.version, input.sha256);
    if (existing.attachment) {
      if (existing.attachment.sha256 !== input.sha256 || existing.attachment.bytes !== input.bytes) {
        throw new ConflictError(
          'This version already has a different attachment; correct the conclusion to attach another.',
          {
            id,
            version: existing.version,
          },
        );
      }
      await remember(publisher, deps);
      return {
        record: existing,
        upload: await deps.attachments.prepareUpload(existing.attachment.key, input),
        created: false,
      };
    }
    const attachment: ConclusionAttachment = { ...input, key, attachedAt: timestamp(deps) };
    try {
      await deps.conclusions.attach(id, existing.version, attachment, publisher.replay);
      return {
        record: { ...existing, attachment },
        upload: await deps.attachments.prepareUpload(key, input),
        created: true,
      };
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
  throw lostRaces();
}

/** The stored object name of a version's attachment: content-addressed, so it never changes once written. */
export function attachmentKey(id: string, version: number, sha256: string): string {
  return `${id}-v${version}-${sha256}.pdf`;
}

/** Reads an attachment name back; undefined when it is not one. */
export function parseAttachmentKey(key: string): { id: string; version: number; sha256: string } | undefined {
  const match = /^(k[a-z2-7]{19})-v(\d{1,6})-([0-9a-f]{64})\.pdf$/.exec(key);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { id: match[1], version: Number(match[2]), sha256: match[3] };
}

/** Reads a conclusion that the publisher may change: 404 when absent, 403 when another agency published it. */
async function readOwned(
  id: string,
  publisher: Publisher,
  deps: Pick<ConclusionDependencies, 'conclusions'>,
): Promise<ConclusionRecord> {
  const existing = await deps.conclusions.get(id);
  if (!existing) throw new NotFoundError(`No conclusion ${id}.`);
  if (existing.agencyId !== publisher.agency.id) {
    throw new ForbiddenError(`Conclusion ${id} was published by another agency; only it may change it.`);
  }
  return existing;
}

/** Reads `If-Match`: `"3"`, `W/"3"` or `3`; 428 when absent, 412 when it names no version. */
export function requireVersion(ifMatch: string | undefined): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new PreconditionRequiredError(
      'Send If-Match with the version you are correcting (the ETag of the conclusion).',
    );
  }
  const match = /^(?:W\/)?"?(\d{1,6})"?$/.exec(ifMatch.trim());
  const version = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isInteger(version) || version < 1) {
    throw new PreconditionFailedError('If-Match must name a version of the conclusion, as its ETag does ("3").');
  }
  return version;
}

/** The idempotent paths answer with the stored record but still use up the token: its marker is written alone. */
async function remember(publisher: Publisher, deps: Pick<ConclusionDependencies, 'replay'>): Promise<void> {
  if (publisher.replay) await deps.replay.remember(publisher.replay);
}

function timestamp(deps: Pick<ConclusionDependencies, 'now'>): string {
  return (deps.now?.() ?? new Date()).toISOString();
}

function lostRaces(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    1,
    'The conclusion is being changed by other requests; nothing was changed. Try again.',
  );
}

/**
 * Stores the bytes of an announced attachment (the upload route of the local stack, and small files in AWS).
 * Only the publishing agency may upload, only under a name it announced, and only the bytes with that hash.
 */
export async function storeAttachmentBytes(
  key: string,
  bytes: Uint8Array,
  publisher: Publisher,
  deps: Pick<ConclusionDependencies, 'conclusions' | 'replay'> & { readonly attachments: AttachmentStore },
): Promise<ConclusionAttachment> {
  const parsed = parseAttachmentKey(key);
  if (!parsed) throw new NotFoundError('No attachment by that name.');
  const existing = await readOwned(parsed.id, publisher, deps);
  const announced =
    existing.attachment?.key === key
      ? existing.attachment
      : (await deps.conclusions.versions(parsed.id)).find((version) => version.attachment?.key === key)?.attachment;
  if (!announced) {
    throw new NotFoundError(
      'No attachment is announced under that name; announce it with POST /api/v1/conclusions/{id}/attachment.',
    );
  }
  if (bytes.length !== announced.bytes) {
    throw new ValidationError([
      { path: 'body', message: `the file has ${bytes.length} bytes; ${announced.bytes} were announced` },
    ]);
  }
  // Every check before the marker, so a refused upload leaves nothing behind (not even its replay marker).
  if (createHash('sha256').update(bytes).digest('hex') !== announced.sha256) {
    throw new ValidationError([{ path: 'body', message: 'the file does not match the announced SHA-256' }]);
  }
  // Then the marker: a replayed upload is refused before any byte is written.
  await remember(publisher, deps);
  await deps.attachments.write(key, bytes, announced.sha256);
  return announced;
}
