import { NotFoundError } from '../../shared/errors.js';
import { SUMMARY_ID_PATTERN } from '../../shared/summaries/records.js';

/** The `{id}` of a summary route; anything that cannot be an id is a 404 without a read. */
export function summaryIdParam(value: string | undefined): string {
  if (value === undefined || !SUMMARY_ID_PATTERN.test(value))
    throw new NotFoundError(`No summary report ${String(value).slice(0, 64)}.`);
  return value;
}
