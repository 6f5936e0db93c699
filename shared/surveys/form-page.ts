import type { FieldIssue } from '../errors.js';
import type { SurveyAspect } from '../open-data/schemas.js';
import {
  ASPECTS,
  COMMENT_MAX_LENGTH,
  COMMENT_PROMPT,
  DOSSIER_CODE_PROMPT,
  type Localized,
  NOT_APPLICABLE_LABEL,
  OVERALL_QUESTION,
  RATING_LABELS,
  RATING_MAX,
  RATING_MIN,
} from './questionnaire.js';
import { DOSSIER_CODE_MAX_LENGTH, DOSSIER_CODE_MIN_LENGTH, RECEIPT_PATTERN, type SurveyLanguage } from './schemas.js';

/**
 * The page the API answers an HTML form post with when it cannot accept it (422, 409, 429, and any other error):
 * the same form again, with what the citizen typed kept, an error summary at the top linking to each field, and
 * each message next to its field (`aria-describedby`, `aria-invalid`), in the language of the form. Pure: every
 * value is escaped; no script and no inline style (the CSP forbids both), so it is plain semantic HTML that works
 * with JavaScript off and reads well unstyled on a 360 px phone.
 */

export type FormField = 'unit' | 'dossierCode' | `ratings.${SurveyAspect}` | 'overall' | 'comment';

/** What the citizen posted, as strings (absent when not posted). */
export interface SurveyFormValues {
  readonly unit?: string;
  readonly dossierCode?: string;
  readonly ratings: Readonly<Partial<Record<SurveyAspect, string>>>;
  readonly overall?: string;
  readonly comment?: string;
  readonly channel?: string;
  /** The receipt the form was opened with (a compact JWS), kept through an error page. */
  readonly receipt?: string;
}

export interface FormPageError {
  /** The field the message belongs to; absent for a message about the whole submission. */
  readonly field?: FormField;
  readonly message: string;
}

/** The parts of a problem+json body the page needs. */
export interface ProblemLike {
  readonly status: number;
  readonly code: string;
  readonly errors?: readonly FieldIssue[];
}

export interface SurveyFormPageInput {
  readonly lang: SurveyLanguage;
  /** Without values (a body too large or unreadable) the page explains and links back to the form instead. */
  readonly values: SurveyFormValues | undefined;
  readonly errors: readonly FormPageError[];
  /** A stylesheet with a stable URL, if the site publishes one; without it the page is unstyled HTML. */
  readonly stylesheetHref?: string;
}

/** Where the form posts: the same origin serves the site and the API. */
export const SURVEY_FORM_ACTION = '/api/v1/surveys';

const ASPECT_FIELDS = ASPECTS.map((aspect) => `ratings.${aspect.id}` as const);
const FIELDS: readonly FormField[] = ['unit', 'dossierCode', ...ASPECT_FIELDS, 'overall', 'comment'];
const RATING_VALUES = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, i) => RATING_MIN + i);
const UNIT_ID = /^\d{5}$/;

const TEXT = {
  heading: { vi: 'Đánh giá sự hài lòng về dịch vụ công', en: 'Rate the public service you received' },
  errorTitle: { vi: 'Lỗi', en: 'Error' },
  summaryTitle: { vi: 'Chưa gửi được đánh giá. Vui lòng kiểm tra lại:', en: 'Your rating was not sent. Please check:' },
  errorPrefix: { vi: 'Lỗi:', en: 'Error:' },
  unitLabel: { vi: 'Điểm phục vụ (mã phường, xã):', en: 'Service point (ward or commune code):' },
  dossierHint: {
    vi: 'Mã hồ sơ chỉ dùng để bảo đảm mỗi hồ sơ được đánh giá một lần; hệ thống không lưu mã ở dạng đọc được.',
    en: 'The code only ensures that each dossier is rated once; it is not kept in readable form.',
  },
  ratingScale: {
    vi: 'Thang điểm: 1 = rất không hài lòng, 5 = rất hài lòng.',
    en: 'Scale: 1 = very dissatisfied, 5 = very satisfied.',
  },
  honeypot: { vi: 'Để trống ô này', en: 'Leave this field empty' },
  submit: { vi: 'Gửi đánh giá', en: 'Send my rating' },
  home: { vi: 'Trang chủ', en: 'Home' },
  backToForm: { vi: 'Mở lại biểu mẫu đánh giá', en: 'Open the survey form again' },
  overallTitle: { vi: 'Mức độ hài lòng chung', en: 'Overall satisfaction' },
} satisfies Record<string, Localized>;

/** The page, as a complete HTML document. */
export function renderSurveyFormPage(input: SurveyFormPageInput): string {
  const { lang, values, errors } = input;
  const t = (text: Localized) => esc(text[lang]);
  const byField = new Map<FormField, string>();
  for (const error of errors) if (error.field && !byField.has(error.field)) byField.set(error.field, error.message);

  const summaryItems = errors.map((error) => {
    const target = error.field && values && error.field !== 'unit' ? fieldAnchor(error.field) : undefined;
    return target ? `<li><a href="#${target}">${esc(error.message)}</a></li>` : `<li>${esc(error.message)}</li>`;
  });
  const summary = `<div id="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${t(TEXT.summaryTitle)}</h2>
<ul>${summaryItems.join('')}</ul>
</div>`;

  const body = values ? renderForm(lang, values, byField) : renderBackLink(lang, undefined);
  const stylesheet = input.stylesheetHref ? `\n<link rel="stylesheet" href="${esc(input.stylesheetHref)}">` : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t(TEXT.errorTitle)}: ${t(TEXT.heading)}</title>${stylesheet}
</head>
<body>
<header><nav><a href="${lang === 'en' ? '/en/' : '/'}">${t(TEXT.home)}</a></nav></header>
<main id="main">
<h1>${t(TEXT.heading)}</h1>
${summary}
${body}
</main>
</body>
</html>
`;
}

function renderForm(lang: SurveyLanguage, values: SurveyFormValues, errors: ReadonlyMap<FormField, string>): string {
  const t = (text: Localized) => esc(text[lang]);
  const unit = values.unit ?? '';
  const parts: string[] = [];
  parts.push(`<form method="post" action="${SURVEY_FORM_ACTION}" accept-charset="utf-8">`);
  parts.push(`<input type="hidden" name="unit" value="${esc(unit)}">`);
  parts.push(`<input type="hidden" name="lang" value="${lang}">`);
  if (values.channel === 'qr' || values.channel === 'web') {
    parts.push(`<input type="hidden" name="channel" value="${values.channel}">`);
  }
  if (values.receipt !== undefined && RECEIPT_PATTERN.test(values.receipt)) {
    parts.push(`<input type="hidden" name="receipt" value="${esc(values.receipt)}">`);
  }
  if (UNIT_ID.test(unit)) parts.push(`<p>${t(TEXT.unitLabel)} ${esc(unit)}</p>`);
  const unitError = errors.get('unit');
  if (unitError) parts.push(`<p id="unit-error">${errorLine(lang, unitError)}</p>${renderBackLink(lang, unit)}`);

  // Dossier code: label, hint, message, input, in that order, so a screen reader hears them in reading order.
  const dossierError = errors.get('dossierCode');
  const dossierDescribedBy = ['dossierCode-hint', ...(dossierError ? ['dossierCode-error'] : [])].join(' ');
  parts.push(`<div>
<label for="dossierCode">${t(DOSSIER_CODE_PROMPT)}</label>
<p id="dossierCode-hint">${t(TEXT.dossierHint)}</p>
${dossierError ? `<p id="dossierCode-error">${errorLine(lang, dossierError)}</p>\n` : ''}<input id="dossierCode" name="dossierCode" type="text" value="${esc(values.dossierCode ?? '')}" required maxlength="${DOSSIER_CODE_MAX_LENGTH}" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="${dossierDescribedBy}"${dossierError ? ' aria-invalid="true"' : ''}>
</div>`);

  parts.push(`<p>${t(TEXT.ratingScale)}</p>`);
  for (const aspect of ASPECTS) {
    parts.push(
      renderRatingGroup({
        lang,
        field: `ratings.${aspect.id}`,
        legend: aspect.title[lang],
        question: aspect.question[lang],
        optional: aspect.optional,
        value: values.ratings[aspect.id],
        error: errors.get(`ratings.${aspect.id}`),
      }),
    );
  }
  parts.push(
    renderRatingGroup({
      lang,
      field: 'overall',
      legend: TEXT.overallTitle[lang],
      question: OVERALL_QUESTION[lang],
      optional: false,
      value: values.overall,
      error: errors.get('overall'),
    }),
  );

  const commentError = errors.get('comment');
  parts.push(`<div>
<label for="comment">${t(COMMENT_PROMPT)}</label>
${commentError ? `<p id="comment-error">${errorLine(lang, commentError)}</p>\n` : ''}<textarea id="comment" name="comment" rows="5" maxlength="${COMMENT_MAX_LENGTH}"${commentError ? ' aria-describedby="comment-error" aria-invalid="true"' : ''}>${esc(values.comment ?? '')}</textarea>
</div>`);
  // The honeypot: `hidden` keeps it out of sight and out of the accessibility tree without any CSS.
  parts.push(`<div hidden>
<label for="website">${t(TEXT.honeypot)}</label>
<input id="website" name="website" type="text" value="" tabindex="-1" autocomplete="off">
</div>`);
  parts.push(`<button type="submit">${t(TEXT.submit)}</button>`);
  parts.push('</form>');
  return parts.join('\n');
}

interface RatingGroup {
  readonly lang: SurveyLanguage;
  readonly field: FormField;
  readonly legend: string;
  readonly question: string;
  readonly optional: boolean;
  readonly value: string | undefined;
  readonly error: string | undefined;
}

/** A fieldset of radios 1–5 (plus "not applicable" when optional); the message sits under the question. */
function renderRatingGroup(group: RatingGroup): string {
  const id = fieldAnchorBase(group.field);
  const describedBy = [`${id}-question`, ...(group.error ? [`${id}-error`] : [])].join(' ');
  const invalid = group.error ? ' aria-invalid="true"' : '';
  const required = group.optional ? '' : ' required';
  const radio = (value: string, suffix: string, label: string) => {
    const checked = group.value === value ? ' checked' : '';
    return `<div><input type="radio" id="${id}-${suffix}" name="${group.field}" value="${value}"${checked}${required}${invalid}> <label for="${id}-${suffix}">${esc(label)}</label></div>`;
  };
  const radios = RATING_VALUES.map((n) =>
    radio(String(n), String(n), `${n} – ${RATING_LABELS[n as keyof typeof RATING_LABELS][group.lang]}`),
  );
  if (group.optional) radios.push(radio('', 'na', NOT_APPLICABLE_LABEL[group.lang]));
  return `<fieldset aria-describedby="${describedBy}">
<legend>${esc(group.legend)}</legend>
<p id="${id}-question">${esc(group.question)}</p>
${group.error ? `<p id="${id}-error">${errorLine(group.lang, group.error)}</p>\n` : ''}${radios.join('\n')}
</fieldset>`;
}

function renderBackLink(lang: SurveyLanguage, unit: string | undefined): string {
  const href = unit && UNIT_ID.test(unit) ? surveyPagePath(lang, unit) : lang === 'en' ? '/en/' : '/';
  return `<p><a href="${esc(href)}">${esc(TEXT.backToForm[lang])}</a></p>`;
}

function errorLine(lang: SurveyLanguage, message: string): string {
  return `<strong>${esc(TEXT.errorPrefix[lang])}</strong> ${esc(message)}`;
}

/** The site's form page of a service point (built by the site; linked to, never rendered here). */
export function surveyPagePath(lang: SurveyLanguage, unitId: string): string {
  return lang === 'en' ? `/en/survey/${encodeURIComponent(unitId)}/` : `/danh-gia/${encodeURIComponent(unitId)}/`;
}

/** The site's thank-you page, where an accepted form post is redirected (303). */
export function thankYouPath(lang: SurveyLanguage): string {
  return lang === 'en' ? '/en/survey/thank-you/' : '/danh-gia/cam-on/';
}

function fieldAnchorBase(field: FormField): string {
  return field.replace('.', '-');
}

/** The id a summary link points to: the input itself, or the first radio of a group. */
function fieldAnchor(field: FormField): string {
  if (field === 'dossierCode' || field === 'comment') return field;
  return `${fieldAnchorBase(field)}-${RATING_MIN}`;
}

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Reads the posted values out of a parsed form body (anything that is not a string is dropped). */
export function formValuesFrom(parsed: unknown): SurveyFormValues {
  const root = isRecord(parsed) ? parsed : {};
  const ratingsIn = isRecord(root.ratings) ? root.ratings : {};
  const ratings: Partial<Record<SurveyAspect, string>> = {};
  for (const aspect of ASPECTS) {
    const value = ratingsIn[aspect.id];
    if (typeof value === 'string') ratings[aspect.id] = value;
  }
  return {
    ratings,
    ...stringField(root, 'unit'),
    ...stringField(root, 'dossierCode'),
    ...stringField(root, 'overall'),
    ...stringField(root, 'comment'),
    ...stringField(root, 'channel'),
    ...stringField(root, 'receipt'),
  };
}

function stringField<K extends string>(root: Record<string, unknown>, key: K): Partial<Record<K, string>> {
  const value = root[key];
  return typeof value === 'string' ? ({ [key]: value } as Partial<Record<K, string>>) : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The citizen's messages for a refused submission, in their language and questionnaire order: each field's own
 * wording (not the schema's English), the duplicate dossier on the code field, a general line for the rest.
 */
export function formErrorsFor(
  problem: ProblemLike,
  values: SurveyFormValues | undefined,
  lang: SurveyLanguage,
): FormPageError[] {
  const m = messages(lang);
  if (problem.code === 'conflict') return [{ field: 'dossierCode', message: m.duplicate }];
  if (problem.code === 'rate_limited') return [{ message: m.rateLimited }];
  if (problem.code === 'forbidden') return [{ message: m.crossSite }];
  if (problem.code !== 'validation_failed') return [{ message: m.general(problem.status) }];

  const paths = new Set((problem.errors ?? []).map((issue) => issue.path));
  const out: FormPageError[] = [];
  for (const field of FIELDS) {
    // A path names the field itself or something inside it (`ratings` when the whole group is malformed).
    const hit = [...paths].some(
      (path) => path === field || field.startsWith(`${path}.`) || path.startsWith(`${field}.`),
    );
    if (!hit) continue;
    out.push({ field, message: fieldMessage(field, values, lang) });
  }
  if (out.length === 0) out.push({ message: m.general(problem.status) });
  return out;
}

function fieldMessage(field: FormField, values: SurveyFormValues | undefined, lang: SurveyLanguage): string {
  const m = messages(lang);
  if (field === 'unit') return m.unit;
  if (field === 'dossierCode') return (values?.dossierCode ?? '').trim() === '' ? m.dossierMissing : m.dossierInvalid;
  if (field === 'comment') return m.commentTooLong;
  if (field === 'overall') return m.overall;
  const aspect = ASPECTS.find((a) => `ratings.${a.id}` === field);
  if (!aspect) return m.general(422);
  return aspect.optional ? m.optionalRating(aspect.title[lang]) : m.rating(aspect.title[lang]);
}

function messages(lang: SurveyLanguage) {
  const number = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN');
  if (lang === 'en') {
    return {
      duplicate: 'This dossier has already been rated. Each dossier can be rated once; check the code on your receipt.',
      // The window is one minute, so "a minute" is always enough; Retry-After carries the exact seconds.
      rateLimited: 'Too many ratings were sent from this connection. Please try again in a minute.',
      crossSite:
        'This rating was sent from another website, so it was not saved. Check your answers below and send them from this page.',
      general: (status: number) =>
        status >= 500
          ? 'The service could not save your rating just now. Nothing was saved; please try again in a few minutes.'
          : 'Your rating could not be read. Please open the form again and send it once more.',
      unit: 'This service point (ward or commune) was not found. Please open the form again from its page.',
      dossierMissing: 'Enter the dossier code printed on your receipt.',
      dossierInvalid: `The dossier code has ${DOSSIER_CODE_MIN_LENGTH} to ${DOSSIER_CODE_MAX_LENGTH} characters: letters, digits and . - / _ only.`,
      commentTooLong: `Your comment is too long: at most ${number.format(COMMENT_MAX_LENGTH)} characters.`,
      overall: 'Choose your overall rating, from 1 to 5.',
      rating: (title: string) => `Choose a rating from 1 to 5 for “${title}”.`,
      optionalRating: (title: string) => `Choose a rating from 1 to 5, or “Not applicable”, for “${title}”.`,
    };
  }
  return {
    duplicate: 'Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần; vui lòng kiểm tra mã trên phiếu hẹn.',
    rateLimited: 'Có quá nhiều đánh giá được gửi từ kết nối này. Vui lòng thử lại sau một phút.',
    crossSite:
      'Đánh giá này được gửi từ một trang web khác nên chưa được lưu. Vui lòng kiểm tra lại các câu trả lời dưới đây và gửi từ trang này.',
    general: (status: number) =>
      status >= 500
        ? 'Hệ thống tạm thời chưa lưu được đánh giá. Chưa có gì được lưu; vui lòng thử lại sau ít phút.'
        : 'Không đọc được nội dung đánh giá. Vui lòng mở lại biểu mẫu và gửi lại.',
    unit: 'Không tìm thấy điểm phục vụ (phường, xã) này. Vui lòng mở lại biểu mẫu từ trang của đơn vị.',
    dossierMissing: 'Vui lòng nhập mã hồ sơ ghi trên phiếu hẹn trả kết quả.',
    dossierInvalid: `Mã hồ sơ dài từ ${DOSSIER_CODE_MIN_LENGTH} đến ${DOSSIER_CODE_MAX_LENGTH} ký tự, chỉ gồm chữ, số và các dấu . - / _`,
    commentTooLong: `Ý kiến quá dài: tối đa ${number.format(COMMENT_MAX_LENGTH)} ký tự.`,
    overall: 'Vui lòng chọn mức hài lòng chung, từ 1 đến 5.',
    rating: (title: string) => `Vui lòng chọn mức đánh giá từ 1 đến 5 cho “${title}”.`,
    optionalRating: (title: string) => `Vui lòng chọn mức đánh giá từ 1 đến 5, hoặc “Không áp dụng”, cho “${title}”.`,
  };
}
