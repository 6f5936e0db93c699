import {
  ConflictError,
  MalformedRequestError,
  PayloadTooLargeError,
  RateLimitedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.js';
import { CrossSiteRequestError } from '../http/same-site.js';
import { vietnamDate } from '../time/periods.js';
import type { Clock, RefusalStore } from './ports.js';

/**
 * Integrity statistics of the survey channel (CONTRACT.md, `/data/integrity.json`): every submission the survey
 * handler refuses is counted by reason, per Vietnam day, and nothing else is kept about it. The public can then
 * see how much was refused, and why, beside the figures of what was accepted.
 */

/**
 * Why a submission was refused, one name per kind of refusal the handler makes:
 * - `crossSite`: a form post from another site (403, before anything is parsed);
 * - `invalid`: a body that is too large, of another media type, not well-formed or against the schema;
 * - `honeypot`: the hidden field a person never fills was filled (answered like a success, nothing stored);
 * - `rateLimited`: more responses from one client in a minute than the limit (429);
 * - `unknownUnit`: no ward or commune with that code in force on the day (422 on `unit`);
 * - `invalidReceipt`: a receipt that does not verify (422 on `receipt`);
 * - `duplicate`: the dossier was already rated (409).
 */
export const REFUSAL_REASONS = [
  'crossSite',
  'invalid',
  'honeypot',
  'rateLimited',
  'unknownUnit',
  'invalidReceipt',
  'duplicate',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** How the pages name each reason (Vietnamese first). */
export const REFUSAL_REASON_LABELS: Readonly<Record<RefusalReason, { readonly vi: string; readonly en: string }>> = {
  crossSite: { vi: 'Gửi từ trang web khác', en: 'Sent from another website' },
  invalid: { vi: 'Nội dung không hợp lệ', en: 'Invalid content' },
  honeypot: { vi: 'Gửi tự động (ô ẩn bị điền)', en: 'Automated (hidden field filled)' },
  rateLimited: { vi: 'Gửi quá nhiều trong một phút', en: 'Too many in one minute' },
  unknownUnit: { vi: 'Mã đơn vị không có hiệu lực', en: 'No such service point' },
  invalidReceipt: { vi: 'Mã xác thực không hợp lệ', en: 'Receipt does not verify' },
  duplicate: { vi: 'Hồ sơ đã được đánh giá', en: 'Dossier already rated' },
};

/** A receipt that does not verify: a ValidationError on `receipt` (422), told apart for the statistics. */
export class InvalidReceiptError extends ValidationError {}

/** A unit code that names no service point in force on the day (service-points.ts): a ValidationError on `unit` (422). */
export class UnknownServicePointError extends ValidationError {}

/**
 * The reason a survey request's error refuses it, or undefined for an error that is ours, not the request's
 * (a 5xx: the database unavailable, a bug), which is not a refusal and is not counted.
 * Example: `refusalReasonOf(new CrossSiteRequestError())` is `'crossSite'`.
 */
export function refusalReasonOf(error: unknown): RefusalReason | undefined {
  if (error instanceof CrossSiteRequestError) return 'crossSite';
  if (error instanceof RateLimitedError) return 'rateLimited';
  if (error instanceof ConflictError) return 'duplicate';
  if (error instanceof InvalidReceiptError) return 'invalidReceipt';
  if (error instanceof UnknownServicePointError) return 'unknownUnit';
  if (
    error instanceof ValidationError ||
    error instanceof MalformedRequestError ||
    error instanceof PayloadTooLargeError ||
    error instanceof UnsupportedMediaTypeError
  ) {
    return 'invalid';
  }
  return undefined;
}

export interface RecordRefusalDeps {
  readonly store: RefusalStore;
  readonly clock: Clock;
}

/** Counts one refusal on today's Vietnam date. */
export async function recordRefusal(reason: RefusalReason, deps: RecordRefusalDeps): Promise<void> {
  await deps.store.count(vietnamDate(deps.clock.now()), reason);
}
