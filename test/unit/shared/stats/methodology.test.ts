import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_RESPONSES_FOR_COUNT,
  MIN_RESPONSES_FOR_PERCENT,
  methodologyText,
  onTimeRate,
  planSuppression,
  publishedCount,
  type SuppressionGroup,
  satisfactionShare,
  violatingShare,
  wilsonInterval,
  Z_95,
} from '../../../../shared/stats/methodology.js';

describe('wilsonInterval', () => {
  it('matches the Wilson score interval computed by hand', () => {
    // Act
    const interval = wilsonInterval(45, 50);

    // Assess: p = 0.9, bounds 0.78640 and 0.95652 (rounded outwards to 4 places)
    expect(interval).toEqual({ share: 0.9, low: 0.7863, high: 0.9566 });
  });

  it('keeps an interval of non-zero width at 0% and 100%', () => {
    // Act
    const none = wilsonInterval(0, 30);
    const all = wilsonInterval(30, 30);

    // Assess
    expect(none).toEqual({ share: 0, low: 0, high: 0.1136 });
    expect(all).toEqual({ share: 1, low: 0.8864, high: 1 });
  });

  it('answers null without trials and refuses impossible counts', () => {
    // Act / Assess
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0.5, 2)).toThrow(RangeError);
  });

  it('always contains the share and stays within [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        // Prepare
        const s = Math.floor(f * n);

        // Act
        const interval = wilsonInterval(s, n);

        // Assess
        expect(interval).not.toBeNull();
        if (!interval) return;
        expect(interval.low).toBeGreaterThanOrEqual(0);
        expect(interval.high).toBeLessThanOrEqual(1);
        expect(interval.low).toBeLessThanOrEqual(interval.share);
        expect(interval.high).toBeGreaterThanOrEqual(interval.share);
      }),
    );
  });
});

describe('thresholds', () => {
  it('exports the constants the methodology page states', () => {
    // Assess: restated on purpose, not imported: these are the numbers the methodology page publishes, so changing
    // one must be a deliberate change that fails here first.
    expect(MIN_RESPONSES_FOR_COUNT).toBe(10);
    expect(MIN_RESPONSES_FOR_PERCENT).toBe(30);
    expect(Z_95).toBeCloseTo(1.96, 2);
  });

  it('shows a share only from 30 responses', () => {
    // Act / Assess
    expect(satisfactionShare(25, 29)).toBeNull();
    expect(satisfactionShare(25, 30)).toMatchObject({ share: 0.8333 });
    expect(satisfactionShare(25, 30, true)).toBeNull();
  });

  it('publishes a count unless it is withheld', () => {
    // Act / Assess
    expect(publishedCount(12, false)).toBe(12);
    expect(publishedCount(12, true)).toBeNull();
  });

  it('computes the violating share and the on-time rate with intervals', () => {
    // Act / Assess
    expect(violatingShare(1, 2)).toMatchObject({ share: 0.5 });
    expect(violatingShare(0, 0)).toBeNull();
    expect(onTimeRate(3_000, 6_000, 1_000)).toMatchObject({ share: 0.9 });
    expect(onTimeRate(0, 0, 0)).toBeNull();
    // Pending past the deadline is late too: 9,000 on time of 9,000 + 1,000 late + 2,000 pending overdue.
    expect(onTimeRate(3_000, 6_000, 1_000, 2_000)).toMatchObject({ share: 0.75 });
    expect(onTimeRate(0, 0, 0, 5)).toMatchObject({ share: 0 });
  });
});

describe('planSuppression', () => {
  const sensitive = (value: number) => value < MIN_RESPONSES_FOR_COUNT;

  it('withholds the next smallest member when only one member of a published container is withheld', () => {
    // Prepare
    const values = new Map([
      ['001', 42],
      ['00001', 4],
      ['00002', 20],
      ['00003', 18],
    ]);
    const groups: SuppressionGroup[] = [{ container: '001', members: ['00001', '00002', '00003'] }];

    // Act
    const withheld = planSuppression(values, groups, sensitive);

    // Assess
    expect([...withheld].sort()).toEqual(['00001', '00003']);
  });

  it('withholds the container when no other member could hide the withheld one', () => {
    // Prepare: the only other member has no response, so 001 − 0 would give 00001 away
    const values = new Map([
      ['01', 500],
      ['001', 4],
      ['002', 496],
      ['00001', 4],
      ['00002', 0],
    ]);
    const groups: SuppressionGroup[] = [
      { container: '001', members: ['00001', '00002'] },
      { container: '01', members: ['001', '002'] },
    ];

    // Act
    const withheld = planSuppression(values, groups, sensitive);

    // Assess: 001 is withheld (itself < 10), so 002 must go too, or 01 − 002 would give 001 away
    expect([...withheld].sort()).toEqual(['00001', '001', '002']);
  });

  it('withholds a member of a withheld container whose members would add up to it', () => {
    // Prepare: 002 (50) is withheld to protect 001; its wards, all published, would add up to it
    const values = new Map([
      ['01', 1_000],
      ['001', 5],
      ['002', 50],
      ['003', 945],
      ['00004', 30],
      ['00005', 20],
    ]);
    const groups: SuppressionGroup[] = [
      { container: '01', members: ['001', '002', '003'] },
      { container: '002', members: ['00004', '00005'] },
    ];

    // Act
    const withheld = planSuppression(values, groups, sensitive);

    // Assess
    expect([...withheld].sort()).toEqual(['00005', '001', '002']);
  });

  it('never withholds a zero', () => {
    // Prepare
    const values = new Map([
      ['001', 0],
      ['00001', 0],
    ]);

    // Act
    const withheld = planSuppression(values, [{ container: '001', members: ['00001'] }], sensitive);

    // Assess
    expect(withheld.size).toBe(0);
  });

  it('leaves no published container with exactly one withheld member, on random trees', () => {
    const tree = fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 6 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(tree, fc.integer({ min: 0, max: 30 }), (districts, direct) => {
        // Prepare: a province of districts of wards; the province also has direct responses
        const values = new Map<string, number>();
        const groups: SuppressionGroup[] = [];
        let province = direct;
        districts.forEach((wards, d) => {
          const district = `d${d}`;
          const ids = wards.map((_, w) => `w${d}-${w}`);
          wards.forEach((value, w) => {
            values.set(ids[w] ?? '', value);
          });
          const total = wards.reduce((a, b) => a + b, 0);
          values.set(district, total);
          province += total;
          groups.push({ container: district, members: ids });
        });
        values.set('p', province);
        groups.push({ container: 'p', members: districts.map((_, d) => `d${d}`) });

        // Act
        const withheld = planSuppression(values, groups, sensitive);

        // Assess
        for (const [id, value] of values) if (value > 0 && value < 10) expect(withheld.has(id)).toBe(true);
        for (const group of groups) {
          if (withheld.has(group.container) || (values.get(group.container) ?? 0) === 0) continue;
          const hidden = group.members.filter((id) => withheld.has(id) && (values.get(id) ?? 0) > 0);
          expect(hidden.length).not.toBe(1);
        }
      }),
    );
  });
});

describe('methodologyText', () => {
  it('states the thresholds and the interval method in both languages', () => {
    // Act
    const vi = methodologyText('vi')
      .flatMap((section) => section.body)
      .join(' ');
    const en = methodologyText('en')
      .flatMap((section) => section.body)
      .join(' ');

    // Assess
    expect(vi).toContain(`từ ${MIN_RESPONSES_FOR_COUNT} phiếu`);
    expect(vi).toContain(`từ ${MIN_RESPONSES_FOR_PERCENT} phiếu`);
    expect(vi).toContain('Wilson, z = 1,96');
    expect(en).toContain(`from ${MIN_RESPONSES_FOR_COUNT} responses`);
    expect(en).toContain('Wilson score, z = 1.96');
    expect(methodologyText('vi').map((s) => s.id)).toEqual(methodologyText('en').map((s) => s.id));
  });

  it('is written in NFC', () => {
    // Act
    const text = JSON.stringify([methodologyText('vi'), methodologyText('en')]);

    // Assess
    expect(text).toBe(text.normalize('NFC'));
  });
});
