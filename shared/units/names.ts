import { foldVietnamese } from '../text/normalize.js';
import { UnitDataError } from './errors.js';
import type { UnitLevel, UnitType } from './types.js';

/**
 * Official names start with the unit's type ("Phường Vĩnh Hưng"). The name prefix is the only type information
 * the 2025-07-01 list has, so the type of a new unit is read from it; for old units the prefix must agree with
 * the list's `type` field. A few source names capitalise the prefix ("Thị Trấn Năm Căn"): it is rewritten in
 * its official spelling so that names sort, search and display consistently.
 */

const PREFIXES: Readonly<Record<UnitLevel, readonly (readonly [prefix: string, type: UnitType])[]>> = {
  1: [
    ['Thành phố', 'municipality'],
    ['Tỉnh', 'province'],
  ],
  2: [
    ['Quận', 'urban_district'],
    ['Huyện', 'district'],
    ['Thị xã', 'district_town'],
    ['Thành phố', 'provincial_city'],
  ],
  3: [
    ['Phường', 'ward'],
    ['Xã', 'commune'],
    ['Thị trấn', 'township'],
    ['Đặc khu', 'special_zone'],
  ],
};

/** The `type` strings of the 2025-03-01 list, by level. */
const SOURCE_TYPES: Readonly<Record<UnitLevel, Readonly<Record<string, UnitType>>>> = {
  1: { 'Thành phố Trung ương': 'municipality', Tỉnh: 'province' },
  2: { Quận: 'urban_district', Huyện: 'district', 'Thị xã': 'district_town', 'Thành phố': 'provincial_city' },
  3: { Phường: 'ward', Xã: 'commune', 'Thị trấn': 'township' },
};

export interface UnitName {
  /** The official name, NFC, with the type prefix in its official spelling: "Phường Vĩnh Hưng". */
  readonly name: string;
  /** The name without diacritics (đ → d): "Phuong Vinh Hung". */
  readonly nameAscii: string;
  /** The proper name without its type, folded to lower-case ASCII words joined by hyphens: "vinh-hung". */
  readonly slug: string;
  /** The type the prefix stands for at this level. */
  readonly type: UnitType;
}

/** Parses an official name at a level: `parseUnitName('Phường Vĩnh Hưng', 3).slug === 'vinh-hung'`. */
export function parseUnitName(rawName: string, level: UnitLevel): UnitName {
  const clean = rawName.normalize('NFC').trim().replace(/\s+/g, ' ');
  const lower = clean.toLocaleLowerCase('vi');
  for (const [prefix, type] of PREFIXES[level]) {
    if (lower.startsWith(`${prefix.toLocaleLowerCase('vi')} `)) {
      const proper = clean.slice(prefix.length + 1);
      const name = `${prefix} ${proper}`;
      return { name, nameAscii: foldVietnamese(name), slug: slugify(proper), type };
    }
  }
  throw new UnitDataError(`unit name "${clean}" does not start with a known level-${level} type`);
}

/** The unit type for a `type` string of the 2025-03-01 list ("Thành phố" at level 2 is a provincial city). */
export function sourceUnitType(sourceType: string, level: UnitLevel): UnitType {
  const type = SOURCE_TYPES[level][sourceType];
  if (!type) throw new UnitDataError(`unknown level-${level} unit type "${sourceType}"`);
  return type;
}

/** Lower-case ASCII words joined by hyphens: `slugify("Ea H'Leo") === 'ea-h-leo'`. */
export function slugify(text: string): string {
  return foldVietnamese(text.normalize('NFC'))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
