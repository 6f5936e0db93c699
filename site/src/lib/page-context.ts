import { type Translate, translator } from '../i18n/index.js';
import { type Formatter, formatter } from './format.js';
import type { Lang } from './lang.js';

/**
 * What every page and component starts from, computed once in TypeScript (as Starlight computes its route data):
 * the page's language, its translator and its vi-VN / en-GB formatter. A view's frontmatter reads
 * `const { lang, t, fmt, unit } = pageContext(Astro.props);` instead of building them again.
 */

/** The props of a view that needs only its language. */
export interface PageProps {
  readonly lang: Lang;
}

export interface PageContext {
  readonly lang: Lang;
  readonly t: Translate;
  readonly fmt: Formatter;
}

/** The language, translator and formatter of a page, beside the view's own props (`conclusion`, `unit`…). */
export function pageContext<P extends PageProps>(props: P): PageContext & Omit<P, keyof PageContext> {
  return { ...props, lang: props.lang, t: translator(props.lang), fmt: formatter(props.lang) };
}
