import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishLockKey } from '../../../../shared/storage/keys.js';
import { DynamoPublishLock } from '../../../../shared/storage/publish-lock-repository.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

/**
 * The publish lock's item on DynamoDB Local: its conditions decide who publishes, so they are tested on the engine
 * that evaluates them. Times are explicit epoch milliseconds (the contenders' clocks), so expiry needs no waiting.
 */
describe('DynamoPublishLock on DynamoDB Local', () => {
  let tables: TestTables;
  let lock: DynamoPublishLock;
  const T0 = Date.parse('2026-11-30T19:00:00Z');

  const claim = (owner: string, until: number) => ({ owner, holder: `publisher ${owner}`, until });

  async function stored() {
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.stats, Key: publishLockKey(), ConsistentRead: true }),
    );
    return Item;
  }

  beforeAll(async () => {
    tables = await createTestTables('publish-lock');
    lock = new DynamoPublishLock(tables.doc, tables.names.stats);
  });

  beforeEach(async () => {
    // Each test starts from a released lock: whoever holds it gives it up.
    for (const owner of ['a', 'b', 'c']) await lock.release(owner);
  });

  afterAll(async () => {
    await tables?.drop();
  });

  it('gives the lock to one of two contenders asking at once, and tells the other who holds it until when', async () => {
    // Act
    const [first, second] = await Promise.all([
      lock.acquire(claim('a', T0 + 120_000), T0),
      lock.acquire(claim('b', T0 + 120_000), T0),
    ]);

    // Assess
    const answers = [first, second];
    expect(answers.filter((answer) => answer.acquired)).toHaveLength(1);
    const winner = first.acquired ? 'a' : 'b';
    const refused = answers.find((answer) => !answer.acquired);
    expect(refused).toEqual({ acquired: false, held: { holder: `publisher ${winner}`, until: T0 + 120_000 } });
    expect(await stored()).toMatchObject({ entity: 'publish-lock', owner: winner, leaseUntil: T0 + 120_000 });
  });

  it('refuses a contender while the lease runs, and lets one take it over once it has run out', async () => {
    // Prepare
    expect(await lock.acquire(claim('a', T0 + 120_000), T0)).toEqual({ acquired: true });

    // Act
    const during = await lock.acquire(claim('b', T0 + 179_999), T0 + 59_999);
    const atTheEnd = await lock.acquire(claim('b', T0 + 240_000), T0 + 120_000);
    const after = await lock.acquire(claim('b', T0 + 240_001), T0 + 120_001);

    // Assess: the one that ran out can no longer renew or release what is now another's
    expect(during.acquired).toBe(false);
    expect(atTheEnd.acquired).toBe(false);
    expect(after).toEqual({ acquired: true });
    expect(await lock.renew('a', T0 + 300_000)).toBe(false);
    expect(await lock.release('a')).toBe(false);
    expect(await stored()).toMatchObject({ owner: 'b', holder: 'publisher b', leaseUntil: T0 + 240_001 });
  });

  it('extends the lease for its owner only, so a renewed lease is not taken over', async () => {
    // Prepare
    await lock.acquire(claim('a', T0 + 120_000), T0);

    // Act
    const byOther = await lock.renew('b', T0 + 999_999);
    const byOwner = await lock.renew('a', T0 + 240_000);
    const contender = await lock.acquire(claim('c', T0 + 300_000), T0 + 180_000);

    // Assess
    expect(byOther).toBe(false);
    expect(byOwner).toBe(true);
    expect(contender).toEqual({ acquired: false, held: { holder: 'publisher a', until: T0 + 240_000 } });
  });

  it('is released by its owner only, and is free at once after that', async () => {
    // Prepare
    await lock.acquire(claim('a', T0 + 120_000), T0);

    // Act
    const byOther = await lock.release('b');
    const stillHeld = await lock.acquire(claim('c', T0 + 130_000), T0 + 10_000);
    const byOwner = await lock.release('a');
    const again = await lock.release('a');
    const next = await lock.acquire(claim('c', T0 + 130_000), T0 + 10_000);

    // Assess
    expect(byOther).toBe(false);
    expect(stillHeld.acquired).toBe(false);
    expect(byOwner).toBe(true);
    expect(again).toBe(false);
    expect(next).toEqual({ acquired: true });
  });

  it('leaves a released lease as an item without owner, holder or lease', async () => {
    // Prepare
    await lock.acquire(claim('a', T0 + 120_000), T0);

    // Act
    await lock.release('a');

    // Assess
    const item = await stored();
    expect(item).toMatchObject({ pk: 'META#publish-lock', sk: 'META', entity: 'publish-lock' });
    expect(item).not.toHaveProperty('owner');
    expect(item).not.toHaveProperty('holder');
    expect(item).not.toHaveProperty('leaseUntil');
  });
});
