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

/**
 * A template split at its placeholders, once: `['Có ', 'n', ' đơn vị']` (text, name, text, …). A national build
 * fills the same few hundred messages some millions of times; a regular expression scan with a callback each time was
 * a second of each render process's CPU.
 */
const TEMPLATES = new Map<string, readonly string[]>();
/** Messages are a fixed set; the bound only keeps a caller with templates of its own from growing the map. */
const MAX_TEMPLATES = 2048;

/** Replaces `{name}` placeholders; an unknown placeholder stays visible so a missing value is noticed. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  let parts = TEMPLATES.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    if (TEMPLATES.size >= MAX_TEMPLATES) TEMPLATES.clear();
    TEMPLATES.set(template, parts);
  }
  let text = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] ?? '';
    const value = params[name];
    text += (value === undefined ? `{${name}}` : String(value)) + (parts[i + 1] ?? '');
  }
  return text;
}

/** Splits a long text into paragraphs (separated by a blank line). */
export function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim());
}
