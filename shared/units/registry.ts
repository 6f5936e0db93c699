import { foldVietnamese, vietnameseCollator } from '../text/normalize.js';
import { isIsoDate } from '../time/periods.js';
import { UnitDataError, UnknownUnitError } from './errors.js';
import { inForceOn, REORGANISATION_DATE, type Unit } from './types.js';

/**
 * The unit registry in memory (pure, no I/O): lookups by id and by code on a date, the tree, roll-up targets
 * and jurisdiction coverage.
 *
 * Roll-up and coverage are closures over three kinds of edge, so that "A counts in B and B counts in C" always
 * means "A counts in C", and a unit reached twice counts once:
 * - parent: a unit counts in its parent (and so in every ancestor);
 * - former parent: a commune that continued through 2025-07-01 under a new parent also counts in the district it
 *   sat in before, but only for figures dated before that district ended (a dated query), or always when the
 *   question is "ever" (no date);
 * - successor: a unit that merged *fully* into another counts in it (so old Hà Giang's figures count in the new
 *   Tuyên Quang, and a ward split among several new wards still counts in the new province its old province
 *   merged into). A *partial* successor is not a roll-up target, since a split unit's figures are not apportioned;
 *   it is part of the coverage: an agency with jurisdiction over any successor covers the old unit.
 */
export class UnitRegistry {
  readonly #units: readonly Unit[];
  readonly #byId = new Map<string, Unit>();
  readonly #byCode = new Map<string, Unit[]>();
  /** Children by parent id, including the communes that had the unit as their former parent. */
  readonly #children = new Map<string, Unit[]>();
  #searchNames: Map<string, SearchNames> | undefined;

  constructor(units: readonly Unit[]) {
    this.#units = units;
    for (const unit of units) {
      if (this.#byId.has(unit.id)) throw new UnitDataError(`unit id ${unit.id} appears twice`);
      this.#byId.set(unit.id, unit);
      append(this.#byCode, unit.code, unit);
    }
    for (const unit of units) {
      const refs = [
        unit.parent,
        unit.formerParent,
        ...unit.successors.map((r) => r.id),
        ...unit.predecessors.map((r) => r.id),
      ];
      for (const ref of refs) {
        if (ref != null && !this.#byId.has(ref))
          throw new UnitDataError(`unit ${unit.id} refers to unknown unit ${ref}`);
      }
      if (unit.parent !== null) append(this.#children, unit.parent, unit);
      if (unit.formerParent !== undefined) append(this.#children, unit.formerParent, unit);
    }
  }

  /** Number of units. */
  get size(): number {
    return this.#units.length;
  }

  /** The unit with this id, or undefined. */
  get(id: string): Unit | undefined {
    return this.#byId.get(id);
  }

  /** Every unit, in the order given to the constructor. */
  all(): readonly Unit[] {
    return this.#units;
  }

  /**
   * The unit with this code in force on the date, or undefined.
   * @example registry.resolve('00097', '2025-06-30')?.id === '00097-pre2025' // Tứ Liên; Hồng Hà from 2025-07-01
   */
  resolve(code: string, onDate: string): Unit | undefined {
    assertDate(onDate);
    return this.#byCode.get(code)?.find((unit) => inForceOn(unit, onDate));
  }

  /** Every unit that ever had this code, oldest first. */
  versions(code: string): readonly Unit[] {
    return this.#byCode.get(code) ?? [];
  }

  /**
   * The units under this one, sorted by name in Vietnamese order. With a date: only those in force then, and
   * under this unit then (a continuing commune is under its old district before 2025-07-01, its province after),
   * sorted by the names they had then.
   */
  children(id: string, onDate?: string): Unit[] {
    this.#require(id);
    let list = this.#children.get(id) ?? [];
    if (onDate !== undefined) {
      assertDate(onDate);
      list = list.filter((child) => inForceOn(child, onDate) && this.#parentOn(child, onDate) === id);
    }
    return sortByName(list, onDate);
  }

  /** The provinces (units without a parent), sorted by name; with a date, only those in force then. */
  roots(onDate?: string): Unit[] {
    if (onDate !== undefined) assertDate(onDate);
    return sortByName(
      this.#units.filter((unit) => unit.parent === null && (onDate === undefined || inForceOn(unit, onDate))),
    );
  }

  /** Ids of the unit's ancestors, nearest first; with a date, along the parents it had then. */
  ancestors(id: string, onDate?: string): string[] {
    if (onDate !== undefined) assertDate(onDate);
    const chain: string[] = [];
    let current = this.#require(id);
    for (let parent = this.#parentOn(current, onDate); parent !== null; parent = this.#parentOn(current, onDate)) {
      // A cycle would be a data error; the registry is built so that it cannot happen, and this guard keeps a bad
      // file from hanging a process.
      if (chain.includes(parent)) throw new UnitDataError(`unit ${id} has a cycle of parents`);
      chain.push(parent);
      current = this.#require(parent);
    }
    return chain;
  }

  /**
   * Ids the unit's figures count in: itself, its ancestors, and the units it merged into fully (with theirs),
   * transitively, each once. With a date (the record's date), the former parent of a continuing commune counts
   * only before that parent ended.
   * @example registry.rollupTargets('00091-pre2025') // ['00091-pre2025', '003', '01'], and the new ward if full
   */
  rollupTargets(id: string, onDate?: string): string[] {
    return this.#closure(id, onDate, false);
  }

  /**
   * Ids of the jurisdictions that cover the unit: its roll-up targets, plus every successor it merged into only
   * partly, with their ancestors.
   */
  coverage(id: string, onDate?: string): string[] {
    return this.#closure(id, onDate, true);
  }

  /** True when any of the jurisdictions covers the unit (see `coverage`). */
  covers(jurisdictionIds: Iterable<string>, unitId: string, onDate?: string): boolean {
    const covering = new Set(this.coverage(unitId, onDate));
    for (const jurisdiction of jurisdictionIds) if (covering.has(jurisdiction)) return true;
    return false;
  }

  /**
   * Units whose name contains the text, with or without diacritics: "vinh hung" finds "Phường Vĩnh Hưng", while
   * "Vĩnh Hưng" does not find "Vĩnh Hùng". Former names count too. Sorted by level, then name.
   */
  search(text: string, options: { readonly onDate?: string; readonly limit?: number } = {}): Unit[] {
    const query = text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');
    if (query === '') return [];
    const folded = fold(query);
    // A query typed without diacritics matches on the folded names; one with diacritics matches them exactly.
    const plain = folded === query;
    const names = this.#namesForSearch();
    const found = this.#units.filter((unit) => {
      if (options.onDate !== undefined && !inForceOn(unit, options.onDate)) return false;
      const candidates = names.get(unit.id);
      return plain
        ? candidates?.folded.some((name) => name.includes(folded))
        : candidates?.exact.some((name) => name.includes(query));
    });
    const sorted = found.sort(
      (a, b) => a.level - b.level || vietnameseCollator.compare(a.name, b.name) || cmp(a.id, b.id),
    );
    return options.limit === undefined ? sorted : sorted.slice(0, options.limit);
  }

  /** The parent a unit had on a date: its former parent before that parent ended, its parent otherwise. */
  #parentOn(unit: Unit, onDate: string | undefined): string | null {
    if (unit.formerParent !== undefined && onDate !== undefined) {
      const former = this.#require(unit.formerParent);
      if (former.validTo !== null && onDate < former.validTo) return former.id;
    }
    return unit.parent;
  }

  #closure(id: string, onDate: string | undefined, partial: boolean): string[] {
    if (onDate !== undefined) assertDate(onDate);
    this.#require(id);
    const seen = new Set<string>([id]);
    const queue = [id];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const unit = this.#require(next);
      const edges: string[] = [];
      if (unit.parent !== null) edges.push(unit.parent);
      if (unit.formerParent !== undefined && this.#formerParentCounts(unit.formerParent, onDate)) {
        edges.push(unit.formerParent);
      }
      for (const successor of unit.successors) if (partial || successor.kind === 'full') edges.push(successor.id);
      for (const edge of edges) {
        if (!seen.has(edge)) {
          seen.add(edge);
          queue.push(edge);
        }
      }
    }
    return [...seen];
  }

  #formerParentCounts(formerParent: string, onDate: string | undefined): boolean {
    if (onDate === undefined) return true;
    const validTo = this.#require(formerParent).validTo;
    return validTo === null || onDate < validTo;
  }

  #require(id: string): Unit {
    const unit = this.#byId.get(id);
    if (!unit) throw new UnknownUnitError(id);
    return unit;
  }

  /** Per unit, its names (and former name) in lower case, as written and folded; built on the first search. */
  #namesForSearch(): Map<string, SearchNames> {
    if (!this.#searchNames) {
      this.#searchNames = new Map();
      for (const unit of this.#units) {
        const exact = [unit.name, ...(unit.formerName === undefined ? [] : [unit.formerName])].map((name) =>
          name.toLocaleLowerCase('vi'),
        );
        this.#searchNames.set(unit.id, { exact, folded: exact.map(fold) });
      }
    }
    return this.#searchNames;
  }
}

interface SearchNames {
  readonly exact: readonly string[];
  readonly folded: readonly string[];
}

function fold(text: string): string {
  return foldVietnamese(text).toLowerCase();
}

function append(map: Map<string, Unit[]>, key: string, unit: Unit): void {
  const list = map.get(key);
  if (list) list.push(unit);
  else map.set(key, [unit]);
}

/** Sorts by the names the units had on the date (a continuing commune's former name before 2025-07-01). */
function sortByName(units: readonly Unit[], onDate?: string): Unit[] {
  const nameOf = (unit: Unit) =>
    unit.formerName !== undefined && onDate !== undefined && onDate < REORGANISATION_DATE ? unit.formerName : unit.name;
  return [...units].sort((a, b) => vietnameseCollator.compare(nameOf(a), nameOf(b)) || cmp(a.id, b.id));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function assertDate(date: string): void {
  if (!isIsoDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
}
