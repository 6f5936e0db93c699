import { UnitDataError } from './errors.js';
import { parseUnitName, sourceUnitType } from './names.js';
import type { Merge, NewUnitsFile, OldUnitsFile } from './source.js';
import { PRE_2025_SUFFIX, REORGANISATION_DATE, type Unit, type UnitLevel, type UnitRef } from './types.js';

/**
 * Builds the unit registry from the two reference lists (pure: parsed files in, units out).
 *
 * Identity (docs/ARCHITECTURE.md, "Units"): a unit's id is its GSO code. A new unit whose merges are exactly
 * its own code, in full, is the old unit continuing: one unit, in force throughout. Otherwise, when a new unit
 * reuses an old unit's code, the old unit becomes `<code>-pre2025` and the new one takes the bare code.
 * Every district ends on 2025-07-01, as does every old unit that did not continue. New communes hang directly
 * under their province. Successors and predecessors come from the merges of the 2025-07-01 list.
 */

export interface BuildRegistryOptions {
  /**
   * Province codes (of either list) to keep with everything under them, old and new. Every province of both
   * lists is kept anyway, so the country's provinces are always known. Omitted: the whole country.
   */
  readonly provinces?: readonly string[];
  /** Told about oddities of the source that the build resolved (e.g. a type that contradicts the name). */
  readonly onWarning?: (message: string) => void;
}

interface OldEntry {
  readonly code: string;
  readonly level: UnitLevel;
  readonly name: string;
  readonly sourceType: string;
  readonly parentCode: string | null;
  readonly provinceCode: string;
}

interface NewEntry {
  readonly code: string;
  readonly level: 1 | 3;
  readonly name: string;
  readonly merges: readonly Merge[];
  readonly provinceCode: string;
}

/** Builds the registry, in a stable order (level, then code, then the older unit first). */
export function buildRegistry(old: OldUnitsFile, next: NewUnitsFile, options: BuildRegistryOptions = {}): Unit[] {
  const oldByCode = indexOld(old);
  const newByCode = indexNew(next);

  const continues = (entry: NewEntry): boolean => {
    const [only, ...rest] = entry.merges;
    return (
      rest.length === 0 &&
      only?.old_id === entry.code &&
      only.type === 'full' &&
      oldByCode.get(entry.code)?.level === entry.level
    );
  };
  const oldId = (code: string): string => {
    const reuser = newByCode.get(code);
    return reuser && !continues(reuser) ? `${code}${PRE_2025_SUFFIX}` : code;
  };

  const successors = new Map<string, UnitRef[]>();
  const predecessors = new Map<string, UnitRef[]>();
  for (const entry of newByCode.values()) {
    if (continues(entry)) continue;
    const seen = new Set<string>();
    for (const merge of entry.merges) {
      if (!oldByCode.has(merge.old_id)) {
        throw new UnitDataError(`unit ${entry.code} merges unknown old unit ${merge.old_id}`);
      }
      if (seen.has(merge.old_id)) throw new UnitDataError(`unit ${entry.code} merges ${merge.old_id} twice`);
      seen.add(merge.old_id);
      const from = oldId(merge.old_id);
      push(successors, from, { id: entry.code, kind: merge.type });
      push(predecessors, entry.code, { id: from, kind: merge.type });
    }
  }

  const units: Unit[] = [];
  // Province codes each unit belongs to (a continuing commune may belong to an old and a new one), for the filter.
  const provincesOf = new Map<string, Set<string>>();
  const belongs = (id: string, provinceCode: string) => {
    const set = provincesOf.get(id) ?? new Set<string>();
    set.add(provinceCode);
    provincesOf.set(id, set);
  };

  for (const entry of oldByCode.values()) {
    const reuser = newByCode.get(entry.code);
    if (reuser && continues(reuser)) {
      belongs(entry.code, entry.provinceCode);
      continue; // built once, from the new list, below
    }
    const parsed = parseUnitName(entry.name, entry.level);
    // The official name wins over the list's type field: the 2025-03-01 list has two wards of Phú Nhuận
    // ("Phường 5", "Phường 15") typed "Xã", in an urban district that has no communes.
    const type = parsed.type;
    const listed = sourceUnitType(entry.sourceType, entry.level);
    if (listed !== type) {
      options.onWarning?.(`unit ${entry.code} "${parsed.name}" is listed as "${entry.sourceType}"; typed ${type}`);
    }
    const id = oldId(entry.code);
    units.push({
      id,
      code: entry.code,
      name: parsed.name,
      nameAscii: parsed.nameAscii,
      slug: parsed.slug,
      type,
      level: entry.level,
      parent: entry.parentCode === null ? null : oldId(entry.parentCode),
      validFrom: null,
      validTo: REORGANISATION_DATE,
      successors: sortRefs(successors.get(id)),
      predecessors: [],
    });
    belongs(id, entry.provinceCode);
  }

  for (const entry of newByCode.values()) {
    const parsed = parseUnitName(entry.name, entry.level);
    const parent = entry.level === 1 ? null : entry.provinceCode;
    const unit: Unit = {
      id: entry.code,
      code: entry.code,
      name: parsed.name,
      nameAscii: parsed.nameAscii,
      slug: parsed.slug,
      type: parsed.type,
      level: entry.level,
      parent,
      validFrom: REORGANISATION_DATE,
      validTo: null,
      successors: [],
      predecessors: sortRefs(predecessors.get(entry.code)),
    };
    const before = continues(entry) ? oldByCode.get(entry.code) : undefined;
    if (before) {
      unit.validFrom = null;
      const formerParent = before.parentCode === null ? null : oldId(before.parentCode);
      if (formerParent !== null && formerParent !== parent) unit.formerParent = formerParent;
      const formerName = parseUnitName(before.name, before.level).name;
      if (formerName !== parsed.name) unit.formerName = formerName;
    }
    units.push(unit);
    belongs(entry.code, entry.provinceCode);
  }

  units.sort(compareUnits);
  if (!options.provinces) return units;
  return selectProvinces(units, options.provinces, provincesOf, oldByCode, newByCode, options.onWarning);
}

function indexOld(file: OldUnitsFile): Map<string, OldEntry> {
  const byCode = new Map<string, OldEntry>();
  const add = (entry: OldEntry) => {
    if (byCode.has(entry.code)) throw new UnitDataError(`code ${entry.code} appears twice in the 2025-03-01 list`);
    byCode.set(entry.code, entry);
  };
  for (const p of file.data) {
    const provinceCode = p.level1_id;
    add({ code: provinceCode, level: 1, name: p.name, sourceType: p.type, parentCode: null, provinceCode });
    for (const d of p.level2s) {
      add({ code: d.level2_id, level: 2, name: d.name, sourceType: d.type, parentCode: provinceCode, provinceCode });
      for (const c of d.level3s) {
        add({ code: c.level3_id, level: 3, name: c.name, sourceType: c.type, parentCode: d.level2_id, provinceCode });
      }
    }
  }
  return byCode;
}

function indexNew(file: NewUnitsFile): Map<string, NewEntry> {
  const byCode = new Map<string, NewEntry>();
  const add = (entry: NewEntry) => {
    if (byCode.has(entry.code)) throw new UnitDataError(`code ${entry.code} appears twice in the 2025-07-01 list`);
    byCode.set(entry.code, entry);
  };
  for (const p of file.data) {
    const provinceCode = p.level1_id;
    add({ code: provinceCode, level: 1, name: p.name, merges: p.merges, provinceCode });
    for (const c of p.level2s) add({ code: c.level2_id, level: 3, name: c.name, merges: c.merges, provinceCode });
  }
  return byCode;
}

/** Keeps the chosen provinces' units and every province, and drops references to units left out. */
function selectProvinces(
  units: readonly Unit[],
  provinces: readonly string[],
  provincesOf: ReadonlyMap<string, ReadonlySet<string>>,
  oldByCode: ReadonlyMap<string, OldEntry>,
  newByCode: ReadonlyMap<string, NewEntry>,
  onWarning: ((message: string) => void) | undefined,
): Unit[] {
  const wanted = new Set(provinces);
  for (const code of wanted) {
    if (oldByCode.get(code)?.level !== 1 && newByCode.get(code)?.level !== 1) {
      throw new UnitDataError(`unknown province code ${code}`);
    }
  }
  const kept = units.filter(
    (unit) => unit.level === 1 || [...(provincesOf.get(unit.id) ?? [])].some((p) => wanted.has(p)),
  );
  const ids = new Set(kept.map((unit) => unit.id));
  let dropped = 0;
  const pruned = kept.map((unit) => {
    const copy: Unit = {
      ...unit,
      successors: unit.successors.filter((ref) => ids.has(ref.id)),
      predecessors: unit.predecessors.filter((ref) => ids.has(ref.id)),
    };
    if (copy.formerParent !== undefined && !ids.has(copy.formerParent)) delete copy.formerParent;
    dropped += unit.successors.length - copy.successors.length + unit.predecessors.length - copy.predecessors.length;
    if (unit.formerParent !== copy.formerParent) dropped += 1;
    return copy;
  });
  // A registry must be closed (every id it mentions is in it); a dropped link changes roll-ups, so say so.
  if (dropped > 0) onWarning?.(`dropped ${dropped} links to units outside provinces ${[...wanted].join(', ')}`);
  return pruned;
}

function push(map: Map<string, UnitRef[]>, key: string, ref: UnitRef): void {
  const list = map.get(key);
  if (list) list.push(ref);
  else map.set(key, [ref]);
}

function sortRefs(refs: readonly UnitRef[] | undefined): UnitRef[] {
  return [...(refs ?? [])].sort((a, b) => compareText(a.id, b.id));
}

function compareUnits(a: Unit, b: Unit): number {
  return a.level - b.level || compareText(a.code, b.code) || compareText(a.validFrom ?? '', b.validFrom ?? '');
}

// Codes and ids are ASCII; a plain code-point order keeps the output identical on every machine and locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
