import type { ResolvedUnit } from './ports.js';
import type { UnitRegistry } from './registry.js';
import type { Unit } from './types.js';

/**
 * The roll-up and coverage of a unit in a form that can be stored with it and read back for any date without
 * the registry. They depend on the date only through former parents (a continuing commune counts in its old
 * district before 2025-07-01 only), so they are stored "over all time" plus the sets from each such cut-off on.
 */
export interface UnitSets {
  readonly rollup: readonly string[];
  readonly coverage: readonly string[];
  /** From each date on (ascending), the sets that apply instead; absent when the sets never change. */
  readonly changes?: readonly UnitSetsChange[];
}

export interface UnitSetsChange {
  readonly from: string;
  readonly rollup: readonly string[];
  readonly coverage: readonly string[];
}

/** Precomputes the sets of a unit for storage. */
export function unitSets(registry: UnitRegistry, id: string): UnitSets {
  const rollup = registry.rollupTargets(id);
  const coverage = registry.coverage(id);
  const cutoffs = new Set<string>();
  for (const reached of coverage) {
    const formerParent = registry.get(reached)?.formerParent;
    const validTo = formerParent === undefined ? null : (registry.get(formerParent)?.validTo ?? null);
    if (validTo !== null) cutoffs.add(validTo);
  }
  const changes = [...cutoffs].sort().map((from) => ({
    from,
    rollup: registry.rollupTargets(id, from),
    coverage: registry.coverage(id, from),
  }));
  return changes.length === 0 ? { rollup, coverage } : { rollup, coverage, changes };
}

/** The sets that apply on a date (over all time without one). */
export function setsOn(sets: UnitSets, onDate?: string): { rollup: readonly string[]; coverage: readonly string[] } {
  let current: { rollup: readonly string[]; coverage: readonly string[] } = sets;
  if (onDate !== undefined) {
    for (const change of sets.changes ?? []) if (change.from <= onDate) current = change;
  }
  return { rollup: current.rollup, coverage: current.coverage };
}

/** A unit with its sets for a date. */
export function withSets(unit: Unit, sets: UnitSets, onDate?: string): ResolvedUnit {
  const { rollup, coverage } = setsOn(sets, onDate);
  return { ...unit, rollup: [...rollup], coverage: [...coverage] };
}
