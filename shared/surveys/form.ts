import type { FieldIssue } from '../errors.js';
import { escapeXml } from '../text/xml.js';
import { ASPECTS, RATING_MIN } from './questionnaire.js';
import { RECEIPT_MAX_LENGTH, RECEIPT_PATTERN, type SurveyLanguage } from './schemas.js';
import { SERVICE_POINT_CODE_PATTERN } from './service-points.js';

/**
 * What a refused form post comes back with. The survey form has one template, the site's Astro page
 * (site/src/components/views/SurveyView.astro): the API does not render the form, it answers a form post it cannot
 * accept with the contract's status (422, 409, 413, 429…) and a page of two lines that takes the browser straight
 * back to that static page (`formErrorAnswer`), naming the errors in the query (`?loi=duplicate`) and the first one
 * in the fragment (`#loi-duplicate`). The page carries a message for every code below: without JavaScript the fragment's
 * message is shown by CSS (`:target`); with it, the page lists them all, marks the fields and puts back what the
 * citizen typed. Nothing personal goes into the address: codes only (the receipt excepted, which came in the
 * address of the QR code in the first place).
 */

/** The query parameter that names the errors, and the prefix of each message's id on the page. */
export const FORM_ERROR_PARAM = 'loi';

/** The errors the form page can show, in the order of the form (general ones first). */
export const FORM_ERROR_CODES = [
  'rate-limited',
  'unavailable',
  'unreadable',
  'unit',
  'receipt',
  'duplicate',
  'dossier-missing',
  'dossier-invalid',
  'procedure',
  'branch',
  ...ASPECTS.map((aspect) => aspect.id),
  'overall',
  'comment',
] as const;
export type FormErrorCode = (typeof FORM_ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(FORM_ERROR_CODES);

/**
 * The id of the form control an error is about (the input, or the first radio of a group), as the site's form
 * names them; undefined for an error about the whole submission.
 */
export function formErrorTarget(code: FormErrorCode): string | undefined {
  if (code === 'duplicate' || code === 'dossier-missing' || code === 'dossier-invalid') return 'dossierCode';
  if (code === 'procedure' || code === 'comment' || code === 'branch') return code;
  if (code === 'overall' || ASPECTS.some((aspect) => aspect.id === code)) return `${code}-${RATING_MIN}`;
  return undefined;
}

/** The id of an error's message on the form page: `loi-duplicate`. */
export function formErrorAnchor(code: FormErrorCode): string {
  return `${FORM_ERROR_PARAM}-${code}`;
}

/** The error codes named in a page address's query (unknown ones ignored, each once, in form order). */
export function formErrorCodesFrom(search: string): FormErrorCode[] {
  const named = new Set(
    new URLSearchParams(search)
      .getAll(FORM_ERROR_PARAM)
      .flatMap((value) => value.split(','))
      .filter((code) => CODES.has(code)),
  );
  return FORM_ERROR_CODES.filter((code) => named.has(code));
}

/** The parts of a problem+json body that decide the messages. */
export interface ProblemLike {
  readonly status: number;
  readonly code: string;
  readonly errors?: readonly FieldIssue[];
}

/** The form post as far as it was read: only strings are looked at. */
type Posted = Readonly<Record<string, unknown>> | undefined;

/**
 * The citizen's errors for a refused submission, in form order: the duplicate dossier on the code field, the
 * schema's paths on their fields (`ratings` as a whole marks every aspect), one general code for the rest.
 */
export function formErrorCodes(problem: ProblemLike, posted: Posted): FormErrorCode[] {
  if (problem.code === 'conflict') return ['duplicate'];
  if (problem.code === 'rate_limited') return ['rate-limited'];
  if (problem.status >= 500) return ['unavailable'];
  if (problem.code !== 'validation_failed') return ['unreadable'];
  const paths = (problem.errors ?? []).map((issue) => issue.path);
  const hit = (field: string) =>
    paths.some((path) => path === field || field.startsWith(`${path}.`) || path.startsWith(`${field}.`));
  const dossier = typeof posted?.dossierCode === 'string' ? posted.dossierCode : '';
  const out = new Set<FormErrorCode>();
  if (hit('unit')) out.add('unit');
  if (hit('receipt')) out.add('receipt');
  if (hit('dossierCode')) out.add(dossier.trim() === '' ? 'dossier-missing' : 'dossier-invalid');
  if (hit('procedure')) out.add('procedure');
  if (hit('branch')) out.add('branch');
  for (const aspect of ASPECTS) if (hit(`ratings.${aspect.id}`)) out.add(aspect.id);
  if (hit('overall')) out.add('overall');
  if (hit('comment')) out.add('comment');
  if (out.size === 0) out.add('unreadable');
  return FORM_ERROR_CODES.filter((code) => out.has(code));
}

/** The site's form page of a service point (built by the site). */
export function surveyPagePath(lang: SurveyLanguage, unitId: string): string {
  return lang === 'en' ? `/en/survey/${encodeURIComponent(unitId)}/` : `/danh-gia/${encodeURIComponent(unitId)}/`;
}

/** The site's thank-you page, where an accepted form post is redirected (303). */
export function thankYouPath(lang: SurveyLanguage): string {
  return lang === 'en' ? '/en/survey/thank-you/' : '/danh-gia/cam-on/';
}

/** The site's page for an error that has no form to go back to (an unknown service point, an unreadable post). */
export function surveyErrorPath(lang: SurveyLanguage): string {
  return lang === 'en' ? '/en/survey/error/' : '/danh-gia/loi/';
}

/**
 * Where a refused form post is sent back to: the service point's form page with the errors, or the error page when
 * there is no form to go back to. The receipt of a QR code, and its channel, go back into the address so that the
 * corrected response is still verified.
 */
export function formErrorLocation(problem: ProblemLike, posted: Posted): string {
  const lang: SurveyLanguage = posted?.lang === 'en' ? 'en' : 'vi';
  const codes = formErrorCodes(problem, posted);
  const unit =
    typeof posted?.unit === 'string' && SERVICE_POINT_CODE_PATTERN.test(posted.unit) ? posted.unit : undefined;
  const query = new URLSearchParams({ [FORM_ERROR_PARAM]: codes.join(',') });
  const receipt = typeof posted?.receipt === 'string' ? posted.receipt : '';
  if (unit && receipt !== '' && RECEIPT_PATTERN.test(receipt) && receipt.length <= RECEIPT_MAX_LENGTH) {
    query.set('receipt', receipt);
    if (posted?.channel === 'qr') query.set('kenh', 'qr');
  }
  const path = unit && !codes.includes('unit') ? surveyPagePath(lang, unit) : surveyErrorPath(lang);
  const first = codes[0] ?? 'unreadable';
  return `${path}?${query.toString().replace(/%2C/g, ',')}#${formErrorAnchor(first)}`;
}

/** The words of the page that sends a refused form post back: the API's only HTML, in the form's language. */
const RETURN_WORDS = {
  vi: {
    title: 'Chưa gửi được phiếu đánh giá',
    text: 'Phiếu đánh giá đang mở lại, với những chỗ cần sửa.',
    link: 'Quay lại phiếu đánh giá',
  },
  en: {
    title: 'Your rating was not sent',
    text: 'The form is opening again, showing what to correct.',
    link: 'Back to the form',
  },
} as const satisfies Record<SurveyLanguage, Record<string, string>>;

/** The answer to a refused form post: its problem's status, and where the browser goes back to. */
export interface FormErrorAnswer {
  readonly status: number;
  /** The form page (or the error page) with the errors named: `formErrorLocation`. */
  readonly location: string;
  readonly html: string;
}

/**
 * A refused form post keeps the status the contract gives its refusal (a 409 stays a 409: scripts and proxies see
 * what happened) and its body takes the browser back at once to the site's form with the errors named: a refresh
 * of zero seconds (a redirect needs no script, and no form is drawn twice), and a link for any browser that does not
 * follow it. Nothing typed is in it.
 */
export function formErrorAnswer(problem: ProblemLike, posted: Posted): FormErrorAnswer {
  const lang: SurveyLanguage = posted?.lang === 'en' ? 'en' : 'vi';
  const words = RETURN_WORDS[lang];
  const location = formErrorLocation(problem, posted);
  const href = escapeXml(location);
  const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url=${href}">
<title>${words.title}</title>
</head>
<body>
<main>
<h1>${words.title}</h1>
<p>${words.text} <a href="${href}">${words.link}</a></p>
</main>
</body>
</html>
`;
  return { status: problem.status, location, html };
}
