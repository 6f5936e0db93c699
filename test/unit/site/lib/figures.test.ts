import { describe, expect, it } from 'vitest';
import { periodFigures } from '../../../../shared/stats/figures.js';
import {
  conductChart,
  countText,
  disciplineTable,
  headline,
  isIllustrative,
  sumCounts,
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
});
