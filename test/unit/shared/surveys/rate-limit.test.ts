import { describe, expect, it } from 'vitest';
import { RateLimitedError, ValidationError } from '../../../../shared/errors.js';
import type { RateCount, RateLimitStore } from '../../../../shared/surveys/ports.js';
import { checkRateLimit, surveyRateLimitFromEnv, withRateLimit } from '../../../../shared/surveys/rate-limit.js';
import { TEST_RATE_SALT } from '../../../support/survey-fixtures.js';

class MemoryRateLimitStore implements RateLimitStore {
  readonly buckets = new Map<string, { count: number; expiresAt: number }>();
  async hit(bucket: string, expiresAt: number): Promise<number> {
    const current = this.buckets.get(bucket) ?? { count: 0, expiresAt };
    current.count += 1;
    this.buckets.set(bucket, current);
    return current.count;
  }
}

function limiter(startIso: string, limit = 3) {
  const store = new MemoryRateLimitStore();
  let now = new Date(startIso);
  return {
    store,
    advance: (seconds: number) => {
      now = new Date(now.getTime() + seconds * 1000);
    },
    deps: { store, secret: async () => TEST_RATE_SALT, clock: { now: () => now }, limit },
  };
}

describe('checkRateLimit', () => {
  it('allows the limit, then refuses with the seconds left in the window', async () => {
    // Prepare: 20 s into a minute.
    const { deps } = limiter('2025-08-12T03:00:20Z');
    for (let i = 0; i < 3; i++) await checkRateLimit('203.0.113.9', deps);
    // Act
    const error = await checkRateLimit('203.0.113.9', deps).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(40);
  });

  it('counts each client apart and starts again in the next window', async () => {
    const { deps, advance } = limiter('2025-08-12T03:00:50Z', 1);
    await checkRateLimit('203.0.113.9', deps);
    await checkRateLimit('203.0.113.10', deps);
    await expect(checkRateLimit('203.0.113.9', deps)).rejects.toThrow(RateLimitedError);
    advance(10);
    await expect(checkRateLimit('203.0.113.9', deps)).resolves.toBeUndefined();
  });

  it('stores neither the address nor anything derived without the salt, and lets the bucket expire', async () => {
    const { deps, store } = limiter('2025-08-12T03:00:20Z');
    await checkRateLimit('203.0.113.9', deps);
    const entries = [...store.buckets.entries()];
    expect(entries).toHaveLength(1);
    const [bucket, entry] = entries[0] ?? ['', { expiresAt: 0 }];
    expect(bucket).not.toContain('203.0.113');
    expect(entry.expiresAt).toBe(Date.parse('2025-08-12T03:02:00Z') / 1000);
  });
});

describe('surveyRateLimitFromEnv', () => {
  it('reads a positive integer, defaults to 10 and refuses nonsense', () => {
    expect(surveyRateLimitFromEnv({ SURVEY_RATE_LIMIT: '1000' })).toBe(1000);
    expect(surveyRateLimitFromEnv({})).toBe(10);
    expect(() => surveyRateLimitFromEnv({ SURVEY_RATE_LIMIT: '0' })).toThrow();
    expect(() => surveyRateLimitFromEnv({ SURVEY_RATE_LIMIT: 'lots' })).toThrow();
  });
});

describe('withRateLimit', () => {
  it('leaves the count of an accepted request to its write, and counts nothing else', async () => {
    // Prepare
    const { deps, store } = limiter('2025-08-12T03:00:20Z');
    const seen: RateCount[] = [];
    // Act
    const result = await withRateLimit('203.0.113.9', deps, async (count) => {
      seen.push(count);
      return 'written';
    });
    // Assess
    expect(result).toBe('written');
    expect(seen).toMatchObject([{ limit: 3, expiresAt: Date.parse('2025-08-12T03:02:00Z') / 1000 }]);
    expect(seen[0]?.refusal()).toMatchObject({ name: 'RateLimitedError', retryAfterSeconds: 40 });
    expect(store.buckets.size).toBe(0);
  });

  it('counts a request refused before or by its write alone, and past the limit answers 429 instead', async () => {
    // Prepare
    const { deps, store } = limiter('2025-08-12T03:00:20Z', 2);
    const refused = () =>
      withRateLimit('203.0.113.9', deps, async () => {
        throw new ValidationError([{ path: 'unit', message: 'unknown' }]);
      });
    // Act
    const first = await refused().catch((e: unknown) => e);
    const second = await refused().catch((e: unknown) => e);
    const third = await refused().catch((e: unknown) => e);
    // Assess
    expect(first).toBeInstanceOf(ValidationError);
    expect(second).toBeInstanceOf(ValidationError);
    expect(third).toBeInstanceOf(RateLimitedError);
    expect([...store.buckets.values()].map((entry) => entry.count)).toEqual([3]);
  });

  it('does not count again a request its write refused at the limit', async () => {
    // Prepare
    const { deps, store } = limiter('2025-08-12T03:00:20Z');
    // Act
    const error = await withRateLimit('203.0.113.9', deps, async (count) => {
      throw count.refusal();
    }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(store.buckets.size).toBe(0);
  });
});
