import { ServiceUnavailableError } from '../errors.js';

/**
 * Optimistic concurrency, the one way every published record (conclusion, summary, report) is written: read the
 * current state, decide, write on condition that the state is still the one read. A lost race is answered by
 * reading again, so racing writers never lose or double a version, and a refused request writes nothing.
 */

/**
 * A conditional write lost: the record is not in the state the write expected (someone else wrote first).
 * Not a DomainError: the service reads again and decides what the caller gets (200, 409 or 412).
 */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';

  /**
   * @param found the record as the failed condition found it (the store returns it with the failure, so the next
   *   attempt decides on it instead of reading again); absent when the store could not tell (a conflict with
   *   another transaction, or nothing there).
   */
  constructor(
    message: string,
    options?: ErrorOptions,
    readonly found?: { readonly current: unknown },
  ) {
    super(message, options);
  }
}

/** How many times a lost race is retried before giving up with a 503 (each retry reads the new state first). */
export const MAX_ATTEMPTS = 4;

/**
 * Runs `attempt` (read, decide, conditional write) until it does not lose a race: a StaleWriteError runs it
 * again, given what the lost write found when the store could tell (else the attempt reads), anything else propagates. After MAX_ATTEMPTS lost races, 503 with `Retry-After`: nothing was changed.
 * @param what the record, as the error message names it ("conclusion", "summary report")
 */
export async function withOptimisticRetries<T>(
  what: string,
  attempt: (found: StaleWriteError['found']) => Promise<T>,
): Promise<T> {
  // What the last lost write found: the next attempt starts from it rather than from a read.
  let found: StaleWriteError['found'];
  for (let round = 0; round < MAX_ATTEMPTS; round++) {
    try {
      return await attempt(found);
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      found = error.found;
    }
  }
  throw new ServiceUnavailableError(
    1,
    `The ${what} is being changed by other requests; nothing was changed. Try again.`,
  );
}
