import { versionEtag } from '../../shared/publishing/if-match.js';
import { groupedFigures, type ReportRecord, recordPeriod } from '../../shared/reports/records.js';

/** `/api/v1/reports/<id>`: the address of a report. */
export function reportLocation(id: string): string {
  return `/api/v1/reports/${encodeURIComponent(id)}`;
}

/** The public form of a report: figures grouped as in the request. */
export function reportResource(record: ReportRecord) {
  return {
    id: record.id,
    agencyId: record.agencyId,
    unit: record.unitCode,
    unitId: record.unitId,
    ...(record.month ? { month: record.month } : {}),
    period: recordPeriod(record),
    ...(record.sources ? { sources: record.sources } : {}),
    version: record.version,
    ...groupedFigures(record),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** `Location` and `ETag` of a report. */
export function reportHeaders(record: ReportRecord): Record<string, string> {
  return { location: reportLocation(record.id), etag: versionEtag(record.version) };
}
