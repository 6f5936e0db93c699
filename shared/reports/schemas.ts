import { MAX_SOURCES, SourceSchema, UnitCodeSchema } from '../publishing/schemas.js';
import { PERIOD_PATTERN, periodBounds, todayInVietnam } from '../time/periods.js';
import * as z from '../zod.js';

/**
 * The procedure-handling report an agency files for a unit and a month (PRODUCT.md, "Procedure-handling
 * report"). Figures are grouped as the published statistics group them (`procedures`, `reception`); a section
 * that the agency does not report is left out rather than sent as zeros, since zero is a figure too.
 */

/** Largest figure of one unit in one month (Hanoi handles ~3.4 million dossiers a year in all). */
export const MAX_FIGURE = 10_000_000;

const figure = z
  .number()
  .check(z.int('a whole number'), z.gte(0, 'not negative'), z.lte(MAX_FIGURE, `at most ${MAX_FIGURE}`));

export const ProcedureFiguresSchema = z.strictObject({
  /** Dossiers received in the month. */
  received: figure,
  resolvedEarly: figure,
  resolvedOnTime: figure,
  resolvedLate: figure,
  /** Dossiers still pending at the end of the month and past their deadline. */
  pendingOverdue: figure,
});

/**
 * Citizen reception, complaints and denunciations: each figure optional (documents often give petitions in
 * total, or citizens received only), at least one given; an absent figure is "not reported", never zero.
 */
export const ReceptionFiguresSchema = z
  .strictObject({
    citizensReceived: z.optional(figure),
    complaintsReceived: z.optional(figure),
    complaintsResolved: z.optional(figure),
    denunciationsReceived: z.optional(figure),
    denunciationsResolved: z.optional(figure),
  })
  .check(z.refine((value) => Object.values(value).some((n) => n !== undefined), 'give at least one figure'));

export const MonthSchema = z.string().check(
  z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'a month written YYYY-MM', abort: true }),
  z.refine((value) => value >= '1990-01', 'not before 1990-01'),
);

/** A period a report covers: a year `2024`, a quarter `2024-Q2` or a month `2024-05`. */
export const PeriodSchema = z.string().check(
  z.regex(PERIOD_PATTERN, { message: 'a period written YYYY, YYYY-Qn or YYYY-MM', abort: true }),
  z.refine((value) => value >= '1990', 'not before 1990'),
);

const reportFields = {
  unit: UnitCodeSchema,
  /** The month covered (the first shape of a report); give it or `period`. */
  month: z.optional(MonthSchema),
  /**
   * The period covered: a month, a quarter or a year. Its figures count in that period only (a year's report is not
   * a spike in December). A quarter's or a year's unit is read as the unit in force on the period's last day.
   */
  period: z.optional(PeriodSchema),
  procedures: z.optional(ProcedureFiguresSchema),
  reception: z.optional(ReceptionFiguresSchema),
  /** Where the public can read the original. */
  sources: z.optional(z.array(SourceSchema).check(z.maxLength(MAX_SOURCES))),
};

type ReportShape = z.infer<z.ZodMiniObject<typeof reportFields>>;

/** The period of a report input: `period`, or the `month` of the first shape. */
export function inputPeriod(input: Pick<ReportShape, 'month' | 'period'>): string {
  return input.period ?? input.month ?? '';
}

function reportRules(value: ReportShape, ctx: z.core.$RefinementCtx): void {
  if ((value.month === undefined) === (value.period === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['period'], message: 'give the period covered: period (or month), once' });
    return;
  }
  const today = todayInVietnam();
  const field = value.period !== undefined ? 'period' : 'month';
  if (periodBounds(inputPeriod(value)).from > today)
    ctx.addIssue({ code: 'custom', path: [field], message: `must not start after today (${today})` });
  if (!value.procedures && !value.reception) {
    ctx.addIssue({ code: 'custom', path: ['procedures'], message: 'give procedures, reception or both' });
  }
}

/** `POST /api/v1/reports`. */
export const ReportInputSchema = z.strictObject(reportFields).check(z.superRefine(reportRules));

/** `PUT /api/v1/reports/{id}`: the corrected figures for the same unit and period. */
export const ReportCorrectionSchema = ReportInputSchema;

export type ReportInput = z.infer<typeof ReportInputSchema>;
export type ProcedureFigures = z.infer<typeof ProcedureFiguresSchema>;
export type ReceptionFigures = z.infer<typeof ReceptionFiguresSchema>;

export { REPORT_MAX_BODY_BYTES } from '../limits.js';
