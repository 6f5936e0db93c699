import { describe, expect, it } from 'vitest';
import { en } from '../../../../site/src/i18n/en.js';
import { interpolate, paragraphs } from '../../../../site/src/i18n/index.js';
import { vi } from '../../../../site/src/i18n/vi.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('UI strings', () => {
  it('has every key in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [key, text] of [...Object.entries(vi), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe('');
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, text] of Object.entries(vi)) {
      expect(placeholders(en[key as keyof typeof vi]), key).toEqual(placeholders(text));
    }
  });

  it('stores Vietnamese text in NFC', () => {
    for (const [key, text] of Object.entries(vi)) expect(text, key).toBe(text.normalize('NFC'));
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{n} kết luận, {m}', { n: '12' })).toBe('12 kết luận, {m}');
    expect(paragraphs('Một.\n\nHai.')).toEqual(['Một.', 'Hai.']);
  });

  it('fills a template it has seen before with the new values, as a scan of the template would', () => {
    const templates = ['{n}', '{n}{n} {m}.', 'Không có gì', 'a {n} $& {x y} {m}', '{}{n}'];
    const scan = (template: string, params: Record<string, string>) =>
      template.replace(/\{(\w+)\}/g, (match, name: string) => params[name] ?? match);
    for (const params of [{ n: '1', m: '2' }, { n: '$1' }, {}] as Record<string, string>[]) {
      for (const template of templates) expect(interpolate(template, params)).toBe(scan(template, params));
    }
  });
});
