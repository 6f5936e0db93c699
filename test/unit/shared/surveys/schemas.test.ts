import { describe, expect, it } from 'vitest';
import { normalizeDossierCode, SurveyFormSchema, SurveyResponseSchema } from '../../../../shared/surveys/schemas.js';
import { surveyJson } from '../../../support/survey-fixtures.js';

const form = (fields: Record<string, unknown>) => ({
  unit: '00301',
  dossierCode: 'H26-0001',
  ratings: { access: '5', procedures: '4', staff: '3', results: '2', feedback: '' },
  overall: '4',
  ...fields,
});

describe('normalizeDossierCode', () => {
  it('trims, upper-cases, collapses inner whitespace and normalizes to NFC', () => {
    // Prepare
    const typed = '  000.00.15.h26 \t  240512-0001 ';
    const decomposed = 'đ26-ế01'.normalize('NFD');
    // Act
    const normalized = normalizeDossierCode(typed);
    const fromNfd = normalizeDossierCode(decomposed);
    // Assess
    expect(normalized).toBe('000.00.15.H26 240512-0001');
    expect(fromNfd).toBe('Đ26-Ế01'.normalize('NFC'));
  });
});

describe('SurveyResponseSchema', () => {
  it('accepts the contract example and defaults channel, language and feedback', () => {
    const parsed = SurveyResponseSchema.parse(
      surveyJson({ ratings: { access: 5, procedures: 4, staff: 5, results: 4 } }),
    );
    expect(parsed).toMatchObject({ channel: 'api', lang: 'vi', ratings: { feedback: null }, overall: 5 });
    expect(parsed.comment).toBeUndefined();
  });

  it('normalizes the dossier code it returns', () => {
    const parsed = SurveyResponseSchema.parse(surveyJson({ dossierCode: ' h26 -  0001 ' }));
    expect(parsed.dossierCode).toBe('H26 - 0001');
  });

  it.each([
    ['too short', 'AB1'],
    ['too long', 'A'.repeat(65)],
    ['a forbidden character', 'H26<0001>'],
    ['only spaces', '     '],
    ['a control character', 'H26\u00000001'],
  ])('refuses a dossier code with %s', (_label, dossierCode) => {
    const result = SurveyResponseSchema.safeParse(surveyJson({ dossierCode }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('dossierCode');
  });

  it('accepts a code whose tabs and newlines collapse to one space', () => {
    expect(SurveyResponseSchema.parse(surveyJson({ dossierCode: 'H26\t\n0001' })).dossierCode).toBe('H26 0001');
  });

  it.each([0, 6, 4.5, '5', null])('refuses the rating %s', (rating) => {
    const result = SurveyResponseSchema.safeParse(surveyJson({ overall: rating }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['overall']);
  });

  it('refuses unknown fields and a unit that is not a 5-digit code', () => {
    expect(SurveyResponseSchema.safeParse(surveyJson({ extra: 1 })).success).toBe(false);
    // Only trusted loaders flag illustrative data: the public cannot.
    expect(SurveyResponseSchema.safeParse(surveyJson({ illustrative: true })).success).toBe(false);
    expect(SurveyResponseSchema.safeParse(surveyJson({ unit: '008' })).success).toBe(false);
    expect(SurveyResponseSchema.safeParse(surveyJson({ unit: '00097-pre2025' })).success).toBe(false);
  });

  it('trims a comment, drops an empty one and refuses one over 1,000 characters', () => {
    expect(SurveyResponseSchema.parse(surveyJson({ comment: '  Tốt  ' })).comment).toBe('Tốt');
    expect(SurveyResponseSchema.parse(surveyJson({ comment: '   ' })).comment).toBeUndefined();
    expect(SurveyResponseSchema.safeParse(surveyJson({ comment: 'ạ'.repeat(1001) })).success).toBe(false);
    expect(SurveyResponseSchema.safeParse(surveyJson({ comment: 'ạ'.repeat(1000) })).success).toBe(true);
  });
});

describe('SurveyResponseSchema, service points', () => {
  it("accepts a province's 2-digit code (its service centre) and a branch label, trimmed", () => {
    const parsed = SurveyResponseSchema.parse(surveyJson({ unit: '01', branch: '  Chi nhánh   số 2 ' }));
    expect(parsed).toMatchObject({ unit: '01', branch: 'Chi nhánh số 2' });
    expect(SurveyResponseSchema.parse(surveyJson({ branch: ' ' })).branch).toBeUndefined();
  });

  it.each([['008'], ['1'], ['0030']])('refuses the unit %s (neither a province nor a ward or commune)', (unit) => {
    expect(SurveyResponseSchema.safeParse(surveyJson({ unit })).success).toBe(false);
  });

  it.each([['<script>'], ['x'.repeat(81)], ['-leading']])('refuses the branch label %s', (branch) => {
    const result = SurveyResponseSchema.safeParse(surveyJson({ unit: '01', branch }));
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('branch');
  });
});

describe('SurveyResponseSchema, the questions added later', () => {
  it('accepts a response without them, as every client before them sent it', () => {
    const parsed = SurveyResponseSchema.parse(surveyJson());
    expect(parsed.submission).toBeUndefined();
    expect(parsed.procedure).toBeUndefined();
    expect(parsed.conduct).toBeUndefined();
  });

  it('reads submission, procedure and conduct, dropping the answers left null', () => {
    const parsed = SurveyResponseSchema.parse(
      surveyJson({
        submission: 'in_person',
        procedure: '  Chứng thực   bản sao ',
        conduct: { extraDocuments: true, extraPayment: null, harassment: false, trips: 5, lateness: 'late_apology' },
      }),
    );
    expect(parsed).toMatchObject({ submission: 'in_person', procedure: 'Chứng thực bản sao' });
    expect(parsed.conduct).toEqual({ extraDocuments: true, harassment: false, trips: 5, lateness: 'late_apology' });
    expect(SurveyResponseSchema.parse(surveyJson({ submission: null })).submission).toBeUndefined();
  });

  it.each([
    ['an unknown way of submitting', { submission: 'fax' }, 'submission'],
    ['a trip count over the scale', { conduct: { trips: 6 } }, 'conduct.trips'],
    ['a negative trip count', { conduct: { trips: -1 } }, 'conduct.trips'],
    ['a yes given as text', { conduct: { extraPayment: 'yes' } }, 'conduct.extraPayment'],
    ['an unknown conduct question', { conduct: { bribe: true } }, 'conduct'],
    ['a procedure over 300 characters', { procedure: 'a'.repeat(301) }, 'procedure'],
  ])('refuses %s, naming the field', (_label, fields, path) => {
    const result = SurveyResponseSchema.safeParse(surveyJson(fields));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('SurveyFormSchema', () => {
  it('reads the optional radios, an empty or tampered one as no answer', () => {
    const parsed = SurveyFormSchema.parse(
      form({
        submission: 'online',
        procedure: 'Đăng ký kết hôn',
        conduct: { extraDocuments: 'no', extraPayment: '', harassment: 'maybe', trips: '2', lateness: 'on_time' },
      }),
    );
    expect(parsed).toMatchObject({ submission: 'online', procedure: 'Đăng ký kết hôn' });
    expect(parsed.conduct).toEqual({ extraDocuments: false, trips: 2, lateness: 'on_time' });
    const none = SurveyFormSchema.parse(form({ submission: '', conduct: { trips: '9' } }));
    expect(none.submission).toBeUndefined();
    expect(none.conduct).toBeUndefined();
  });

  it('turns radio strings into numbers and an empty feedback into null', () => {
    const parsed = SurveyFormSchema.parse(form({}));
    expect(parsed.ratings).toEqual({ access: 5, procedures: 4, staff: 3, results: 2, feedback: null });
    expect(parsed.overall).toBe(4);
    expect(parsed.channel).toBe('web');
  });

  it('treats an absent feedback as not applicable', () => {
    const parsed = SurveyFormSchema.parse(
      form({ ratings: { access: '5', procedures: '4', staff: '3', results: '2' } }),
    );
    expect(parsed.ratings.feedback).toBeNull();
  });

  it('reports every unanswered aspect when no radio was checked', () => {
    const { ratings: _omitted, ...rest } = form({});
    const result = SurveyFormSchema.safeParse(rest);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['ratings.access', 'ratings.procedures', 'ratings.staff', 'ratings.results']);
  });

  it('refuses a rating outside 1-5 and keeps a tampered hidden field harmless', () => {
    expect(SurveyFormSchema.safeParse(form({ overall: '6' })).success).toBe(false);
    const parsed = SurveyFormSchema.parse(form({ channel: 'evil', lang: 'fr' }));
    expect(parsed.channel).toBe('web');
    expect(parsed.lang).toBe('vi');
  });

  it('keeps the QR channel and the English language', () => {
    const parsed = SurveyFormSchema.parse(form({ channel: 'qr', lang: 'en' }));
    expect(parsed).toMatchObject({ channel: 'qr', lang: 'en' });
  });
});
