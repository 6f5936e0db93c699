import { PublishedUnitSchema, type UnitRefSchema, type UnitTypeSchema } from '../open-data/units.js';
import * as z from '../zod.js';

/**
 * A unit of the registry: exactly the shape published in `/data/units.json` (PublishedUnitSchema), plus two
 * optional fields that only a unit which continued through the 2025 reorganisation under the same code has
 * (131 communes): where it sat before (its district, gone since 2025-07-01) and its name before, when the name
 * changed (a spelling fix, or "Thị trấn Mường Lát" becoming "Xã Mường Lát"). Publishing a Unit through
 * PublishedUnitSchema drops them, so the contract is unchanged.
 *
 * Validity: `validFrom` is inclusive, `validTo` exclusive, both `YYYY-MM-DD`; `validFrom` null means "before our
 * records" (units of the 2025-03-01 list), `validTo` null means still in force.
 */
export const UnitSchema = z.extend(PublishedUnitSchema, {
  /** The parent before the reorganisation, for a unit that continued under a new parent. */
  formerParent: z.optional(z.string()),
  /** The official name before the reorganisation, when a continuing unit's name changed. */
  formerName: z.optional(z.string()),
});

export type Unit = z.infer<typeof UnitSchema>;
export type UnitType = z.infer<typeof UnitTypeSchema>;
export type UnitRef = z.infer<typeof UnitRefSchema>;
export type UnitLevel = Unit['level'];

/** The day the 2025 reorganisation took effect: districts ended, 3,321 communes and 34 provinces began. */
export const REORGANISATION_DATE = '2025-07-01';

/** The suffix of the id of an old unit whose code a different unit reuses from 2025-07-01 (`00097-pre2025`). */
export const PRE_2025_SUFFIX = '-pre2025';

/** True when the unit is in force on the date (`validFrom <= date < validTo`). */
export function inForceOn(unit: Pick<Unit, 'validFrom' | 'validTo'>, date: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= date) && (unit.validTo === null || date < unit.validTo);
}
