import { performance } from 'node:perf_hooks';

/** Small measuring helpers shared by the sections. */

/** The q-quantile (0..1) of a sample by the nearest-rank method; 0 for an empty sample. */
export function quantile(sample: readonly number[], q: number): number {
  if (sample.length === 0) return 0;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** The median of a sample. */
export function median(sample: readonly number[]): number {
  return quantile(sample, 0.5);
}

/** Times `iterations` sequential calls of `fn` after `warmup` untimed ones; returns milliseconds per call. */
export async function timeSequential(
  fn: () => Promise<unknown>,
  iterations: number,
  warmup: number,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export interface ClosedLoopResult {
  readonly perSecond: number;
  readonly failures: number;
  readonly seconds: number;
  /** Milliseconds per call. */
  readonly latencies: readonly number[];
}

/**
 * Runs `fn(i)` from `concurrency` workers until `total` calls are done (a closed loop, as autocannon's
 * connections are); returns calls per second, each call's latency and how many calls threw.
 */
export async function closedLoop(
  fn: (i: number) => Promise<unknown>,
  total: number,
  concurrency: number,
): Promise<ClosedLoopResult> {
  let next = 0;
  let failures = 0;
  const latencies: number[] = [];
  const start = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const callStart = performance.now();
      try {
        await fn(i);
      } catch {
        failures += 1;
      }
      latencies.push(performance.now() - callStart);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: total / seconds, failures, seconds, latencies };
}
