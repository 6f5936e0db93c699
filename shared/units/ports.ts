import type { Unit } from './types.js';

/**
 * A unit with its precomputed sets, as the domain needs them: `rollup`, the ids its figures count in
 * (see UnitRegistry.rollupTargets), and `coverage`, the ids of jurisdictions that cover it (UnitRegistry.coverage).
 * When resolved for a date, the sets are those for a record of that date.
 */
export type ResolvedUnit = Unit & { readonly rollup: readonly string[]; readonly coverage: readonly string[] };

/**
 * The port through which handlers and the aggregation find units. Adapters: RegistryUnitLookup (in memory, for
 * tests and the local tools) and DynamoUnitLookup (shared/storage/units-repository.ts).
 */
export interface UnitLookup {
  /** The unit with this GSO code in force on the date (`YYYY-MM-DD`), or undefined. */
  resolve(code: string, onDate: string): Promise<ResolvedUnit | undefined>;
  /** The unit with this id, or undefined; without a date its sets are over all time. */
  get(id: string, onDate?: string): Promise<ResolvedUnit | undefined>;
}
