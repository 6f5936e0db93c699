import { describe, expect, it } from 'vitest';
import { formatter, remembered } from '../../../../site/src/lib/format.js';

describe('formatter', () => {
  it('formats counts and shares in vi-VN style on Vietnamese pages', () => {
    // Prepare
    const fmt = formatter('vi');

    // Act
    const count = fmt.count(3_417_296);
    const share = fmt.percent(0.7853);
    const interval = fmt.interval({ share: 0.78, low: 0.7214, high: 0.8391 });

    // Assess
    expect(count).toBe('3.417.296');
    expect(share).toBe('78,5%');
    expect(interval).toBe('72,1–83,9%');
  });

  it('formats counts and shares in English style on English pages', () => {
    const fmt = formatter('en');

    expect(fmt.count(3_417_296)).toBe('3,417,296');
    expect(fmt.percent(0.0028)).toBe('0.3%');
  });

  it('formats a calendar date without shifting it by a time zone', () => {
    // Prepare: 2025-01-01 is the first day of 2025 in Vietnam whatever the machine's zone.
    const vi = formatter('vi');
    const en = formatter('en');

    // Act / Assess
    expect(vi.date('2025-01-01')).toBe('01/01/2025');
    expect(en.date('2024-05-20')).toBe('20 May 2024');
  });

  it('shows an instant in Vietnam time', () => {
    // 2024-12-31T17:30Z is 00:30 on 1 January 2025 in Vietnam (UTC+7).
    expect(formatter('vi').instant('2024-12-31T17:30:00Z')).toContain('01/01/2025');
  });

  it('names periods in the reader’s language', () => {
    const vi = formatter('vi');
    const en = formatter('en');

    expect(vi.period('2024')).toBe('2024');
    expect(vi.period('2024-Q4')).toBe('Quý 4/2024');
    expect(en.period('2024-Q4')).toBe('Q4 2024');
    expect(vi.period('2024-12')).toBe('Tháng 12 năm 2024');
    expect(en.period('2024-12')).toBe('December 2024');
  });

  it('formats sizes in bytes, kilobytes and megabytes', () => {
    const fmt = formatter('vi');

    expect(fmt.bytes(512)).toBe('512 byte');
    expect(fmt.bytes(12_500)).toBe('12,5 kB');
    expect(fmt.bytes(2_400_000)).toBe('2,4 MB');
  });
});

describe('remembered', () => {
  it('answers what the function answers, computing each value once', () => {
    // Prepare
    const calls: number[] = [];
    const percent = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });
    const format = remembered((value: number) => {
      calls.push(value);
      return percent.format(value);
    });

    // Act
    const first = [0.5, 0.25, 0.5, 0, 0.5].map(format);

    // Assess
    expect(first).toEqual([0.5, 0.25, 0.5, 0, 0.5].map((value) => percent.format(value)));
    expect(calls).toEqual([0.5, 0.25, 0]);
  });

  it('keeps the sign of -0, which a Map would take for 0', () => {
    const format = remembered((value: number) => new Intl.NumberFormat('en-GB').format(value));

    expect([format(0), format(-0), format(0)]).toEqual(['0', '-0', '0']);
  });

  it('stays right once it has forgotten', () => {
    const format = remembered((value: number) => `n${value}`);

    const all = Array.from({ length: 10_000 }, (_, i) => format(i % 5_000));

    expect(all.every((text, i) => text === `n${i % 5_000}`)).toBe(true);
  });
});
