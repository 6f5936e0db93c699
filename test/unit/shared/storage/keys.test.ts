import { describe, expect, it } from 'vitest';
import {
  agencyKey,
  agencyKeyKey,
  CONCLUSION_PREFIX,
  commentKey,
  RECORDS_PARTITIONS,
  type RecordsPartition,
  rateBucketKey,
  refusalKey,
  replayMarkerKey,
  reportKey,
  SUMMARY_PREFIX,
  signedBodyKey,
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
    ['rate-bucket', rateBucketKey('b').pk],
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
