import { z } from 'zod';
import { UnitCodeSchema } from '../conclusions/schemas.js';
import { todayInVietnam } from '../time/periods.js';

/**
 * The procedure-handling report an agency files for a unit and a month (PRODUCT.md, "Procedure-handling
 * report"). Figures are grouped as the published statistics group them (`procedures`, `reception`); a section
 * that the agency does not report is left out rather than sent as zeros, since zero is a figure too.
 */

/** Largest figure of one unit in one month (Hanoi handles ~3.4 million dossiers a year in all). */
export const MAX_FIGURE = 10_000_000;

const figure = z.number().int('a whole number').min(0, 'not negative').max(MAX_FIGURE, `at most ${MAX_FIGURE}`);

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
    citizensReceived: figure.optional(),
    complaintsReceived: figure.optional(),
    complaintsResolved: figure.optional(),
    denunciationsReceived: figure.optional(),
    denunciationsResolved: figure.optional(),
  })
  .refine((value) => Object.values(value).some((n) => n !== undefined), 'give at least one figure');

export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'a month written YYYY-MM', abort: true })
  .refine((value) => value >= '1990-01', 'not before 1990-01');

const reportFields = {
  unit: UnitCodeSchema,
  month: MonthSchema,
  procedures: ProcedureFiguresSchema.optional(),
  reception: ReceptionFiguresSchema.optional(),
};

type ReportShape = z.infer<z.ZodObject<typeof reportFields>>;

function reportRules(value: ReportShape, ctx: z.core.$RefinementCtx): void {
  const thisMonth = todayInVietnam().slice(0, 7);
  if (value.month > thisMonth)
    ctx.addIssue({ code: 'custom', path: ['month'], message: `must not be after this month (${thisMonth})` });
  if (!value.procedures && !value.reception) {
    ctx.addIssue({ code: 'custom', path: ['procedures'], message: 'give procedures, reception or both' });
  }
}

/** `POST /api/v1/reports`. */
export const ReportInputSchema = z.strictObject(reportFields).superRefine(reportRules);

/** `PUT /api/v1/reports/{id}`: the corrected figures for the same unit and month. */
export const ReportCorrectionSchema = ReportInputSchema;

export type ReportInput = z.infer<typeof ReportInputSchema>;
export type ProcedureFigures = z.infer<typeof ProcedureFiguresSchema>;
export type ReceptionFigures = z.infer<typeof ReceptionFiguresSchema>;
