import { describe, expect, it } from 'vitest';
import {
  FORM_ERROR_CODES,
  formErrorAnchor,
  formErrorAnswer,
  formErrorCodes,
  formErrorCodesFrom,
  formErrorLocation,
  formErrorTarget,
  surveyErrorPath,
  surveyPagePath,
  thankYouPath,
} from '../../../../shared/surveys/form.js';
import { formReturnAddress } from '../../../support/form-answer.js';

const posted = { unit: '00301', dossierCode: 'H26-0001', lang: 'vi', overall: '3', comment: 'Cán bộ nhiệt tình' };
const invalid = (...paths: string[]) => ({
  status: 422,
  code: 'validation_failed',
  errors: paths.map((path) => ({ path, message: 'x' })),
});

describe('formErrorCodes', () => {
  it('maps a duplicate dossier, a rate limit and an outage to one code each', () => {
    expect(formErrorCodes({ status: 409, code: 'conflict' }, posted)).toEqual(['duplicate']);
    expect(formErrorCodes({ status: 429, code: 'rate_limited' }, posted)).toEqual(['rate-limited']);
    expect(formErrorCodes({ status: 503, code: 'unavailable' }, posted)).toEqual(['unavailable']);
    expect(formErrorCodes({ status: 413, code: 'payload_too_large' }, undefined)).toEqual(['unreadable']);
  });

  it('tells a missing code from a malformed one, in the order of the form', () => {
    const problem = invalid('overall', 'dossierCode');
    expect(formErrorCodes(problem, { ...posted, dossierCode: ' ' })).toEqual(['dossier-missing', 'overall']);
    expect(formErrorCodes(problem, { ...posted, dossierCode: 'a<b' })).toEqual(['dossier-invalid', 'overall']);
  });

  it('marks every aspect when the whole ratings group is malformed, and names unit, receipt and comment', () => {
    expect(formErrorCodes(invalid('ratings'), posted)).toEqual([
      'access',
      'procedures',
      'staff',
      'results',
      'feedback',
    ]);
    expect(formErrorCodes(invalid('comment', 'receipt', 'unit', 'procedure'), posted)).toEqual([
      'unit',
      'receipt',
      'procedure',
      'comment',
    ]);
    expect(formErrorCodes(invalid('lang'), posted)).toEqual(['unreadable']);
  });
});

describe('formErrorLocation', () => {
  it('sends the citizen back to the form page of the service point, errors in the query, the first as target', () => {
    const location = formErrorLocation(invalid('ratings.staff', 'dossierCode'), posted);
    expect(location).toBe('/danh-gia/00301/?loi=dossier-invalid,staff#loi-dossier-invalid');
    expect(formErrorCodesFrom(new URL(location, 'https://x').search)).toEqual(['dossier-invalid', 'staff']);
  });

  it('answers in the language of the form and never puts what was typed in the address', () => {
    const location = formErrorLocation({ status: 409, code: 'conflict' }, { ...posted, lang: 'en' });
    expect(location).toBe('/en/survey/00301/?loi=duplicate#loi-duplicate');
    expect(location).not.toContain('H26');
    expect(location).not.toContain('nhi');
  });

  it('keeps the receipt of a QR code and its channel, so the corrected response is still verified', () => {
    const receipt = 'aaa.bbb.ccc';
    const location = formErrorLocation({ status: 429, code: 'rate_limited' }, { ...posted, receipt, channel: 'qr' });
    expect(location).toBe(`/danh-gia/00301/?loi=rate-limited&receipt=${receipt}&kenh=qr#loi-rate-limited`);
    expect(formErrorLocation({ status: 429, code: 'rate_limited' }, { ...posted, receipt: '<x>' })).not.toContain(
      'receipt',
    );
  });

  it("sends a provincial centre's refused post back to the province's form, a bad branch marked", () => {
    expect(formErrorLocation(invalid('branch'), { ...posted, unit: '01' })).toBe('/danh-gia/01/?loi=branch#loi-branch');
    expect(formErrorTarget('branch')).toBe('branch');
  });

  it('sends an unknown service point or an unreadable post to the error page', () => {
    expect(formErrorLocation(invalid('unit'), { ...posted, unit: '99999', lang: 'en' })).toBe(
      '/en/survey/error/?loi=unit#loi-unit',
    );
    expect(formErrorLocation({ status: 413, code: 'payload_too_large' }, undefined)).toBe(
      '/danh-gia/loi/?loi=unreadable#loi-unreadable',
    );
    expect(formErrorLocation({ status: 409, code: 'conflict' }, { ...posted, unit: '../x' })).toBe(
      '/danh-gia/loi/?loi=duplicate#loi-duplicate',
    );
  });
});

describe('formErrorAnswer', () => {
  it.each([
    [409, 'conflict'],
    [422, 'validation_failed'],
    [413, 'payload_too_large'],
    [429, 'rate_limited'],
  ])(
    'keeps the status of its refusal (%i) and takes the browser back to the form with the errors named',
    (status, code) => {
      const answer = formErrorAnswer({ status, code }, posted);
      expect(answer.status).toBe(status);
      expect(answer.location).toBe(formErrorLocation({ status, code }, posted));
      expect(formReturnAddress(answer.html)).toBe(answer.location);
      expect(answer.html).toContain(`<a href="${answer.location.replace(/&/g, '&amp;')}">`);
    },
  );

  it('speaks the language of the form, and repeats nothing that was typed', () => {
    const receipt = 'aaa.bbb.ccc';
    const answer = formErrorAnswer(
      { status: 409, code: 'conflict' },
      { ...posted, lang: 'en', receipt, channel: 'qr' },
    );
    expect(answer.html).toContain('<html lang="en">');
    expect(answer.html).toContain('Back to the form');
    expect(formReturnAddress(answer.html)).toBe(
      `/en/survey/00301/?loi=duplicate&receipt=${receipt}&kenh=qr#loi-duplicate`,
    );
    expect(answer.html).not.toContain('H26');
    expect(formErrorAnswer({ status: 409, code: 'conflict' }, posted).html).toContain('Quay lại phiếu đánh giá');
  });
});

describe('formErrorCodesFrom', () => {
  it('reads known codes only, each once, in form order', () => {
    expect(formErrorCodesFrom('?loi=comment,evil,duplicate&loi=comment')).toEqual(['duplicate', 'comment']);
    expect(formErrorCodesFrom('')).toEqual([]);
  });
});

describe('helpers', () => {
  it('names the control each error is about, as the form names them', () => {
    expect(formErrorTarget('duplicate')).toBe('dossierCode');
    expect(formErrorTarget('staff')).toBe('staff-1');
    expect(formErrorTarget('overall')).toBe('overall-1');
    expect(formErrorTarget('rate-limited')).toBeUndefined();
    expect(new Set(FORM_ERROR_CODES.map(formErrorAnchor)).size).toBe(FORM_ERROR_CODES.length);
  });

  it('builds the site paths per language', () => {
    expect(thankYouPath('vi')).toBe('/danh-gia/cam-on/');
    expect(thankYouPath('en')).toBe('/en/survey/thank-you/');
    expect(surveyPagePath('en', '00301')).toBe('/en/survey/00301/');
    expect(surveyErrorPath('vi')).toBe('/danh-gia/loi/');
  });
});
