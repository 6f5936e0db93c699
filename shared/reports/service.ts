import { resolveUnitsInJurisdiction } from '../agencies/jurisdiction.js';
import type { ReplayGuard } from '../auth/replay.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { requireVersion, staleIfMatch } from '../publishing/if-match.js';
import { withOptimisticRetries } from '../publishing/optimistic.js';
import { type Publisher, rememberToken, signatureOf } from '../publishing/publisher.js';
import { periodBounds } from '../time/periods.js';
import type { UnitLookup } from '../units/ports.js';
import type { ReportStore } from './ports.js';
import { flatFigures, parseReportId, type ReportRecord, reportContentHash, reportId } from './records.js';
import { inputPeriod, type ReportInput } from './schemas.js';

/**
 * Procedure-handling reports: one per agency, unit and month. The same figures again are idempotent (200);
 * different figures are a conflict (409) unless sent as a correction (PUT with If-Match), which replaces the
 * one report in place with the next version, so the statistics take the old figures out and the new ones in.
 * The optimistic writes, If-Match and the publisher are the publishing kernel's (shared/publishing/).
 */

export interface ReportDependencies {
  readonly reports: ReportStore;
  readonly units: UnitLookup;
  readonly replay: Pick<ReplayGuard, 'remember'>;
  readonly now?: () => Date;
}

/** Files a report (201), or answers with the stored one when the same figures were already filed (200). */
export async function fileReport(
  input: ReportInput,
  publisher: Publisher,
  deps: ReportDependencies,
): Promise<{ record: ReportRecord; created: boolean }> {
  const { unit, onDate } = await resolveReportUnit(input, publisher, deps);
  const period = inputPeriod(input);
  const hash = reportContentHash(unit.id, period, input);
  return withOptimisticRetries('report', async (found) => {
    // A lost write hands back the report it found; else read it.
    const existing = found
      ? (found.current as ReportRecord)
      : await deps.reports.get(publisher.agency.id, unit.id, period);
    if (existing) {
      if (existing.contentHash !== hash) {
        throw new ConflictError(
          `A report for ${input.unit} and ${period} was already filed with other figures; correct it with PUT and If-Match.`,
          { id: existing.id, version: existing.version },
        );
      }
      await rememberToken(publisher, deps.replay);
      return { record: existing, created: false };
    }
    const now = (deps.now?.() ?? new Date()).toISOString();
    const record: ReportRecord = {
      ...flatFigures(input),
      id: reportId(publisher.agency.id, unit.id, period),
      agencyId: publisher.agency.id,
      unitId: unit.id,
      unitCode: unit.code,
      ...periodFields(period, onDate),
      ...(input.sources ? { sources: input.sources } : {}),
      version: 1,
      contentHash: hash,
      createdAt: now,
      updatedAt: now,
      ...signatureOf(publisher),
    };
    await deps.reports.create(record, publisher.replay, publisher.signed);
    return { record, created: true };
  });
}

/** Corrects a report in place (version + 1) when If-Match names its current version. */
export async function correctReport(
  id: string,
  ifMatch: string | undefined,
  input: ReportInput,
  publisher: Publisher,
  deps: ReportDependencies,
): Promise<{ record: ReportRecord; changed: boolean }> {
  const expected = requireVersion(ifMatch, 'report');
  const parsed = parseReportId(id);
  if (!parsed) throw new NotFoundError(`No report ${id}.`);
  if (parsed.agencyId !== publisher.agency.id)
    throw new ForbiddenError('Only the agency that filed a report may correct it.');
  const { unit, onDate } = await resolveReportUnit(input, publisher, deps);
  const period = inputPeriod(input);
  if (unit.id !== parsed.unitId || period !== parsed.period) {
    throw new ValidationError([
      { path: 'unit', message: `a correction of ${id} must be for the same unit and period` },
    ]);
  }
  const hash = reportContentHash(unit.id, period, input);
  return withOptimisticRetries('report', async (found) => {
    const existing = found
      ? (found.current as ReportRecord)
      : await deps.reports.get(parsed.agencyId, parsed.unitId, parsed.period);
    if (!existing) throw new NotFoundError(`No report ${id}.`);
    if (existing.version !== expected) {
      if (existing.version === expected + 1 && existing.contentHash === hash) {
        await rememberToken(publisher, deps.replay);
        return { record: existing, changed: false };
      }
      throw staleIfMatch(expected, existing.version);
    }
    if (existing.contentHash === hash) {
      await rememberToken(publisher, deps.replay);
      return { record: existing, changed: false };
    }
    const record: ReportRecord = {
      ...flatFigures(input),
      id: existing.id,
      agencyId: existing.agencyId,
      unitId: existing.unitId,
      unitCode: existing.unitCode,
      ...periodFields(period, onDate),
      ...(input.sources ? { sources: input.sources } : {}),
      version: existing.version + 1,
      contentHash: hash,
      createdAt: existing.createdAt,
      updatedAt: (deps.now?.() ?? new Date()).toISOString(),
      ...signatureOf(publisher),
    };
    await deps.reports.replace(record, existing.version, publisher.replay, publisher.signed);
    return { record, changed: true };
  });
}

/** Reads a report; 404 when there is none. */
export async function getReport(id: string, deps: Pick<ReportDependencies, 'reports'>): Promise<ReportRecord> {
  const parsed = parseReportId(id);
  const record = parsed && (await deps.reports.get(parsed.agencyId, parsed.unitId, parsed.period));
  if (!record) throw new NotFoundError(`No report ${id}.`);
  return record;
}

/**
 * The period fields of a record: `period`, `month` for a monthly report (as every record had), and the date its
 * unit was read on when that is not the period's first day.
 */
function periodFields(period: string, onDate: string): Pick<ReportRecord, 'period' | 'month' | 'unitDate'> {
  return {
    period,
    ...(/^\d{4}-\d{2}$/.test(period) ? { month: period } : {}),
    ...(onDate !== periodBounds(period).from ? { unitDate: onDate } : {}),
  };
}

/**
 * The unit of a report: a month's is read as the unit in force on its first day (as always); a quarter's or a
 * year's on its last day (the unit that ends the period: codes reused in 2025 name the new unit then).
 */
async function resolveReportUnit(input: ReportInput, publisher: Publisher, deps: ReportDependencies) {
  const period = inputPeriod(input);
  const bounds = periodBounds(period);
  const onDate = /^\d{4}-\d{2}$/.test(period) ? bounds.from : bounds.to;
  const [unit] = await resolveUnitsInJurisdiction([input.unit], onDate, publisher.agency, deps.units, 'unit', false);
  if (!unit) throw new ValidationError([{ path: 'unit', message: 'no such unit' }]);
  return { unit, onDate };
}
