import { describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../../../../shared/reports/records.js';
import { MalformedItemError } from '../../../../../shared/storage/items/item.js';
import { reportItem, reportOf } from '../../../../../shared/storage/items/report.js';

const record: ReportRecord = {
  id: 'hanoi-snv.00304.2024-Q2',
  agencyId: 'hanoi-snv',
  unitId: '00304',
  unitCode: '00304',
  period: '2024-Q2',
  unitDate: '2024-06-30',
  received: 300,
  resolvedEarly: 10,
  resolvedOnTime: 280,
  resolvedLate: 5,
  pendingOverdue: 5,
  version: 1,
  contentHash: 'b'.repeat(64),
  createdAt: '2024-07-01T00:00:00.000Z',
  updatedAt: '2024-07-01T00:00:00.000Z',
};

describe('the report item', () => {
  it('is built with its keys and read back as the same record', () => {
    // Act
    const item = reportItem(record);

    // Assess
    expect(item).toMatchObject({
      pk: 'REPORT#00304#2024-Q2',
      sk: 'AGENCY#hanoi-snv',
      gsi1pk: 'REPORTS',
      entity: 'report',
    });
    expect(reportOf(item)).toEqual(record);
  });

  it('fails loudly on an item that names no period, or carries a figure that is not a count', () => {
    // Prepare
    const { period: _period, ...withoutPeriod } = reportItem(record);

    // Act / Assess
    expect(() => reportOf(withoutPeriod)).toThrow(/names its period/);
    expect(() => reportOf({ ...reportItem(record), received: -1 })).toThrow(MalformedItemError);
  });
});
