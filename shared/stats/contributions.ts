import { stageOf, trackOf } from '../discipline/law.js';
import { ConclusionItemSchema } from '../storage/items/conclusion.js';
import { firstIssue, projection } from '../storage/items/item.js';
import { ReportItemFields, reportNamesItsPeriod } from '../storage/items/report.js';
import { SurveyItemSchema } from '../storage/items/survey.js';
import { SURVEY_ASPECTS } from '../surveys/aspects.js';
import { PERIOD_PATTERN, periodBounds, periodsOfDate, periodsOfPeriod } from '../time/periods.js';
import { OTHER_MEASURES } from '../vocabulary.js';
import * as z from '../zod.js';
import {
  addCounters,
  agencyScope,
  type BucketDeltas,
  bucketKey,
  type Counters,
  channelCounter,
  disciplineCounter,
  mergeDeltas,
  RECEPTION_REPORT_FIELDS,
  REPORT_FIELDS,
  type Scope,
  SURVEY_SHARE_MEASURES,
  storedLayout,
  TRACK_STAGES,
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

/**
 * What the counters read of each counted item: a projection of the item's own schema (shared/storage/items/), so
 * the writer, this reader and the export share one description of every attribute. Attributes the counters do
 * not use are neither required nor checked here (the repository checked them when it wrote the item).
 */
export const ConclusionImageSchema = projection(ConclusionItemSchema, {
  entity: true,
  id: true,
  status: true,
  agencyId: true,
  issuedOn: true,
  kind: true,
  unitIds: true,
  /** The codes as sent, in the order of `unitIds` (so `violatingUnits` can be resolved to ids). */
  inspectedUnits: true,
  /** Absent: the conclusion does not state the violating (counted only from conclusions that do). */
  violations: true,
  violatingUnits: true,
  discipline: true,
  otherMeasures: true,
  /** Set by trusted loaders only (the demo seeder), never from the public API. */
  illustrative: true,
});

/** The fields of a survey response item that move figures (entity `survey`). */
export const SurveyImageSchema = projection(SurveyItemSchema, {
  entity: true,
  unitId: true,
  date: true,
  ratings: true,
  overall: true,
  submission: true,
  conduct: true,
  verified: true,
  channel: true,
  illustrative: true,
});

/**
 * The fields of a report item that move figures (entity `report`); a section not reported has no attributes. A
 * report covers a month (`month`, the first shape), or a `period`: a year, a quarter or a month.
 */
export const ReportImageSchema = projection(ReportItemFields, {
  entity: true,
  unitId: true,
  month: true,
  period: true,
  /** The date the unit was resolved on (reports of a quarter or a year); else the period's first day. */
  unitDate: true,
  illustrative: true,
  ...Object.fromEntries(REPORT_FIELDS.map((field) => [field, true])),
} as const).check(reportNamesItsPeriod);

export type ConclusionImage = z.output<typeof ConclusionImageSchema>;
export type SurveyImage = z.output<typeof SurveyImageSchema>;

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
  const reportDate = item.entity === 'report' ? reportUnitDate(item) : undefined;
  if (item.entity === 'report' && typeof item.unitId === 'string' && reportDate) {
    return [{ unitId: item.unitId, date: reportDate }];
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

/**
 * The deltas of a change in the stored layout (counters.ts, storedLayout): what the aggregation writes. Each image
 * is laid out before the two are subtracted, since a correction may move a record to another month.
 */
export function storedChangeDelta(
  oldItem: Readonly<Record<string, unknown>> | undefined,
  newItem: Readonly<Record<string, unknown>> | undefined,
  rollups: RollupSource,
): BucketDeltas {
  const delta = storedLayout(contributionOf(newItem, rollups));
  return mergeDeltas(delta, storedLayout(contributionOf(oldItem, rollups)), -1);
}

/**
 * A conclusion's contribution (docs/statistics.md, "Conclusions"):
 * - `conclusions` and `kind_*` in every scope any of its units is under (and its agency): once per scope;
 * - `unitsInspected` per unit; `unitsAssessed` and `unitsWithViolations` only for units whose status it tells
 *   (all of them when it states no violation, those it names in `violatingUnits`, or its only unit);
 * - the people counts (violating, disciplined per track and stage, measures, categories) only in the scopes that
 *   hold every unit they concern (the violating units when named, else all): counts of people are not split
 *   among units, so a conclusion over two districts counts them in the city, not in either district, and the
 *   districts never add up to more than the city.
 */
function conclusionContribution(image: ConclusionImage, rollups: RollupSource): BucketDeltas {
  if (image.status !== 'published') return new Map();
  const units = [...new Set(image.unitIds)];
  const targets = new Map(units.map((unitId) => [unitId, targetsOf(unitId, image.issuedOn, rollups)]));
  const violations = image.violations;
  const violating = violations ? violations.organizations + violations.individuals : undefined;
  const named = namedViolatingUnits(image);
  // Units whose violation status is known, and which of them violated. A conclusion over several units that
  // found violations without naming the units tells nothing of any one of them.
  const known = named !== undefined || violating === 0 || (violating !== undefined && units.length === 1);
  const assessed = known ? units : [];
  const withViolations = named ?? (known && violating ? units : []);
  // The scopes holding every unit the people counts concern.
  const concerned = named && named.length > 0 ? named : units;
  const home = new Set(targets.get(concerned[0] ?? '') ?? []);
  for (const unitId of concerned.slice(1)) {
    const under = new Set(targets.get(unitId) ?? []);
    for (const scope of home) if (!under.has(scope)) home.delete(scope);
  }

  const perUnit = (list: readonly string[]) => {
    const under = new Map<string, number>();
    for (const unitId of list)
      for (const target of targets.get(unitId) ?? []) under.set(target, (under.get(target) ?? 0) + 1);
    return under;
  };
  const inspectedUnder = perUnit(units);
  const assessedUnder = perUnit(assessed);
  const violatingUnder = perUnit(withViolations);

  const base: Counters = { conclusions: 1, [`kind_${image.kind}`]: 1, illusConclusions: image.illustrative ? 1 : 0 };
  const people = peopleCounters(image);
  const perScope = new Map<Scope, Counters>();
  for (const [target, count] of inspectedUnder) {
    const counters = addCounters(
      { ...base },
      {
        unitsInspected: count,
        unitsAssessed: assessedUnder.get(target) ?? 0,
        unitsWithViolations: violatingUnder.get(target) ?? 0,
      },
    );
    perScope.set(unitScope(target), home.has(target) ? addCounters(counters, people) : counters);
  }
  // The agency published the whole conclusion: everything counts under it.
  perScope.set(
    agencyScope(image.agencyId),
    addCounters(
      { ...base },
      {
        ...people,
        unitsInspected: units.length,
        unitsAssessed: assessed.length,
        unitsWithViolations: withViolations.length,
      },
    ),
  );
  return spread(perScope, periodsOfDate(image.issuedOn));
}

/** The registry ids of the units a conclusion names as violating (`violatingUnits` are codes of `inspectedUnits`). */
function namedViolatingUnits(image: ConclusionImage): string[] | undefined {
  if (!image.violatingUnits) return undefined;
  const codes = image.inspectedUnits ?? [];
  return [
    ...new Set(
      image.violatingUnits.flatMap((code) => {
        const index = codes.indexOf(code);
        const id = index >= 0 ? image.unitIds[index] : undefined;
        return id ? [id] : [];
      }),
    ),
  ];
}

/** The people counts of a conclusion: violating, disciplined per track and stage, measures, categories. */
function peopleCounters(image: ConclusionImage): Counters {
  const out: Counters = { peopleN: 1 };
  if (image.violations) {
    addCounters(out, { violN: 1, violOrgs: image.violations.organizations, violInds: image.violations.individuals });
    if (image.violations.byCategory) {
      out.vcatN = 1;
      for (const [category, n] of Object.entries(image.violations.byCategory)) {
        if (n) addCounters(out, { [`vcat_${category}`]: n });
      }
    }
  }
  for (const entry of image.discipline) {
    const track = trackOf(entry);
    const stage = stageOf(entry);
    const code = TRACK_STAGES.find((ts) => ts.track === track && ts.stage === stage)?.code;
    if (!code) continue;
    addCounters(out, {
      [disciplineCounter(code, 'o')]: entry.organizations,
      [disciplineCounter(code, 'i')]: entry.individuals,
      [disciplineCounter(code, 'o', entry.form)]: entry.organizations,
      [disciplineCounter(code, 'i', entry.form)]: entry.individuals,
    });
  }
  for (const measure of OTHER_MEASURES) {
    const n = image.otherMeasures[measure];
    if (n) addCounters(out, { [`m_${measure}`]: n });
  }
  return out;
}

function surveyContribution(image: SurveyImage, rollups: RollupSource): BucketDeltas {
  const counters: Counters = { surveys: 1 };
  if (image.illustrative) counters.illusSurveys = 1;
  if (isSatisfied(image.overall)) counters.satisfied = 1;
  if (image.verified) {
    counters.vsurveys = 1;
    if (isSatisfied(image.overall)) counters.vsatisfied = 1;
  }
  if (image.channel) counters[channelCounter(image.channel)] = 1;
  for (const aspect of SURVEY_ASPECTS) {
    const value = image.ratings[aspect];
    if (value === null || value === undefined) continue;
    counters[`asp_${aspect}_n`] = 1;
    if (isSatisfied(value)) counters[`asp_${aspect}_ok`] = 1;
  }
  // Each share counts the response once in its base when its question was answered, and once more as a "yes".
  for (const measure of SURVEY_SHARE_MEASURES) {
    const answer = measure.count(image);
    if (answer === undefined) continue;
    counters[`${measure.key}_n`] = 1;
    if (answer === 'yes') counters[`${measure.key}_y`] = 1;
  }
  const perScope = new Map<Scope, Counters>();
  for (const target of targetsOf(image.unitId, image.date, rollups)) perScope.set(unitScope(target), counters);
  return spread(perScope, periodsOfDate(image.date));
}

type ReportLike = z.output<typeof ReportImageSchema> & Partial<Record<(typeof REPORT_FIELDS)[number], number>>;

/** The period a report covers: `period`, or the `month` of the first shape. */
export function reportPeriod(image: { period?: unknown; month?: unknown }): string | undefined {
  const period = typeof image.period === 'string' ? image.period : image.month;
  return typeof period === 'string' ? period : undefined;
}

/** The date a report's unit is read on: the one it was resolved on, else the first day of its period. */
function reportUnitDate(image: { unitDate?: unknown; period?: unknown; month?: unknown }): string | undefined {
  if (typeof image.unitDate === 'string') return image.unitDate;
  const period = reportPeriod(image);
  return period && PERIOD_PATTERN.test(period) ? periodBounds(period).from : undefined;
}

/**
 * A report counts in the buckets of the period it covers only (a year's report in the year, not in December), in
 * its unit and everything above it; `ownReports` only in its unit's own scope (how many units reported).
 */
function reportContribution(image: ReportLike, rollups: RollupSource): BucketDeltas {
  const period = reportPeriod(image) ?? '';
  const counters: Counters = { reports: 1 };
  if (image.illustrative) counters.illusReports = 1;
  if (image.received !== undefined) counters.procN = 1;
  for (const field of RECEPTION_REPORT_FIELDS) if (image[field] !== undefined) counters[`recN_${field}`] = 1;
  for (const field of REPORT_FIELDS) {
    const value = image[field];
    if (value) counters[field] = value;
  }
  const perScope = new Map<Scope, Counters>();
  for (const target of targetsOf(image.unitId, reportUnitDate(image) ?? '', rollups)) {
    perScope.set(unitScope(target), target === image.unitId ? { ...counters, ownReports: 1 } : counters);
  }
  return spread(perScope, periodsOfPeriod(period));
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

function parse<T extends z.core.$ZodType>(schema: T, item: Readonly<Record<string, unknown>>): z.output<T> {
  const parsed = z.safeParse(schema, item);
  if (!parsed.success) {
    throw new InvalidRecordError(`${String(item.entity)} item: ${firstIssue(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data;
}
