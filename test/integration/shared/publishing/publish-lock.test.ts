import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../../../shared/publishing/ports.js';
import {
  guardedStore,
  type HeldPublishLock,
  PublishLockHeldError,
  PublishLockLostError,
  type PublishLockOptions,
  withPublishLock,
} from '../../../../shared/publishing/publish-lock.js';
import { publishLockKey } from '../../../../shared/storage/keys.js';
import { DynamoPublishLock } from '../../../../shared/storage/publish-lock-repository.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

/**
 * Holding the publish lock (shared/publishing/publish-lock.ts) on DynamoDB Local: waiting, renewing, releasing,
 * taking over a lease that ran out, and a holder that lost its lease writing nothing more. Leases here last
 * hundreds of milliseconds instead of minutes; the rules are the same.
 */
describe('withPublishLock on DynamoDB Local', () => {
  let tables: TestTables;
  let store: DynamoPublishLock;

  async function owner(): Promise<unknown> {
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.stats, Key: publishLockKey(), ConsistentRead: true }),
    );
    return Item?.holder;
  }

  /** A bucket that records what it was asked to write. */
  function recordingBucket(): ObjectStore & { readonly puts: string[] } {
    const puts: string[] = [];
    return {
      puts,
      list: async () => new Map([['index.html', 'abc']]),
      read: async () => new Uint8Array([1]),
      put: async (path) => {
        puts.push(path);
      },
      delete: async (paths) => {
        puts.push(...paths.map((path) => `-${path}`));
      },
    };
  }

  /** Another publisher holding the lock until `release()`; `done` settles when it gave it up. */
  async function holding(options: PublishLockOptions): Promise<{ release: () => void; done: Promise<void> }> {
    let release = () => {};
    const done = withPublishLock(
      store,
      options,
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    // Taken once its holder shows in the table.
    while ((await owner()) !== options.holder) await sleep(10);
    return { release: () => release(), done };
  }

  beforeAll(async () => {
    tables = await createTestTables('publish-lease');
    store = new DynamoPublishLock(tables.doc, tables.names.stats);
  });

  beforeEach(async () => {
    expect(await owner()).toBeUndefined();
  });

  afterAll(async () => {
    await tables?.drop();
  });

  it('runs the work holding the lock and releases it after', async () => {
    // Act
    const during = await withPublishLock(store, { holder: 'codebuild 1', waitMs: 0 }, async () => owner());

    // Assess
    expect(during).toBe('codebuild 1');
    expect(await owner()).toBeUndefined();
  });

  it('refuses at once, naming the holder, when it may not wait, and runs nothing', async () => {
    // Prepare
    const other = await holding({ holder: 'codebuild 2', waitMs: 0 });
    let ran = false;

    // Act
    const refused = withPublishLock(store, { holder: 'site-publisher r1', waitMs: 0 }, async () => {
      ran = true;
    });

    // Assess
    await expect(refused).rejects.toThrow(PublishLockHeldError);
    await expect(refused).rejects.toMatchObject({ name: 'PublishLockHeldError', held: { holder: 'codebuild 2' } });
    expect(ran).toBe(false);
    other.release();
    await other.done;
  });

  it('waits for the holder to release it, then takes it', async () => {
    // Prepare
    const other = await holding({ holder: 'site-publisher r2', waitMs: 0 });
    let released = false;
    const lines: string[] = [];

    // Act
    const waiting = withPublishLock(
      store,
      { holder: 'codebuild 3', waitMs: 10_000, pollEveryMs: 50, log: (line) => lines.push(line) },
      async () => (released ? 'after the release' : 'while held'),
    );
    await sleep(200);
    released = true;
    other.release();
    const [when] = await Promise.all([waiting, other.done]);

    // Assess
    expect(when).toBe('after the release');
    expect(lines[0]).toMatch(/^publish lock: held by site-publisher r2 until .*; waiting$/);
    expect(lines).toContain('publish lock: released by codebuild 3');
  });

  it('gives up after its wait, with the holder named', async () => {
    // Prepare
    const other = await holding({ holder: 'codebuild 4', waitMs: 0 });
    const started = Date.now();

    // Act
    const refused = withPublishLock(
      store,
      { holder: 'publish:pipeline 9', waitMs: 300, pollEveryMs: 50 },
      async () => {},
    );

    // Assess
    await expect(refused).rejects.toMatchObject({ held: { holder: 'codebuild 4' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    other.release();
    await other.done;
  });

  it('renews the lease while it works, so a long publication is not taken over', async () => {
    // Prepare: a lease of 1 s, renewed every 100 ms, held for 2.5 s
    const renewing = withPublishLock(store, { holder: 'codebuild 5', waitMs: 0, ttlMs: 1_000, renewEveryMs: 100 }, () =>
      sleep(2_500),
    );
    await sleep(1_500);

    // Act
    const contender = withPublishLock(store, { holder: 'site-publisher r3', waitMs: 0 }, async () => {});

    // Assess
    await expect(contender).rejects.toMatchObject({ held: { holder: 'codebuild 5' } });
    await renewing;
  });

  it('takes over a lease whose holder died without releasing it, once it has run out', async () => {
    // Prepare: a holder that took it for 1 s and never renews nor releases it (a function killed by its timeout)
    const until = Date.now() + 1_000;
    expect(await store.acquire({ owner: 'dead', holder: 'site-publisher dead', until }, Date.now())).toEqual({
      acquired: true,
    });

    // Act
    const [holder, at] = await withPublishLock(
      store,
      { holder: 'codebuild 6', waitMs: 10_000, pollEveryMs: 50 },
      async () => [await owner(), Date.now()] as const,
    );

    // Assess
    expect(holder).toBe('codebuild 6');
    expect(at).toBeGreaterThan(until);
    expect(await store.release('dead')).toBe(false);
  });

  it('writes nothing more once another publisher took its lease over, and does not release the new holder', async () => {
    // Prepare: the other publisher's clock is a lease ahead, so to it this lease has run out
    const bucket = recordingBucket();
    let held: HeldPublishLock | undefined;
    let taken = () => {};
    const first = withPublishLock(
      store,
      { holder: 'codebuild 7', waitMs: 0, ttlMs: 60_000, renewEveryMs: 50 },
      async (lock) => {
        held = lock;
        const guarded = guardedStore(bucket, lock);
        await guarded.put('a.html', new Uint8Array([1]), { contentType: 'text/html' });
        await new Promise<void>((r) => {
          taken = r;
        });
        // Several renewals later: one of them has found the lease taken over
        await sleep(300);
        await guarded.put('b.html', new Uint8Array([1]), { contentType: 'text/html' });
      },
    );
    await sleep(50);
    const second = await holding({ holder: 'site-publisher r4', waitMs: 0, now: () => Date.now() + 61_000 });

    // Act
    taken();

    // Assess
    await expect(first).rejects.toThrow(PublishLockLostError);
    expect(bucket.puts).toEqual(['a.html']);
    expect(held?.holder).toBe('codebuild 7');
    expect(await owner()).toBe('site-publisher r4');
    second.release();
    await second.done;
  });

  it('releases the lock when the work fails, and passes the failure on', async () => {
    // Act
    const failed = withPublishLock(store, { holder: 'codebuild 8', waitMs: 0 }, async () => {
      throw new Error('the export failed');
    });

    // Assess
    await expect(failed).rejects.toThrow('the export failed');
    expect(await owner()).toBeUndefined();
  });

  it('reads through the guard whatever the lease, and writes through it while the lease holds', async () => {
    // Prepare
    const bucket = recordingBucket();

    // Act
    const listed = await withPublishLock(store, { holder: 'codebuild 9', waitMs: 0 }, async (lock) => {
      const guarded = guardedStore(bucket, lock);
      await guarded.put('x.html', new Uint8Array([1]), { contentType: 'text/html' });
      await guarded.delete(['y.html']);
      return [...(await guarded.list()).keys()];
    });

    // Assess
    expect(listed).toEqual(['index.html']);
    expect(bucket.puts).toEqual(['x.html', '-y.html']);
  });
});
