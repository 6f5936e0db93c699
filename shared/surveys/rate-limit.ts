import { RateLimitedError } from '../errors.js';
import { clientBucket } from './hashing.js';
import type { Clock, RateCount, RateLimitStore, SecretSource } from './ports.js';

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

/** The client's counter in the current window: where the request is counted, and what a refusal says. */
export async function rateCountOf(clientAddress: string, deps: RateLimitDeps): Promise<RateCount> {
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % RATE_LIMIT_WINDOW_SECONDS);
  const windowEnd = windowStart + RATE_LIMIT_WINDOW_SECONDS;
  const retryAfter = Math.max(1, windowEnd - nowSeconds);
  return {
    bucket: clientBucket(await deps.secret(), clientAddress, windowStart),
    expiresAt: windowEnd + EXPIRY_GRACE_SECONDS,
    limit: deps.limit,
    refusal: () =>
      new RateLimitedError(retryAfter, 'Too many survey responses from this connection; try again in a minute.'),
  };
}

/** Counts one request of the client on its own; throws RateLimitedError (with seconds until the window ends) past the limit. */
export async function checkRateLimit(clientAddress: string, deps: RateLimitDeps): Promise<void> {
  await countAlone(await rateCountOf(clientAddress, deps), deps);
}

async function countAlone(count: RateCount, deps: RateLimitDeps): Promise<void> {
  if ((await deps.store.hit(count.bucket, count.expiresAt)) > count.limit) throw count.refusal();
}

/**
 * Runs a write that counts the request in its own transaction (`write(count)`: the counter is part of the write, and
 * refuses it with 429 at the limit), so an accepted request costs no round trip of its own for the limit. A request
 * the write did not count, because it was refused before the write or by the write's own conditions (an unknown
 * unit, a bad receipt, a dossier already rated) or failed, is counted alone, exactly as every request was before:
 * past the limit it becomes the same 429, so a client over the limit learns nothing more than before, and refusals
 * still use up the limit.
 */
export async function withRateLimit<T>(
  clientAddress: string,
  deps: RateLimitDeps,
  write: (count: RateCount) => Promise<T>,
): Promise<T> {
  const count = await rateCountOf(clientAddress, deps);
  try {
    return await write(count);
  } catch (error) {
    // Refused by the counter itself: nothing was written and the limit is already reached.
    if (error instanceof RateLimitedError) throw error;
    await countAlone(count, deps);
    throw error;
  }
}
