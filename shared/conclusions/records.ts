import { createHash } from 'node:crypto';
import type { VersionSignature } from '../auth/signed-request.js';
import type { ConclusionInput } from './schemas.js';

/**
 * A conclusion as stored and published: its content (the validated input) plus identity, version and status.
 * The current state is one record (the CURRENT item); every version is also kept as its own record.
 */

export type ConclusionStatus = 'published' | 'retracted';

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

/** One version, as kept for ever. */
export type ConclusionVersionRecord = ConclusionContent & {
  readonly id: string;
  readonly version: number;
  readonly status: ConclusionStatus;
  readonly agencyId: string;
  /** The registry ids the inspected unit codes resolved to on `issuedOn`. */
  readonly unitIds: readonly string[];
  /** SHA-256 of the canonical JSON of the content (what idempotency compares). */
  readonly contentHash: string;
  /** When this version was accepted. */
  readonly publishedAt: string;
  /** Why this version replaced the previous one (corrections and retractions). */
  readonly reason?: string;
  readonly attachment?: ConclusionAttachment;
  /** The agency's signed request that made this version (absent only for versions older than the log). */
  readonly signature?: VersionSignature;
};

/** The current state: the current version plus when the conclusion was first created and last changed. */
export type ConclusionRecord = ConclusionVersionRecord & {
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The content hash of version 1, so a retried creation is recognised after a correction. */
  readonly createdContentHash: string;
};

/** Largest number of versions a conclusion may have: the history is returned whole. */
export const MAX_VERSIONS = 20;

const CONTENT_FIELDS = [
  'documentNumber',
  'issuedOn',
  'kind',
  'inspectedUnits',
  'topics',
  'legalBasis',
  'title',
  'inspectionDecision',
  'inspectedFrom',
  'inspectedTo',
  'summary',
  'violations',
  'discipline',
  'otherMeasures',
  'recommendations',
] as const satisfies readonly (keyof ConclusionContent)[];

/** The content fields of a record or input (anything else, such as `reason`, is left out). */
export function contentOf(value: ConclusionContent): ConclusionContent {
  const out: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) if (value[field] !== undefined) out[field] = value[field];
  return out as ConclusionContent;
}

/** SHA-256 (hex) of the canonical JSON of the content: equal content, however it was written, hashes equal. */
export function contentHash(content: ConclusionContent): string {
  return createHash('sha256')
    .update(canonicalJson(contentOf(content)))
    .digest('hex');
}

/** JSON with object keys sorted at every level (arrays keep their order: it is meaningful). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The id of a conclusion: derived from the agency and the document number, so the same document sent twice,
 * or by two racing retries, lands on the same record (the conditional create decides), while two agencies
 * with the same number never collide. Case and spacing of the number do not matter.
 * @example conclusionId('hanoi-dktcv', '385/KL-ĐKTCV') // 'k' + 19 base32 characters
 */
export function conclusionId(agencyId: string, documentNumber: string): string {
  const normalized = documentNumber.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('vi');
  const digest = createHash('sha256').update(`${agencyId}\u0000${normalized}`).digest();
  return `k${base32(digest).slice(0, 19)}`;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** A conclusion id as the API accepts it in a path. */
export const CONCLUSION_ID_PATTERN = /^k[a-z2-7]{19}$/;
