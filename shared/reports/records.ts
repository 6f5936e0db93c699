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
    /** The period covered (written since reports may cover a quarter or a year); absent on older records. */
    readonly period?: string;
    /** The month covered, for a monthly report (the first shape: every older record has it). */
    readonly month?: string;
    /** The date the unit was resolved on, when not the first day of the period (quarters and years). */
    readonly unitDate?: string;
    readonly sources?: ReportInput['sources'];
    readonly version: number;
    readonly contentHash: string;
    readonly createdAt: string;
    readonly updatedAt: string;
    /** The agency's signed request that made this version. */
    readonly signature?: VersionSignature;
    /** Illustrative data (set by trusted loaders only): every figure it moves says so. */
    readonly illustrative?: true;
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

/** The period a stored report covers: `period`, or the `month` of an older record. */
export function recordPeriod(record: Pick<ReportRecord, 'period' | 'month'>): string {
  return record.period ?? record.month ?? '';
}

/** The public id of a report: `<agencyId>.<unitId>.<period>` (`…​.2024-05`, `….2024-Q2`, `….2024`; no dots inside). */
export function reportId(agencyId: string, unitId: string, period: string): string {
  return `${agencyId}.${unitId}.${period}`;
}

/** Splits a report id; undefined when it is not one. */
export function parseReportId(id: string): { agencyId: string; unitId: string; period: string } | undefined {
  const match =
    /^([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)\.(\d{2}|\d{3}|\d{5})(-pre2025)?\.(\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?)$/.exec(
      id,
    );
  if (!match?.[1] || !match[2] || !match[4]) return undefined;
  return { agencyId: match[1], unitId: `${match[2]}${match[3] ?? ''}`, period: match[4] };
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

/**
 * SHA-256 of the canonical figures, unit, period and sources: what idempotency compares. A monthly report without
 * sources hashes as it always did (the period under its first name, `month`).
 */
export function reportContentHash(
  unitId: string,
  period: string,
  input: Pick<ReportInput, 'procedures' | 'reception' | 'sources'>,
): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        unitId,
        month: period,
        ...flatFigures(input),
        ...(input.sources ? { sources: input.sources } : {}),
      }),
    )
    .digest('hex');
}
