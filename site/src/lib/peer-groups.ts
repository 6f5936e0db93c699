import type { PeriodFigures, PublishedUnit } from '../../../shared/open-data/schemas.js';
import { type RankingBasis, rankingBasis } from '../../../shared/stats/methodology.js';
import { vietnameseCollator } from '../../../shared/text/normalize.js';
import { sumCounts } from './figures.js';
import type { Share } from './format.js';
import { type RankInput, type Ranking, rankByInterval } from './ranking.js';

/**
 * Like with like: units are only compared within a peer group, the units of one type (wards, communes, urban
 * districts, …) of one province, in one era (in force today, or the units that ended with the 2025
 * reorganisation). A ward is never ranked against a commune, nor a 2024 ward against a 2026 one.
 */

export type Era = 'current' | 'former';

export interface PeerGroup {
  /** Stable, URL-safe: `01-current-ward`, `01-former-urban-district`. */
  readonly key: string;
  readonly root: PublishedUnit;
  readonly type: PublishedUnit['type'];
  readonly era: Era;
  /** In Vietnamese name order. */
  readonly members: readonly PublishedUnit[];
}

/** The era of a unit on a date: in force then, or ended before. */
export function eraOf(unit: Pick<PublishedUnit, 'validTo'>, today: string): Era {
  return unit.validTo === null || today < unit.validTo ? 'current' : 'former';
}

/** The peer group key of a unit under a root. */
export function peerGroupKey(rootId: string, era: Era, type: PublishedUnit['type']): string {
  return `${rootId}-${era}-${type.replace(/_/g, '-')}`;
}

/** The peer groups of level-2 and level-3 units with at least two members, by root then level then type. */
export function peerGroups(
  units: readonly PublishedUnit[],
  rootOf: (unit: PublishedUnit) => PublishedUnit | undefined,
  today: string,
): PeerGroup[] {
  const groups = new Map<
    string,
    { root: PublishedUnit; type: PublishedUnit['type']; era: Era; level: number; members: PublishedUnit[] }
  >();
  for (const unit of units) {
    if (unit.level === 1) continue;
    const root = rootOf(unit);
    if (!root) continue;
    const era = eraOf(unit, today);
    const key = peerGroupKey(root.id, era, unit.type);
    const group = groups.get(key);
    if (group) group.members.push(unit);
    else groups.set(key, { root, type: unit.type, era, level: unit.level, members: [unit] });
  }
  return [...groups.entries()]
    .filter(([, g]) => g.members.length >= 2)
    .map(([key, g]) => ({
      key,
      root: g.root,
      type: g.type,
      era: g.era,
      level: g.level,
      members: [...g.members].sort((a, b) => vietnameseCollator.compare(a.name, b.name)),
    }))
    .sort(
      (a, b) =>
        vietnameseCollator.compare(a.root.name, b.root.name) ||
        (a.era === b.era ? 0 : a.era === 'current' ? -1 : 1) ||
        a.level - b.level ||
        a.type.localeCompare(b.type),
    )
    .map(({ key, root, type, era, members }) => ({ key, root, type, era, members }));
}

export type Metric = 'satisfaction' | 'onTime';

/**
 * The share a ranking by this metric compares, or null when withheld or absent. Satisfaction is the verified
 * responses' share where the unit has enough of them (methodology, `rankingBasis`), else all responses'.
 */
export function metricValue(figures: PeriodFigures | undefined, metric: Metric): Share | null {
  if (!figures) return null;
  // Rankings leave illustrative (demo) data out: a unit whose figure was counted from any is not ranked.
  const section = metric === 'satisfaction' ? figures.satisfaction : figures.procedures;
  if (section.illustrative) return null;
  if (metric === 'onTime') return figures.procedures.onTimeRate;
  return satisfactionBasis(figures) === 'verified'
    ? figures.satisfaction.verified.overall
    : figures.satisfaction.overall;
}

/** Which responses a unit's satisfaction figures rank on (verified where enough). */
export function satisfactionBasis(figures: PeriodFigures): RankingBasis {
  return rankingBasis(figures.satisfaction.verified);
}

/** What a ranking on one metric needs of a unit's figures for one year (`rankFacts`). */
export interface RankFacts {
  /** The share compared, or null when withheld, absent or illustrative (`metricValue`). */
  readonly value: Share | null;
  /** Responses (satisfaction) or dossiers resolved (on time): the size behind the share. */
  readonly base: number | null;
  /** Satisfaction: whether the share is of verified responses or of all responses. */
  readonly basis?: RankingBasis;
}

/** A unit's ranking facts by year (`"2024"` → each metric's facts): what parents' and groups' rankings read. */
export type UnitRankFacts = Readonly<Record<string, Readonly<Record<Metric, RankFacts>>>>;

/**
 * The facts rankings need of a unit's yearly figures, computed once when its file is read: a parent's page and a
 * peer group's page rank hundreds of units, and holding (or reading again) each one's whole figures for that was
 * most of a national build's memory and reading (docs/benchmarks.md). Periods other than years are left out.
 */
export function rankFacts(periods: Readonly<Record<string, PeriodFigures>>): UnitRankFacts {
  const facts: Record<string, Record<Metric, RankFacts>> = {};
  for (const [key, figures] of Object.entries(periods)) {
    if (!/^\d{4}$/.test(key)) continue;
    facts[key] = { satisfaction: factsOf(figures, 'satisfaction'), onTime: factsOf(figures, 'onTime') };
  }
  return facts;
}

function factsOf(figures: PeriodFigures, metric: Metric): RankFacts {
  const value = metricValue(figures, metric);
  if (metric === 'onTime') {
    const { resolvedEarly, resolvedOnTime, resolvedLate, pendingOverdue } = figures.procedures;
    return { value, base: sumCounts([resolvedEarly, resolvedOnTime, resolvedLate, pendingOverdue]) };
  }
  const basis = satisfactionBasis(figures);
  const base = basis === 'verified' ? figures.satisfaction.verified.responses : figures.satisfaction.responses;
  return { value, base: base ?? null, basis };
}

/**
 * The year a ranking of these units uses: the latest year in which at least two of them have a value (a
 * ranking of one is no ranking), or undefined.
 */
export function rankingYear(
  members: readonly PublishedUnit[],
  factsOf: (id: string) => UnitRankFacts,
  metric: Metric,
): string | undefined {
  const counts = new Map<string, number>();
  for (const unit of members) {
    for (const [year, facts] of Object.entries(factsOf(unit.id))) {
      if (facts[metric].value) counts.set(year, (counts.get(year) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .filter(([, count]) => count >= 2)
    .map(([year]) => year)
    .sort()
    .at(-1);
}

export interface RankRow extends RankInput, RankFacts {}

/** Ranks units on a metric for one year. */
export function rankUnits(
  members: readonly PublishedUnit[],
  factsOf: (id: string) => UnitRankFacts,
  metric: Metric,
  year: string,
): Ranking<RankRow> {
  return rankByInterval(
    members.map((unit) => {
      const facts = factsOf(unit.id)[year]?.[metric];
      return {
        id: unit.id,
        name: unit.name,
        value: facts?.value ?? null,
        base: facts?.base ?? null,
        ...(facts?.basis ? { basis: facts.basis } : {}),
      };
    }),
  );
}
