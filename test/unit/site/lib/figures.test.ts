import { describe, expect, it } from 'vitest';
import { periodFigures } from '../../../../shared/stats/figures.js';
import {
  conductChart,
  countText,
  disciplineTable,
  headline,
  isIllustrative,
  satisfactionTrendChart,
  sumCounts,
  trendChart,
} from '../../../../site/src/lib/figures.js';
import { formatter } from '../../../../site/src/lib/format.js';
import { metricValue } from '../../../../site/src/lib/peer-groups.js';

/** The figures of a period with survey responses only (no conclusion, no report). */
const responsesOnly = (illustrative: boolean) =>
  periodFigures({ surveys: 40, satisfied: 30, ...(illustrative ? { illusSurveys: 40 } : {}) }, () => false);

describe('figures as the pages show them', () => {
  it('shows how dossiers were handled only where someone answered, each share with its n', () => {
    expect(conductChart('c', responsesOnly(false), '2025', 'vi')).toBeUndefined();
    const figures = periodFigures(
      { surveys: 40, satisfied: 30, cnd_extraPayment_n: 40, cnd_extraPayment_y: 4, cnd_late_n: 12, cnd_late_y: 3 },
      () => false,
    );
    const chart = conductChart('c', figures, '2025', 'vi');
    const rows = chart?.table.rows ?? [];
    expect(rows).toHaveLength(6);
    expect(rows[1]?.[0]).toBe('Bị yêu cầu nộp tiền ngoài phí, lệ phí');
    expect(rows[1]?.[1]).toBe('10,0%');
    expect(rows[1]?.[3]).toBe('40');
    // 12 answers: the count is shown, the share is not (under 30).
    expect(rows[4]?.[3]).toBe('12');
    expect(rows[4]?.[1]).not.toMatch(/%/);
  });

  it('shows a figure with nothing to count from as "no data yet", never 0, in both languages', () => {
    expect(countText(null, formatter('vi'))).toBe('chưa có số liệu');
    expect(countText(null, formatter('en'))).toBe('no data yet');
    expect(countText(0, formatter('vi'))).toBe('0');
    const cards = headline(responsesOnly(false), 'vi');
    expect(cards[0]?.value).toBe('chưa có số liệu');
    expect(cards.some((card) => card.value === '0')).toBe(false);
  });

  it('sums counts that may be missing without reading a missing one as 0', () => {
    expect(sumCounts([null, undefined])).toBeNull();
    expect(sumCounts([null, 2, 3])).toBe(5);
  });

  it('marks illustrative figures and leaves them out of rankings', () => {
    const flagged = responsesOnly(true);
    expect(isIllustrative(flagged)).toBe(true);
    expect(isIllustrative(responsesOnly(false))).toBe(false);
    expect(headline(flagged, 'en').find((card) => card.illustrative)?.label).toBe('Satisfaction');
    expect(metricValue(flagged, 'satisfaction')).toBeNull();
    expect(metricValue(responsesOnly(false), 'satisfaction')).not.toBeNull();
  });

  it('lists discipline by track and stage apart, organizations and individuals apart', () => {
    const figures = periodFigures(
      { conclusions: 1, peopleN: 1, d_sd_i: 2, d_sd_i_reprimand: 2, d_pd_i: 1, d_pd_i_expulsion: 1 },
      () => false,
    );
    const table = disciplineTable(figures, 'vi');
    const rows = table?.rows.map((row) => row.join(' | ')) ?? [];
    expect(rows).toContain(
      'Kỷ luật hành chính (cán bộ, công chức, viên chức) · Đã quyết định kỷ luật | Khiển trách | 0 | 2',
    );
    expect(rows).toContain('Kỷ luật Đảng · Đã quyết định kỷ luật | Khai trừ | 0 | 1');
    expect(disciplineTable(responsesOnly(false), 'vi')).toBeUndefined();
  });

  it('draws the trends over every quarter from the first with figures to the last, a gap as "no data yet"', () => {
    // Prepare: figures in 2024-Q3 and 2025-Q1, none in 2024-Q4
    const periods = { '2024-Q3': responsesOnly(false), '2025-Q1': responsesOnly(false), '2024': responsesOnly(false) };
    // Act
    const trend = trendChart('t', periods, 'vi');
    const satisfaction = satisfactionTrendChart('s', periods, 'vi');
    // Assess
    expect(trend?.table.rows.map((row) => row[0])).toEqual(['Quý 3/2024', 'Quý 4/2024', 'Quý 1/2025']);
    expect(trend?.table.rows[1]?.[1]).toBe('chưa có số liệu');
    expect(trend?.svg).toContain('Quý 3/2024');
    expect(satisfaction?.table.rows.map((row) => row[0])).toEqual(['Quý 3/2024', 'Quý 4/2024', 'Quý 1/2025']);
    expect(satisfaction?.table.rows[0]?.[1]).toBe('75,0%');
  });

  it('draws no trend without quarterly figures, and no satisfaction trend where every quarter is withheld', () => {
    expect(trendChart('t', { '2024': responsesOnly(false) }, 'vi')).toBeUndefined();
    expect(satisfactionTrendChart('s', {}, 'en')).toBeUndefined();
    const withheld = periodFigures({ surveys: 3, satisfied: 2 }, () => false);
    expect(satisfactionTrendChart('s', { '2024-Q3': withheld }, 'vi')).toBeUndefined();
    expect(trendChart('t', { '2024-Q3': withheld }, 'vi')).toBeDefined();
  });
});
