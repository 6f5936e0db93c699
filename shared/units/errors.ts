/**
 * Errors of the unit registry. They are not DomainErrors: they never reach an HTTP client. They mean that the
 * reference data or the registry file is wrong or missing (a person must fix it), or that code asked about a unit
 * id the registry does not hold (a bug, since ids come from the registry itself).
 */

/** The reference data or a registry file is missing, malformed or inconsistent. The message is one plain line. */
export class UnitDataError extends Error {
  override readonly name = 'UnitDataError';
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** A unit id that the registry does not hold. */
export class UnknownUnitError extends Error {
  override readonly name = 'UnknownUnitError';
  constructor(readonly id: string) {
    super(`unknown unit id: ${id}`);
  }
}
