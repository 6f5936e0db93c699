import { RateLimitedError } from '../errors.js';
import { clientBucket } from './hashing.js';
import type { Clock, RateLimitStore, SecretSource } from './ports.js';

/**
 * Per-client rate limiting without tracking people: a fixed 60-second window, a counter per (client, window)
 * keyed by a keyed hash that changes every window, and an expiry so the counter disappears soon after.
 */

export const RATE_LIMIT_WINDOW_SECONDS = 60;
/** Responses per client per minute when SURVEY_RATE_LIMIT is not set: a family at one counter, not a script. */
export const DEFAULT_SURVEY_RATE_LIMIT = 10;
/** Counters live a little past their window so a slow clock never resets one early; TTL removes them later. */
const EXPIRY_GRACE_SECONDS = 60;

export interface RateLimitDeps {
  readonly store: RateLimitStore;
  readonly secret: SecretSource;
  readonly clock: Clock;
  /** Requests allowed per client per window. */
  readonly limit: number;
}

/** Reads SURVEY_RATE_LIMIT (a positive integer), or the default. */
export function surveyRateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SURVEY_RATE_LIMIT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_SURVEY_RATE_LIMIT;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`SURVEY_RATE_LIMIT must be a positive integer, not "${raw}"`);
  return value;
}

/** Counts one request of the client; throws RateLimitedError (with seconds until the window ends) past the limit. */
export async function checkRateLimit(clientAddress: string, deps: RateLimitDeps): Promise<void> {
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % RATE_LIMIT_WINDOW_SECONDS);
  const windowEnd = windowStart + RATE_LIMIT_WINDOW_SECONDS;
  const bucket = clientBucket(await deps.secret(), clientAddress, windowStart);
  const count = await deps.store.hit(bucket, windowEnd + EXPIRY_GRACE_SECONDS);
  if (count > deps.limit) {
    throw new RateLimitedError(
      Math.max(1, windowEnd - nowSeconds),
      'Too many survey responses from this connection; try again in a minute.',
    );
  }
}
