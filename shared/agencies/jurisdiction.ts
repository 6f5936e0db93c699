import { type FieldIssue, ForbiddenError, ValidationError } from '../errors.js';
import type { ResolvedUnit, UnitLookup } from '../units/ports.js';
import type { Agency } from './schemas.js';

/**
 * Resolves the unit codes of a record on its date and checks that the agency's jurisdiction covers each one.
 * A code with no unit in force on the date is the caller's mistake (422, with the field path); a unit outside
 * the jurisdiction is a valid request the agency may not make (403). Coverage comes from the registry: a
 * jurisdiction covers a unit when it is the unit, an ancestor, or a successor of it (ARCHITECTURE.md, "Units").
 */
export async function resolveUnitsInJurisdiction(
  codes: readonly string[],
  onDate: string,
  agency: Agency,
  units: UnitLookup,
  path: string,
  pathIndexed = true,
): Promise<ResolvedUnit[]> {
  const issues: FieldIssue[] = [];
  const resolved: ResolvedUnit[] = [];
  for (const [index, code] of codes.entries()) {
    const unit = await units.resolve(code, onDate);
    if (unit) resolved.push(unit);
    else
      issues.push({
        path: pathIndexed ? `${path}.${index}` : path,
        message: `no unit with code ${code} was in force on ${onDate}`,
      });
  }
  if (issues.length > 0)
    throw new ValidationError(issues, 'Some unit codes do not name a unit on the date of the record.');
  const jurisdiction = new Set(agency.jurisdictionUnitIds);
  const outside = resolved.filter((unit) => !unit.coverage.some((id) => jurisdiction.has(id)));
  if (outside.length > 0) {
    throw new ForbiddenError(
      `Outside the jurisdiction of agency "${agency.id}": ${outside.map((unit) => `${unit.code} (${unit.name})`).join(', ')}.`,
    );
  }
  return resolved;
}
