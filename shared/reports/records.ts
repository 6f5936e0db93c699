import { createHash } from 'node:crypto';
import type { VersionSignature } from '../auth/signed-request.js';
import { canonicalJson } from '../publishing/canonical-json.js';
import type { ProcedureFigures, ReceptionFigures, ReportInput } from './schemas.js';

/**
 * A report as stored: one per (agency, unit, month), the figures flat (the statistics consumer sums them).
 * A section the agency did not report has no attributes at all.
 */
export type ReportRecord = Partial<ProcedureFigures> &
  Partial<ReceptionFigures> & {
    readonly id: string;
    readonly agencyId: string;
    readonly unitId: string;
    readonly unitCode: string;
    readonly month: string;
    readonly version: number;
    readonly contentHash: string;
    readonly createdAt: string;
    readonly updatedAt: string;
    /** The agency's signed request that made this version. */
    readonly signature?: VersionSignature;
  };

export const PROCEDURE_FIELDS = [
  'received',
  'resolvedEarly',
  'resolvedOnTime',
  'resolvedLate',
  'pendingOverdue',
] as const;
export const RECEPTION_FIELDS = [
  'citizensReceived',
  'complaintsReceived',
  'complaintsResolved',
  'denunciationsReceived',
  'denunciationsResolved',
] as const;

/** The public id of a report: `<agencyId>.<unitId>.<YYYY-MM>` (no part contains a dot). */
export function reportId(agencyId: string, unitId: string, month: string): string {
  return `${agencyId}.${unitId}.${month}`;
}

/** Splits a report id; undefined when it is not one. */
export function parseReportId(id: string): { agencyId: string; unitId: string; month: string } | undefined {
  const match =
    /^([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)\.(\d{2}|\d{3}|\d{5})(-pre2025)?\.(\d{4}-(?:0[1-9]|1[0-2]))$/.exec(id);
  if (!match?.[1] || !match[2] || !match[4]) return undefined;
  return { agencyId: match[1], unitId: `${match[2]}${match[3] ?? ''}`, month: match[4] };
}

/** The figures of an input, flat. */
export function flatFigures(
  input: Pick<ReportInput, 'procedures' | 'reception'>,
): Partial<ProcedureFigures & ReceptionFigures> {
  return { ...input.procedures, ...input.reception };
}

/** The figures of a record, grouped as in the request. */
export function groupedFigures(record: ReportRecord): Pick<ReportInput, 'procedures' | 'reception'> {
  const pick = <K extends string>(fields: readonly K[]) =>
    fields.every((field) => typeof (record as Record<string, unknown>)[field] === 'number')
      ? (Object.fromEntries(fields.map((field) => [field, (record as Record<string, unknown>)[field]])) as Record<
          K,
          number
        >)
      : undefined;
  const procedures = pick(PROCEDURE_FIELDS);
  // Reception figures are reported one by one: keep those present.
  const given = RECEPTION_FIELDS.filter((field) => typeof (record as Record<string, unknown>)[field] === 'number');
  const reception =
    given.length > 0
      ? Object.fromEntries(given.map((field) => [field, (record as Record<string, unknown>)[field]]))
      : undefined;
  return { ...(procedures ? { procedures } : {}), ...(reception ? { reception } : {}) };
}

/** SHA-256 of the canonical figures, unit and month: what idempotency compares. */
export function reportContentHash(
  unitId: string,
  month: string,
  input: Pick<ReportInput, 'procedures' | 'reception'>,
): string {
  return createHash('sha256')
    .update(canonicalJson({ unitId, month, ...flatFigures(input) }))
    .digest('hex');
}
