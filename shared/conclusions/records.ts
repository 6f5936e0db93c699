import { canonicalHash, documentId, documentIdPattern } from '../publishing/canonical-json.js';
import type { CurrentFields, PublicationStatus, VersionFields } from '../publishing/versioned.js';
import { CONCLUSION_CONTENT_FIELDS, type ConclusionInput } from './schemas.js';

/**
 * A conclusion as stored and published: its content (the validated input) plus identity, version and status.
 * The current state is one record (the CURRENT item); every version is also kept as its own record.
 */

export type ConclusionStatus = PublicationStatus;

/** The conclusion's content: exactly what the agency sent, after validation, NFC and defaults. */
export type ConclusionContent = ConclusionInput;

/** The signed PDF of a version: its hash and size are published; `key` names the stored object. */
export interface ConclusionAttachment {
  readonly sha256: string;
  readonly bytes: number;
  readonly mediaType: 'application/pdf';
  readonly key: string;
  readonly attachedAt: string;
}

/** One version, as kept for ever (the kernel's version fields: shared/publishing/versioned.ts). */
export type ConclusionVersionRecord = ConclusionContent &
  VersionFields & {
    /** The registry ids the inspected unit codes resolved to on `issuedOn`. */
    readonly unitIds: readonly string[];
    readonly attachment?: ConclusionAttachment;
  };

/** The current state: the current version plus when the conclusion was first created and last changed. */
export type ConclusionRecord = ConclusionVersionRecord &
  Pick<CurrentFields, 'createdAt' | 'updatedAt' | 'createdContentHash'>;

/** The content fields of a record or input (anything else, such as `reason`, is left out). */
export function contentOf(value: ConclusionContent): ConclusionContent {
  const out: Record<string, unknown> = {};
  for (const field of CONCLUSION_CONTENT_FIELDS) if (value[field] !== undefined) out[field] = value[field];
  return out as ConclusionContent;
}

/** SHA-256 (hex) of the canonical JSON of the content: equal content, however it was written, hashes equal. */
export function contentHash(content: ConclusionContent): string {
  return canonicalHash(contentOf(content));
}

/**
 * The id of a conclusion: derived from the agency and the document number (shared/publishing/canonical-json.ts).
 * @example conclusionId('hanoi-dktcv', '385/KL-ĐKTCV') // 'k' + 19 base32 characters
 */
export function conclusionId(agencyId: string, documentNumber: string): string {
  return documentId('k', agencyId, documentNumber);
}

/** A conclusion id as the API accepts it in a path. */
export const CONCLUSION_ID_PATTERN = documentIdPattern('k');
