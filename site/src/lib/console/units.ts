import { foldVietnamese } from '../../../../shared/text/normalize.js';

/**
 * Finding units for the console's unit fields in `/data/units.json`: by code, or by name with or without
 * diacritics ("dong da" finds "Quận Đống Đa"), preferring units in force on the given date.
 */

export interface UnitEntry {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly parent: string | null;
  readonly validFrom: string | null;
  readonly validTo: string | null;
}

export interface UnitMatch {
  readonly unit: UnitEntry;
  /** The names of the unit and its ancestors: `Phường Văn Miếu, Quận Đống Đa, Thành phố Hà Nội`. */
  readonly label: string;
}

const fold = (text: string) => foldVietnamese(text.normalize('NFC')).toLowerCase();

/** True when the unit is in force on a date (`validFrom` inclusive, `validTo` exclusive). */
export function inForce(unit: UnitEntry, date: string | undefined): boolean {
  if (!date) return unit.validTo === null;
  return (unit.validFrom === null || unit.validFrom <= date) && (unit.validTo === null || date < unit.validTo);
}

export class UnitIndex {
  readonly #byId = new Map<string, UnitEntry>();
  readonly #folded: { unit: UnitEntry; name: string }[] = [];

  constructor(units: readonly UnitEntry[]) {
    for (const unit of units) {
      this.#byId.set(unit.id, unit);
      this.#folded.push({ unit, name: fold(unit.name) });
    }
  }

  /** The full name of a unit with its ancestors. */
  label(unit: UnitEntry): string {
    const names = [unit.name];
    let parent = unit.parent ? this.#byId.get(unit.parent) : undefined;
    while (parent) {
      names.push(parent.name);
      parent = parent.parent ? this.#byId.get(parent.parent) : undefined;
    }
    return names.join(', ');
  }

  /** The unit a code means on a date (a reused code means the unit in force then), if any. */
  byCode(code: string, date?: string): UnitEntry | undefined {
    const candidates = this.#folded.map((f) => f.unit).filter((unit) => unit.code === code);
    return candidates.find((unit) => inForce(unit, date)) ?? candidates[0];
  }

  /** Units whose code starts with the query or whose name contains every word of it; in force first. */
  search(query: string, date?: string, limit = 20): UnitMatch[] {
    const q = fold(query.trim());
    if (q === '') return [];
    const words = q.split(/\s+/);
    const found = this.#folded
      .filter(({ unit, name }) => unit.code.startsWith(q) || words.every((word) => name.includes(word)))
      .map(({ unit }) => unit);
    found.sort((a, b) => Number(inForce(b, date)) - Number(inForce(a, date)) || a.code.localeCompare(b.code));
    return found.slice(0, limit).map((unit) => ({ unit, label: this.label(unit) }));
  }
}
