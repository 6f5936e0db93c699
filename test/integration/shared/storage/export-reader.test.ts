import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONCLUSION_LAYOUT } from '../../../../shared/storage/conclusions-repository.js';
import {
  bucketOfCounterKey,
  isLegacyCounterKey,
  readStoredConclusions,
} from '../../../../shared/storage/export-reader.js';
import { MalformedItemError } from '../../../../shared/storage/items/item.js';
import { counterKey } from '../../../../shared/storage/keys.js';
import { currentItem, versionItem } from '../../../../shared/storage/versioned-repository.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { conclusionRecord } from '../../../unit/shared/stats/support.js';

describe('the export reader on DynamoDB Local', () => {
  let tables: TestTables;

  beforeAll(async () => {
    tables = await createTestTables('export-reader');
  });

  afterAll(async () => {
    await tables?.drop();
  });

  const put = (Item: Record<string, unknown>) =>
    tables.doc.send(new PutCommand({ TableName: tables.names.records, Item }));

  it('reads each conclusion with its versions, parsed by their item schemas', async () => {
    // Prepare
    const stored = conclusionRecord({ id: 'k-read', summary: { vi: 'Không phát hiện vi phạm.' } });
    await put(currentItem(CONCLUSION_LAYOUT, stored));
    await put(versionItem(CONCLUSION_LAYOUT, stored));

    // Act
    const [conclusion] = await readStoredConclusions(tables.doc, tables.names.records);

    // Assess
    expect(conclusion?.current).toMatchObject({ id: 'k-read', entity: 'conclusion', summary: stored.summary });
    expect(conclusion?.versions).toHaveLength(1);
    expect(conclusion?.versions[0]).toMatchObject({ entity: 'conclusion-version', version: 1 });
    expect(conclusion?.versions[0]).not.toHaveProperty('createdAt');
  });

  it('fails loudly, naming the attribute, on a stored conclusion that is not of its shape', async () => {
    // Prepare: the item as a faulty writer might have put it, without its summary.
    const { summary: _summary, ...malformed } = currentItem(CONCLUSION_LAYOUT, conclusionRecord({ id: 'k-bad' }));
    await put(malformed);

    // Act / Assess
    await expect(readStoredConclusions(tables.doc, tables.names.records)).rejects.toThrow(MalformedItemError);
    await expect(readStoredConclusions(tables.doc, tables.names.records)).rejects.toThrow(/summary/);
  });
});

describe('counter keys', () => {
  it('read back the bucket of a counter key, agency and pre-2025 ids included', () => {
    // Act / Assess
    expect(bucketOfCounterKey('FIG#U#00097-pre2025#2024-Q4#own#0')).toEqual({
      scope: 'U#00097-pre2025',
      period: '2024-Q4',
    });
    expect(bucketOfCounterKey('FIG#A#hanoi-dktcv#2024-05#0')).toEqual({ scope: 'A#hanoi-dktcv', period: '2024-05' });
    expect(bucketOfCounterKey('APPLIED#1716200000#3')).toBeUndefined();
  });

  it('write a quarter or a year apart from the items of the earlier layout, which are not read', () => {
    // Act / Assess
    expect(counterKey('U#01', '2024', 3).pk).toBe('FIG#U#01#2024#own#3');
    expect(counterKey('U#01', '2024-Q2', 0).pk).toBe('FIG#U#01#2024-Q2#own#0');
    expect(counterKey('U#01', '2024-05', 0).pk).toBe('FIG#U#01#2024-05#0');
    expect(bucketOfCounterKey('FIG#U#01#2024#3')).toBeUndefined();
    expect(bucketOfCounterKey('FIG#U#01#2024-05#own#3')).toBeUndefined();
    expect([isLegacyCounterKey('FIG#U#01#2024#3'), isLegacyCounterKey('FIG#U#01#2024-Q2#0')]).toEqual([true, true]);
    expect([isLegacyCounterKey('FIG#U#01#2024#own#3'), isLegacyCounterKey('FIG#U#01#2024-05#0')]).toEqual([
      false,
      false,
    ]);
  });
});
