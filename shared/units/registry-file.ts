import * as z from '../zod.js';
import { type Unit, UnitSchema } from './types.js';

/**
 * The committed registry file (`shared/units/data/registry.json.gz`, gzip): which provinces it holds in full (null: all)
 * and the units, one per line so that a change of the reference data reads as a small diff (`zcat` it).
 */
export const RegistryFileSchema = z.object({
  /** Province codes held in full, or null for the whole country; every province is always listed. */
  provinces: z.nullable(z.array(z.string())),
  count: z.number().check(z.int(), z.gte(0)),
  units: z.array(UnitSchema),
});

export type RegistryFile = z.infer<typeof RegistryFileSchema>;

/** The file's text: compact JSON with one unit per line, ending in a newline. */
export function serializeRegistryFile(units: readonly Unit[], provinces: readonly string[] | null): string {
  const head = `{"provinces":${JSON.stringify(provinces)},"count":${units.length},"units":[`;
  return `${head}\n${units.map((unit) => JSON.stringify(unit)).join(',\n')}\n]}\n`;
}
