import { describe, expect, it } from 'vitest';
import {
  columnChart,
  countBarChart,
  intervalBarChart,
  intervalTrendChart,
  niceAxis,
  niceCeiling,
} from '../../../../site/src/lib/charts.js';
import { formatter } from '../../../../site/src/lib/format.js';

const fmt = formatter('vi');
const text = { id: 'c1', title: 'Tỷ lệ hài lòng <2024>', description: 'Mô tả & số liệu' };

describe('charts', () => {
  it('draws an image with a title and a description that assistive technology announces', () => {
    // Act
    const svg = intervalBarChart(text, [{ label: 'Tiếp cận', value: { share: 0.8, low: 0.7, high: 0.9 } }], fmt, 'x');

    // Assess
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"/);
    expect(svg).toContain('<title id="c1-title">Tỷ lệ hài lòng &lt;2024&gt;</title>');
    expect(svg).toContain('<desc id="c1-desc">Mô tả &amp; số liệu</desc>');
  });

  it('never uses inline styles, so the strict CSP holds', () => {
    const charts = [
      intervalBarChart(text, [{ label: 'a', value: null }], fmt, 'withheld'),
      columnChart(text, ['Q1', 'Q2'], [{ name: 's', values: [1, 2] }], fmt),
      intervalTrendChart(text, ['Q1'], [{ share: 0.5, low: 0.4, high: 0.6 }], fmt),
      countBarChart(text, [{ label: 'a', value: 3 }], fmt),
    ];

    for (const svg of charts) {
      expect(svg).not.toMatch(/style=/);
      expect(svg).not.toMatch(/<style/);
    }
  });

  it('says a share is withheld instead of drawing a zero', () => {
    const svg = intervalBarChart(text, [{ label: 'Góp ý', value: null }], fmt, 'Không công bố (dưới 30 phiếu)');

    expect(svg).toContain('Không công bố (dưới 30 phiếu)');
    expect(svg).not.toContain('chart-bar');
  });

  it('draws the interval of a share as a whisker from its low to its high bound', () => {
    const svg = intervalBarChart(text, [{ label: 'a', value: { share: 0.5, low: 0.25, high: 0.75 } }], fmt, 'x');

    // The plot is 512 px wide from x = 8: 25% is at 136 and 75% at 392.
    expect(svg).toContain('M136 ');
    expect(svg).toContain('H392');
  });

  it('breaks the trend line at a withheld period rather than joining across it', () => {
    const values = [{ share: 0.5, low: 0.4, high: 0.6 }, null, { share: 0.7, low: 0.6, high: 0.8 }];

    const svg = intervalTrendChart(text, ['Q1', 'Q2', 'Q3'], values, fmt);

    const path = /<path class="chart-line" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(path.match(/M/g)).toHaveLength(2);
    expect(path).not.toContain('L');
  });

  it('labels only as many categories as fit', () => {
    const categories = Array.from({ length: 12 }, (_, i) => `Quý ${(i % 4) + 1}/${2024 + Math.floor(i / 4)}`);

    const svg = columnChart(text, categories, [{ name: 's', values: categories.map(() => 1) }], fmt);

    const labelled = categories.filter((c) => svg.includes(`>${c}</text>`));
    expect(labelled.length).toBeGreaterThan(1);
    expect(labelled.length).toBeLessThan(categories.length);
  });

  it('rounds axes to whole, round steps', () => {
    expect(niceCeiling(0)).toBe(0);
    expect(niceCeiling(7)).toBe(10);
    expect(niceCeiling(130)).toBe(200);
    expect(niceAxis(7)).toEqual({ max: 8, step: 2 });
    expect(niceAxis(3)).toEqual({ max: 3, step: 1 });
    expect(niceAxis(0)).toEqual({ max: 0, step: 1 });
  });
});
