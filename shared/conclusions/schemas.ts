import { z } from 'zod';
import { isIsoDate, todayInVietnam } from '../time/periods.js';
import { DISCIPLINE_FORMS, INSPECTION_KINDS, RECOMMENDATION_STATUSES, TOPICS } from '../vocabulary.js';

/**
 * The inspection conclusion an agency publishes (CONTRACT.md, "A conclusion"): the request schemas, from which
 * the types, the validation at the edge and the OpenAPI document all come. Bounded everywhere (string lengths,
 * array sizes, counts) so one body can never exceed a DynamoDB item; strict (an unknown field is refused, so a
 * typo such as `violation` cannot silently drop data); the rules that need no lookup are refinements here, the
 * ones that need the unit registry are in `service.ts`.
 */

/** Largest body of a conclusion request (CONTRACT.md: more is 413). */
export const CONCLUSION_MAX_BODY_BYTES = 256 * 1024;
/** Largest attached PDF. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** Largest count of organizations or individuals in one conclusion. */
export const MAX_COUNT = 100_000;
export const MAX_UNITS_PER_CONCLUSION = 50;
export const MAX_RECOMMENDATIONS = 100;
export const MAX_LEGAL_BASIS = 20;
/** Earliest date accepted: older documents are not what this service publishes. */
export const EARLIEST_DATE = '1990-01-01';

/** A line of text: no control characters (line breaks are allowed in long text only). */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .regex(/^\P{Cc}*$/u, 'must not contain control characters');

/** Long text: line breaks and tabs allowed, other control characters not. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .regex(/^(?:[\t\n\r]|\P{Cc})*$/u, 'must not contain control characters other than line breaks and tabs');

/** Text in Vietnamese, optionally in English. */
export const localizedText = (max: number, long = false) =>
  z.strictObject({ vi: long ? text(max) : line(max), en: (long ? text(max) : line(max)).optional() });

/** A calendar date `YYYY-MM-DD` (a date in Vietnam). */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date written YYYY-MM-DD', abort: true })
  .refine(isIsoDate, 'not a calendar date')
  .refine((value) => value >= EARLIEST_DATE, `not before ${EARLIEST_DATE}`);

/** A GSO unit code: 2 digits (province), 3 (district) or 5 (commune). */
export const UnitCodeSchema = z.string().regex(/^(\d{2}|\d{3}|\d{5})$/, 'a GSO unit code of 2, 3 or 5 digits');

const count = z.number().int('a whole number').min(0, 'not negative').max(MAX_COUNT, `at most ${MAX_COUNT}`);

export const CountPairSchema = z.strictObject({ organizations: count, individuals: count });

export const DisciplineEntrySchema = z.strictObject({
  form: z.enum(DISCIPLINE_FORMS),
  organizations: count,
  individuals: count,
});

export const OtherMeasuresSchema = z.strictObject({
  /** Transfers, rotations and changes of post decided after the inspection. */
  transfers: count,
  /** Organizations and individuals required to review their responsibility (kiểm điểm). */
  responsibilityReviews: count,
});

export const RecommendationSchema = z.strictObject({
  text: localizedText(4000, true),
  status: z.enum(RECOMMENDATION_STATUSES),
  /** The deadline set for it, if any. */
  dueOn: IsoDateSchema.optional(),
});

const conclusionFields = {
  /** The document number as printed (`385/KL-ĐKTCV`); with the agency, it identifies the conclusion. */
  documentNumber: line(100),
  issuedOn: IsoDateSchema,
  kind: z.enum(INSPECTION_KINDS),
  /** GSO codes, each read as the unit in force on `issuedOn`. */
  inspectedUnits: z.array(UnitCodeSchema).min(1, 'name at least one unit').max(MAX_UNITS_PER_CONCLUSION),
  topics: z.array(z.enum(TOPICS)).min(1, 'name at least one topic').max(TOPICS.length),
  /** Directives and laws the inspection rests on (`24-CT/TU`, `26/CT-TTg`). */
  legalBasis: z.array(line(200)).max(MAX_LEGAL_BASIS).default([]),
  title: localizedText(500).optional(),
  /** The number of the decision that set up the inspection, if any (`12/QĐ-ĐKTCV`). */
  inspectionDecision: line(100).optional(),
  /** When the inspection took place. */
  inspectedFrom: IsoDateSchema.optional(),
  inspectedTo: IsoDateSchema.optional(),
  /** Summary of findings. No personal names: individuals are counted, not named. */
  summary: localizedText(20_000, true),
  violations: CountPairSchema,
  discipline: z.array(DisciplineEntrySchema).max(DISCIPLINE_FORMS.length).default([]),
  otherMeasures: OtherMeasuresSchema.default({ transfers: 0, responsibilityReviews: 0 }),
  recommendations: z.array(RecommendationSchema).max(MAX_RECOMMENDATIONS).default([]),
};

type ConclusionShape = z.infer<z.ZodObject<typeof conclusionFields>>;

/** The rules across fields that need no lookup (the unit checks are in the service). */
function conclusionRules(value: ConclusionShape, ctx: z.core.$RefinementCtx): void {
  const today = todayInVietnam();
  if (value.issuedOn > today)
    ctx.addIssue({ code: 'custom', path: ['issuedOn'], message: `must not be after today (${today})` });
  if (value.inspectedFrom && value.inspectedFrom > value.issuedOn) {
    ctx.addIssue({ code: 'custom', path: ['inspectedFrom'], message: 'must not be after issuedOn' });
  }
  if (value.inspectedTo && value.inspectedTo > value.issuedOn) {
    ctx.addIssue({ code: 'custom', path: ['inspectedTo'], message: 'must not be after issuedOn' });
  }
  if (value.inspectedFrom && value.inspectedTo && value.inspectedFrom > value.inspectedTo) {
    ctx.addIssue({ code: 'custom', path: ['inspectedTo'], message: 'must not be before inspectedFrom' });
  }
  for (const dup of duplicates(value.inspectedUnits)) {
    ctx.addIssue({ code: 'custom', path: ['inspectedUnits', dup], message: 'the unit is listed twice' });
  }
  for (const dup of duplicates(value.topics)) {
    ctx.addIssue({ code: 'custom', path: ['topics', dup], message: 'the topic is listed twice' });
  }
  for (const dup of duplicates(value.discipline.map((d) => d.form))) {
    ctx.addIssue({
      code: 'custom',
      path: ['discipline', dup, 'form'],
      message: 'each form is given once, with its counts',
    });
  }
  // A person or organization receives at most one disciplinary form per conclusion, so the disciplined, summed
  // over forms, never exceed the violating.
  for (const who of ['organizations', 'individuals'] as const) {
    const disciplined = value.discipline.reduce((sum, entry) => sum + entry[who], 0);
    if (disciplined > value.violations[who]) {
      ctx.addIssue({
        code: 'custom',
        path: ['discipline'],
        message: `${disciplined} disciplined ${who} exceed the ${value.violations[who]} violating (violations.${who})`,
      });
    }
  }
}

/** Indexes of the entries that repeat an earlier one. */
function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const repeated: number[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) repeated.push(index);
    seen.add(value);
  });
  return repeated;
}

/** The fields of a conclusion without the cross-field rules: the base of the published (response) schemas. */
export const ConclusionFieldsSchema = z.strictObject(conclusionFields);

/** `POST /api/v1/conclusions`: a new conclusion. */
export const ConclusionInputSchema = z.strictObject(conclusionFields).superRefine(conclusionRules);

/** `PUT /api/v1/conclusions/{id}`: the whole corrected conclusion, and why it was corrected. */
export const ConclusionCorrectionSchema = z
  .strictObject({ ...conclusionFields, reason: line(2000).optional() })
  .superRefine(conclusionRules);

/** `POST /api/v1/conclusions/{id}/retraction`: why it is retracted (the body may also be empty). */
export const ConclusionRetractionSchema = z.strictObject({ reason: line(2000) });

/** The SHA-256 and size of a signed PDF of the conclusion (`POST /api/v1/conclusions/{id}/attachment`). */
export const AttachmentInputSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the file, 64 lower-case hex digits'),
  bytes: z.number().int().min(1).max(ATTACHMENT_MAX_BYTES, `at most ${ATTACHMENT_MAX_BYTES} bytes`),
  mediaType: z.literal('application/pdf'),
});

export type ConclusionInput = z.infer<typeof ConclusionInputSchema>;
export type ConclusionCorrection = z.infer<typeof ConclusionCorrectionSchema>;
export type ConclusionRetraction = z.infer<typeof ConclusionRetractionSchema>;
export type AttachmentInput = z.infer<typeof AttachmentInputSchema>;
