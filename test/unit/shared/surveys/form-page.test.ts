import { describe, expect, it } from 'vitest';
import {
  esc,
  formErrorsFor,
  formValuesFrom,
  renderSurveyFormPage,
  type SurveyFormValues,
  surveyPagePath,
  thankYouPath,
} from '../../../../shared/surveys/form-page.js';

const values: SurveyFormValues = {
  unit: '00301',
  dossierCode: 'H26-0001',
  ratings: { access: '5', procedures: '4', feedback: '' },
  overall: '3',
  comment: 'Cán bộ nhiệt tình',
  channel: 'qr',
};

function ids(html: string): string[] {
  return [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? '');
}

describe('renderSurveyFormPage', () => {
  it('re-renders the form with what was posted', () => {
    // Act
    const html = renderSurveyFormPage({ lang: 'vi', values, errors: [] });
    // Assess
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('name="dossierCode" type="text" value="H26-0001"');
    expect(html).toMatch(/name="ratings\.access" value="5" checked/);
    expect(html).toMatch(/name="ratings\.procedures" value="4" checked/);
    expect(html).toMatch(/id="ratings-feedback-na" name="ratings\.feedback" value="" checked/);
    expect(html).not.toMatch(/name="ratings\.staff" value="\d" checked/);
    expect(html).toMatch(/name="overall" value="3" checked/);
    expect(html).toContain('>Cán bộ nhiệt tình</textarea>');
    expect(html).toContain('<input type="hidden" name="unit" value="00301">');
    expect(html).toContain('<input type="hidden" name="channel" value="qr">');
    expect(html).toContain('action="/api/v1/surveys"');
  });

  it('puts an error summary first, linking to each field, and each message next to its field', () => {
    // Prepare
    const errors = formErrorsFor(
      {
        status: 422,
        code: 'validation_failed',
        errors: [
          { path: 'dossierCode', message: 'x' },
          { path: 'ratings.staff', message: 'x' },
        ],
      },
      values,
      'vi',
    );
    // Act
    const html = renderSurveyFormPage({ lang: 'vi', values, errors });
    // Assess
    const summary = html.slice(html.indexOf('id="error-summary"'), html.indexOf('<form'));
    expect(summary).toContain('role="alert"');
    expect(summary).toContain('<a href="#dossierCode">');
    expect(summary).toContain('<a href="#ratings-staff-1">');
    expect(html).toContain('aria-describedby="dossierCode-hint dossierCode-error" aria-invalid="true"');
    expect(html).toContain('<fieldset aria-describedby="ratings-staff-question ratings-staff-error">');
    expect(html).toMatch(/<p id="ratings-staff-error"><strong>Lỗi:<\/strong> Vui lòng chọn mức đánh giá/);
    expect(html).toMatch(/id="ratings-staff-1" name="ratings\.staff" value="1" required aria-invalid="true"/);
    expect(html).not.toMatch(/id="ratings-access-1"[^>]*aria-invalid/);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Lỗi: ');
  });

  it('points every summary link and every aria-describedby at an element that exists, with unique ids', () => {
    const errors = formErrorsFor(
      {
        status: 422,
        code: 'validation_failed',
        errors: ['unit', 'dossierCode', 'ratings.access', 'ratings.feedback', 'overall', 'comment'].map((path) => ({
          path,
          message: 'x',
        })),
      },
      values,
      'en',
    );
    const html = renderSurveyFormPage({ lang: 'en', values, errors });
    const all = ids(html);
    expect(new Set(all).size).toBe(all.length);
    const referenced = [
      ...[...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]),
      ...[...html.matchAll(/aria-describedby="([^"]+)"/g)].flatMap((m) => (m[1] ?? '').split(' ')),
      ...[...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]),
    ];
    for (const id of referenced) expect(all).toContain(id);
    expect(errors).toHaveLength(6);
  });

  it('escapes everything the citizen typed', () => {
    const hostile: SurveyFormValues = {
      unit: '"><script>alert(1)</script>',
      dossierCode: '" autofocus onfocus="alert(1)',
      ratings: { access: '"><b>' },
      comment: '</textarea><script>alert(1)</script>',
    };
    const html = renderSurveyFormPage({ lang: 'vi', values: hostile, errors: [{ message: '<i>x</i>' }] });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('onfocus="alert');
    expect(html).toContain('&#60;/textarea&#62;&#60;script&#62;');
  });

  it('has no inline style or script, which the CSP would block', () => {
    const html = renderSurveyFormPage({ lang: 'en', values, errors: [{ message: 'x' }] });
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
  });

  it('hides the honeypot without CSS and never fills it back', () => {
    const html = renderSurveyFormPage({ lang: 'vi', values, errors: [] });
    expect(html).toMatch(
      /<div hidden>\n<label for="website">[^<]+<\/label>\n<input id="website" name="website" type="text" value=""/,
    );
  });

  it('speaks English when the form was English', () => {
    const errors = formErrorsFor({ status: 409, code: 'conflict' }, values, 'en');
    const html = renderSurveyFormPage({ lang: 'en', values, errors });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('This dossier has already been rated');
    expect(html).toContain('<input type="hidden" name="lang" value="en">');
    expect(html).toContain('Send my rating');
    expect(html).toContain('<a href="/en/">');
  });

  it('links back to the form when the posted values could not be read', () => {
    const errors = formErrorsFor({ status: 413, code: 'payload_too_large' }, undefined, 'vi');
    const html = renderSurveyFormPage({ lang: 'vi', values: undefined, errors });
    expect(html).not.toContain('<form');
    expect(html).toContain('<a href="/">Mở lại biểu mẫu đánh giá</a>');
  });

  it('links a unit error back to the unit page', () => {
    const errors = formErrorsFor(
      { status: 422, code: 'validation_failed', errors: [{ path: 'unit', message: 'x' }] },
      values,
      'vi',
    );
    const html = renderSurveyFormPage({ lang: 'vi', values, errors });
    expect(html).toContain('<a href="/danh-gia/00301/">');
    expect(html).not.toContain('href="#unit');
  });
});

describe('formErrorsFor', () => {
  it('maps a duplicate dossier to the code field and a rate limit to the whole form', () => {
    expect(formErrorsFor({ status: 409, code: 'conflict' }, values, 'vi')).toEqual([
      { field: 'dossierCode', message: expect.stringContaining('đã được đánh giá') },
    ]);
    expect(formErrorsFor({ status: 429, code: 'rate_limited' }, values, 'vi')).toEqual([
      { message: expect.stringContaining('thử lại sau một phút') },
    ]);
  });

  it('tells a missing code from a malformed one, in questionnaire order', () => {
    const problem = {
      status: 422,
      code: 'validation_failed',
      errors: [
        { path: 'overall', message: 'x' },
        { path: 'dossierCode', message: 'x' },
      ],
    };
    const missing = formErrorsFor(problem, { ...values, dossierCode: ' ' }, 'en');
    const malformed = formErrorsFor(problem, { ...values, dossierCode: 'a<b' }, 'en');
    expect(missing.map((e) => e.field)).toEqual(['dossierCode', 'overall']);
    expect(missing[0]?.message).toMatch(/^Enter the dossier code/);
    expect(malformed[0]?.message).toMatch(/4 to 64 characters/);
  });

  it('marks every aspect when the whole ratings group is malformed', () => {
    const errors = formErrorsFor(
      { status: 422, code: 'validation_failed', errors: [{ path: 'ratings', message: 'x' }] },
      values,
      'vi',
    );
    expect(errors.map((e) => e.field)).toEqual([
      'ratings.access',
      'ratings.procedures',
      'ratings.staff',
      'ratings.results',
      'ratings.feedback',
    ]);
  });

  it('formats the comment limit the Vietnamese way', () => {
    const errors = formErrorsFor(
      { status: 422, code: 'validation_failed', errors: [{ path: 'comment', message: 'x' }] },
      values,
      'vi',
    );
    expect(errors[0]?.message).toContain('1.000 ký tự');
  });
});

describe('helpers', () => {
  it('reads only string values out of a parsed form', () => {
    expect(
      formValuesFrom({ unit: '00301', dossierCode: ['x'], ratings: { access: '5', staff: { a: 1 } }, overall: 3 }),
    ).toEqual({
      unit: '00301',
      ratings: { access: '5' },
    });
    expect(formValuesFrom('nonsense')).toEqual({ ratings: {} });
  });

  it('builds the site paths per language', () => {
    expect(thankYouPath('vi')).toBe('/danh-gia/cam-on/');
    expect(thankYouPath('en')).toBe('/en/survey/thank-you/');
    expect(surveyPagePath('en', '00301')).toBe('/en/survey/00301/');
    expect(esc(`<&>"'`)).toBe('&#60;&#38;&#62;&#34;&#39;');
  });
});
