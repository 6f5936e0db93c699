import { TRACK_FORMS } from '../discipline/law.js';
import { type PeriodFigures, SURVEY_ASPECTS, type SurveyAspect } from '../open-data/schemas.js';
import { SURVEY_CHANNELS, type SurveyChannel } from '../surveys/schemas.js';
import { periodBounds } from '../time/periods.js';
import {
  type DisciplineTrack,
  INSPECTION_KINDS,
  type InspectionKind,
  OTHER_MEASURES,
  type OtherMeasure,
  VIOLATION_CATEGORIES,
  type ViolationCategory,
} from '../vocabulary.js';
import {
  type BucketDeltas,
  type Counters,
  channelCounter,
  counter,
  disciplineCounter,
  parseBucketKey,
  RECEPTION_REPORT_FIELDS,
  type ReceptionReportField,
  type Scope,
  SURVEY_SHARE_MEASURES,
  type SurveyShareKey,
  type TrackStage,
} from './counters.js';
import {
  MIN_RESPONSES_FOR_COUNT,
  MIN_RESPONSES_FOR_PERCENT,
  onTimeRate,
  planSuppression,
  publishedCount,
  type SuppressionGroup,
  satisfactionShare,
  violatingShare,
} from './methodology.js';

/**
 * Counters → published figures (pure): sums become PeriodFigures, with the methodology applied (intervals,
 * thresholds, complementary suppression). Suppression needs every unit of a period at once, so figures are built
 * for all scopes together.
 */

/** What figures need to know of a unit: the edges along which its figures count in another unit's. */
export interface UnitNode {
  readonly id: string;
  readonly parent: string | null;
  readonly formerParent?: string;
  readonly successors: readonly { readonly id: string; readonly kind: 'full' | 'partial' }[];
}

/**
 * The suppression groups of the registry: for every unit, the units whose figures count in it directly (children,
 * communes that had it as their district before 2025, and units merged into it in full).
 */
export function suppressionGroups(units: Iterable<UnitNode>): SuppressionGroup[] {
  const members = new Map<string, Set<string>>();
  const add = (container: string | null | undefined, member: string) => {
    if (!container) return;
    const set = members.get(container) ?? new Set<string>();
    set.add(member);
    members.set(container, set);
  };
  for (const unit of units) {
    add(unit.parent, unit.id);
    add(unit.formerParent, unit.id);
    for (const successor of unit.successors) if (successor.kind === 'full') add(successor.id, unit.id);
  }
  return [...members].map(([container, set]) => ({ container, members: [...set].sort() }));
}

/** Figures per scope, then per period key. */
export type FiguresByScope = Map<Scope, Map<string, PeriodFigures>>;

/**
 * The survey measures whose counts and shares are disclosure-controlled, each on its own: overall, verified (the
 * overall rating of verified responses), each aspect, and each share on conduct and submission (their counts are
 * counts of people too, so the same thresholds apply).
 */
const MEASURES: readonly Measure[] = [
  'overall',
  'verified',
  ...SURVEY_ASPECTS,
  ...SURVEY_SHARE_MEASURES.map((m) => m.key),
];
type Measure = 'overall' | 'verified' | SurveyAspect | SurveyShareKey;

function responsesOf(counters: Counters, measure: Measure): number {
  if (measure === 'overall') return counter(counters, 'surveys');
  if (measure === 'verified') return counter(counters, 'vsurveys');
  if ((SURVEY_ASPECTS as readonly string[]).includes(measure))
    return counter(counters, `asp_${measure as SurveyAspect}_n`);
  return counter(counters, `${measure as SurveyShareKey}_n`);
}

/** What coverage needs of the registry: every unit with its validity, and its roll-up targets on a date. */
export interface CoverageRegistry {
  all(): readonly { readonly id: string; readonly validFrom: string | null; readonly validTo: string | null }[];
  rollupTargets(id: string, onDate?: string): readonly string[];
}

/**
 * How many units reported, per unit bucket (key `U#<id>|<period>`), for the periods in which any report was filed:
 * of the units under the unit (itself included; under = its roll-up targets on the last day of the period it was
 * in force) that were in force during the period, those that filed a report for it themselves (`ownReports`).
 * Periods without any report get none: their report figures are all null anyway.
 */
export function reportingCoverage(counters: BucketDeltas, registry: CoverageRegistry): Map<string, ReportingCoverage> {
  const reportingPeriods = new Set<string>();
  const present = new Set<string>();
  for (const [key, values] of counters) {
    if (!key.startsWith('U#')) continue;
    present.add(key);
    if (counter(values, 'reports') > 0) reportingPeriods.add(parseBucketKey(key).period);
  }
  const out = new Map<string, { reported: number; units: number }>();
  for (const period of reportingPeriods) {
    const { from, to } = periodBounds(period);
    for (const unit of registry.all()) {
      if ((unit.validFrom !== null && unit.validFrom > to) || (unit.validTo !== null && unit.validTo <= from)) continue;
      const lastDay = unit.validTo !== null && unit.validTo <= to ? previousDay(unit.validTo) : to;
      const reported = counter(counters.get(`U#${unit.id}|${period}`) ?? {}, 'ownReports') > 0;
      for (const target of registry.rollupTargets(unit.id, lastDay)) {
        const key = `U#${target}|${period}`;
        if (!present.has(key)) continue;
        const entry = out.get(key) ?? { reported: 0, units: 0 };
        entry.units += 1;
        if (reported) entry.reported += 1;
        out.set(key, entry);
      }
    }
  }
  return out;
}

function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Builds the published figures of every bucket, with suppression planned per period and measure. */
export function buildFigures(
  counters: BucketDeltas,
  groups: readonly SuppressionGroup[],
  coverage: ReadonlyMap<string, ReportingCoverage> = new Map(),
): FiguresByScope {
  const byPeriod = new Map<string, Map<Scope, Counters>>();
  for (const [key, values] of counters) {
    const { scope, period } = parseBucketKey(key);
    const scopes = byPeriod.get(period) ?? new Map<Scope, Counters>();
    scopes.set(scope, values);
    byPeriod.set(period, scopes);
  }

  const out: FiguresByScope = new Map();
  for (const [period, scopes] of byPeriod) {
    const withheld = planPeriod(scopes, groups);
    for (const [scope, values] of scopes) {
      const figures = periodFigures(
        values,
        (measure, kind) => withheld.get(measure)?.[kind].has(scope) ?? false,
        coverage.get(`${scope}|${period}`),
      );
      const periods = out.get(scope) ?? new Map<string, PeriodFigures>();
      periods.set(period, figures);
      out.set(scope, periods);
    }
  }
  return out;
}

interface Withheld {
  readonly count: Set<string>;
  readonly share: Set<string>;
}

/**
 * For each measure: the counts withheld (fewer than 10, or protecting one), then the shares withheld (fewer than
 * 30, a withheld count, or protecting one). Units are keyed by scope here (`U#…`); the groups name unit ids.
 */
function planPeriod(scopes: ReadonlyMap<Scope, Counters>, groups: readonly SuppressionGroup[]): Map<Measure, Withheld> {
  const scoped = groups.map((group) => ({
    container: `U#${group.container}`,
    members: group.members.map((id) => `U#${id}`),
  }));
  const plans = new Map<Measure, Withheld>();
  const overallCounts = new Set<string>();
  for (const measure of MEASURES) {
    const values = new Map<string, number>();
    for (const [scope, counters] of scopes)
      if (scope.startsWith('U#')) values.set(scope, responsesOf(counters, measure));
    // An aspect's (or the verified) count is withheld wherever the overall count is: a unit's parts are not to
    // outlive its total.
    const count = planSuppression(
      values,
      scoped,
      (value, id) => value < MIN_RESPONSES_FOR_COUNT || (measure !== 'overall' && overallCounts.has(id)),
    );
    if (measure === 'overall') for (const id of count) overallCounts.add(id);
    const share = planSuppression(values, scoped, (value, id) => value < MIN_RESPONSES_FOR_PERCENT || count.has(id));
    plans.set(measure, { count, share });
  }
  return plans;
}

/** How many units filed a report for a period, of the units under a roll-up in force during it. */
export interface ReportingCoverage {
  readonly reported: number;
  readonly units: number;
}

/**
 * The figures of one bucket; `isWithheld` tells which satisfaction counts and shares to withhold; `coverage` how
 * many units under it reported (unit scopes only). Every figure with nothing to count from is null.
 */
export function periodFigures(
  values: Counters,
  isWithheld: (measure: Measure, kind: 'count' | 'share') => boolean,
  coverage?: ReportingCoverage,
): PeriodFigures {
  const c = (name: Parameters<typeof counter>[1]) => counter(values, name);
  /** A counter, or null when `n` (how many records it could be counted from) is zero. */
  const from = (n: number) => (name: Parameters<typeof counter>[1]) => (n > 0 ? c(name) : null);
  const flag = (n: number) => (n > 0 ? { illustrative: true as const } : {});
  const inspection = from(c('conclusions'));
  const people = from(c('peopleN'));
  const violating = from(c('violN'));
  const procedure = from(c('procN'));

  const byKind = Object.fromEntries(INSPECTION_KINDS.map((kind) => [kind, inspection(`kind_${kind}`)])) as Record<
    InspectionKind,
    number | null
  >;
  const discipline = (code: TrackStage, track: DisciplineTrack): DisciplineFigures => ({
    organizations: people(disciplineCounter(code, 'o')),
    individuals: people(disciplineCounter(code, 'i')),
    byForm: Object.fromEntries(
      TRACK_FORMS[track].map((form) => [
        form,
        {
          organizations: people(disciplineCounter(code, 'o', form)),
          individuals: people(disciplineCounter(code, 'i', form)),
        },
      ]),
    ),
  });
  const aspects = Object.fromEntries(
    SURVEY_ASPECTS.map((aspect) => {
      const n = c(`asp_${aspect}_n`);
      return [
        aspect,
        {
          responses: n === 0 ? null : publishedCount(n, isWithheld(aspect, 'count')),
          share: satisfactionShare(c(`asp_${aspect}_ok`), n, isWithheld(aspect, 'share')),
        },
      ];
    }),
  ) as Record<SurveyAspect, { responses: number | null; share: PeriodFigures['satisfaction']['overall'] }>;
  type ShareFigure = { responses: number | null; share: PeriodFigures['satisfaction']['overall'] };
  const surveyShares = (group: 'conduct' | 'submission') =>
    Object.fromEntries(
      SURVEY_SHARE_MEASURES.filter((m) => m.group === group).map((m): [string, ShareFigure] => {
        const n = c(`${m.key}_n`);
        return [
          m.id,
          {
            responses: n === 0 ? null : publishedCount(n, isWithheld(m.key, 'count')),
            // The satisfaction share's rule: no share of people where a satisfaction share would not be shown.
            share: satisfactionShare(c(`${m.key}_y`), n, isWithheld(m.key, 'share')),
          },
        ];
      }),
    );
  const stateDecided = discipline('sd', 'state');
  const illusConclusions = flag(c('illusConclusions'));
  const illusReports = flag(c('illusReports'));
  return {
    inspections: {
      total: inspection('conclusions'),
      byKind,
      unitsInspected: inspection('unitsInspected'),
      unitsAssessed: inspection('unitsAssessed'),
      unitsWithViolations: inspection('unitsWithViolations'),
      violatingShare: violatingShare(c('unitsWithViolations'), c('unitsAssessed')),
      ...illusConclusions,
    },
    violations: {
      organizations: violating('violOrgs'),
      individuals: violating('violInds'),
      conclusions: c('violN'),
      byCategory:
        c('vcatN') > 0
          ? (Object.fromEntries(VIOLATION_CATEGORIES.map((category) => [category, c(`vcat_${category}`)])) as Record<
              ViolationCategory,
              number
            >)
          : null,
      ...illusConclusions,
    },
    disciplined: {
      ...stateDecided,
      conclusions: c('peopleN'),
      tracks: {
        state: { decided: stateDecided, recommended: discipline('sr', 'state') },
        party: { decided: discipline('pd', 'party'), recommended: discipline('pr', 'party') },
      },
      ...illusConclusions,
    },
    otherMeasures: {
      ...(Object.fromEntries(OTHER_MEASURES.map((measure) => [measure, people(`m_${measure}`)])) as Record<
        OtherMeasure,
        number | null
      >),
      ...illusConclusions,
    },
    satisfaction: {
      responses: c('surveys') === 0 ? null : publishedCount(c('surveys'), isWithheld('overall', 'count')),
      overall: satisfactionShare(c('satisfied'), c('surveys'), isWithheld('overall', 'share')),
      verified: {
        responses: c('vsurveys') === 0 ? null : publishedCount(c('vsurveys'), isWithheld('verified', 'count')),
        overall: satisfactionShare(c('vsatisfied'), c('vsurveys'), isWithheld('verified', 'share')),
      },
      // Channels split the unit's total, so they are published exactly where the total is: the cells withheld
      // for a channel are then those withheld for the total, a pattern already safe from subtraction.
      channels: Object.fromEntries(
        SURVEY_CHANNELS.map((channel) => [
          channel,
          c('surveys') === 0 || isWithheld('overall', 'count') ? null : c(channelCounter(channel)),
        ]),
      ) as Record<SurveyChannel, number | null>,
      aspects,
      conduct: surveyShares('conduct') as NonNullable<PeriodFigures['satisfaction']['conduct']>,
      submission: surveyShares('submission') as NonNullable<PeriodFigures['satisfaction']['submission']>,
      ...flag(c('illusSurveys')),
    },
    procedures: {
      received: procedure('received'),
      resolvedEarly: procedure('resolvedEarly'),
      resolvedOnTime: procedure('resolvedOnTime'),
      resolvedLate: procedure('resolvedLate'),
      pendingOverdue: procedure('pendingOverdue'),
      onTimeRate: onTimeRate(c('resolvedEarly'), c('resolvedOnTime'), c('resolvedLate'), c('pendingOverdue')),
      ...illusReports,
    },
    reception: {
      ...(Object.fromEntries(
        RECEPTION_REPORT_FIELDS.map((field) => [field, from(c(`recN_${field}`))(field)]),
      ) as Record<ReceptionReportField, number | null>),
      ...illusReports,
    },
    ...(coverage ? { reporting: { reported: coverage.reported, units: coverage.units } } : {}),
  };
}

type DisciplineFigures = PeriodFigures['disciplined']['tracks']['state']['decided'];
