import { describe, expect, it } from 'vitest';
import {
  agencyKey,
  agencyKeyKey,
  appliedSetKey,
  CONCLUSION_PREFIX,
  commentKey,
  counterKey,
  dirtyKey,
  hourlyKey,
  logEntryKey,
  logHeadKey,
  logVersionKey,
  publishLockKey,
  RECORDS_PARTITIONS,
  type RecordsPartition,
  rateBucketKey,
  refusalKey,
  replayMarkerKey,
  reportKey,
  STATS_PARTITIONS,
  SUMMARY_PREFIX,
  signedBodyKey,
  spikeKey,
  surveyKey,
  unitKey,
  versionedCurrentKey,
  versionedVersionKey,
} from '../../../../shared/storage/keys.js';

/**
 * IAM limits each route to its own partitions by prefix (functions/routes.ts → dynamodb:LeadingKeys): every key
 * builder of the records table must start its partition key with the prefix its kind of item declares, or a
 * deployed function would be refused writes that every local test accepts.
 */
describe('RECORDS_PARTITIONS', () => {
  const built: readonly [RecordsPartition, string][] = [
    ['unit', unitKey('00304').pk],
    ['agency', agencyKey('hanoi-dktcv').pk],
    ['agency', agencyKeyKey('hanoi-dktcv', 'thumb').pk],
    ['replay-marker', replayMarkerKey('hanoi-dktcv', 'jti-1').pk],
    ['conclusion', versionedCurrentKey(CONCLUSION_PREFIX, 'c1').pk],
    ['conclusion', versionedVersionKey(CONCLUSION_PREFIX, 'c1', 2).pk],
    ['summary', versionedCurrentKey(SUMMARY_PREFIX, 's1').pk],
    ['summary', versionedVersionKey(SUMMARY_PREFIX, 's1', 1).pk],
    ['report', reportKey('00304', '2025-05', 'hanoi-dktcv').pk],
    ['survey', surveyKey('abc').pk],
    ['comment', commentKey('c-1').pk],
    ['refusal', refusalKey('2026-11-29').pk],
    ['signed-body', signedBodyKey('ff').pk],
  ];

  it.each(built)('builds %s partition keys under the declared prefix (%s)', (partition, pk) => {
    // Assess
    expect(pk.startsWith(RECORDS_PARTITIONS[partition])).toBe(true);
  });

  it('keeps the prefixes apart: no prefix starts another, so a grant of one never covers another', () => {
    // Act
    const prefixes = Object.values(RECORDS_PARTITIONS);

    // Assess
    for (const a of prefixes) {
      for (const b of prefixes) if (a !== b) expect(b.startsWith(a)).toBe(false);
    }
    expect(new Set(built.map(([partition]) => partition)).size).toBe(prefixes.length);
  });
});

/**
 * The stats table's partitions a route may write (functions/routes.ts: the survey function's rate-limit buckets):
 * the grant `RATE#*` must cover the buckets and no other item of the table, counters, markers, the log or the lock.
 */
describe('STATS_PARTITIONS', () => {
  const others = [
    counterKey('U#00304', '2024-05', 0).pk,
    counterKey('U#00304', '2024-Q2', 1).pk,
    appliedSetKey('1716200000#3').pk,
    hourlyKey('00301', '2026-11-29T14').pk,
    spikeKey('00301', '2026-11-29T14').pk,
    dirtyKey().pk,
    publishLockKey().pk,
    logHeadKey().pk,
    logEntryKey(42).pk,
    logVersionKey('conclusion', 'c1', 3).pk,
  ];

  it('builds rate-limit bucket keys under the declared prefix', () => {
    // Assess
    expect(rateBucketKey('b').pk.startsWith(STATS_PARTITIONS['rate-bucket'])).toBe(true);
  });

  it.each(others)('grants nothing of the aggregation, the log or the publishers (%s)', (pk) => {
    // Assess
    for (const prefix of Object.values(STATS_PARTITIONS)) expect(pk.startsWith(prefix)).toBe(false);
  });

  it('no longer declares the buckets among the records: they are not there', () => {
    // Assess
    expect(Object.values(RECORDS_PARTITIONS)).not.toContain(STATS_PARTITIONS['rate-bucket']);
  });
});
