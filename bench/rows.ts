/**
 * The shape every bench section returns: one figure next to the baseline it is read against, measured in the
 * same run, so a figure is never compared with a number from another machine or another day.
 */

export interface BenchRow {
  readonly section: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What the figure is compared with (e.g. "empty handler", "bare GetItem"). */
  readonly baseline: string;
  readonly baselineValue: number;
  /** value / baselineValue; 0 when the baseline is 0. */
  readonly ratio: number;
}

export interface SectionOptions {
  /** The CI size: fewer repetitions and shorter runs; the figures are indicative only. */
  readonly quick: boolean;
  /** Progress lines go here (stderr), never into the results. */
  readonly log: (line: string) => void;
}

/** A section of the bench: `bench/<section>.ts` exports one of these. */
export type Section = (options: SectionOptions) => Promise<BenchRow[]>;

/** Builds a row and its ratio. */
export function row(
  section: string,
  name: string,
  value: number,
  unit: string,
  baseline: string,
  baselineValue: number,
): BenchRow {
  return {
    section,
    name,
    value: round(value),
    unit,
    baseline,
    baselineValue: round(baselineValue),
    ratio: baselineValue === 0 ? 0 : round(value / baselineValue),
  };
}

/** Three significant decimals at most: more would be noise. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// The table and docs/benchmarks.md are for engineers, in English: "36.025 bytes" (vi-VN) would read as 36 there.
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Renders rows as a fixed-width text table. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['section', 'name', 'value', 'unit', 'baseline', 'baseline value', 'ratio'];
  const cells = rows.map((r) => [
    r.section,
    r.name,
    fmt.format(r.value),
    r.unit,
    r.baseline,
    fmt.format(r.baselineValue),
    `${fmt.format(r.ratio)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const numeric = new Set([2, 5, 6]);
  const line = (c: readonly string[]) =>
    c.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
