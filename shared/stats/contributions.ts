import { z } from 'zod';
import { stageOf, trackOf } from '../discipline/law.js';
import { SURVEY_ASPECTS } from '../open-data/schemas.js';
import { isIsoDate, periodsOfDate, periodsOfMonth } from '../time/periods.js';
import { DISCIPLINE_FORMS, DISCIPLINE_STAGES, DISCIPLINE_TRACKS, INSPECTION_KINDS } from '../vocabulary.js';
import {
  addCounters,
  agencyScope,
  type BucketDeltas,
  bucketKey,
  type Counters,
  mergeDeltas,
  REPORT_FIELDS,
  type Scope,
  unitScope,
} from './counters.js';
import { InvalidRecordError } from './errors.js';
import { isSatisfied } from './methodology.js';

/**
 * What one stored record contributes to the counters (pure: an item of the records table in, deltas per bucket
 * out). A change of a record is "old image out, new image in", so a correction moves figures and a retraction
 * removes them, whatever happened in between. The same function serves the stream consumer and the full
 * recomputation, which is why the two can be compared figure by figure.
 */

/** The roll-up targets of a unit for a record of a date: itself, ancestors, full successors (UnitLookup). */
export type RollupSource = (unitId: string, onDate: string) => readonly string[] | undefined;

/** A unit and the date its roll-up is needed for. */
export interface RollupNeed {
  readonly unitId: string;
  readonly date: string;
}

const nonNegative = z.number().int().nonnegative();
const isoDate = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');

/** The fields of a conclusion's CURRENT item that move figures (keys.ts: entity `conclusion`). */
export const ConclusionImageSchema = z.object({
  entity: z.literal('conclusion'),
  id: z.string().min(1),
  status: z.enum(['published', 'retracted']),
  agencyId: z.string().min(1),
  issuedOn: isoDate,
  kind: z.enum(INSPECTION_KINDS),
  unitIds: z.array(z.string().min(1)).min(1),
  /** Absent: the conclusion does not state the violating (counted only from conclusions that do). */
  violations: z.object({ organizations: nonNegative, individuals: nonNegative }).optional(),
  discipline: z
    .array(
      z.object({
        form: z.enum(DISCIPLINE_FORMS),
        organizations: nonNegative,
        individuals: nonNegative,
        track: z.enum(DISCIPLINE_TRACKS).optional(),
        stage: z.enum(DISCIPLINE_STAGES).optional(),
      }),
    )
    .default([]),
  otherMeasures: z
    .object({ transfers: nonNegative.optional(), responsibilityReviews: nonNegative.optional() })
    .default({}),
});

const rating = z.number().int().min(1).max(5);

/** The fields of a survey response item that move figures (entity `survey`). */
export const SurveyImageSchema = z.object({
  entity: z.literal('survey'),
  unitId: z.string().min(1),
  date: isoDate,
  ratings: z.object({
    access: rating,
    procedures: rating,
    staff: rating,
    results: rating,
    // Not applicable: not counted in that aspect. Stored as null (or left out by an older writer).
    feedback: rating.nullable().optional(),
  }),
  overall: rating,
});

/** The fields of a report item that move figures (entity `report`); a section not reported has no attributes. */
export const ReportImageSchema = z.object({
  entity: z.literal('report'),
  unitId: z.string().min(1),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  ...Object.fromEntries(REPORT_FIELDS.map((field) => [field, nonNegative.optional()])),
});

export type ConclusionImage = z.infer<typeof ConclusionImageSchema>;
export type SurveyImage = z.infer<typeof SurveyImageSchema>;

/** Entities whose records move figures; every other item of the records table is ignored. */
export const COUNTED_ENTITIES = ['conclusion', 'survey', 'report'] as const;

/**
 * Entities published on the site that move no counter: summary reports are shown beside the counted figures,
 * never added into them, but a change to one still changes the pages (the site is marked dirty).
 */
export const PUBLISHED_ONLY_ENTITIES = ['summary'] as const;

/** True when an item (an image) is published on the site without moving a counter. */
export function isPublishedOnly(item: Readonly<Record<string, unknown>> | undefined): boolean {
  return item !== undefined && (PUBLISHED_ONLY_ENTITIES as readonly unknown[]).includes(item.entity);
}

/** True when an item (an image) is of an entity that moves figures. */
export function isCounted(item: Readonly<Record<string, unknown>> | undefined): boolean {
  return item !== undefined && (COUNTED_ENTITIES as readonly unknown[]).includes(item.entity);
}

/** The units (and dates) whose roll-ups the item's contribution needs, so an async lookup can fetch them first. */
export function rollupNeeds(item: Readonly<Record<string, unknown>> | undefined): RollupNeed[] {
  if (!item || !isCounted(item)) return [];
  if (item.entity === 'conclusion' && Array.isArray(item.unitIds) && typeof item.issuedOn === 'string') {
    const date = item.issuedOn;
    return item.unitIds.filter((id): id is string => typeof id === 'string').map((unitId) => ({ unitId, date }));
  }
  if (item.entity === 'survey' && typeof item.unitId === 'string' && typeof item.date === 'string') {
    return [{ unitId: item.unitId, date: item.date }];
  }
  if (item.entity === 'report' && typeof item.unitId === 'string' && typeof item.month === 'string') {
    return [{ unitId: item.unitId, date: `${item.month}-01` }];
  }
  return [];
}

/**
 * The counters an item contributes, per bucket (positive). Items of other entities and retracted conclusions
 * contribute nothing. Throws InvalidRecordError for an item that does not have its entity's shape or names a
 * unit the registry does not know: retrying cannot fix it, so the caller parks it.
 */
export function contributionOf(
  item: Readonly<Record<string, unknown>> | undefined,
  rollups: RollupSource,
): BucketDeltas {
  if (!item || !isCounted(item)) return new Map();
  switch (item.entity) {
    case 'conclusion':
      return conclusionContribution(parse(ConclusionImageSchema, item), rollups);
    case 'survey':
      return surveyContribution(parse(SurveyImageSchema, item), rollups);
    default:
      return reportContribution(parse(ReportImageSchema, item) as ReportLike, rollups);
  }
}

/** The deltas of a change: the new image's contribution minus the old one's (either may be absent). */
export function changeDelta(
  oldItem: Readonly<Record<string, unknown>> | undefined,
  newItem: Readonly<Record<string, unknown>> | undefined,
  rollups: RollupSource,
): BucketDeltas {
  const delta = contributionOf(newItem, rollups);
  return mergeDeltas(delta, contributionOf(oldItem, rollups), -1);
}

function conclusionContribution(image: ConclusionImage, rollups: RollupSource): BucketDeltas {
  if (image.status !== 'published') return new Map();
  const units = [...new Set(image.unitIds)];
  // A conclusion counts once per bucket, however many of its units share it; units are counted one by one.
  const unitsUnder = new Map<string, number>();
  for (const unitId of units) {
    for (const target of targetsOf(unitId, image.issuedOn, rollups)) {
      unitsUnder.set(target, (unitsUnder.get(target) ?? 0) + 1);
    }
  }
  const violations = image.violations ?? { organizations: 0, individuals: 0 };
  const violated = violations.organizations + violations.individuals > 0;
  const base: Counters = {
    conclusions: 1,
    [`kind_${image.kind}`]: 1,
    violOrgs: violations.organizations,
    violInds: violations.individuals,
    transfers: image.otherMeasures.transfers ?? 0,
    reviews: image.otherMeasures.responsibilityReviews ?? 0,
  };
  // The published disciplined figures are the state track, decided stage (CONTRACT.md); Party discipline and
  // recommendations are never added into them.
  for (const entry of image.discipline.filter((e) => trackOf(e) === 'state' && stageOf(e) === 'decided')) {
    addCounters(base, {
      discOrgs: entry.organizations,
      discInds: entry.individuals,
      [`form_${entry.form}`]: entry.organizations + entry.individuals,
    });
  }
  const withUnits = (count: number): Counters =>
    addCounters({ ...base }, { unitsInspected: count, unitsWithViolations: violated ? count : 0 });

  const perScope = new Map<Scope, Counters>();
  for (const [target, count] of unitsUnder) perScope.set(unitScope(target), withUnits(count));
  perScope.set(agencyScope(image.agencyId), withUnits(units.length));
  return spread(perScope, periodsOfDate(image.issuedOn));
}

function surveyContribution(image: SurveyImage, rollups: RollupSource): BucketDeltas {
  const counters: Counters = { surveys: 1 };
  if (isSatisfied(image.overall)) counters.satisfied = 1;
  for (const aspect of SURVEY_ASPECTS) {
    const value = image.ratings[aspect];
    if (value === null || value === undefined) continue;
    counters[`asp_${aspect}_n`] = 1;
    if (isSatisfied(value)) counters[`asp_${aspect}_ok`] = 1;
  }
  const perScope = new Map<Scope, Counters>();
  for (const target of targetsOf(image.unitId, image.date, rollups)) perScope.set(unitScope(target), counters);
  return spread(perScope, periodsOfDate(image.date));
}

type ReportLike = { unitId: string; month: string } & Partial<Record<(typeof REPORT_FIELDS)[number], number>>;

function reportContribution(image: ReportLike, rollups: RollupSource): BucketDeltas {
  const counters: Counters = { reports: 1 };
  for (const field of REPORT_FIELDS) {
    const value = image[field];
    if (value) counters[field] = value;
  }
  const perScope = new Map<Scope, Counters>();
  for (const target of targetsOf(image.unitId, `${image.month}-01`, rollups)) perScope.set(unitScope(target), counters);
  return spread(perScope, periodsOfMonth(image.month));
}

/** The same counters in the year, quarter and month bucket of every scope. */
function spread(perScope: ReadonlyMap<Scope, Counters>, periods: readonly string[]): BucketDeltas {
  const out: BucketDeltas = new Map();
  for (const [scope, counters] of perScope) {
    const clean = addCounters({}, counters);
    for (const period of periods) out.set(bucketKey({ scope, period }), { ...clean });
  }
  return out;
}

function targetsOf(unitId: string, date: string, rollups: RollupSource): readonly string[] {
  const targets = rollups(unitId, date);
  if (!targets || targets.length === 0) throw new InvalidRecordError(`unit ${unitId} is not in the registry`);
  return targets;
}

function parse<T extends z.ZodType>(schema: T, item: Readonly<Record<string, unknown>>): z.infer<T> {
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(item)';
    throw new InvalidRecordError(`${String(item.entity)} item: ${where}: ${issue?.message ?? 'invalid'}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
