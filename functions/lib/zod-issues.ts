import type { FieldIssue } from '../../shared/errors.js';
import type * as z from '../../shared/zod.js';

/** Zod issues as CONTRACT.md's `errors` entries: dotted paths (`discipline.0.form`) and a message. */
export function zodIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
