/**
 * Domain errors: a small hierarchy with stable codes. They say what went wrong in the domain's words; the one
 * place that turns them into HTTP (`functions/lib/problem.ts`) decides the status and the problem+json body.
 * Anything that is not a DomainError is an internal error and becomes a 500 that reveals nothing.
 *
 * The classes below look alike on purpose (Powertools' style): each sets its own `name` and `code`, so a caller
 * tests `instanceof` and a log names the class; a factory would hide both from readers and from the types.
 */

export type ErrorCode =
  | 'malformed_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

/** One field-level problem: `path` is dotted (`discipline.0.form`), as in CONTRACT.md. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export interface DomainErrorOptions {
  readonly cause?: unknown;
}

/** Base class of every expected failure. `detail` is safe to show to the caller. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    readonly detail: string,
    options: DomainErrorOptions = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** The body is not well-formed for its media type (broken JSON, invalid UTF-8, …). */
export class MalformedRequestError extends DomainError {
  override readonly name = 'MalformedRequestError';
  readonly code = 'malformed_request';
}

/** The body is well-formed but breaks the schema or a rule. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'validation_failed';
  constructor(
    readonly issues: readonly FieldIssue[],
    detail = 'The request does not satisfy the schema or its rules.',
  ) {
    super(detail);
  }
}

/** The one thing a caller learns about any authentication failure. */
export const UNAUTHORIZED_DETAIL =
  'The request is not signed by an active key of a registered agency, or its token is not valid for this request.';

/**
 * Authentication failed. Every failure answers the same `detail` (CONTRACT.md: which agency exists, is
 * suspended or has a revoked key is nobody's business); `reason` says what exactly failed and goes to the log
 * only (`functions/lib/http.ts`).
 */
export class UnauthorizedError extends DomainError {
  override readonly name = 'UnauthorizedError';
  readonly code = 'unauthorized';
  constructor(
    readonly reason: string,
    options: DomainErrorOptions = {},
  ) {
    super(UNAUTHORIZED_DETAIL, options);
  }
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'forbidden';
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'not_found';
}

/** The request conflicts with what is stored; `existing` may carry the stored record's public id. */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly code = 'conflict';
  constructor(
    detail: string,
    readonly existing?: { readonly id: string; readonly version?: number },
    options: DomainErrorOptions = {},
  ) {
    super(detail, options);
  }
}

/** `If-Match` names a version that is not the current one. */
export class PreconditionFailedError extends DomainError {
  override readonly name = 'PreconditionFailedError';
  readonly code = 'precondition_failed';
}

/** A conditional request (correction) came without `If-Match`. */
export class PreconditionRequiredError extends DomainError {
  override readonly name = 'PreconditionRequiredError';
  readonly code = 'precondition_required';
}

export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends DomainError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly code = 'unsupported_media_type';
}

/** Too many requests from one client; retry after the given number of seconds. */
export class RateLimitedError extends DomainError {
  override readonly name = 'RateLimitedError';
  readonly code = 'rate_limited';
  constructor(
    readonly retryAfterSeconds: number,
    detail = 'Too many requests; try again later.',
  ) {
    super(detail);
  }
}

/** A dependency (the database) is unavailable; nothing was written; retry later. */
export class ServiceUnavailableError extends DomainError {
  override readonly name = 'ServiceUnavailableError';
  readonly code = 'unavailable';
  constructor(
    readonly retryAfterSeconds: number,
    detail = 'The service is temporarily unavailable; nothing was changed. Try again later.',
    options: DomainErrorOptions = {},
  ) {
    super(detail, options);
  }
}
