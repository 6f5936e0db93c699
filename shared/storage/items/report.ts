import { SourceSchema } from '../../publishing/schemas.js';
import { PROCEDURE_FIELDS, RECEPTION_FIELDS, type ReportRecord, recordPeriod } from '../../reports/records.js';
import { PERIOD_PATTERN } from '../../time/periods.js';
import * as z from '../../zod.js';
import { ENTITY_ATTRIBUTE, REPORT_ENTITY, REPORTS_PARTITION, reportIndexKey, reportKey } from '../keys.js';
import {
  buildItem,
  illustrativeFlag,
  isoDate,
  nonEmpty,
  nonNegativeInt,
  recordOf,
  type SameFields,
  type StoredFields,
  VersionSignatureSchema,
} from './item.js';

/**
 * A report as stored (keys.ts, "Reports"): the only description of its attributes. One item per agency, unit and
 * period (`REPORT#<unitId>#<period>` / `AGENCY#<agencyId>`), the figures flat (the stream consumer sums them); a
 * section the agency did not report has no attributes at all. A correction MODIFIES the same item.
 */

const figure = z.optional(nonNegativeInt);
const figures = Object.fromEntries([...PROCEDURE_FIELDS, ...RECEPTION_FIELDS].map((field) => [field, figure])) as {
  [K in (typeof PROCEDURE_FIELDS)[number] | (typeof RECEPTION_FIELDS)[number]]: typeof figure;
};

/** A report covers a `period`, or (the first shape) a `month`. */
export const reportNamesItsPeriod = z.refine<{ readonly period?: string; readonly month?: string }>(
  (item: { readonly period?: string; readonly month?: string }) =>
    item.period !== undefined || item.month !== undefined,
  'a report names its period',
);

/** The attributes of a report item, without the rule across them (readers project from it: items/item.ts). */
export const ReportItemFields = z.strictObject({
  pk: z.string().check(z.startsWith('REPORT#')),
  sk: z.string().check(z.startsWith('AGENCY#')),
  gsi1pk: z.literal(REPORTS_PARTITION),
  gsi1sk: nonEmpty,
  [ENTITY_ATTRIBUTE]: z.literal(REPORT_ENTITY),
  /** `<agencyId>.<unitId>.<period>` (records.ts, reportId). */
  id: nonEmpty,
  agencyId: nonEmpty,
  unitId: nonEmpty,
  unitCode: nonEmpty,
  /** The period covered (a year, a quarter or a month); absent on records older than periods. */
  period: z.optional(z.string().check(z.regex(PERIOD_PATTERN))),
  /** The month covered, for a monthly report (the first shape: every older record has it). */
  month: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/))),
  /** The date the unit was resolved on, when not the first day of the period (quarters and years). */
  unitDate: z.optional(isoDate),
  sources: z.optional(z.array(SourceSchema)),
  version: z.int().check(z.gte(1)),
  contentHash: nonEmpty,
  createdAt: nonEmpty,
  updatedAt: nonEmpty,
  signature: z.optional(VersionSignatureSchema),
  /** Demo data (trusted loaders only): every figure it counts in says so. */
  illustrative: illustrativeFlag,
  ...figures,
});

export const ReportItemSchema = ReportItemFields.check(reportNamesItsPeriod);

export type ReportItem = z.output<typeof ReportItemSchema>;

const sameFields: SameFields<StoredFields<ReportItem>, ReportRecord> = true;
void sameFields;

/** The item of a report, built through its schema. */
export function reportItem(record: ReportRecord): ReportItem {
  const period = recordPeriod(record);
  const keys = {
    ...reportKey(record.unitId, period, record.agencyId),
    ...reportIndexKey(record.unitId, period, record.agencyId),
  };
  return buildItem(ReportItemSchema, REPORT_ENTITY, keys, record);
}

/** The report an item holds (parsed: a malformed item fails here). */
export function reportOf(item: unknown): ReportRecord {
  return recordOf(ReportItemSchema, REPORT_ENTITY, item) as ReportRecord;
}
