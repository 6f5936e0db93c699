import { disciplineIssues } from '../discipline/law.js';
import {
  DocumentNumberSchema,
  IsoDateSchema,
  localizedText,
  MAX_SOURCES,
  ReasonSchema,
  SourceSchema,
  UnitCodeSchema,
} from '../publishing/schemas.js';
import { todayInVietnam } from '../time/periods.js';
import {
  DISCIPLINE_FORMS,
  DISCIPLINE_STAGES,
  DISCIPLINE_TRACKS,
  type DisciplineForm,
  OTHER_MEASURES,
  type OtherMeasure,
} from '../vocabulary.js';
import * as z from '../zod.js';

/**
 * The summary report an agency publishes (CONTRACT.md, "A summary report"): the totals of a span of dates for a
 * jurisdiction, kept exactly as the source states them. A figure the source does not split stays unsplit (`total`
 * alone); a share given only as a percentage stays a percentage; a figure the source does not give is absent,
 * never 0. Summaries are published beside the figures counted from conclusions and never added into them.
 */

export { SUMMARY_MAX_BODY_BYTES } from '../limits.js';
/** Largest figure of a summary: a province's dossiers of a year are a few million. */
export const MAX_SUMMARY_FIGURE = 100_000_000;

const figure = z
  .number()
  .check(z.int('a whole number'), z.gte(0, 'not negative'), z.lte(MAX_SUMMARY_FIGURE, `at most ${MAX_SUMMARY_FIGURE}`));

/** A percentage as stated (`99.8` for 99.8 %), at most two decimals: what the source printed, not a ratio. */
const percent = z.number().check(
  z.gte(0, 'not negative'),
  z.lte(100, 'at most 100'),
  z.refine((value) => Math.round(value * 100) / 100 === value, 'at most two decimals, as stated'),
);

/** At least one field of an object of optional figures is given. */
const someGiven = (value: Record<string, unknown>) => Object.values(value).some((inner) => inner !== undefined);
/** A split figure whose three parts are all given adds up: organizations + individuals = total. */
const splitAddsUp = (value: {
  total?: number | undefined;
  organizations?: number | undefined;
  individuals?: number | undefined;
}) =>
  value.total === undefined ||
  value.organizations === undefined ||
  value.individuals === undefined ||
  value.organizations + value.individuals === value.total;

/**
 * Organizations and individuals as the source states them: `total` alone when it does not split them, or the
 * parts it gives. When a total and both parts are given, the parts add up to the total.
 */
export const SplitFigureSchema = z
  .strictObject({
    /** Organizations and individuals together, when the source does not split them. */
    total: z.optional(figure),
    organizations: z.optional(figure),
    individuals: z.optional(figure),
  })
  .check(
    z.refine(someGiven, 'give total, organizations or individuals'),
    z.refine(splitAddsUp, 'organizations and individuals add up to total'),
  );

/** Inspections of the span: how many, in how many units, with how many conclusions issued. */
export const SummaryInspectionsSchema = z
  .strictObject({
    total: z.optional(figure),
    /** Units (agencies, offices, communes) inspected: "675 cuộc tại 1.161 đơn vị". */
    units: z.optional(figure),
    /** Conclusions issued by the end of the span. */
    conclusions: z.optional(figure),
  })
  .check(z.refine(someGiven, 'give at least one figure'));

/** The disciplined: a split figure, on a track and at a stage when the source says, optionally by form. */
export const SummaryDisciplineSchema = z
  .strictObject({
    total: z.optional(figure),
    organizations: z.optional(figure),
    individuals: z.optional(figure),
    /** `state` or `party` when the source says which; absent when it does not (never assumed). */
    track: z.optional(z.enum(DISCIPLINE_TRACKS)),
    /** `decided` or `recommended` when the source says. */
    stage: z.optional(z.enum(DISCIPLINE_STAGES)),
    /** The disciplined by form, as stated (each a split figure). */
    byForm: z.optional(z.partialRecord(z.enum(DISCIPLINE_FORMS), SplitFigureSchema)),
  })
  .check(
    z.refine((value) => [value.total, value.organizations, value.individuals].some((n) => n !== undefined), {
      message: 'give total, organizations or individuals',
    }),
    z.refine(splitAddsUp, 'organizations and individuals add up to total'),
  );

/**
 * Measures lighter than discipline, as stated (the vocabulary of conclusions: nhắc nhở, phê bình, kiểm điểm trách
 * nhiệm, điều chuyển, thay thế, tạm đình chỉ), each a split figure, and one figure for what a source does not split.
 */
export const SummaryMeasuresSchema = z
  .strictObject({
    ...(Object.fromEntries(OTHER_MEASURES.map((measure) => [measure, z.optional(SplitFigureSchema)])) as Record<
      OtherMeasure,
      z.ZodMiniOptional<typeof SplitFigureSchema>
    >),
    /**
     * Rotated, transferred, moved or disciplined, as ONE figure when the source does not split measures from
     * discipline ("2.268 cán bộ được luân chuyển, điều động, chuyển đổi vị trí công tác và xử lý kỷ luật").
     */
    transfersOrDiscipline: z.optional(SplitFigureSchema),
  })
  .check(z.refine(someGiven, 'give at least one measure'));

/** Procedure handling at one level (or in all), as stated. */
const procedureFields = {
  /** Dossiers received. */
  received: z.optional(figure),
  /** Dossiers resolved. */
  resolved: z.optional(figure),
  /** Received and resolved, as ONE figure when the source gives them together ("tiếp nhận, giải quyết"). */
  handled: z.optional(figure),
  /** Resolved after their deadline. */
  resolvedLate: z.optional(figure),
  /** Share resolved on time or early, in percent, when stated as a percentage. */
  onTimePercent: z.optional(percent),
  /** Share resolved late, in percent, when stated as a percentage. */
  latePercent: z.optional(percent),
};
export const ProcedureLevelSchema = z
  .strictObject(procedureFields)
  .check(z.refine(someGiven, 'give at least one figure'));

/** Administrative-procedure handling: for the whole jurisdiction and/or by level of government. */
export const SummaryProceduresSchema = z
  .strictObject({
    ...procedureFields,
    /** By level of government (before 2025: province, district, commune; after: province, commune). */
    byLevel: z.optional(
      z
        .strictObject({
          province: z.optional(ProcedureLevelSchema),
          district: z.optional(ProcedureLevelSchema),
          commune: z.optional(ProcedureLevelSchema),
        })
        .check(z.refine(someGiven, 'give at least one level')),
    ),
  })
  .check(z.refine(someGiven, 'give at least one figure'));

/**
 * Citizen reception and petitions, as stated. Letters (đơn) and cases (vụ việc) are different things, and the
 * complaints an authority must resolve (thuộc thẩm quyền) are a part of those received: each is its own figure.
 */
export const SummaryReceptionSchema = z
  .strictObject({
    /** Citizens received (lượt công dân được tiếp). */
    citizensReceived: z.optional(figure),
    /** Cases raised at reception (vụ việc). */
    cases: z.optional(figure),
    /** Letters received and processed: complaints, denunciations, recommendations, reflections (đơn thư). */
    petitionsReceived: z.optional(figure),
    /** Letters resolved. */
    petitionsResolved: z.optional(figure),
    /** Complaint cases under the authority's jurisdiction (vụ việc khiếu nại thuộc thẩm quyền). */
    complaintsUnderJurisdiction: z.optional(figure),
    complaintsResolved: z.optional(figure),
    /** Denunciation cases under the authority's jurisdiction. */
    denunciationsUnderJurisdiction: z.optional(figure),
    denunciationsResolved: z.optional(figure),
  })
  .check(z.refine(someGiven, 'give at least one figure'));

/**
 * The figure groups of a summary, each as stated or absent (the input asks for at least one); the open-data file
 * publishes them under `figures` with this same schema.
 */
export const SummaryFiguresSchema = z.object({
  inspections: z.optional(SummaryInspectionsSchema),
  /** Organizations and individuals found in violation. */
  violations: z.optional(SplitFigureSchema),
  disciplined: z.optional(SummaryDisciplineSchema),
  measures: z.optional(SummaryMeasuresSchema),
  procedures: z.optional(SummaryProceduresSchema),
  reception: z.optional(SummaryReceptionSchema),
});

/** The figure groups of a summary: at least one is given. */
export const SUMMARY_FIGURE_GROUPS = [
  'inspections',
  'violations',
  'disciplined',
  'measures',
  'procedures',
  'reception',
] as const;

const summaryFields = {
  /** The document number as printed; with the agency, it identifies the summary. */
  documentNumber: DocumentNumberSchema,
  issuedOn: IsoDateSchema,
  /** The GSO code of the unit the figures are for (its whole area), read as the unit in force on `to`. */
  jurisdiction: UnitCodeSchema,
  /** The span of dates the figures cover (any span: "7/8/2023 – 30/8/2024", not only calendar periods). */
  from: IsoDateSchema,
  to: IsoDateSchema,
  /** Whose activity the figures count, in the source's words ("UBND cấp huyện, cấp xã"). */
  scope: localizedText(500),
  title: z.optional(localizedText(500)),
  /** What the source says around the figures, in words. */
  description: z.optional(localizedText(4000, true)),
  ...SummaryFiguresSchema.shape,
  /** Where the public can read the original. */
  sources: z
    .array(SourceSchema)
    .check(z.minLength(1, 'name where the figures were published'), z.maxLength(MAX_SOURCES)),
};

type SummaryShape = z.infer<z.ZodMiniObject<typeof summaryFields>>;

/** The rules across fields. */
function summaryRules(value: SummaryShape, ctx: z.core.$RefinementCtx): void {
  const today = todayInVietnam();
  if (value.issuedOn > today)
    ctx.addIssue({ code: 'custom', path: ['issuedOn'], message: `must not be after today (${today})` });
  if (value.to < value.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  if (value.from > value.issuedOn)
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after issuedOn' });
  if (value.to > today) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be after today (${today})` });
  if (!SUMMARY_FIGURE_GROUPS.some((group) => value[group] !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['inspections'],
      message: `give at least one of ${SUMMARY_FIGURE_GROUPS.join(', ')}`,
    });
  }
  disciplineRules(value, ctx);
}

/** The disciplined against the violating (when stated alike) and against their forms. */
function disciplineRules(value: SummaryShape, ctx: z.core.$RefinementCtx): void {
  const disciplined = value.disciplined;
  if (!disciplined) return;
  const violations = value.violations;
  for (const part of ['total', 'organizations', 'individuals'] as const) {
    const d = disciplined[part];
    const v = violations?.[part];
    if (d !== undefined && v !== undefined && d > v) {
      ctx.addIssue({
        code: 'custom',
        path: ['disciplined', part],
        message: `${d} disciplined exceed the ${v} violating (violations.${part})`,
      });
    }
  }
  const forms = Object.entries(disciplined.byForm ?? {}) as [DisciplineForm, SplitFigure | undefined][];
  // The law of the span's first day: a form abolished during the span may still have been decided before.
  for (const [form, split] of forms) {
    const facts = {
      form,
      ...(disciplined.track ? { track: disciplined.track } : {}),
      ...(disciplined.stage ? { stage: disciplined.stage } : {}),
      ...(split?.organizations !== undefined ? { organizations: split.organizations } : {}),
      ...(split?.individuals !== undefined ? { individuals: split.individuals } : {}),
    };
    for (const issue of disciplineIssues(facts, value.from)) {
      const path = ['disciplined', 'byForm', form, ...(issue.field === 'form' ? [] : [issue.field])];
      ctx.addIssue({ code: 'custom', path, message: issue.message });
    }
  }
  for (const part of ['total', 'organizations', 'individuals'] as const) {
    const stated = disciplined[part];
    if (stated === undefined) continue;
    const sum = forms.reduce((acc, [, split]) => acc + (split?.[part] ?? 0), 0);
    if (sum > stated) {
      ctx.addIssue({
        code: 'custom',
        path: ['disciplined', 'byForm'],
        message: `the forms add up to ${sum}, more than the ${stated} disciplined (disciplined.${part})`,
      });
    }
  }
}

/** The fields of a summary without the cross-field rules: the base of the published (response) schemas. */
export const SummaryFieldsSchema = z.strictObject(summaryFields);

/** `POST /api/v1/summaries`: a new summary report. */
export const SummaryInputSchema = z.strictObject(summaryFields).check(z.superRefine(summaryRules));

/** `PUT /api/v1/summaries/{id}`: the whole corrected summary, and why it was corrected. */
export const SummaryCorrectionSchema = z
  .strictObject({ ...summaryFields, reason: z.optional(ReasonSchema) })
  .check(z.superRefine(summaryRules));

/** `POST /api/v1/summaries/{id}/retraction`: why it is retracted (the body may also be empty). */
export const SummaryRetractionSchema = z.strictObject({ reason: ReasonSchema });

export type SummaryInput = z.infer<typeof SummaryInputSchema>;
export type SummaryCorrection = z.infer<typeof SummaryCorrectionSchema>;
export type SplitFigure = z.infer<typeof SplitFigureSchema>;
