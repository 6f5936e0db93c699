import type { Lang } from '../lib/lang.js';
import { en } from './en.js';
import { type MessageKey, vi } from './vi.js';

export type { MessageKey } from './vi.js';

const MESSAGES: Record<Lang, Readonly<Record<MessageKey, string>>> = { vi, en };

export type Params = Readonly<Record<string, string | number>>;

export type Translate = (key: MessageKey, params?: Params) => string;

/** The translator of a language: `t('list.count', { n: '12' })`. Numbers in params should come formatted. */
export function translator(lang: Lang): Translate {
  const messages = MESSAGES[lang];
  return (key, params) => interpolate(messages[key], params);
}

/** Replaces `{name}` placeholders; an unknown placeholder stays visible so a missing value is noticed. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    return value === undefined ? match : String(value);
  });
}

/** Splits a long text into paragraphs (separated by a blank line). */
export function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim());
}
