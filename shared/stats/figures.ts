import { type PeriodFigures, SURVEY_ASPECTS, type SurveyAspect } from '../open-data/schemas.js';
import { DISCIPLINE_FORMS, type DisciplineForm, INSPECTION_KINDS, type InspectionKind } from '../vocabulary.js';
import { type BucketDeltas, type Counters, counter, parseBucketKey, type Scope } from './counters.js';
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

const MEASURES = ['overall', ...SURVEY_ASPECTS] as const;
type Measure = (typeof MEASURES)[number];

function responsesOf(counters: Counters, measure: Measure): number {
  return measure === 'overall' ? counter(counters, 'surveys') : counter(counters, `asp_${measure}_n`);
}

/** Builds the published figures of every bucket, with suppression planned per period and measure. */
export function buildFigures(counters: BucketDeltas, groups: readonly SuppressionGroup[]): FiguresByScope {
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
      const figures = periodFigures(values, (measure, kind) => withheld.get(measure)?.[kind].has(scope) ?? false);
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
    // An aspect's count is withheld wherever the overall count is: a unit's aspects are not to outlive its total.
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

/** The figures of one bucket; `isWithheld` tells which satisfaction counts and shares to withhold. */
export function periodFigures(
  values: Counters,
  isWithheld: (measure: Measure, kind: 'count' | 'share') => boolean,
): PeriodFigures {
  const c = (name: Parameters<typeof counter>[1]) => counter(values, name);
  const byKind = Object.fromEntries(INSPECTION_KINDS.map((kind) => [kind, c(`kind_${kind}`)])) as Record<
    InspectionKind,
    number
  >;
  const byForm = Object.fromEntries(DISCIPLINE_FORMS.map((form) => [form, c(`form_${form}`)])) as Record<
    DisciplineForm,
    number
  >;
  const aspects = Object.fromEntries(
    SURVEY_ASPECTS.map((aspect) => {
      const n = c(`asp_${aspect}_n`);
      return [
        aspect,
        {
          responses: publishedCount(n, isWithheld(aspect, 'count')),
          share: satisfactionShare(c(`asp_${aspect}_ok`), n, isWithheld(aspect, 'share')),
        },
      ];
    }),
  ) as Record<SurveyAspect, { responses: number | null; share: PeriodFigures['satisfaction']['overall'] }>;
  return {
    inspections: {
      total: c('conclusions'),
      byKind,
      unitsInspected: c('unitsInspected'),
      unitsWithViolations: c('unitsWithViolations'),
      violatingShare: violatingShare(c('unitsWithViolations'), c('unitsInspected')),
    },
    violations: { organizations: c('violOrgs'), individuals: c('violInds') },
    disciplined: { organizations: c('discOrgs'), individuals: c('discInds'), byForm },
    otherMeasures: { transfers: c('transfers'), responsibilityReviews: c('reviews') },
    satisfaction: {
      responses: publishedCount(c('surveys'), isWithheld('overall', 'count')),
      overall: satisfactionShare(c('satisfied'), c('surveys'), isWithheld('overall', 'share')),
      aspects,
    },
    procedures: {
      received: c('received'),
      resolvedEarly: c('resolvedEarly'),
      resolvedOnTime: c('resolvedOnTime'),
      resolvedLate: c('resolvedLate'),
      pendingOverdue: c('pendingOverdue'),
      onTimeRate: onTimeRate(c('resolvedEarly'), c('resolvedOnTime'), c('resolvedLate')),
    },
    reception: {
      citizensReceived: c('citizensReceived'),
      complaintsReceived: c('complaintsReceived'),
      complaintsResolved: c('complaintsResolved'),
      denunciationsReceived: c('denunciationsReceived'),
      denunciationsResolved: c('denunciationsResolved'),
    },
  };
}
