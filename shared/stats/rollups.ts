import type { UnitLookup } from '../units/ports.js';
import type { RollupNeed, RollupSource } from './contributions.js';

/**
 * Contributions are computed synchronously (pure); the unit lookup is async (DynamoDB in Lambda). This fetches
 * every roll-up a set of records needs first, with a bounded number of lookups in flight, and answers from memory.
 */

const PARALLEL_LOOKUPS = 16;

/** Fetches the roll-ups of every need through the lookup; unknown units answer undefined. */
export async function prefetchRollups(lookup: UnitLookup, needs: Iterable<RollupNeed>): Promise<RollupSource> {
  const wanted = new Map<string, RollupNeed>();
  for (const need of needs) wanted.set(needKey(need.unitId, need.date), need);
  const found = new Map<string, readonly string[] | undefined>();
  const queue = [...wanted.entries()];
  const worker = async function fetchRollups(): Promise<void> {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, need] = next;
      const unit = await lookup.get(need.unitId, need.date);
      found.set(key, unit?.rollup);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_LOOKUPS, queue.length) }, worker));
  return (unitId, onDate) => found.get(needKey(unitId, onDate));
}

function needKey(unitId: string, date: string): string {
  return `${unitId}@${date}`;
}
