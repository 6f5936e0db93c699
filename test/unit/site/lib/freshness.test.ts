import { describe, expect, it } from 'vitest';
import { ageInWords, monthsBetween, unitFreshness } from '../../../../site/src/lib/freshness.js';

describe('unit freshness', () => {
  it('counts whole months, not a month still running', () => {
    expect(monthsBetween('2024-05-20', '2025-07-20')).toBe(14);
    expect(monthsBetween('2024-05-20', '2025-07-19')).toBe(13);
    expect(monthsBetween('2025-07-01', '2025-07-30')).toBe(0);
  });

  it('says the age of the newest inspection in Vietnamese and English, in days under a month', () => {
    expect(ageInWords('2024-05-20', '2025-07-25', 'vi')).toBe('14 tháng trước');
    expect(ageInWords('2024-05-20', '2025-07-25', 'en')).toBe('14 months ago');
    expect(ageInWords('2025-07-20', '2025-07-25', 'vi')).toBe('5 ngày trước');
  });

  it('takes the newest conclusion that is not retracted, and keeps when the figures were computed', () => {
    const freshness = unitFreshness(
      [
        { issuedOn: '2024-05-20', status: 'published' },
        { issuedOn: '2025-03-02', status: 'retracted' },
        { issuedOn: '2024-09-01', status: 'published' },
      ],
      '2025-11-29',
      '2025-11-29T03:00:00.000Z',
      'vi',
    );
    expect(freshness).toEqual({
      latestInspection: { issuedOn: '2024-09-01', age: '14 tháng trước' },
      computedAt: '2025-11-29T03:00:00.000Z',
    });
    expect(unitFreshness([], '2025-11-29', undefined, 'en')).toEqual({});
  });
});
