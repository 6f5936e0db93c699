import { canonicalHash, documentId, documentIdPattern } from '../publishing/canonical-json.js';
import type { CurrentFields, VersionFields } from '../publishing/versioned.js';
import { SUMMARY_FIGURE_GROUPS, type SummaryInput } from './schemas.js';

/**
 * A summary report as stored and published: its content (the validated input, figures as stated) plus identity,
 * version and status (the publishing kernel's fields). The current state is one record; every version is kept.
 */

export type SummaryContent = SummaryInput;

/** One version, as kept for ever. */
export type SummaryVersionRecord = SummaryContent &
  VersionFields & {
    /** The registry id `jurisdiction` resolved to on `to`. */
    readonly unitId: string;
  };

/** The current state. */
export type SummaryRecord = SummaryVersionRecord &
  Pick<CurrentFields, 'createdAt' | 'updatedAt' | 'createdContentHash'>;

/** The content fields, in the schema's order (the figure groups as the schema lists them). */
export const SUMMARY_CONTENT_FIELDS = [
  'documentNumber',
  'issuedOn',
  'jurisdiction',
  'from',
  'to',
  'scope',
  'title',
  'description',
  ...SUMMARY_FIGURE_GROUPS,
  'sources',
] as const satisfies readonly (keyof SummaryContent)[];

/** The content fields of a record or input (anything else, such as `reason`, is left out). */
export function summaryContentOf(value: SummaryContent): SummaryContent {
  const out: Record<string, unknown> = {};
  for (const field of SUMMARY_CONTENT_FIELDS) if (value[field] !== undefined) out[field] = value[field];
  return out as SummaryContent;
}

/** SHA-256 of the canonical JSON of the content: what idempotency compares. */
export function summaryContentHash(content: SummaryContent): string {
  return canonicalHash(summaryContentOf(content));
}

/** The id of a summary: `s` + 19 base32 characters, from the agency and the document number. */
export function summaryId(agencyId: string, documentNumber: string): string {
  return documentId('s', agencyId, documentNumber);
}

/** A summary id as the API accepts it in a path. */
export const SUMMARY_ID_PATTERN = documentIdPattern('s');
