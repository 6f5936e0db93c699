import type { AttachmentStore } from '../../shared/conclusions/ports.js';
import type { ConclusionRecord, ConclusionVersionRecord } from '../../shared/conclusions/records.js';
import { versionEtag } from '../../shared/publishing/if-match.js';
import { OTHER_MEASURES } from '../../shared/vocabulary.js';

/**
 * The public form of a conclusion (API responses): the current version's content and status, who published
 * it, the published hash of its attachment, and on GET its whole history. Fields come in a fixed, readable
 * order (the store returns attributes in no order); storage-only fields stay inside.
 */

/** `/api/v1/conclusions/<id>`: the permanent address of a conclusion. */
export function conclusionLocation(id: string): string {
  return `/api/v1/conclusions/${encodeURIComponent(id)}`;
}

const counts = (pair: { organizations: number; individuals: number }) => ({
  organizations: pair.organizations,
  individuals: pair.individuals,
});

/** `{ key: value }`, or nothing when the value is absent (the response never carries `undefined`). */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** One version as published. */
export function versionResource(record: ConclusionVersionRecord, attachments: Pick<AttachmentStore, 'publicUrl'>) {
  return {
    id: record.id,
    version: record.version,
    status: record.status,
    agencyId: record.agencyId,
    documentNumber: record.documentNumber,
    issuedOn: record.issuedOn,
    kind: record.kind,
    inspectedUnits: record.inspectedUnits,
    unitIds: record.unitIds,
    topics: record.topics,
    legalBasis: record.legalBasis,
    ...optional('title', record.title && { vi: record.title.vi, ...optional('en', record.title.en) }),
    ...optional('inspectionDecision', record.inspectionDecision),
    ...optional('inspectedFrom', record.inspectedFrom),
    ...optional('inspectedTo', record.inspectedTo),
    summary: { vi: record.summary.vi, ...optional('en', record.summary.en) },
    ...optional(
      'violations',
      record.violations && {
        ...counts(record.violations),
        ...optional('byCategory', record.violations.byCategory),
      },
    ),
    ...optional('violatingUnits', record.violatingUnits),
    discipline: record.discipline.map((entry) => ({
      form: entry.form,
      ...counts(entry),
      ...optional('track', entry.track),
      ...optional('stage', entry.stage),
      ...optional('decidedOn', entry.decidedOn),
      ...optional('category', entry.category),
      ...optional('leader', entry.leader),
    })),
    otherMeasures: Object.fromEntries(
      OTHER_MEASURES.flatMap((measure) => {
        const value = record.otherMeasures[measure];
        return value === undefined ? [] : [[measure, value]];
      }),
    ),
    recommendations: record.recommendations.map((r) => ({
      text: { vi: r.text.vi, ...optional('en', r.text.en) },
      status: r.status,
      ...optional('dueOn', r.dueOn),
    })),
    ...optional('sources', record.sources),
    ...optional(
      'attachment',
      record.attachment && {
        sha256: record.attachment.sha256,
        bytes: record.attachment.bytes,
        mediaType: record.attachment.mediaType,
        url: attachments.publicUrl(record.attachment.key),
      },
    ),
    contentHash: record.contentHash,
    publishedAt: record.publishedAt,
    ...optional('reason', record.reason),
  };
}

/** The current state as published, with the agency and optionally the history (oldest first). */
export function conclusionResource(
  record: ConclusionRecord,
  agency: { id: string; name?: string },
  attachments: Pick<AttachmentStore, 'publicUrl'>,
  versions?: readonly ConclusionVersionRecord[],
) {
  return {
    ...versionResource(record, attachments),
    agency,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(versions ? { versions: versions.map((version) => versionResource(version, attachments)) } : {}),
  };
}

/** Response headers of a conclusion: its address and its version as ETag. */
export function conclusionHeaders(record: ConclusionRecord): Record<string, string> {
  return { location: conclusionLocation(record.id), etag: versionEtag(record.version) };
}
