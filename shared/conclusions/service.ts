import { createHash } from 'node:crypto';
import { resolveUnitsInJurisdiction } from '../agencies/jurisdiction.js';
import type { ReplayGuard } from '../auth/replay.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { withOptimisticRetries } from '../publishing/optimistic.js';
import { type Publisher, rememberToken } from '../publishing/publisher.js';
import {
  correctDocument,
  createDocument,
  type DocumentType,
  getDocument,
  readOwned,
  retractDocument,
} from '../publishing/versioned.js';
import type { UnitLookup } from '../units/ports.js';
import type { AttachmentStore, ConclusionStore, UploadInstructions } from './ports.js';
import {
  type ConclusionAttachment,
  type ConclusionRecord,
  type ConclusionVersionRecord,
  conclusionId,
  contentHash,
  contentOf,
} from './records.js';
import type { AttachmentInput, ConclusionCorrection, ConclusionInput } from './schemas.js';

/**
 * The conclusion service: create, correct, retract, attach, read. Pure domain logic over ports; the versioning,
 * idempotency and optimistic concurrency are the publishing kernel's (shared/publishing/versioned.ts), shared
 * with summary reports; what is a conclusion's own is here: its units and jurisdiction, and its attachment.
 */

export interface ConclusionDependencies {
  readonly conclusions: ConclusionStore;
  readonly units: UnitLookup;
  readonly replay: Pick<ReplayGuard, 'remember'>;
  readonly now?: () => Date;
}

/** The kernel's view of conclusions: their noun, store and clock. */
function conclusionType(deps: ConclusionDependencies): DocumentType<ConclusionRecord, ConclusionVersionRecord> {
  return { noun: 'conclusion', store: deps.conclusions, replay: deps.replay, ...(deps.now ? { now: deps.now } : {}) };
}

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
  return createDocument(conclusionType(deps), id, contentHash(input), publisher, (stamp) => ({
    ...contentOf(input),
    ...stamp,
    unitIds: units.map((unit) => unit.id),
  }));
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
  const { reason, ...content } = input;
  let unitIds: string[] | undefined;
  return correctDocument(
    conclusionType(deps),
    id,
    ifMatch,
    { documentNumber: content.documentNumber, contentHash: contentHash(content), reason },
    publisher,
    async (stamp) => {
      // Resolved once, when a version is written (a lost race builds again from the cache).
      unitIds ??= (
        await resolveUnitsInJurisdiction(
          content.inspectedUnits,
          content.issuedOn,
          publisher.agency,
          deps.units,
          'inspectedUnits',
        )
      ).map((unit) => unit.id);
      return { ...contentOf(content), ...stamp, unitIds };
    },
  );
}

/** Retracts a conclusion: a new version with the last content and status `retracted`; again is a no-op (200). */
export async function retractConclusion(
  id: string,
  ifMatch: string | undefined,
  reason: string | undefined,
  publisher: Publisher,
  deps: ConclusionDependencies,
): Promise<{ record: ConclusionRecord; changed: boolean }> {
  return retractDocument(conclusionType(deps), id, ifMatch, reason, publisher);
}

/** The current state and every version, oldest first; 404 when there is no such conclusion. */
export async function getConclusion(
  id: string,
  deps: Pick<ConclusionDependencies, 'conclusions'>,
): Promise<{ record: ConclusionRecord; versions: ConclusionVersionRecord[] }> {
  return getDocument({ noun: 'conclusion', store: deps.conclusions }, id);
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
  return withOptimisticRetries('conclusion', async (found) => {
    const existing = await readOwned(conclusionType(deps), id, publisher, found);
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
      await rememberToken(publisher, deps.replay);
      return {
        record: existing,
        upload: await deps.attachments.prepareUpload(existing.attachment.key, input),
        created: false,
      };
    }
    const attachment: ConclusionAttachment = { ...input, key, attachedAt: (deps.now?.() ?? new Date()).toISOString() };
    await deps.conclusions.attach(id, existing.version, attachment, publisher.replay);
    return {
      record: { ...existing, attachment },
      upload: await deps.attachments.prepareUpload(key, input),
      created: true,
    };
  });
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

/**
 * Stores the bytes of an announced attachment (the upload route of the local stack, and small files in AWS).
 * Only the publishing agency may upload, only under a name it announced, and only the bytes with that hash.
 */
/** True when the bytes start as every PDF file does (`%PDF-`): what is served as a PDF must be one. */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

export async function storeAttachmentBytes(
  key: string,
  bytes: Uint8Array,
  publisher: Publisher,
  deps: Pick<ConclusionDependencies, 'conclusions' | 'replay'> & { readonly attachments: AttachmentStore },
): Promise<ConclusionAttachment> {
  const parsed = parseAttachmentKey(key);
  if (!parsed) throw new NotFoundError('No attachment by that name.');
  const existing = await readOwned({ noun: 'conclusion', store: deps.conclusions }, parsed.id, publisher);
  const announced =
    existing.attachment?.key === key
      ? existing.attachment
      : (await deps.conclusions.versions(parsed.id)).find((version) => version.attachment?.key === key)?.attachment;
  if (!announced) {
    throw new NotFoundError(
      'No attachment is announced under that name; announce it with POST /api/v1/conclusions/{id}/attachment.',
    );
  }
  if (!isPdf(bytes)) {
    throw new ValidationError([{ path: 'body', message: 'the file is not a PDF (it does not start with "%PDF-")' }]);
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
  await rememberToken(publisher, deps.replay);
  await deps.attachments.write(key, bytes, announced.sha256);
  return announced;
}
