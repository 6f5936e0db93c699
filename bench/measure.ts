import { readdirSync, readFileSync } from 'node:fs';
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

/** What a piece of work cost the processes it started (Linux: read from /proc; NaN elsewhere). */
export interface ProcessCost<T> {
  readonly result: T;
  readonly seconds: number;
  /** CPU seconds (user + system) of the child processes that ended meanwhile, their own children included. */
  readonly cpuSeconds: number;
  /** The largest sum of the resident memory of this process's descendants seen at once (bytes), sampled. */
  readonly peakRssBytes: number;
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** user + system seconds of this process's waited-for children (/proc/self/stat cutime + cstime). */
function childCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces): cutime and cstime are 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

/** The resident memory of every descendant of this process, summed (bytes); NaN without /proc. */
function descendantsRss(): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return Number.NaN;
  }
  const parentOf = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of entries) {
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      parentOf.set(Number(name), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]));
      rss.set(Number(name), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // The process ended while we looked.
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parentOf.get(pid), depth = 0; p !== undefined && depth < 64; p = parentOf.get(p), depth++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  let sum = 0;
  for (const [pid, bytes] of rss) if (isDescendant(pid)) sum += bytes;
  return sum;
}

/** user + system seconds one process has used so far (/proc/<pid>/stat utime + stime); NaN without it. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

/** user + system seconds of this process so far, every thread of it. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Runs `fn` (which starts child processes and waits for them) and measures the CPU time those processes used and
 * the most memory they held at once. Only meaningful when nothing else in this process starts children meanwhile.
 */
export async function measureProcesses<T>(fn: () => Promise<T>, sampleMs = 250): Promise<ProcessCost<T>> {
  const cpuBefore = childCpuSeconds();
  const start = performance.now();
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, descendantsRss());
  }, sampleMs);
  try {
    const result = await fn();
    return {
      result,
      seconds: (performance.now() - start) / 1000,
      cpuSeconds: childCpuSeconds() - cpuBefore,
      peakRssBytes: peak,
    };
  } finally {
    clearInterval(timer);
  }
}
