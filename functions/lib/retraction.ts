import type { z } from 'zod';
import type { ParsedBodyOptions } from './http.js';

/**
 * The optional body of a retraction (conclusions, summaries): empty is a retraction without a stated reason;
 * otherwise `{ "reason": "…" }`. The shell caps the bytes first (the signature covers them, and is verified before
 * anything is parsed), then parses and validates a non-empty body.
 */

/** Largest retraction body: a reason of at most 2,000 characters. */
export const RETRACTION_MAX_BODY_BYTES = 16 * 1024;

/** The body options of a retraction route over its schema (`{ reason }`), an empty body allowed. */
export function retractionBody<T extends { reason: string }>(schema: z.ZodType<T>) {
  return {
    maxBytes: RETRACTION_MAX_BODY_BYTES,
    mediaTypes: ['application/json'],
    schema: schema.optional(),
    emptyAllowed: true,
  } satisfies ParsedBodyOptions<z.ZodOptional<z.ZodType<T>>>;
}
