/**
 * Text enters the system NFC-normalized: Vietnamese can arrive decomposed (NFD, e.g. from macOS or some
 * keyboards), and "Hưng" in NFD and NFC must compare, hash and index the same.
 */

/** Returns a deep copy of a JSON-like value with every string (keys included) in NFC. */
export function normalizeDeep<T>(value: T): T {
  return normalizeValue(value) as T;
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (value !== null && typeof value === 'object') {
    // A null-prototype object: keys such as "__proto__" stay plain data and cannot reach Object.prototype.
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, inner] of Object.entries(value)) out[key.normalize('NFC')] = normalizeValue(inner);
    return out;
  }
  return value;
}

let collator: Intl.Collator | undefined;

/**
 * Vietnamese collation for sorting names. The `Intl.Collator` is made on the first comparison, not at import: the
 * first `Intl` object of a process loads ICU's locale data, which every Lambda importing this module paid at init
 * (issue #15) though none of them sorts names.
 */
export const vietnameseCollator: Pick<Intl.Collator, 'compare'> = {
  compare(a: string, b: string): number {
    collator ??= new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
    return collator.compare(a, b);
  },
};

/** Lower-case ASCII fold of Vietnamese text (diacritics removed, đ → d), for slugs and diacritic-free search. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}
