import { TRACK_FORMS } from '../discipline/law.js';
import { PROCEDURE_FIELDS, RECEPTION_FIELDS } from '../reports/records.js';
import { SURVEY_ASPECTS, type SurveyAspect } from '../surveys/aspects.js';
import {
  CONDUCT_SHARES,
  type ConductShare,
  type ConductShareId,
  SUBMISSION_METHODS,
  type SubmissionMethod,
  submissionShare,
} from '../surveys/questionnaire.js';
import { SURVEY_CHANNELS, type SurveyChannel } from '../surveys/schemas.js';
import { periodsOfPeriod } from '../time/periods.js';
import {
  type DisciplineForm,
  type DisciplineStage,
  type DisciplineTrack,
  INSPECTION_KINDS,
  type InspectionKind,
  OTHER_MEASURES,
  type OtherMeasure,
  VIOLATION_CATEGORIES,
  type ViolationCategory,
} from '../vocabulary.js';

/**
 * The counters kept per bucket (a scope × a period). They are plain sums, so a change is a vector of deltas that
 * can be added in any order (DynamoDB `ADD`); everything derived (shares, intervals, what is withheld) is computed
 * from them when figures are read (figures.ts). The names are the attribute names in the stats table: short,
 * because every byte of an item counts against its write units.
 */

/** The report figures counted: the procedure figures, then the reception figures (shared/reports/records.ts). */
export const REPORT_FIELDS = [...PROCEDURE_FIELDS, ...RECEPTION_FIELDS] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/** Reception figures are reported one by one: each has the count of reports that gave it. */
export const RECEPTION_REPORT_FIELDS = RECEPTION_FIELDS satisfies readonly ReportField[];
export type ReceptionReportField = (typeof RECEPTION_REPORT_FIELDS)[number];

/** A track and a stage, as the short code of counter names: `sd` (state, decided) … `pr` (Party, recommended). */
export type TrackStage = `${'s' | 'p'}${'d' | 'r'}`;
export const TRACK_STAGES: readonly { code: TrackStage; track: DisciplineTrack; stage: DisciplineStage }[] = [
  { code: 'sd', track: 'state', stage: 'decided' },
  { code: 'sr', track: 'state', stage: 'recommended' },
  { code: 'pd', track: 'party', stage: 'decided' },
  { code: 'pr', track: 'party', stage: 'recommended' },
];
/** `o` organizations, `i` individuals. */
export type Who = 'o' | 'i';

export type KindCounter = `kind_${InspectionKind}`;
/** The disciplined of a track and stage (`d_sd_i`), and per form (`d_sd_i_reprimand`). */
export type DisciplineCounter = `d_${TrackStage}_${Who}` | `d_${TrackStage}_${Who}_${DisciplineForm}`;
export type MeasureCounter = `m_${OtherMeasure}`;
export type CategoryCounter = `vcat_${ViolationCategory}`;
export type AspectCounter = `asp_${SurveyAspect}_n` | `asp_${SurveyAspect}_ok`;
export type ReceptionCounter = `recN_${ReceptionReportField}`;
/** Responses that came through a channel (the web form, a QR code, the API). */
export type ChannelCounter = `ch_${SurveyChannel}`;

/** The counter of a survey channel. */
export function channelCounter(channel: SurveyChannel): ChannelCounter {
  return `ch_${channel}`;
}

/**
 * The survey shares beyond satisfaction (questionnaire.ts): conduct (`cnd_<id>`) and how the dossier was submitted
 * (`sub_<method>`). Each has a base (`_n`: responses that answered) and its "yes" count (`_y`).
 */
export type SurveyShareKey = `cnd_${ConductShareId}` | `sub_${SubmissionMethod}`;
export type SurveyShareCounter = `${SurveyShareKey}_n` | `${SurveyShareKey}_y`;

export interface SurveyShareMeasure {
  readonly key: SurveyShareKey;
  readonly group: 'conduct' | 'submission';
  readonly id: ConductShareId | SubmissionMethod;
  readonly count: ConductShare['count'];
}

/** Every survey share, in publication order: defined once, counted by contributions.ts, published by figures.ts. */
export const SURVEY_SHARE_MEASURES: readonly SurveyShareMeasure[] = [
  ...CONDUCT_SHARES.map((share) => ({
    key: `cnd_${share.id}` as const,
    group: 'conduct' as const,
    id: share.id,
    count: share.count,
  })),
  ...SUBMISSION_METHODS.map((method) => ({
    key: `sub_${method}` as const,
    group: 'submission' as const,
    id: method,
    count: submissionShare(method),
  })),
];

/** The discipline counter of a track, stage, who and (optionally) form. */
export function disciplineCounter(code: TrackStage, who: Who, form?: DisciplineForm): DisciplineCounter {
  return form ? `d_${code}_${who}_${form}` : `d_${code}_${who}`;
}

const DISCIPLINE_COUNTERS: DisciplineCounter[] = TRACK_STAGES.flatMap(({ code, track }) =>
  (['o', 'i'] as const).flatMap((who) => [
    disciplineCounter(code, who),
    ...TRACK_FORMS[track].map((form) => disciplineCounter(code, who, form)),
  ]),
);

export const COUNTER_NAMES = [
  'conclusions',
  ...INSPECTION_KINDS.map((kind): KindCounter => `kind_${kind}`),
  'unitsInspected',
  // Units whose violation status the conclusion tells (docs/statistics.md, "Units with violations").
  'unitsAssessed',
  'unitsWithViolations',
  // Conclusions whose people counts (violating, disciplined, measures) count in this scope: those wholly under it.
  'peopleN',
  // Of those, the conclusions that state the violating, and those that state violations by category.
  'violN',
  'violOrgs',
  'violInds',
  'vcatN',
  ...VIOLATION_CATEGORIES.map((category): CategoryCounter => `vcat_${category}`),
  ...DISCIPLINE_COUNTERS,
  ...OTHER_MEASURES.map((measure): MeasureCounter => `m_${measure}`),
  // Records flagged illustrative (demo data) counted in the bucket: every figure they touch says so.
  'illusConclusions',
  'illusSurveys',
  'illusReports',
  'surveys',
  'satisfied',
  // Verified responses (a valid receipt came with them) and, of those, the satisfied: counted apart, never
  // instead of the all-responses figures (methodology.ts, "verified").
  'vsurveys',
  'vsatisfied',
  ...SURVEY_CHANNELS.map(channelCounter),
  ...SURVEY_ASPECTS.flatMap((aspect): AspectCounter[] => [`asp_${aspect}_n`, `asp_${aspect}_ok`]),
  ...SURVEY_SHARE_MEASURES.flatMap((measure): SurveyShareCounter[] => [`${measure.key}_n`, `${measure.key}_y`]),
  'reports',
  // Reports filed for this very unit (not a unit under it): how many units reported (figures.ts, coverage).
  'ownReports',
  // Reports that gave the procedure figures, and each reception figure.
  'procN',
  ...RECEPTION_REPORT_FIELDS.map((field): ReceptionCounter => `recN_${field}`),
  ...REPORT_FIELDS,
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];

/** A vector of counters; a missing name is zero. */
export type Counters = Partial<Record<CounterName, number>>;

const COUNTER_SET: ReadonlySet<string> = new Set(COUNTER_NAMES);

/** True for a known counter name (an attribute of a counter item). */
export function isCounterName(name: string): name is CounterName {
  return COUNTER_SET.has(name);
}

/** Adds `delta × sign` into `into` (mutating it), and drops names that reach zero. */
export function addCounters(into: Counters, delta: Counters, sign: 1 | -1 = 1): Counters {
  for (const [name, value] of Object.entries(delta) as [CounterName, number][]) {
    const next = (into[name] ?? 0) + sign * value;
    if (next === 0) delete into[name];
    else into[name] = next;
  }
  return into;
}

/** True when every counter is zero. */
export function isZero(counters: Counters): boolean {
  return Object.values(counters).every((value) => value === 0);
}

/** The value of a counter (0 when absent). */
export function counter(counters: Counters, name: CounterName): number {
  return counters[name] ?? 0;
}

/**
 * A bucket: whose figures (`U#<unit id>` or `A#<agency id>`) for which period (`2024`, `2024-Q2`, `2024-05`).
 * Agencies are a family of their own: a conclusion counts under its units and, separately, under its agency.
 */
export type Scope = `U#${string}` | `A#${string}`;

export interface Bucket {
  readonly scope: Scope;
  readonly period: string;
}

/** The scope of a unit. */
export function unitScope(unitId: string): Scope {
  return `U#${unitId}`;
}

/** The scope of an agency. */
export function agencyScope(agencyId: string): Scope {
  return `A#${agencyId}`;
}

/** A string key for a bucket, for maps: `U#00304|2024-Q2`. */
export function bucketKey(bucket: Bucket): string {
  return `${bucket.scope}|${bucket.period}`;
}

/** The bucket of a key made by bucketKey. */
export function parseBucketKey(key: string): Bucket {
  const bar = key.lastIndexOf('|');
  const scope = key.slice(0, bar);
  if (bar < 0 || !(scope.startsWith('U#') || scope.startsWith('A#'))) throw new RangeError(`not a bucket key: ${key}`);
  return { scope: scope as Scope, period: key.slice(bar + 1) };
}

/** Deltas per bucket key. */
export type BucketDeltas = Map<string, Counters>;

/** Adds every bucket of `delta × sign` into `into` (mutating it); buckets that reach zero are removed. */
export function mergeDeltas(into: BucketDeltas, delta: ReadonlyMap<string, Counters>, sign: 1 | -1 = 1): BucketDeltas {
  for (const [key, counters] of delta) {
    const merged = addCounters(into.get(key) ?? {}, counters, sign);
    if (isZero(merged)) into.delete(key);
    else into.set(key, merged);
  }
  return into;
}

/**
 * How counters are stored: a record's counters once per scope, in the bucket of its own period (a response's or a
 * conclusion's month, a report's month, quarter or year), never again in the quarter and the year that hold it.
 * Every contribution is the same vector in each of its periods (contributions.ts, `spread`), so a quarter is its
 * own bucket plus its months, and a year its own bucket plus its quarters and months: publishedLayout adds them up
 * when counters are read. Storing the sums of the coarser periods too would write three counter items per scope
 * and record instead of one, which is most of the aggregation's write capacity (docs/statistics.md, "Capacity").
 */

/** Finest first: a month, a quarter, a year. */
function periodRank(period: string): number {
  return period.length === 4 ? 0 : period.includes('Q') ? 1 : 2;
}

/** The stored layout of one record's contribution: each scope's bucket of the finest period, the others dropped. */
export function storedLayout(contribution: ReadonlyMap<string, Counters>): BucketDeltas {
  const finest = new Map<string, { key: string; rank: number }>();
  for (const key of contribution.keys()) {
    const { scope, period } = parseBucketKey(key);
    const rank = periodRank(period);
    const current = finest.get(scope);
    if (!current || rank > current.rank) finest.set(scope, { key, rank });
  }
  return new Map([...finest.values()].map(({ key }) => [key, { ...contribution.get(key) }]));
}

/** The published buckets of stored counters: each stored bucket added into its own period and the ones holding it. */
export function publishedLayout(stored: ReadonlyMap<string, Counters>): BucketDeltas {
  const out: BucketDeltas = new Map();
  for (const [key, counters] of stored) {
    const { scope, period } = parseBucketKey(key);
    for (const holding of periodsOfPeriod(period)) {
      mergeDeltas(out, new Map([[bucketKey({ scope, period: holding }), counters]]));
    }
  }
  return out;
}
