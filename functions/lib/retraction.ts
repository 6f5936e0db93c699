import type { z } from 'zod';
import { ValidationError } from '../../shared/errors.js';
import { cappedRawBody, parseBody } from './body.js';
import type { HttpRequest } from './http.js';
import { zodIssues } from './zod-issues.js';

/**
 * The optional body of a retraction (conclusions, summaries): empty is a retraction without a stated reason;
 * otherwise `{ "reason": "…" }`. The route has no body schema of its own (an empty body is allowed), so it reads
 * the capped bytes first (the signature covers them, and is verified before anything is parsed), then the reason.
 */

/** Largest retraction body: a reason of at most 2,000 characters. */
export const RETRACTION_MAX_BODY_BYTES = 16 * 1024;

/** The exact body bytes, size-capped (413 above the cap). */
export function retractionBytes(request: HttpRequest<unknown>): Buffer {
  return cappedRawBody(request.event.body, request.event.isBase64Encoded, RETRACTION_MAX_BODY_BYTES);
}

/** The stated reason, or undefined for an empty body; 400/415 for a body not well-formed, 422 for an invalid one. */
export function retractionReason(
  request: HttpRequest<unknown>,
  raw: Buffer,
  schema: z.ZodType<{ reason: string }>,
): string | undefined {
  if (raw.length === 0) return undefined;
  const parsed = parseBody(request.event.body, request.event.isBase64Encoded, request.headers['content-type'], {
    maxBytes: RETRACTION_MAX_BODY_BYTES,
    mediaTypes: ['application/json'],
  });
  const result = schema.safeParse(parsed.value);
  if (!result.success) throw new ValidationError(zodIssues(result.error));
  return result.data.reason;
}
