import { describe, expect, it } from 'vitest';
import { surveyErrorPath, surveyPagePath, thankYouPath } from '../../../../shared/surveys/form.js';
import { listParam, listSegments, pair, paths } from '../../../../site/src/lib/routes.js';

describe('routes', () => {
  it('puts Vietnamese pages at the root and English ones under /en/', () => {
    expect(pair((lang) => paths.unit(lang, '00304'))).toEqual({ vi: '/don-vi/00304/', en: '/en/units/00304/' });
    expect(pair(paths.home)).toEqual({ vi: '/', en: '/en/' });
    expect(pair((lang) => paths.survey(lang, '00304'))).toEqual({ vi: '/danh-gia/00304/', en: '/en/survey/00304/' });
    expect(pair(paths.thankYou)).toEqual({ vi: '/danh-gia/cam-on/', en: '/en/survey/thank-you/' });
  });

  it('gives the survey pages the addresses the API sends citizens to (shared/surveys/form.ts)', () => {
    for (const lang of ['vi', 'en'] as const) {
      expect(paths.survey(lang, '00301')).toBe(surveyPagePath(lang, '00301'));
      expect(paths.thankYou(lang)).toBe(thankYouPath(lang));
      expect(paths.surveyError(lang)).toBe(surveyErrorPath(lang));
    }
  });

  it('encodes ids in addresses', () => {
    expect(paths.unit('vi', '00097-pre2025')).toBe('/don-vi/00097-pre2025/');
    expect(paths.conclusion('en', 'a/b c')).toBe('/en/conclusions/a%2Fb%20c/');
  });

  it('gives list pages zero or at least two segments, so they never collide with a conclusion', () => {
    const filters = [
      { by: 'all' },
      { by: 'year', year: '2024' },
      { by: 'kind', kind: 'surprise' },
      { by: 'unit', unit: '001' },
    ] as const;
    for (const filter of filters) {
      for (const page of [1, 2, 7]) {
        for (const lang of ['vi', 'en'] as const) {
          const count = listSegments(lang, filter, page).length;
          expect(count === 0 || count >= 2).toBe(true);
        }
      }
    }
  });

  it('builds list addresses and their route parameters from the same segments', () => {
    const filter = { by: 'year', year: '2025' } as const;

    expect(paths.conclusions('vi', filter, 2)).toBe('/ket-luan/nam/2025/trang/2/');
    expect(paths.conclusions('en', filter, 1)).toBe('/en/conclusions/year/2025/');
    expect(paths.conclusions('vi')).toBe('/ket-luan/');
    expect(listParam('vi', filter, 2)).toBe('nam/2025/trang/2');
    expect(listParam('vi', { by: 'all' }, 1)).toBeUndefined();
  });
});
