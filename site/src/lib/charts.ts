import { escapeXml } from '../../../shared/text/xml.js';
import type { Formatter, Share } from './format.js';

/**
 * Charts drawn at build time as SVG strings: no JavaScript, no inline `style` (colours come from classes in
 * the site's stylesheet, so the CSP holds and dark mode or print can restyle them). Each chart is an image
 * with a title and a description for assistive technology; the page shows the same numbers as a table.
 */

export interface ChartText {
  /** Unique on the page: the ids of `<title>` and `<desc>` derive from it. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

export interface IntervalBar {
  readonly label: string;
  readonly value: Share | null;
}

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

const WIDTH = 640;

/** Horizontal bars of shares (0–100%) with their 95% intervals as whiskers; withheld values say so. */
export function intervalBarChart(
  text: ChartText,
  bars: readonly IntervalBar[],
  fmt: Formatter,
  withheldLabel: string,
): string {
  const rowHeight = 46;
  const top = 8;
  const axisHeight = 22;
  const left = 8;
  const right = 120;
  const plot = WIDTH - left - right;
  const height = top + bars.length * rowHeight + axisHeight;
  const x = (share: number) => left + clamp01(share) * plot;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line class="chart-grid" x1="${n(x(tick))}" x2="${n(x(tick))}" y1="${top}" y2="${top + bars.length * rowHeight}"/>`,
      `<text class="chart-tick" x="${n(x(tick))}" y="${height - 6}" text-anchor="middle">${escapeXml(fmt.percent(tick))}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    parts.push(`<text class="chart-label" x="${left}" y="${y + 14}">${escapeXml(bar.label)}</text>`);
    const barY = y + 20;
    const barH = 16;
    if (bar.value === null) {
      parts.push(`<text class="chart-note" x="${left}" y="${barY + 12}">${escapeXml(withheldLabel)}</text>`);
      return;
    }
    const v = bar.value;
    parts.push(
      `<rect class="chart-bar tone-1" x="${left}" y="${barY}" width="${n(x(v.share) - left)}" height="${barH}"/>`,
      whisker(x(v.low), x(v.high), barY + barH / 2, 6),
      `<text class="chart-value" x="${n(left + plot + 8)}" y="${barY + 12}">${escapeXml(fmt.percent(v.share))}</text>`,
    );
  });
  return svg(text, height, parts);
}

/** Horizontal bars of counts, the label above each bar: for categories with long names (forms of discipline). */
export function countBarChart(
  text: ChartText,
  bars: readonly { label: string; value: number }[],
  fmt: Formatter,
): string {
  const rowHeight = 42;
  const top = 8;
  const left = 8;
  const right = 80;
  const plot = WIDTH - left - right;
  const height = top + bars.length * rowHeight + 8;
  const max = niceCeiling(Math.max(0, ...bars.map((b) => b.value)));
  const parts: string[] = [];
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const width = max === 0 ? 0 : (bar.value / max) * plot;
    parts.push(
      `<text class="chart-label" x="${left}" y="${y + 14}">${escapeXml(bar.label)}</text>`,
      `<rect class="chart-bar tone-2" x="${left}" y="${y + 20}" width="${n(width)}" height="14"/>`,
      `<text class="chart-value" x="${n(left + width + 6)}" y="${y + 32}">${escapeXml(fmt.count(bar.value))}</text>`,
    );
  });
  return svg(text, height, parts);
}

/** Vertical columns of counts by category (periods), one colour per series, with a legend. */
export function columnChart(
  text: ChartText,
  categories: readonly string[],
  series: readonly Series[],
  fmt: Formatter,
): string {
  const height = 280;
  const legendHeight = series.length > 1 ? 24 : 0;
  const top = 12 + legendHeight;
  const bottom = 40;
  const left = 56;
  const right = 8;
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  const { max, step } = niceAxis(Math.max(0, ...series.flatMap((s) => s.values)));
  const y = (value: number) => top + plotH - (max === 0 ? 0 : (value / max) * plotH);
  const parts: string[] = [];
  for (let value = 0; value <= max; value += step) {
    parts.push(
      `<line class="chart-grid" x1="${left}" x2="${WIDTH - right}" y1="${n(y(value))}" y2="${n(y(value))}"/>`,
      `<text class="chart-tick" x="${left - 6}" y="${n(y(value) + 4)}" text-anchor="end">${escapeXml(fmt.count(value))}</text>`,
    );
  }
  const slot = categories.length === 0 ? plotW : plotW / categories.length;
  const groupW = slot * 0.7;
  const barW = series.length === 0 ? 0 : groupW / series.length;
  const labelEvery = labelStride(categories, slot);
  categories.forEach((category, ci) => {
    const x0 = left + ci * slot + (slot - groupW) / 2;
    series.forEach((s, si) => {
      const value = s.values[ci] ?? 0;
      parts.push(
        `<rect class="chart-bar tone-${(si % 3) + 1}" x="${n(x0 + si * barW)}" y="${n(y(value))}" width="${n(Math.max(barW - 1, 1))}" height="${n(top + plotH - y(value))}"/>`,
      );
    });
    if (ci % labelEvery === 0) {
      parts.push(
        `<text class="chart-tick" x="${n(left + ci * slot + slot / 2)}" y="${height - bottom + 18}" text-anchor="middle">${escapeXml(category)}</text>`,
      );
    }
  });
  parts.push(legend(series.map((s) => s.name)));
  parts.push(`<line class="chart-axis" x1="${left}" x2="${WIDTH - right}" y1="${top + plotH}" y2="${top + plotH}"/>`);
  return svg(text, height, parts);
}

/** Shares over periods as points with interval whiskers; a withheld period leaves a gap, not a zero. */
export function intervalTrendChart(
  text: ChartText,
  categories: readonly string[],
  values: readonly (Share | null)[],
  fmt: Formatter,
): string {
  const height = 240;
  const top = 12;
  const bottom = 40;
  const left = 56;
  const right = 8;
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  const y = (share: number) => top + plotH - clamp01(share) * plotH;
  const slot = categories.length === 0 ? plotW : plotW / categories.length;
  const cx = (i: number) => left + i * slot + slot / 2;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line class="chart-grid" x1="${left}" x2="${WIDTH - right}" y1="${n(y(tick))}" y2="${n(y(tick))}"/>`,
      `<text class="chart-tick" x="${left - 6}" y="${n(y(tick) + 4)}" text-anchor="end">${escapeXml(fmt.percent(tick))}</text>`,
    );
  }
  // The line breaks at a withheld period: joining across it would draw a value nobody measured.
  let d = '';
  let penDown = false;
  values.forEach((value, i) => {
    if (value === null) {
      penDown = false;
      return;
    }
    d += `${penDown ? 'L' : 'M'}${n(cx(i))} ${n(y(value.share))}`;
    penDown = true;
  });
  if (d) parts.push(`<path class="chart-line" d="${d}"/>`);
  const labelEvery = labelStride(categories, slot);
  categories.forEach((category, i) => {
    const value = values[i];
    if (value) {
      parts.push(
        `<line class="chart-whisker" x1="${n(cx(i))}" x2="${n(cx(i))}" y1="${n(y(value.low))}" y2="${n(y(value.high))}"/>`,
        `<circle class="chart-point" cx="${n(cx(i))}" cy="${n(y(value.share))}" r="4"/>`,
      );
    }
    if (i % labelEvery === 0) {
      parts.push(
        `<text class="chart-tick" x="${n(cx(i))}" y="${height - bottom + 18}" text-anchor="middle">${escapeXml(category)}</text>`,
      );
    }
  });
  parts.push(`<line class="chart-axis" x1="${left}" x2="${WIDTH - right}" y1="${top + plotH}" y2="${top + plotH}"/>`);
  return svg(text, height, parts);
}

/** An axis from 0 in round steps (1, 2 or 5 × 10^k, at least 1: counts are whole) with at most 5 intervals. */
export function niceAxis(value: number): { max: number; step: number } {
  if (value <= 0) return { max: 0, step: 1 };
  const step = Math.max(1, niceCeiling(value / 5));
  return { max: Math.ceil(value / step) * step, step };
}

/** Every how many categories to label, so labels (about 7 px a character at 13 px) do not overlap. */
function labelStride(categories: readonly string[], slot: number): number {
  const longest = Math.max(0, ...categories.map((c) => c.length));
  return Math.max(1, Math.ceil((longest * 7 + 8) / Math.max(slot, 1)));
}

/** The smallest 1, 2 or 5 × 10^k at or above a value (0 stays 0): round axis maxima. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 0;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

function svg(text: ChartText, height: number, parts: readonly string[]): string {
  const titleId = `${text.id}-title`;
  const descId = `${text.id}-desc`;
  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" ` +
    `aria-labelledby="${titleId} ${descId}" focusable="false">` +
    `<title id="${titleId}">${escapeXml(text.title)}</title><desc id="${descId}">${escapeXml(text.description)}</desc>` +
    `${parts.join('')}</svg>`
  );
}

function whisker(x1: number, x2: number, y: number, cap: number): string {
  return (
    `<path class="chart-whisker" d="M${n(x1)} ${n(y)}H${n(x2)}M${n(x1)} ${n(y - cap / 2)}V${n(y + cap / 2)}` +
    `M${n(x2)} ${n(y - cap / 2)}V${n(y + cap / 2)}"/>`
  );
}

function legend(names: readonly string[]): string {
  if (names.length < 2) return '';
  let x = 56;
  return names
    .map((name, i) => {
      const item =
        `<rect class="chart-bar tone-${(i % 3) + 1}" x="${x}" y="6" width="12" height="12"/>` +
        `<text class="chart-tick" x="${x + 16}" y="16">${escapeXml(name)}</text>`;
      x += 28 + name.length * 7;
      return item;
    })
    .join('');
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Coordinates with at most one decimal keep the SVG small. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}
