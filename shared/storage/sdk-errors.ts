import { ServiceUnavailableError } from '../errors.js';

const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'LimitExceededException',
]);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Recognises SDK failures that mean "the database cannot answer right now" (engine down, throttled, timed out)
 * and turns them into a ServiceUnavailableError, so callers get 503 + Retry-After instead of a 500. Writes are
 * single conditional operations or transactions, so a failed call has written nothing.
 */
export function asUnavailable(error: unknown): ServiceUnavailableError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  if (
    UNAVAILABLE_NAMES.has(error.name) ||
    (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) ||
    (typeof causeCode === 'string' && UNAVAILABLE_CODES.has(causeCode)) ||
    (typeof status === 'number' && status >= 500)
  ) {
    return new ServiceUnavailableError(5, undefined, { cause: error });
  }
  return undefined;
}

/** Awaits an SDK call, turning "the database cannot answer now" into a ServiceUnavailableError (503 upstream). */
export async function orUnavailable<T>(call: Promise<T> | (() => Promise<T>)): Promise<T> {
  try {
    return await (typeof call === 'function' ? call() : call);
  } catch (error) {
    throw asUnavailable(error) ?? error;
  }
}
