import {
  DomainError,
  type ErrorCode,
  RateLimitedError,
  ServiceUnavailableError,
  ValidationError,
} from '../../shared/errors.js';
import { asUnavailable } from '../../shared/storage/sdk-errors.js';

/**
 * The one mapping from errors to HTTP: `application/problem+json` (RFC 9457). Domain errors are exposed with
 * their detail; anything else becomes a 500 that says nothing about internals (it is logged with the
 * correlation id the body carries).
 */

export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  malformed_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  precondition_required: 428,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Readonly<Record<ErrorCode, string>> = {
  malformed_request: 'Malformed request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  precondition_failed: 'Precondition failed',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  validation_failed: 'Validation failed',
  precondition_required: 'Precondition required',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
};

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly correlationId?: string;
  readonly errors?: readonly { path: string; message: string }[];
  readonly code: ErrorCode | 'internal';
  readonly existing?: { id: string; version?: number };
}

export interface ProblemResponse {
  readonly problem: Problem;
  readonly headers: Record<string, string>;
  /** True when the error was not a domain error: the caller should log it. */
  readonly internal: boolean;
}

/** Builds the problem for any thrown value. */
export function toProblem(
  error: unknown,
  context: { instance?: string; correlationId?: string } = {},
): ProblemResponse {
  const domain = error instanceof DomainError ? error : asUnavailable(error);
  if (!domain) {
    return {
      internal: true,
      headers: {},
      problem: {
        type: '/api/v1/problems#internal',
        title: 'Internal error',
        status: 500,
        detail: 'The request could not be completed. Nothing about it was changed; try again later.',
        code: 'internal',
        ...context,
      },
    };
  }
  const headers: Record<string, string> = {};
  if (domain instanceof RateLimitedError || domain instanceof ServiceUnavailableError) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(domain.retryAfterSeconds)));
  }
  const existing = (domain as { existing?: { id: string; version?: number } }).existing;
  return {
    internal: false,
    headers,
    problem: {
      type: `/api/v1/problems#${domain.code}`,
      title: TITLES[domain.code],
      status: STATUS_BY_CODE[domain.code],
      detail: domain.detail,
      code: domain.code,
      ...context,
      ...(domain instanceof ValidationError ? { errors: domain.issues } : {}),
      ...(existing ? { existing } : {}),
    },
  };
}
