/** The site's two languages: Vietnamese first (at `/`), English second (at `/en/`). */
export const LANGS = ['vi', 'en'] as const;

export type Lang = (typeof LANGS)[number];

/** The BCP 47 locale used for numbers and dates in each language. */
export const LOCALES: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

/** The other language, for the language switcher and hreflang links. */
export function otherLang(lang: Lang): Lang {
  return lang === 'vi' ? 'en' : 'vi';
}

/** Picks the text of a bilingual value, falling back to Vietnamese when there is no English. */
export function pick(text: { readonly vi: string; readonly en?: string | undefined }, lang: Lang): string {
  return lang === 'en' && text.en ? text.en : text.vi;
}

/** True when `pick` would fall back to Vietnamese: the page marks that text with `lang="vi"`. */
export function isFallback(text: { readonly vi: string; readonly en?: string | undefined }, lang: Lang): boolean {
  return lang === 'en' && !text.en;
}
