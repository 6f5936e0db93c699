/**
 * Masks obvious personal data in a comment before it is stored or shown to a moderator: e-mail addresses,
 * Vietnamese phone numbers (mobile and landline, national or +84 form, written with spaces, dots, hyphens or
 * brackets), identity numbers (9-digit CMND, 12-digit CCCD, contiguous or grouped with spaces, dots or hyphens),
 * dossier codes (anyone's: letters and 8+ digits joined by . - / _, as `000.00.15.H26-240512-0001`) and any other
 * run of 9 or more digits (bank accounts, card numbers), unless a currency follows it (`200.000.000 đồng`). It
 * errs on the side of masking: a 10-digit number that merely looks like a mobile number is hidden too; a
 * moderator sees the placeholder and the rest of the text. Names cannot be recognised reliably; moderation is
 * the safeguard for those.
 */

export const MASKS = {
  email: '[email đã ẩn]',
  phone: '[số điện thoại đã ẩn]',
  idNumber: '[số giấy tờ đã ẩn]',
  dossierCode: '[mã hồ sơ đã ẩn]',
  digits: '[dãy số đã ẩn]',
} as const;

export type MaskKind = keyof typeof MASKS;

export interface MaskResult {
  readonly text: string;
  /** How many of each kind were masked (a moderator may want to know that something was removed). */
  readonly counts: Readonly<Record<MaskKind, number>>;
}

/** Letters and digits of any script: a match must not start or end inside a word or a longer number. */
const NOT_AFTER_WORD = '(?<![\\p{L}\\p{N}])';
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
/** A separator people write inside identity numbers: space (also no-break), dot or hyphen. */
const ID_SEP = '[ \\u00a0.\\-]';
/**
 * CCCD: 12 digits, contiguous or in groups of 3 or 4 (`001 203 004 567`, `001.203.004.567`, `0012-0300-4567`);
 * CMND: 9 digits, contiguous or in groups of 3 (`123 456 789`).
 */
const ID_NUMBER = new RegExp(
  // Not part of a longer grouped number either (`1.000.000.000` is not a CMND): that is left to DIGIT_RUN.
  `(?<!\\p{N}${ID_SEP}?)(?:\\p{N}{12}|\\p{N}{3}(?:${ID_SEP}\\p{N}{3}){3}|\\p{N}{4}(?:${ID_SEP}\\p{N}{4}){2}|\\p{N}{3}(?:${ID_SEP}\\p{N}{3}){2}|\\p{N}{9})(?!${ID_SEP}?\\p{N})`,
  'gu',
);
/** A code: three or more runs of letters and digits joined by . - / _ (judged by `isDossierLike`). */
const CODE_LIKE = /(?<![\p{L}\p{N}])[\p{L}\p{N}]+(?:[./_-][\p{L}\p{N}]+){2,}(?![\p{L}\p{N}])/gu;
/** Digits separated by single spaces, dots or hyphens (masked from 9 digits on). */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\p{N}+(?:[ \u00a0.-]\p{N}+)*(?![\p{L}\p{N}])/gu;
/** A currency or amount word after a number: it is money, not an account (`200.000.000 đồng`). */
const CURRENCY_AFTER = /^\s*(?:đồng|vnđ|vnd|₫|triệu|tỷ|tỉ|nghìn|ngàn|đ|k)(?!\p{L})/iu;

/** Digits left beside a phone or identity placeholder, in the same grouped run, from which the run is masked whole. */
const FRAGMENT_DIGITS = 3;
/** A grouped run holding at least one phone or identity placeholder and at least one group of digits. */
const MASKED_RUN = (() => {
  const placeholder = `(?:${escapeRegExp(MASKS.phone)}|${escapeRegExp(MASKS.idNumber)})`;
  const group = `(?:\\p{N}+|${placeholder})`;
  const sep = '[ \\u00a0.\\-]';
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:\\p{N}+${sep})*${placeholder}(?:${sep}${group})*(?![\\p{L}\\p{N}])`, 'gu');
})();

const digitCount = (text: string) => (text.match(/\p{N}/gu) ?? []).length;

/** A dossier code (anyone's): a letter somewhere and at least 8 digits; `385/KL-ĐKTCV` and dates are not. */
function isDossierLike(token: string): boolean {
  return /\p{L}/u.test(token) && digitCount(token) >= 8 && !AMOUNT.test(token);
}
/** An amount with its currency glued on (`1.500.000.000đ`): money, not a code. */
const AMOUNT = /^[\p{N}.,-]+(?:đồng|vnđ|vnd|đ|k)$/iu;

/**
 * Replaces personal data with placeholders. `alsoHide` lists exact strings to remove too (the submitter's own
 * dossier code, which must never be stored in clear), matched case-insensitively.
 * @example maskPersonalData('Gọi 0912 345 678').text === 'Gọi [số điện thoại đã ẩn]'
 */
export function maskPersonalData(input: string, alsoHide: readonly string[] = []): MaskResult {
  const counts: Record<MaskKind, number> = { email: 0, phone: 0, idNumber: 0, dossierCode: 0, digits: 0 };
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
  text = text.replace(CODE_LIKE, (token) => {
    if (!isDossierLike(token)) return token;
    counts.dossierCode += 1;
    return MASKS.dossierCode;
  });
  text = text.replace(PHONE, () => {
    counts.phone += 1;
    return MASKS.phone;
  });
  text = text.replace(ID_NUMBER, (match, offset: number, whole: string) => {
    if (CURRENCY_AFTER.test(whole.slice(offset + match.length))) return match;
    counts.idNumber += 1;
    return MASKS.idNumber;
  });
  // A phone or identity number found inside a longer grouped number (`00 090 000 0000 0000`: a card or account
  // number whose middle looks like a mobile number) would leave the rest of that number readable around its
  // placeholder: the whole run is masked as a run of digits instead. A small number beside a phone number
  // (`0912345678 2 lần`) is not part of it and stays.
  text = text.replace(MASKED_RUN, (match) => {
    const left = digitCount(match);
    if (left < FRAGMENT_DIGITS) return match;
    for (const kind of ['phone', 'idNumber'] as const) counts[kind] -= match.split(MASKS[kind]).length - 1;
    counts.digits += 1;
    return MASKS.digits;
  });
  // Last: whatever long run of digits is left (a bank account, a card number), unless it is an amount of money.
  text = text.replace(DIGIT_RUN, (match, offset: number, whole: string) => {
    if (digitCount(match) < 9 || CURRENCY_AFTER.test(whole.slice(offset + match.length))) return match;
    counts.digits += 1;
    return MASKS.digits;
  });
  return { text, counts };
}

/** Escapes the syntax characters only: in a `u` pattern, escaping anything else (`\-`, `\/`) is an error. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
