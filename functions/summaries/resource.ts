import { versionEtag } from '../../shared/publishing/if-match.js';
import {
  SUMMARY_CONTENT_FIELDS,
  type SummaryRecord,
  type SummaryVersionRecord,
} from '../../shared/summaries/records.js';

/**
 * The public form of a summary report (API responses): the current version's content, figures exactly as stored
 * (as stated: nothing filled in), who published it and, on GET, its whole history. Storage-only fields stay in.
 */

/** `/api/v1/summaries/<id>`: the permanent address of a summary. */
export function summaryLocation(id: string): string {
  return `/api/v1/summaries/${encodeURIComponent(id)}`;
}

/** The published fields of a version, in order: identity, the content in the schema's order, then publication. */
const VERSION_FIELDS = [
  'id',
  'version',
  'status',
  'agencyId',
  ...SUMMARY_CONTENT_FIELDS,
  'unitId',
  'contentHash',
  'publishedAt',
  'reason',
] as const satisfies readonly (keyof SummaryVersionRecord)[];

/** One version as published (storage-only fields left out, undefined ones too: a response never carries them). */
export function summaryVersionResource(record: SummaryVersionRecord) {
  return Object.fromEntries(
    VERSION_FIELDS.flatMap((field) => (record[field] === undefined ? [] : [[field, record[field]]])),
  ) as Pick<SummaryVersionRecord, (typeof VERSION_FIELDS)[number]>;
}

/** The current state as published, with the agency and optionally the history (oldest first). */
export function summaryResource(
  record: SummaryRecord,
  agency: { id: string; name?: string },
  versions?: readonly SummaryVersionRecord[],
) {
  return {
    ...summaryVersionResource(record),
    agency,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(versions ? { versions: versions.map(summaryVersionResource) } : {}),
  };
}

/** Response headers of a summary: its address and its version as ETag. */
export function summaryHeaders(record: SummaryRecord): Record<string, string> {
  return { location: summaryLocation(record.id), etag: versionEtag(record.version) };
}
