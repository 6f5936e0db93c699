import { CONCLUSION_ID_PATTERN } from '../../shared/conclusions/records.js';
import { NotFoundError } from '../../shared/errors.js';

/** The `{id}` of a conclusion route; anything that cannot be an id is a 404 without a read. */
export function conclusionIdParam(value: string | undefined): string {
  if (value === undefined || !CONCLUSION_ID_PATTERN.test(value))
    throw new NotFoundError(`No conclusion ${String(value).slice(0, 64)}.`);
  return value;
}
