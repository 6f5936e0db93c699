import { disciplineIssues, stageOf, trackOf } from '../discipline/law.js';
import { ATTACHMENT_MAX_BYTES, CONCLUSION_MAX_BODY_BYTES } from '../limits.js';
import {
  DocumentNumberSchema,
  IsoDateSchema,
  line,
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
  INSPECTION_KINDS,
  OTHER_MEASURES,
  PERSON_CATEGORIES,
  RECOMMENDATION_STATUSES,
  TOPICS,
  VIOLATION_CATEGORIES,
} from '../vocabulary.js';
import * as z from '../zod.js';

/**
 * The inspection conclusion an agency publishes (CONTRACT.md, "A conclusion"): the request schemas, from which
 * the types, the validation at the edge and the OpenAPI document all come. Bounded everywhere (string lengths,
 * array sizes, counts) so one body can never exceed a DynamoDB item; strict (an unknown field is refused, so a
 * typo such as `violation` cannot silently drop data); the rules that need no lookup are refinements here, the
 * ones that need the unit registry are in `service.ts`.
 */

export { ATTACHMENT_MAX_BYTES, CONCLUSION_MAX_BODY_BYTES };

/** Largest count of organizations or individuals in one conclusion. */
export const MAX_COUNT = 100_000;
export const MAX_UNITS_PER_CONCLUSION = 50;
export const MAX_RECOMMENDATIONS = 100;
export const MAX_LEGAL_BASIS = 20;
/** Discipline entries of one conclusion: a form per track, stage, decision date and person category. */
export const MAX_DISCIPLINE_ENTRIES = 200;

const count = z
  .number()
  .check(z.int('a whole number'), z.gte(0, 'not negative'), z.lte(MAX_COUNT, `at most ${MAX_COUNT}`));

export const CountPairSchema = z.strictObject({ organizations: count, individuals: count });

/**
 * The violating, as the source states them: organizations and individuals, and optionally how many of them were
 * found in each category of violation (one may be in several categories, so these are not parts of a total).
 */
export const ViolationsSchema = z.strictObject({
  organizations: count,
  individuals: count,
  byCategory: z.optional(z.partialRecord(z.enum(VIOLATION_CATEGORIES), count)),
});

/**
 * One disciplinary form and its counts, on a track and at a stage (CONTRACT.md): `track` defaults to `state`
 * (`party` for khai trừ and giải tán), `stage` to `decided`. Both stay absent when not sent, so a body sent before
 * they existed keeps its content hash; readers take them through trackOf/stageOf (shared/discipline/law.ts).
 */
export const DisciplineEntrySchema = z.strictObject({
  form: z.enum(DISCIPLINE_FORMS),
  organizations: count,
  individuals: count,
  track: z.optional(z.enum(DISCIPLINE_TRACKS)),
  stage: z.optional(z.enum(DISCIPLINE_STAGES)),
  /** When the competent authority decided it (stage `decided`), if known: the law of that date applies. */
  decidedOn: z.optional(IsoDateSchema),
  /** Who the individuals are, when the source says: cán bộ, công chức, viên chức, người lao động. */
  category: z.optional(z.enum(PERSON_CATEGORIES)),
  /** Whether they hold a leading or managing post, when the source says. */
  leader: z.optional(z.boolean()),
});

/**
 * Measures lighter than discipline (nhắc nhở, phê bình, kiểm điểm trách nhiệm, điều chuyển, thay thế, tạm đình chỉ),
 * each a count of organizations and individuals; a measure the source does not give is absent.
 */
export const OtherMeasuresSchema = z.strictObject(
  Object.fromEntries(OTHER_MEASURES.map((measure) => [measure, z.optional(count)])) as Record<
    (typeof OTHER_MEASURES)[number],
    z.ZodMiniOptional<typeof count>
  >,
);

/** A directive, law or decision: its number, and who issued it and when (numbers restart yearly and by issuer). */
export const LegalDocumentSchema = z.strictObject({
  /** As printed: `24-CT/TU`, `172/2025/NĐ-CP`. */
  number: DocumentNumberSchema,
  /** `Ban Thường vụ Thành ủy Hà Nội`. */
  issuer: z.optional(line(300)),
  issuedOn: z.optional(IsoDateSchema),
  title: z.optional(localizedText(500)),
});

/** A legal basis: the document number alone (as first accepted), or the document with its issuer and date. */
export const LegalBasisSchema = z.union([line(200), LegalDocumentSchema]);

export const RecommendationSchema = z.strictObject({
  text: localizedText(4000, true),
  status: z.enum(RECOMMENDATION_STATUSES),
  /** The deadline set for it, if any. */
  dueOn: z.optional(IsoDateSchema),
});

const conclusionFields = {
  /** The document number as printed (`385/KL-ĐKTCV`); with the agency, it identifies the conclusion. */
  documentNumber: DocumentNumberSchema,
  issuedOn: IsoDateSchema,
  kind: z.enum(INSPECTION_KINDS),
  /** GSO codes, each read as the unit in force on `issuedOn`. */
  inspectedUnits: z
    .array(UnitCodeSchema)
    .check(z.minLength(1, 'name at least one unit'), z.maxLength(MAX_UNITS_PER_CONCLUSION)),
  topics: z.array(z.enum(TOPICS)).check(z.minLength(1, 'name at least one topic'), z.maxLength(TOPICS.length)),
  /** Directives and laws the inspection rests on: `24-CT/TU`, or `{ number, issuer, issuedOn }`. */
  legalBasis: z._default(z.array(LegalBasisSchema).check(z.maxLength(MAX_LEGAL_BASIS)), []),
  title: z.optional(localizedText(500)),
  /** The number of the decision that set up the inspection, if any (`12/QĐ-ĐKTCV`). */
  inspectionDecision: z.optional(DocumentNumberSchema),
  /** When the inspection took place. */
  inspectedFrom: z.optional(IsoDateSchema),
  inspectedTo: z.optional(IsoDateSchema),
  /** Summary of findings. No personal names: individuals are counted, not named. */
  summary: localizedText(20_000, true),
  /** The violating; absent when the source does not state them (counted only from conclusions that do). */
  violations: z.optional(ViolationsSchema),
  /**
   * The inspected units found in violation (codes from `inspectedUnits`). Absent: every inspected unit is counted
   * "with violations" when any violation is stated (what a one-unit conclusion means; docs/statistics.md).
   */
  violatingUnits: z.optional(z.array(UnitCodeSchema).check(z.maxLength(MAX_UNITS_PER_CONCLUSION))),
  discipline: z._default(z.array(DisciplineEntrySchema).check(z.maxLength(MAX_DISCIPLINE_ENTRIES)), []),
  // The default keeps the content (and its hash) of bodies sent before measures were optional.
  otherMeasures: z._default(OtherMeasuresSchema, { transfers: 0, responsibilityReviews: 0 }),
  recommendations: z._default(z.array(RecommendationSchema).check(z.maxLength(MAX_RECOMMENDATIONS)), []),
  /** Where the public can read the original. */
  sources: z.optional(z.array(SourceSchema).check(z.maxLength(MAX_SOURCES))),
};

/**
 * The content fields of a conclusion, in the order of the schema: what its content hash covers (records.ts) and
 * what the site compares between versions (site/src/lib/versions.ts). A field added above is in both.
 */
export const CONCLUSION_CONTENT_FIELDS = Object.keys(conclusionFields) as readonly ConclusionContentField[];
export type ConclusionContentField = keyof typeof conclusionFields;

type ConclusionShape = z.infer<z.ZodMiniObject<typeof conclusionFields>>;

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
  for (const dup of duplicates(value.discipline.map(disciplineKey))) {
    ctx.addIssue({
      code: 'custom',
      path: ['discipline', dup, 'form'],
      message: 'each form is given once per track, stage, decision date and category, with its counts',
    });
  }
  value.discipline.forEach((entry, index) => {
    for (const issue of disciplineIssues(entry, value.issuedOn)) {
      ctx.addIssue({ code: 'custom', path: ['discipline', index, issue.field], message: issue.message });
    }
    if (entry.decidedOn && entry.decidedOn > today) {
      ctx.addIssue({
        code: 'custom',
        path: ['discipline', index, 'decidedOn'],
        message: `must not be after today (${today})`,
      });
    }
  });
  violationRules(value, ctx);
}

/** The identity of a discipline entry: two entries with the same key would count the same people twice. */
function disciplineKey(entry: ConclusionShape['discipline'][number]): string {
  return [trackOf(entry), stageOf(entry), entry.form, entry.decidedOn, entry.category, entry.leader].join('|');
}

/** The violating against the discipline, their categories and the units named as violating. */
function violationRules(value: ConclusionShape, ctx: z.core.$RefinementCtx): void {
  const violations = value.violations;
  for (const dup of duplicates(value.violatingUnits ?? [])) {
    ctx.addIssue({ code: 'custom', path: ['violatingUnits', dup], message: 'the unit is listed twice' });
  }
  (value.violatingUnits ?? []).forEach((code, index) => {
    if (!value.inspectedUnits.includes(code)) {
      ctx.addIssue({ code: 'custom', path: ['violatingUnits', index], message: 'not one of inspectedUnits' });
    }
  });
  if (!violations) return;
  const violating = violations.organizations + violations.individuals;
  if (violating === 0 && (value.violatingUnits?.length ?? 0) > 0) {
    ctx.addIssue({ code: 'custom', path: ['violatingUnits'], message: 'violations states that no one violated' });
  }
  if (violating > 0 && value.violatingUnits?.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['violatingUnits'],
      message: 'name the units found in violation, or leave it out',
    });
  }
  for (const [category, n] of Object.entries(violations.byCategory ?? {})) {
    if ((n ?? 0) > violating) {
      ctx.addIssue({
        code: 'custom',
        path: ['violations', 'byCategory', category],
        message: `${n} exceed the ${violating} violating organizations and individuals`,
      });
    }
  }
  // A person or organization receives at most one form per track and stage from one conclusion, so the
  // disciplined of each track and stage, summed over forms, never exceed the violating. Tracks and stages are not
  // added together: one person may be recommended, then decided, on both tracks.
  const totals = new Map<string, { organizations: number; individuals: number }>();
  for (const entry of value.discipline) {
    const key = `${trackOf(entry)} ${stageOf(entry)}`;
    const total = totals.get(key) ?? { organizations: 0, individuals: 0 };
    total.organizations += entry.organizations;
    total.individuals += entry.individuals;
    totals.set(key, total);
  }
  for (const [key, total] of totals) {
    for (const who of ['organizations', 'individuals'] as const) {
      if (total[who] > violations[who]) {
        ctx.addIssue({
          code: 'custom',
          path: ['discipline'],
          message: `${total[who]} ${who} disciplined (${key}) exceed the ${violations[who]} violating (violations.${who})`,
        });
      }
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
export const ConclusionInputSchema = z.strictObject(conclusionFields).check(z.superRefine(conclusionRules));

/** `PUT /api/v1/conclusions/{id}`: the whole corrected conclusion, and why it was corrected. */
export const ConclusionCorrectionSchema = z
  .strictObject({ ...conclusionFields, reason: z.optional(ReasonSchema) })
  .check(z.superRefine(conclusionRules));

/** `POST /api/v1/conclusions/{id}/retraction`: why it is retracted (the body may also be empty). */
export const ConclusionRetractionSchema = z.strictObject({ reason: ReasonSchema });

/** The SHA-256 and size of a signed PDF of the conclusion (`POST /api/v1/conclusions/{id}/attachment`). */
export const AttachmentInputSchema = z.strictObject({
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the file, 64 lower-case hex digits')),
  bytes: z.number().check(z.int(), z.gte(1), z.lte(ATTACHMENT_MAX_BYTES, `at most ${ATTACHMENT_MAX_BYTES} bytes`)),
  mediaType: z.literal('application/pdf'),
});

export type ConclusionInput = z.infer<typeof ConclusionInputSchema>;
export type ConclusionCorrection = z.infer<typeof ConclusionCorrectionSchema>;
export type ConclusionRetraction = z.infer<typeof ConclusionRetractionSchema>;
export type AttachmentInput = z.infer<typeof AttachmentInputSchema>;
