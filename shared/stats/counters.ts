import { SURVEY_ASPECTS, type SurveyAspect } from '../open-data/schemas.js';
import { DISCIPLINE_FORMS, type DisciplineForm, INSPECTION_KINDS, type InspectionKind } from '../vocabulary.js';

/**
 * The counters kept per bucket (a scope × a period). They are plain sums, so a change is a vector of deltas that
 * can be added in any order (DynamoDB `ADD`); everything derived (shares, intervals, what is withheld) is computed
 * from them when figures are read (figures.ts). The names are the attribute names in the stats table: short,
 * because every byte of an item counts against its write units.
 */

export const REPORT_FIELDS = [
  'received',
  'resolvedEarly',
  'resolvedOnTime',
  'resolvedLate',
  'pendingOverdue',
  'citizensReceived',
  'complaintsReceived',
  'complaintsResolved',
  'denunciationsReceived',
  'denunciationsResolved',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

export type KindCounter = `kind_${InspectionKind}`;
export type FormCounter = `form_${DisciplineForm}`;
export type AspectCounter = `asp_${SurveyAspect}_n` | `asp_${SurveyAspect}_ok`;

export const COUNTER_NAMES = [
  'conclusions',
  ...INSPECTION_KINDS.map((kind): KindCounter => `kind_${kind}`),
  'unitsInspected',
  'unitsWithViolations',
  'violOrgs',
  'violInds',
  'discOrgs',
  'discInds',
  ...DISCIPLINE_FORMS.map((form): FormCounter => `form_${form}`),
  'transfers',
  'reviews',
  'surveys',
  'satisfied',
  ...SURVEY_ASPECTS.flatMap((aspect): AspectCounter[] => [`asp_${aspect}_n`, `asp_${aspect}_ok`]),
  'reports',
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
