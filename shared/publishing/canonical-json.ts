import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level (arrays keep their order: it is meaningful). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the canonical JSON of a value: equal content, however it was written, hashes equal. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * The id of a published document: derived from its type, the agency and the document number, so the same
 * document sent twice, or by two racing retries, lands on the same record (the conditional create decides),
 * while two agencies with the same number never collide. Case and spacing of the number do not matter.
 * @param prefix one letter naming the type (`k` conclusion, `s` summary); it also starts the id
 * @example documentId('k', 'hanoi-dktcv', '385/KL-ĐKTCV') // 'k' + 19 base32 characters
 */
export function documentId(prefix: string, agencyId: string, documentNumber: string): string {
  const normalized = documentNumber.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('vi');
  // Conclusions were the first type and hash without a type tag; keeping that keeps their ids stable.
  const tag = prefix === 'k' ? '' : `${prefix}\u0000`;
  const digest = createHash('sha256').update(`${tag}${agencyId}\u0000${normalized}`).digest();
  return `${prefix}${base32(digest).slice(0, 19)}`;
}

/** The pattern of the ids `documentId` makes with a prefix. */
export function documentIdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}[a-z2-7]{19}$`);
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
