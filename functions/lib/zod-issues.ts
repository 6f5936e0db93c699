import type * as z from 'zod';
import type { FieldIssue } from '../../shared/errors.js';

/** Zod issues as CONTRACT.md's `errors` entries: dotted paths (`discipline.0.form`) and a message. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
