import type { z } from 'zod';
import { ValidationError } from '../../shared/errors.js';
import { parseBody, rawBody } from './body.js';
import type { HttpRequest } from './http.js';
import { zodIssues } from './zod-issues.js';

/** Largest retraction body: a reason of at most 2,000 characters. */
const RETRACTION_MAX_BODY_BYTES = 16 * 1024;

/**
 * The optional body of a retraction (conclusions, summaries): empty is a retraction without a stated reason;
 * otherwise `{ "reason": "…" }`, well-formed JSON and valid. Answers the reason and the exact bytes the signature
 * covers (the route has no body schema of its own, since an empty body is allowed).
 */
export function retractionBody(
  request: HttpRequest<unknown>,
  schema: z.ZodType<{ reason: string }>,
): { reason: string | undefined; raw: Buffer } {
  const raw = rawBody(request.event.body, request.event.isBase64Encoded);
  if (raw.length === 0) return { reason: undefined, raw };
  const parsed = parseBody(request.event.body, request.event.isBase64Encoded, request.headers['content-type'], {
    maxBytes: RETRACTION_MAX_BODY_BYTES,
    mediaTypes: ['application/json'],
  });
  const result = schema.safeParse(parsed.value);
  if (!result.success) throw new ValidationError(zodIssues(result.error));
  return { reason: result.data.reason, raw };
}
