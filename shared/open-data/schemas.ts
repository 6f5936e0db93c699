import { SummaryFiguresSchema } from '../summaries/schemas.js';
import { SURVEY_ASPECTS } from '../surveys/aspects.js';
import { REFUSAL_REASONS } from '../surveys/integrity.js';
import { CONDUCT_SHARE_KEYS, SUBMISSION_METHODS } from '../surveys/questionnaire.js';
import { SURVEY_CHANNELS } from '../surveys/schemas.js';
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
import { PublishedUnitSchema } from './units.js';

/**
 * The shape of the open-data files the statistics export writes and the site reads
 * (CONTRACT.md, "Published statistics"). One source of truth for both sides; the open-data page documents
 * the same fields. Additions are allowed; removals or renames break the contract.
 */

export { SURVEY_ASPECTS, type SurveyAspect } from '../surveys/aspects.js';
export { type PublishedUnit, PublishedUnitSchema, UnitRefSchema, UnitTypeSchema } from './units.js';

export const LocalizedTextSchema = z.object({ vi: z.string(), en: z.optional(z.string()) });

/** A share with its 95% Wilson interval; `null` where withheld (see methodology). */
export const IntervalShareSchema = z.nullable(
  z.object({
    share: z.number().check(z.gte(0), z.lte(1)),
    low: z.number().check(z.gte(0), z.lte(1)),
    high: z.number().check(z.gte(0), z.lte(1)),
  }),
);

/** A survey share: how many responses it is counted over (null when none, or withheld) and the share. */
export const SurveyShareFigureSchema = z.object({
  responses: z.nullable(z.number().check(z.int(), z.gte(0))),
  share: IntervalShareSchema,
});

/** A count; `null` when there is nothing to count it from (never 0 for "not reported"). */
const CountOrNull = z.nullable(z.number().check(z.int(), z.gte(0)));

/** `true` beside a figure computed from illustrative (demo) records; absent otherwise. */
const Illustrative = z.optional(z.literal(true));

/** Organizations and individuals; each `null` when there is nothing to count from. */
export const CountPairFigureSchema = z.object({ organizations: CountOrNull, individuals: CountOrNull });

/** The disciplined of one track and stage: totals and, per form of the track, organizations and individuals. */
export const DisciplineFiguresSchema = z.object({
  organizations: CountOrNull,
  individuals: CountOrNull,
  /** Only the forms of the track (shared/discipline/law.ts); organizations and individuals apart, never added. */
  byForm: z.partialRecord(z.enum(DISCIPLINE_FORMS), CountPairFigureSchema),
});

/**
 * The counted figures of a unit (or agency) for one period (CONTRACT.md, "Published statistics"), from the records
 * published here. A figure with nothing to count from is `null`: inspection figures without a conclusion, the
 * violating without a conclusion stating them, procedure and reception figures without a report giving them.
 * `illustrative: true` marks a section counted (in part) from illustrative records.
 */
export const PeriodFiguresSchema = z.object({
  inspections: z.object({
    /** Conclusions in force that inspected a unit under this one. */
    total: CountOrNull,
    byKind: z.record(z.enum(INSPECTION_KINDS), CountOrNull),
    /** Distinct (conclusion, inspected unit) pairs under this unit. */
    unitsInspected: CountOrNull,
    /** Of those, the units whose violation status the conclusion tells (docs/statistics.md). */
    unitsAssessed: CountOrNull,
    unitsWithViolations: CountOrNull,
    /** unitsWithViolations / unitsAssessed with a Wilson interval; null when no unit was assessed. */
    violatingShare: IntervalShareSchema,
    illustrative: Illustrative,
  }),
  /**
   * The violating, summed over the conclusions that state them (`conclusions`) and lie wholly under this unit;
   * `null` when none does. `byCategory`: organizations and individuals per category of violation, from the
   * conclusions that give categories (one may be in several, so categories are not parts of a total).
   */
  violations: z.object({
    organizations: CountOrNull,
    individuals: CountOrNull,
    conclusions: z.number().check(z.int(), z.gte(0)),
    byCategory: z.nullable(z.record(z.enum(VIOLATION_CATEGORIES), z.number().check(z.int(), z.gte(0)))),
    illustrative: Illustrative,
  }),
  /**
   * `organizations`, `individuals` and `byForm` are the **state track, decided stage** (administrative discipline
   * decided by the competent authority), as CONTRACT.md has always meant them. `tracks` gives every track and stage
   * (state/Party × decided/recommended) beside them: they are never added together (one person may be disciplined
   * on both tracks, and a recommendation becomes a decision later). `conclusions`: how many conclusions they are
   * counted from; every figure is `null` when none.
   */
  disciplined: z.extend(DisciplineFiguresSchema, {
    conclusions: z.number().check(z.int(), z.gte(0)),
    tracks: z.object({
      state: z.object({ decided: DisciplineFiguresSchema, recommended: DisciplineFiguresSchema }),
      party: z.object({ decided: DisciplineFiguresSchema, recommended: DisciplineFiguresSchema }),
    }),
    illustrative: Illustrative,
  }),
  /** Measures lighter than discipline, as stated (a conclusion that does not state a measure adds nothing to it). */
  otherMeasures: z.extend(
    z.object(
      Object.fromEntries(OTHER_MEASURES.map((measure) => [measure, CountOrNull])) as Record<
        (typeof OTHER_MEASURES)[number],
        typeof CountOrNull
      >,
    ),
    { illustrative: Illustrative },
  ),
  satisfaction: z.object({
    /** Number of responses; null when there is none, or withheld (fewer than the minimum, and not derivable). */
    responses: z.nullable(z.number().check(z.int(), z.gte(0))),
    overall: IntervalShareSchema,
    /**
     * The verified responses alone (a valid receipt from the dossier came with them), the same shape as the
     * figure of all responses beside it, with the same thresholds and suppression. Part of `responses`, never
     * added to it; rankings rest on it where a unit has enough (methodology).
     */
    verified: z.object({ responses: z.nullable(z.number().check(z.int(), z.gte(0))), overall: IntervalShareSchema }),
    /**
     * Responses per channel (`web` the site's form, `qr` opened from a QR code, `api` any other client), published
     * exactly where `responses` is (null where it is withheld or there is none). Responses stored before channels
     * were recorded count in none, so the channels may add up to less than `responses`.
     */
    channels: z.record(z.enum(SURVEY_CHANNELS), CountOrNull),
    aspects: z.record(z.enum(SURVEY_ASPECTS), SurveyShareFigureSchema),
    /**
     * How citizens were treated: per question, the share answering "yes" over the responses that answered it
     * (`responses`; `apologyWhenLate` over the late dossiers only), with the same thresholds as satisfaction.
     * Absent in files written before these questions existed.
     */
    conduct: z.optional(z.record(z.enum(CONDUCT_SHARE_KEYS), SurveyShareFigureSchema)),
    /** How dossiers were submitted: the share of each way, over the responses that said. */
    submission: z.optional(z.record(z.enum(SUBMISSION_METHODS), SurveyShareFigureSchema)),
    illustrative: Illustrative,
  }),
  procedures: z.object({
    received: CountOrNull,
    resolvedEarly: CountOrNull,
    resolvedOnTime: CountOrNull,
    resolvedLate: CountOrNull,
    pendingOverdue: CountOrNull,
    /**
     * (early + on time) / (resolved + pending past their deadline), with a Wilson interval: a dossier left pending
     * past its deadline is late too. Null when there is nothing to count from.
     */
    onTimeRate: IntervalShareSchema,
    illustrative: Illustrative,
  }),
  reception: z.object({
    citizensReceived: CountOrNull,
    complaintsReceived: CountOrNull,
    complaintsResolved: CountOrNull,
    denunciationsReceived: CountOrNull,
    denunciationsResolved: CountOrNull,
    illustrative: Illustrative,
  }),
  /**
   * How many units filed a report for the period (`reported`), of the units under this one in force during it
   * (`units`, this one included): the procedure and reception figures cover only the units that reported.
   * Absent in agency files.
   */
  reporting: z.optional(
    z.object({ reported: z.number().check(z.int(), z.gte(0)), units: z.number().check(z.int(), z.gt(0)) }),
  ),
});

/** Where the public can read the original of a record. */
export const PublishedSourceSchema = z.object({
  title: z.string(),
  publisher: z.optional(z.string()),
  publishedOn: z.optional(z.string()),
  url: z.string(),
});

/**
 * A summary report as its unit's file publishes it: the figures exactly as the authority stated them, for the
 * span and scope it stated, with its sources (CONTRACT.md, "A summary report"). Never added to `periods`.
 */
export const ReportedSummarySchema = z.object({
  id: z.string(),
  version: z.number().check(z.int(), z.gt(0)),
  agency: z.object({ id: z.string(), name: z.string() }),
  documentNumber: z.string(),
  issuedOn: z.string(),
  from: z.string(),
  to: z.string(),
  scope: LocalizedTextSchema,
  title: z.optional(LocalizedTextSchema),
  description: z.optional(LocalizedTextSchema),
  sources: z.array(PublishedSourceSchema),
  /** The agency's signed request behind this version, and its proof in the log (see ConclusionVersionSchema). */
  signature: z.optional(z.lazy(() => PublishedSignatureSchema)),
  figures: SummaryFiguresSchema,
});

/** `/data/units/<unit-id>.json`. Period keys: `2024`, `2024-Q4`, `2024-12`. */
export const UnitFileSchema = z.object({
  unit: PublishedUnitSchema,
  generatedAt: z.string(),
  children: z.array(z.string()),
  periods: z.record(z.string().check(z.regex(/^\d{4}(-Q[1-4]|-\d{2})?$/)), PeriodFiguresSchema),
  /** The unit's current summary reports, as stated (latest span first): beside `periods`, never added in. */
  reported: z.array(ReportedSummarySchema),
});

/** One line of the conclusion index `/data/conclusions.json`. */
export const ConclusionIndexEntrySchema = z.object({
  id: z.string(),
  version: z.number().check(z.int(), z.gt(0)),
  status: z.enum(['published', 'retracted']),
  agency: z.string(),
  documentNumber: z.string(),
  issuedOn: z.string(),
  kind: z.enum(INSPECTION_KINDS),
  inspectedUnits: z.array(z.string()),
  /** Roll-up targets of the inspected units (ids), so lists can filter by district or city. */
  rollup: z.array(z.string()),
  title: z.optional(LocalizedTextSchema),
  updatedAt: z.string(),
});

/** `/data/summary.json`. */
export const SummaryFileSchema = z.object({
  generatedAt: z.string(),
  /** Top-level units (provinces/municipalities) that have any figure, with their periods. */
  roots: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The figures of each root unit, keyed by unit id then period. */
  figures: z.record(z.string(), z.record(z.string(), PeriodFiguresSchema)),
  counts: z.object({
    conclusions: z.number().check(z.int(), z.gte(0)),
    surveyResponses: z.number().check(z.int(), z.gte(0)),
    reports: z.number().check(z.int(), z.gte(0)),
  }),
  latestConclusions: z.array(ConclusionIndexEntrySchema),
  /** The latest summary reports of any unit, as stated (latest span first), with their unit. */
  latestReported: z.array(z.extend(ReportedSummarySchema, { unit: z.object({ id: z.string(), name: z.string() }) })),
});

export type PeriodFigures = z.infer<typeof PeriodFiguresSchema>;
export type UnitFile = z.infer<typeof UnitFileSchema>;
export type ConclusionIndexEntry = z.infer<typeof ConclusionIndexEntrySchema>;
export type SummaryFile = z.infer<typeof SummaryFileSchema>;
export type ReportedSummary = z.infer<typeof ReportedSummarySchema>;

const CountPairSchema = z.object({
  organizations: z.number().check(z.int(), z.gte(0)),
  individuals: z.number().check(z.int(), z.gte(0)),
});

/** A directive, law or decision a record rests on: its number alone (older records), or with issuer and date. */
export const PublishedLegalBasisSchema = z.union([
  z.string(),
  z.object({
    number: z.string(),
    issuer: z.optional(z.string()),
    issuedOn: z.optional(z.string()),
    title: z.optional(LocalizedTextSchema),
  }),
]);

/**
 * One discipline entry as published: `track` and `stage` always written out (an entry stored without them reads
 * as state/decided, or Party for khai trừ and giải tán: shared/discipline/law.ts).
 */
export const PublishedDisciplineEntrySchema = z.extend(CountPairSchema, {
  form: z.enum(DISCIPLINE_FORMS),
  track: z.enum(DISCIPLINE_TRACKS),
  stage: z.enum(DISCIPLINE_STAGES),
  decidedOn: z.optional(z.string()),
  category: z.optional(z.enum(PERSON_CATEGORIES)),
  leader: z.optional(z.boolean()),
});

/**
 * The agency's signed request behind a published version (CONTRACT.md, "Verifiable publication"): the compact JWS
 * as sent, the key that verified it, its `jti`, and where the exact body bytes are (`body`, SHA-256 `bodySha256`,
 * the JWS's `bh`). Anyone can check the signature with the key listed in `/data/agencies/<agency-id>.json`.
 */
export const PublishedSignatureSchema = z.object({
  jws: z.string(),
  keyThumbprint: z.string(),
  jti: z.string(),
  body: z.string().check(z.startsWith('/')),
  bodySha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** The inclusion proof (C2SP tlog-proof) of this version in the transparency log at `/log/`. */
  proof: z.string().check(z.startsWith('/')),
});
export type PublishedSignature = z.infer<typeof PublishedSignatureSchema>;

/** A published agency key: the public JWK, its RFC 7638 thumbprint, and when it was added and revoked. */
export const PublishedAgencyKeySchema = z.object({
  thumbprint: z.string(),
  jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() }),
  status: z.enum(['active', 'revoked']),
  addedAt: z.string(),
  revokedAt: z.nullable(z.string()),
});
export type PublishedAgencyKey = z.infer<typeof PublishedAgencyKeySchema>;

/**
 * One version of a published conclusion, as `/data/conclusions/<id>.json` shows it (no personal names): every content
 * field of the request (shared/conclusions/schemas.ts, CONCLUSION_CONTENT_FIELDS; the site's history compares them
 * all), plus status, version and publication. Written out rather than derived from the request schema on purpose:
 * a published file must read every version ever stored (older ones lack fields a request now requires), writes
 * `track` and `stage` out, and carries no request bounds.
 */
export const ConclusionVersionSchema = z.object({
  version: z.number().check(z.int(), z.gt(0)),
  status: z.enum(['published', 'retracted']),
  documentNumber: z.string(),
  issuedOn: z.string(),
  kind: z.enum(INSPECTION_KINDS),
  inspectedUnits: z.array(z.string()),
  topics: z.array(z.enum(TOPICS)),
  legalBasis: z.array(PublishedLegalBasisSchema),
  /** The conclusion's title, as the agency gave it; absent when it gave none. */
  title: z.optional(LocalizedTextSchema),
  /** The number of the decision that set up the inspection (`12/QĐ-ĐKTCV`), when given. */
  inspectionDecision: z.optional(z.string()),
  /** When the inspection took place (`YYYY-MM-DD`), when given. */
  inspectedFrom: z.optional(z.string()),
  inspectedTo: z.optional(z.string()),
  summary: LocalizedTextSchema,
  /** Absent when the conclusion does not state the violating. */
  violations: z.optional(
    z.extend(CountPairSchema, {
      byCategory: z.optional(z.partialRecord(z.enum(VIOLATION_CATEGORIES), z.number().check(z.int(), z.gte(0)))),
    }),
  ),
  /** The inspected units found in violation, when the conclusion names them. */
  violatingUnits: z.optional(z.array(z.string())),
  discipline: z.array(PublishedDisciplineEntrySchema),
  /** Each measure as stated; a measure not stated is absent. */
  otherMeasures: z.partialRecord(z.enum(OTHER_MEASURES), z.number().check(z.int(), z.gte(0))),
  recommendations: z.array(
    z.object({
      text: LocalizedTextSchema,
      status: z.enum(RECOMMENDATION_STATUSES),
      /** The deadline the conclusion set for it, when it set one (added 2026-11-30; additive). */
      dueOn: z.optional(z.string()),
    }),
  ),
  sources: z.optional(z.array(PublishedSourceSchema)),
  attachment: z.optional(
    z.object({
      sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
      bytes: z.number().check(z.int(), z.gte(0)),
      mediaType: z.string(),
    }),
  ),
  publishedAt: z.string(),
  /** The agency's signed request that made this version; absent only on versions older than the log. */
  signature: z.optional(PublishedSignatureSchema),
  /** Why this version replaced the previous one (correction or retraction); absent on version 1. */
  reason: z.optional(z.string()),
  /** Illustrative data (demo records whose date the source does not give): labelled wherever it shows. */
  illustrative: z.optional(z.literal(true)),
});

/** `/data/conclusions/<id>.json`: the current version and the whole history, oldest first. */
export const ConclusionFileSchema = z.object({
  id: z.string(),
  agency: z.object({ id: z.string(), name: z.string() }),
  current: ConclusionVersionSchema,
  versions: z.array(ConclusionVersionSchema).check(z.minLength(1)),
});

export type ConclusionVersion = z.infer<typeof ConclusionVersionSchema>;
export type ConclusionFile = z.infer<typeof ConclusionFileSchema>;

/** `/data/agencies/<agency-id>.json`: the figures of the conclusions an agency published (an addition to CONTRACT.md). */
export const AgencyFileSchema = z.object({
  agency: z.object({ id: z.string(), name: z.string() }),
  generatedAt: z.string(),
  /** The agency's signing keys, current and revoked, so anyone can check its signatures (absent: none known). */
  keys: z.optional(z.array(PublishedAgencyKeySchema)),
  periods: z.record(z.string().check(z.regex(/^\d{4}(-Q[1-4]|-\d{2})?$/)), PeriodFiguresSchema),
});

export type AgencyFile = z.infer<typeof AgencyFileSchema>;

/** Refused survey submissions of one period, by reason (shared/surveys/integrity.ts names the reasons). */
export const RefusedFiguresSchema = z.object({
  /** Every refusal of the period, whatever its reason. */
  total: z.number().check(z.int(), z.gte(0)),
  /** Each reason, 0 where none was refused for it (counted, not missing). */
  byReason: z.record(z.enum(REFUSAL_REASONS), z.number().check(z.int(), z.gte(0))),
});

/**
 * `/data/integrity.json` (CONTRACT.md, the survey section): how much of the survey channel was refused and why,
 * per period (Vietnam time; `2026`, `2026-Q4`, `2026-11`), counted without anything personal (no address, no
 * content). A period without any refusal is absent.
 */
export const IntegrityFileSchema = z.object({
  generatedAt: z.string(),
  periods: z.record(z.string().check(z.regex(/^\d{4}(-Q[1-4]|-\d{2})?$/)), z.object({ refused: RefusedFiguresSchema })),
  /**
   * Spikes flagged (methodology, "Integrity"): a unit's responses in one hour (Vietnam time, `2026-11-29T14`) far
   * above its usual level; `underReview` until someone reviews it (who is recorded, never published). Oldest first.
   */
  spikes: z.array(
    z.object({
      unit: z.string(),
      hour: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/)),
      responses: z.number().check(z.int(), z.gte(0)),
      /** The unit's usual responses per active hour then, and the count that made the hour a spike. */
      usual: z.number().check(z.gte(0)),
      threshold: z.number().check(z.int(), z.gt(0)),
      detectedAt: z.string(),
      status: z.enum(['underReview', 'reviewed']),
      reviewedAt: z.nullable(z.string()),
    }),
  ),
});

export type IntegrityFile = z.infer<typeof IntegrityFileSchema>;
