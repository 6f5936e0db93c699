import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../../shared/errors.js';
import { DynamoCommentStore } from '../../../../shared/storage/comments-repository.js';
import { scanCounters } from '../../../../shared/storage/export-reader.js';
import { commentKey, rateBucketKey, surveyKey } from '../../../../shared/storage/keys.js';
import { DynamoRateLimitStore } from '../../../../shared/storage/rate-limit-repository.js';
import { DynamoRefusalStore, readRefusals } from '../../../../shared/storage/refusals-repository.js';
import { DynamoSurveyStore } from '../../../../shared/storage/surveys-repository.js';
import { statsTable } from '../../../../shared/storage/tables.js';
import type { CommentRecord, RateCount, SurveyRecord } from '../../../../shared/surveys/ports.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

function survey(hash: string, overrides: Partial<SurveyRecord> = {}): SurveyRecord {
  return {
    id: `s-${hash}`,
    dossierHash: hash,
    unitId: '00301',
    date: '2025-08-12',
    ratings: { access: 5, procedures: 4, staff: 5, results: 4, feedback: null },
    overall: 5,
    channel: 'web',
    hasComment: false,
    verified: false,
    ...overrides,
  };
}

function comment(id: string, submittedAt = '2025-08-12'): CommentRecord {
  return { id, unitId: '00301', text: `Ý kiến ${id}`, status: 'pending', submittedAt };
}

describe('survey, comment and rate-limit repositories on DynamoDB Local', () => {
  let tables: TestTables;
  let surveys: DynamoSurveyStore;
  let comments: DynamoCommentStore;
  let limiter: DynamoRateLimitStore;
  beforeAll(async () => {
    tables = await createTestTables('surveys-repo');
    limiter = new DynamoRateLimitStore(tables.doc, tables.names.stats);
    surveys = new DynamoSurveyStore(tables.doc, tables.names.records, limiter);
    comments = new DynamoCommentStore(tables.doc, tables.names.records);
  });
  afterAll(async () => {
    await tables.drop();
  });

  it('writes the survey item of the contract: keyed by the dossier hash, without the hash in the attributes', async () => {
    // Act
    await surveys.create(survey('hash-a'));
    // Assess
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.records, Key: surveyKey('hash-a') }),
    );
    expect(Item).toEqual({
      pk: 'SURVEY#hash-a',
      sk: 'SURVEY',
      entity: 'survey',
      id: 's-hash-a',
      unitId: '00301',
      date: '2025-08-12',
      ratings: { access: 5, procedures: 4, staff: 5, results: 4, feedback: null },
      overall: 5,
      channel: 'web',
      hasComment: false,
      verified: false,
    });
  });

  it('refuses a second response for the same dossier and keeps the first', async () => {
    await surveys.create(survey('hash-b'));
    await expect(surveys.create(survey('hash-b', { id: 'other', overall: 1 }))).rejects.toThrow(ConflictError);
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.records, Key: surveyKey('hash-b') }),
    );
    expect(Item?.id).toBe('s-hash-b');
  });

  it('lets exactly one of many concurrent writers of one dossier win, with or without a comment', async () => {
    // Prepare: 20 racing writers, half of them with a comment (a transaction), half without (a conditional put).
    const attempts = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? surveys.create(survey('hash-race', { id: `r${i}`, hasComment: true }), comment(`race-${i}`))
        : surveys.create(survey('hash-race', { id: `r${i}` })),
    );
    // Act
    const results = await Promise.allSettled(attempts);
    // Assess
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((r) => r.reason instanceof ConflictError)).toBe(true);
    const pending = await comments.list('pending', { limit: 100 });
    const raceComments = pending.items.filter((c) => c.id.startsWith('race-'));
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.records, Key: surveyKey('hash-race') }),
    );
    // A comment exists only if the winner carried one: never a comment of a losing writer.
    expect(raceComments.length).toBe(Item?.hasComment ? 1 : 0);
  });

  it('stores the comment apart, in the pending queue, and moves it between queues when decided', async () => {
    // Prepare
    await surveys.create(survey('hash-c', { hasComment: true }), comment('c1', '2025-08-10'));
    await surveys.create(survey('hash-d', { hasComment: true }), comment('c2', '2025-08-11'));
    // Act
    const decided = await comments.decide('c1', 'approved', '2025-08-13T02:00:00.000Z', 'moderator-a');
    // Assess
    expect(decided).toMatchObject({
      id: 'c1',
      status: 'approved',
      moderatedAt: '2025-08-13T02:00:00.000Z',
      moderatedBy: 'moderator-a',
    });
    const approved = await comments.list('approved');
    expect(approved.items.map((c) => c.id)).toEqual(['c1']);
    const pending = await comments.list('pending');
    expect(pending.items.map((c) => c.id)).toContain('c2');
    expect(pending.items.map((c) => c.id)).not.toContain('c1');
    const { Item } = await tables.doc.send(new GetCommand({ TableName: tables.names.records, Key: commentKey('c1') }));
    expect(Item).toMatchObject({ entity: 'comment', gsi1pk: 'COMMENTS#approved', gsi1sk: '2025-08-10#c1' });
    const surveyItem = await tables.doc.send(
      new GetCommand({ TableName: tables.names.records, Key: surveyKey('hash-c') }),
    );
    expect(JSON.stringify(surveyItem.Item)).not.toContain('Ý kiến');
  });

  it('refuses to decide a comment twice or one that does not exist', async () => {
    await surveys.create(survey('hash-e', { hasComment: true }), comment('c3'));
    await comments.decide('c3', 'rejected', '2025-08-13T02:00:00.000Z', 'moderator-a');
    await expect(comments.decide('c3', 'approved', '2025-08-13T03:00:00.000Z', 'moderator-a')).rejects.toThrow(
      ConflictError,
    );
    await expect(comments.decide('nope', 'approved', '2025-08-13T03:00:00.000Z', 'moderator-a')).rejects.toThrow(
      NotFoundError,
    );
    expect((await comments.get('c3'))?.status).toBe('rejected');
  });

  it('pages through a queue, oldest first', async () => {
    for (let i = 0; i < 5; i++) {
      await surveys.create(survey(`hash-page-${i}`, { hasComment: true }), {
        ...comment(`p${i}`, `2024-01-0${i + 1}`),
        unitId: '00097',
      });
    }
    const first = await comments.list('pending', { limit: 3 });
    expect(first.items.map((c) => c.id)).toEqual(['p0', 'p1', 'p2']);
    expect(first.cursor).toBeDefined();
    const second = await comments.list('pending', { limit: 3, cursor: first.cursor });
    expect(second.items.map((c) => c.id).slice(0, 2)).toEqual(['p3', 'p4']);
  });

  // Expiries a day ahead: DynamoDB Local deletes expired items of the stats table within seconds, as TTL would.
  const tomorrow = Math.floor(Date.now() / 1000) + 86_400;

  it('counts rate-limit hits atomically and sets the expiry once, in the stats table', async () => {
    // Act
    const counts = await Promise.all(Array.from({ length: 15 }, (_, i) => limiter.hit('bucket-1', tomorrow + i)));
    // Assess
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const { Items } = await tables.doc.send(
      new QueryCommand({
        TableName: tables.names.stats,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RATE#bucket-1' },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items?.[0]).toMatchObject({ count: 15, entity: 'rate-bucket' });
    expect(Items?.[0]?.expiresAt).toBeGreaterThanOrEqual(tomorrow);
    expect(Items?.[0]?.expiresAt).toBeLessThan(tomorrow + 15);
  });

  it('expires buckets by the TTL attribute the stats table declares and enables', async () => {
    // Act
    const { TimeToLiveDescription } = await tables.doc.send(
      new DescribeTimeToLiveCommand({ TableName: tables.names.stats }),
    );
    await limiter.hit('bucket-ttl', tomorrow);
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.stats, Key: rateBucketKey('bucket-ttl') }),
    );
    await limiter.hit('bucket-expired', Math.floor(Date.now() / 1000) - 60);
    const expired = async () =>
      (await tables.doc.send(new GetCommand({ TableName: tables.names.stats, Key: rateBucketKey('bucket-expired') })))
        .Item;
    // Assess
    expect(TimeToLiveDescription).toMatchObject({
      AttributeName: statsTable.ttlAttribute,
      TimeToLiveStatus: 'ENABLED',
    });
    expect(Item?.[statsTable.ttlAttribute]).toBe(tomorrow);
    // DynamoDB Local deletes expired items of this table within seconds (AWS within days): a bucket does not stay.
    await expect.poll(expired, { timeout: 30_000, interval: 500 }).toBeUndefined();
  }, 40_000);

  describe('a response counted against its client in its own write', () => {
    const count = (bucket: string, limit: number): RateCount => ({
      bucket,
      expiresAt: tomorrow,
      limit,
      refusal: () => new Error(`limit ${limit} reached`),
    });
    const bucketCount = async (bucket: string) =>
      (await tables.doc.send(new GetCommand({ TableName: tables.names.stats, Key: rateBucketKey(bucket) }))).Item
        ?.count;

    it('puts the response among the records and the count in the stats table, in one transaction', async () => {
      // Act
      await surveys.create(survey('hash-counted'), comment('c-counted'), count('bucket-tx', 2));
      await surveys.create(survey('hash-counted-2'), undefined, count('bucket-tx', 2));
      // Assess
      const response = await tables.doc.send(
        new GetCommand({ TableName: tables.names.records, Key: surveyKey('hash-counted') }),
      );
      expect(response.Item?.id).toBe('s-hash-counted');
      expect(await bucketCount('bucket-tx')).toBe(2);
      const inRecords = await tables.doc.send(
        new GetCommand({ TableName: tables.names.records, Key: rateBucketKey('bucket-tx') }),
      );
      expect(inRecords.Item).toBeUndefined();
    });

    it("at the limit refuses with the count's refusal and writes neither the response nor a count", async () => {
      // Arrange
      await surveys.create(survey('hash-limit-1'), undefined, count('bucket-full', 1));
      // Act
      const refused = surveys.create(survey('hash-limit-2'), comment('c-limit'), count('bucket-full', 1));
      // Assess
      await expect(refused).rejects.toThrow('limit 1 reached');
      expect(await bucketCount('bucket-full')).toBe(1);
      const response = await tables.doc.send(
        new GetCommand({ TableName: tables.names.records, Key: surveyKey('hash-limit-2') }),
      );
      expect(response.Item).toBeUndefined();
    });

    it('refuses a dossier already rated (409) without counting in the transaction', async () => {
      // Arrange
      await surveys.create(survey('hash-dup'), undefined, count('bucket-dup', 10));
      // Act
      const again = surveys.create(survey('hash-dup'), undefined, count('bucket-dup', 10));
      // Assess
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      expect(await bucketCount('bucket-dup')).toBe(1);
    });

    it('leaves the counters the export, verify and rebuild read unchanged: they scan `FIG#` items only', async () => {
      // Act
      const counters = await scanCounters(tables.doc, tables.names.stats);
      const { Items } = await tables.doc.send(new ScanCommand({ TableName: tables.names.stats }));
      // Assess: buckets are in the table, and none of them is read as a figure
      expect((Items ?? []).some((item) => String(item.pk).startsWith('RATE#'))).toBe(true);
      expect(counters.size).toBe(0);
    });
  });

  it('counts refusals per day and reason atomically, and lists the days for the export', async () => {
    // Prepare
    const refusals = new DynamoRefusalStore(tables.doc, tables.names.records);
    // Act
    await Promise.all([
      ...Array.from({ length: 12 }, () => refusals.count('2025-08-12', 'rateLimited')),
      refusals.count('2025-08-12', 'crossSite'),
      refusals.count('2025-08-13', 'rateLimited'),
    ]);
    // Assess
    const days = await readRefusals(tables.doc, tables.names.records);
    expect(days.get('2025-08-12')).toEqual({ rateLimited: 12, crossSite: 1 });
    expect(days.get('2025-08-13')).toEqual({ rateLimited: 1 });
  });
});
