import { PreconditionFailedError, PreconditionRequiredError } from '../errors.js';

/** The ETag of a version (`"3"`): what `If-Match` repeats to correct it, and what requireVersion reads back. */
export function versionEtag(version: number): string {
  return `"${version}"`;
}

/**
 * Reads `If-Match`: `"3"`, `W/"3"` or `3`; 428 when absent, 412 when it names no version.
 * @param what the record, as the error message names it ("conclusion", "report")
 */
export function requireVersion(ifMatch: string | undefined, what = 'record'): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new PreconditionRequiredError(`Send If-Match with the version you are correcting (the ETag of the ${what}).`);
  }
  const version = parseVersion(ifMatch);
  if (version === undefined) {
    throw new PreconditionFailedError(`If-Match must name a version of the ${what}, as its ETag does ("3").`);
  }
  return version;
}

/** Reads an optional `If-Match` (retractions): undefined when absent, 412 when it names no version. */
export function optionalVersion(ifMatch: string | undefined, what = 'record'): number | undefined {
  return ifMatch === undefined ? undefined : requireVersion(ifMatch, what);
}

/**
 * The version an ETag names (`"3"`, `W/"3"` or `3`), or undefined: what the API reads from If-Match, and what the
 * publish CLI accepts as `--if-match`.
 * @example parseVersion('W/"3"') // 3
 */
export function parseVersion(ifMatch: string): number | undefined {
  const match = /^(?:W\/)?"?(\d{1,6})"?$/.exec(ifMatch.trim());
  const version = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return Number.isInteger(version) && version >= 1 ? version : undefined;
}

/** 412 naming both versions: If-Match names a version that is not the current one. */
export function staleIfMatch(expected: number, current: number): PreconditionFailedError {
  return new PreconditionFailedError(`If-Match names version ${expected}; the current version is ${current}.`);
}
