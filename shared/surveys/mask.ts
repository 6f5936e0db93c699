/**
 * Masks obvious personal data in a comment before it is stored or shown to a moderator: e-mail addresses,
 * Vietnamese phone numbers (mobile and landline, national or +84 form, written with spaces, dots, hyphens or
 * brackets) and identity numbers (9-digit CMND, 12-digit CCCD). It errs on the side of masking: a 10-digit number
 * that merely looks like a mobile number is hidden too; a moderator sees the placeholder and the rest of the text.
 * Names cannot be recognised reliably; moderation is the safeguard for those.
 */

export const MASKS = {
  email: '[email đã ẩn]',
  phone: '[số điện thoại đã ẩn]',
  idNumber: '[số giấy tờ đã ẩn]',
  dossierCode: '[mã hồ sơ đã ẩn]',
} as const;

export type MaskKind = keyof typeof MASKS;

export interface MaskResult {
  readonly text: string;
  /** How many of each kind were masked (a moderator may want to know that something was removed). */
  readonly counts: Readonly<Record<MaskKind, number>>;
}

/** Letters and digits of any script: a match must not start or end inside a word or a longer number. */
const NOT_AFTER_WORD = '(?<![\\p{L}\\p{N}])';
const NOT_AFTER_DIGIT = '(?<![\\p{N}])';
const NOT_BEFORE_DIGIT = '(?![\\p{N}])';
/** One optional separator between digits: space (also no-break), dot, hyphen, or a closing bracket. */
const SEP = '(?:[ \\u00a0.\\-]|\\)[ \\u00a0]?)?';
/**
 * The start of a national number: 0, or the country code 84 / +84 / (+84), which people often follow with a
 * stray 0 ("+84 (0) 912…"). The stray 0 is accepted only after the country code: "00 12…" is not a phone number.
 */
const PREFIX = `(?:(?:\\(?\\+84\\)?|\\(?84\\)?)${SEP}(?:\\(?0\\)?${SEP})?|\\(?0${SEP})`;

const EMAIL = new RegExp(
  `${NOT_AFTER_WORD}[\\p{L}\\p{N}._%+-]+\\s*(?:@|\\(at\\)|\\[at\\]|\\(a còng\\))\\s*[\\p{L}\\p{N}-]+(?:\\s*(?:\\.|\\(dot\\)|\\[dot\\]|\\(chấm\\))\\s*[\\p{L}\\p{N}-]+)+`,
  'giu',
);
/**
 * Mobile: 0 + 3/5/7/8/9 + 8 digits, or the 11-digit 01x numbers people still write (renumbered in 2018).
 * Landline: 0 + 2 + 9 digits (area code 2x or 2xx).
 */
const PHONE = new RegExp(
  `(?<![\\p{N}+])${PREFIX}(?:[35789](?:${SEP}\\p{N}){8}|1[2-9](?:${SEP}\\p{N}){8}|2(?:${SEP}\\p{N}){9})${NOT_BEFORE_DIGIT}`,
  'gu',
);
/** CCCD: 12 digits, contiguous or in groups of 3 or 4 separated by spaces; CMND: 9 contiguous digits. */
const ID_NUMBER = new RegExp(
  `${NOT_AFTER_DIGIT}(?:\\p{N}{12}|\\p{N}{3}(?:[ \\u00a0]\\p{N}{3}){3}|\\p{N}{4}(?:[ \\u00a0]\\p{N}{4}){2}|\\p{N}{9})${NOT_BEFORE_DIGIT}`,
  'gu',
);

/**
 * Replaces personal data with placeholders. `alsoHide` lists exact strings to remove too (the submitter's own
 * dossier code, which must never be stored in clear), matched case-insensitively.
 * @example maskPersonalData('Gọi 0912 345 678').text === 'Gọi [số điện thoại đã ẩn]'
 */
export function maskPersonalData(input: string, alsoHide: readonly string[] = []): MaskResult {
  const counts: Record<MaskKind, number> = { email: 0, phone: 0, idNumber: 0, dossierCode: 0 };
  let text = input.normalize('NFC');
  for (const secret of alsoHide) {
    if (secret.length === 0) continue;
    text = text.replace(new RegExp(escapeRegExp(secret.normalize('NFC')), 'giu'), () => {
      counts.dossierCode += 1;
      return MASKS.dossierCode;
    });
  }
  // Order matters: an e-mail may hold digits that look like a phone number, and a phone pattern is more
  // specific than a bare run of 9 or 12 digits.
  text = text.replace(EMAIL, () => {
    counts.email += 1;
    return MASKS.email;
  });
  text = text.replace(PHONE, () => {
    counts.phone += 1;
    return MASKS.phone;
  });
  text = text.replace(ID_NUMBER, () => {
    counts.idNumber += 1;
    return MASKS.idNumber;
  });
  return { text, counts };
}

/** Escapes the syntax characters only: in a `u` pattern, escaping anything else (`\-`, `\/`) is an error. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
