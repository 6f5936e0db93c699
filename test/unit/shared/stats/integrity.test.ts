import { describe, expect, it } from 'vitest';
import { integrityFile } from '../../../../shared/stats/integrity.js';

describe('integrityFile', () => {
  it('sums each day into its month, quarter and year, every reason present, zeros counted', () => {
    // Prepare
    const days = new Map([
      ['2026-10-31', { crossSite: 2, duplicate: 1 }],
      ['2026-11-01', { crossSite: 1, honeypot: 4 }],
      ['2026-11-29', { invalidReceipt: 3 }],
    ]);

    // Act
    const file = integrityFile(days, '2026-11-29T10:00:00.000Z');

    // Assess
    expect(Object.keys(file.periods)).toEqual(['2026', '2026-10', '2026-11', '2026-Q4']);
    expect(file.periods['2026-11']?.refused).toEqual({
      total: 8,
      byReason: {
        crossSite: 1,
        invalid: 0,
        honeypot: 4,
        rateLimited: 0,
        unknownUnit: 0,
        invalidReceipt: 3,
        duplicate: 0,
      },
    });
    expect(file.periods['2026-Q4']?.refused.total).toBe(11);
    expect(file.periods['2026']?.refused.byReason.crossSite).toBe(3);
  });

  it('publishes no period where nothing was refused', () => {
    // Act
    const file = integrityFile(new Map([['2026-11-29', {}]]), '2026-11-29T10:00:00.000Z');

    // Assess
    expect(file.periods).toEqual({});
  });
});
