import { describe, expect, it } from 'vitest';
import { ConclusionFieldsSchema } from '../../../../shared/conclusions/schemas.js';
import type { ConclusionVersion } from '../../../../shared/open-data/schemas.js';
import { VERSION_FIELDS, versionChanges } from '../../../../site/src/lib/versions.js';
import { exampleVersion } from './version-fixture.js';

const v1 = exampleVersion();

describe('versionChanges', () => {
  it('lists the fields a correction changed, in display order', () => {
    // Prepare
    const v2: ConclusionVersion = {
      ...v1,
      version: 2,
      violations: { organizations: 1, individuals: 3 },
      summary: { vi: 'Tóm tắt (đính chính)', en: 'Summary' },
      publishedAt: '2024-06-01T02:00:00.000Z',
      reason: 'Đính chính',
    };

    // Act
    const changes = versionChanges(v1, v2);

    // Assess: the version number, time and reason are not content.
    expect(changes).toEqual(['summary', 'violations']);
  });

  it('lists a change of any content field of the conclusion, the title and the inspection period included', () => {
    // Prepare
    const v2: ConclusionVersion = {
      ...v1,
      version: 2,
      title: { vi: 'Kết luận kiểm tra' },
      inspectionDecision: '12/QĐ-ĐKTCV',
      inspectedTo: '2024-05-10',
    };

    // Act
    const changes = versionChanges(v1, v2);

    // Assess
    expect(changes).toEqual(['title', 'inspectionDecision', 'inspectedTo']);
  });

  it('compares every content field of a conclusion, between its status and its attachment', () => {
    expect(VERSION_FIELDS).toEqual(['status', ...Object.keys(ConclusionFieldsSchema.shape), 'attachment']);
  });

  it('lists a changed recommendation deadline as a change of the recommendations', () => {
    const v2: ConclusionVersion = {
      ...v1,
      version: 2,
      recommendations: [{ text: { vi: 'Chấn chỉnh' }, status: 'open', dueOn: '2024-12-31' }],
    };

    expect(versionChanges(v1, v2)).toEqual(['recommendations']);
  });

  it('records a retraction as a change of status', () => {
    expect(versionChanges(v1, { ...v1, version: 2, status: 'retracted' })).toEqual(['status']);
  });

  it('does not see a change where only the order of keys differs', () => {
    const reordered: ConclusionVersion = { ...v1, violations: { individuals: 2, organizations: 1 } };

    expect(versionChanges(v1, reordered)).toEqual([]);
  });
});
