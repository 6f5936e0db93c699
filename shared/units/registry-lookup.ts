import type { ResolvedUnit, UnitLookup } from './ports.js';
import type { UnitRegistry } from './registry.js';

/** The UnitLookup port over an in-memory registry: for pure tests and local tools. */
export class RegistryUnitLookup implements UnitLookup {
  constructor(private readonly registry: UnitRegistry) {}

  /** The unit with this code in force on the date, with its sets for a record of that date. */
  async resolve(code: string, onDate: string): Promise<ResolvedUnit | undefined> {
    const unit = this.registry.resolve(code, onDate);
    return unit && this.get(unit.id, onDate);
  }

  /** The unit with this id, with its sets for the date (over all time without one). */
  async get(id: string, onDate?: string): Promise<ResolvedUnit | undefined> {
    const unit = this.registry.get(id);
    if (!unit) return undefined;
    return {
      ...unit,
      rollup: this.registry.rollupTargets(id, onDate),
      coverage: this.registry.coverage(id, onDate),
    };
  }
}
