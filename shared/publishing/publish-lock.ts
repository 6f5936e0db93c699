import { randomUUID } from 'node:crypto';
import type { ObjectStore, PublishLease, PublishLockStore } from './ports.js';

/**
 * The publish lock: the two publishers in AWS (the site-publisher function, within seconds of a change, and the
 * CodeBuild build, nightly and for template changes) run the same steps (publisher/site-pipeline.ts), and without a
 * lock a build that exported before a change could upload older figures over the pages the other had just
 * published. So a publisher holds a lease from before its export until after its publication: whatever it uploads
 * was read after every earlier holder had published, and the bucket never goes back in time.
 *
 * A lease, not a plain lock, because a holder can die without releasing (a function stopped by its timeout, a build
 * killed): it runs out `ttlMs` after its last renewal and anyone may then take it over. The holder renews it in the
 * background every `renewEveryMs`; before each write to the bucket it makes sure the lease is still its own (a
 * round trip when the last renewal is not recent, e.g. after a long synchronous stretch that starved the timer),
 * and stops with PublishLockLostError when another publisher took it over. It releases it at the end, whatever
 * happened; a failed release only leaves it to run out.
 */

/** A lease runs out this long after its last renewal: long enough for a blocked event loop, short for a dead holder. */
export const PUBLISH_LOCK_TTL_MS = 120_000;

/** How often the holder renews it: several chances before it runs out. */
export const PUBLISH_LOCK_RENEW_MS = 20_000;

/** How often a waiting publisher asks again. */
export const PUBLISH_LOCK_POLL_MS = 10_000;

/**
 * How long the CodeBuild build waits for the lock: the site-publisher function's longest invocation (Lambda's 15
 * minutes, infra/stacks/publishing-stack.ts) plus one lease, the most a function that died holding it can keep it.
 */
export const PUBLISH_LOCK_WAIT_MS = 15 * 60_000 + PUBLISH_LOCK_TTL_MS + 60_000;

/** Another publisher holds the lock (and kept it past the wait). The workflow catches this name. */
export class PublishLockHeldError extends Error {
  override readonly name = 'PublishLockHeldError';
  constructor(readonly held: PublishLease) {
    super(`another publisher holds the publish lock (${held.holder}, until ${new Date(held.until).toISOString()})`);
  }
}

/** The lease ran out and another publisher took it over: this one must not write to the bucket any more. */
export class PublishLockLostError extends Error {
  override readonly name = 'PublishLockLostError';
  constructor(readonly holder: string) {
    super(`the publish lock of ${holder} was taken over by another publisher`);
  }
}

export interface PublishLockOptions {
  /** Who holds it, for logs and contenders (`site-publisher <request id>`, `codebuild <build id>`); nothing personal. */
  readonly holder: string;
  /** How long to wait for another holder: 0 refuses at once (PublishLockHeldError). */
  readonly waitMs: number;
  readonly ttlMs?: number;
  readonly renewEveryMs?: number;
  readonly pollEveryMs?: number;
  /** The clock (epoch ms) and the pause between attempts; tests pass their own. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

/** The lease while `work` runs. */
export interface HeldPublishLock {
  readonly holder: string;
  /** Resolves when the lease is still this holder's (renewing it if the last renewal is not recent); else throws PublishLockLostError. */
  ensureHeld(): Promise<void>;
}

/**
 * Runs `work` holding the publish lock: waits for it up to `waitMs`, renews it in the background, releases it at the
 * end (see the module comment).
 *
 * @example
 * await withPublishLock(new DynamoPublishLock(doc, tables.stats), { holder: 'codebuild 42', waitMs: PUBLISH_LOCK_WAIT_MS }, (lock) => publish(lock));
 */
export async function withPublishLock<T>(
  store: PublishLockStore,
  options: PublishLockOptions,
  work: (lock: HeldPublishLock) => Promise<T>,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = options.log ?? (() => {});
  const ttl = options.ttlMs ?? PUBLISH_LOCK_TTL_MS;
  const owner = randomUUID();
  const { holder } = options;

  const deadline = now() + options.waitMs;
  let until = now() + ttl;
  let answer = await store.acquire({ owner, holder, until }, now());
  let told = false;
  while (!answer.acquired) {
    const left = deadline - now();
    if (left <= 0) throw new PublishLockHeldError(answer.held);
    if (!told) {
      log(`publish lock: held by ${answer.held.holder} until ${new Date(answer.held.until).toISOString()}; waiting`);
      told = true;
    }
    await sleep(Math.min(options.pollEveryMs ?? PUBLISH_LOCK_POLL_MS, left));
    until = now() + ttl;
    answer = await store.acquire({ owner, holder, until }, now());
  }
  log(`publish lock: taken by ${holder}`);

  const renewEvery = options.renewEveryMs ?? PUBLISH_LOCK_RENEW_MS;
  let lost = false;
  let renewedAt = now();
  let renewing: Promise<void> | undefined;
  const renew = (): Promise<void> => {
    renewing ??= (async function renewLease() {
      const next = now() + ttl;
      try {
        if (await store.renew(owner, next)) {
          until = next;
          renewedAt = now();
        } else {
          lost = true;
        }
      } catch (error) {
        // A failed round trip is no loss: the lease still runs until `until`, and the next renewal tries again.
        log(`publish lock: renewal failed (${error instanceof Error ? error.message : String(error)})`);
      } finally {
        renewing = undefined;
      }
    })();
    return renewing;
  };
  const timer = setInterval(() => void renew(), renewEvery);
  // The lease must never keep a finished process alive.
  timer.unref();

  const lock: HeldPublishLock = {
    holder,
    async ensureHeld() {
      // A renewal in flight may be the one that finds the lease taken over: wait for its answer.
      if (renewing) await renewing;
      if (!lost && now() - renewedAt >= renewEvery) await renew();
      if (lost || now() >= until) throw new PublishLockLostError(holder);
    },
  };
  try {
    return await work(lock);
  } finally {
    clearInterval(timer);
    await renewing;
    try {
      if (!lost && (await store.release(owner))) log(`publish lock: released by ${holder}`);
    } catch (error) {
      // It runs out on its own within a lease.
      log(`publish lock: release failed (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

/** The store with its writes behind the lease: a publisher that lost it stops before its next upload or deletion. */
export function guardedStore(store: ObjectStore, lock: HeldPublishLock): ObjectStore {
  return {
    list: (prefix) => store.list(prefix),
    read: (path) => store.read(path),
    async put(path, bytes, headers) {
      await lock.ensureHeld();
      await store.put(path, bytes, headers);
    },
    async delete(paths) {
      await lock.ensureHeld();
      await store.delete(paths);
    },
  };
}
