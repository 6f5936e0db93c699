import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonRequest } from 'autocannon';
import type { WorkloadRequest } from '../test/support/workload.js';

/**
 * autocannon in a child process of its own, so that the load generator's CPU is not taken from the process it
 * measures (the gateway, the handlers and the stream pollers share one event loop, as under `npm start`; with
 * autocannon in it, about 5 % of that process's samples were autocannon's). The parent prepares the requests (it
 * holds the signing key) and sends them; the child sends each prepared request once, in order, over `connections`
 * keep-alive connections, and answers with autocannon's figures and its own CPU time.
 */

export interface LoadRun {
  readonly origin: string;
  readonly connections: number;
  readonly requests: readonly WorkloadRequest[];
}

export interface LoadResult {
  /** Seconds from the first request sent to the last answer. */
  readonly duration: number;
  readonly p99: number;
  readonly errors: number;
  readonly statusCodeStats: Record<string, { count: number }>;
  /** user + system seconds the load generator used for this run. */
  readonly cpuSeconds: number;
}

/** Runs autocannon over the prepared requests (in whichever process calls it). */
async function runLoad({ origin, connections, requests }: LoadRun): Promise<LoadResult> {
  const before = process.cpuUsage();
  let next = 0;
  const setupRequest = (request: AutocannonRequest): AutocannonRequest => {
    const r = requests[next++ % requests.length];
    if (!r) return request;
    return {
      ...request,
      method: r.method,
      path: r.path,
      headers: r.headers,
      ...(r.body === undefined ? {} : { body: r.body }),
    };
  };
  const result = await autocannon({
    url: origin,
    connections,
    amount: requests.length,
    timeout: 30,
    // autocannon ends a run (and reads its duration) at its next sample after the last answer: at the default 1 s,
    // a 3-s run read up to 1 s long (1,000 health requests always came out at 331/s). Every 10 ms instead.
    sampleInt: 10,
    requests: [{ setupRequest }],
  });
  const cpu = process.cpuUsage(before);
  return {
    duration: result.duration,
    p99: result.latency.p99,
    errors: result.errors,
    statusCodeStats: result.statusCodeStats,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** The child's handle in the parent: one run at a time. */
export interface LoadGenerator {
  run(load: LoadRun): Promise<LoadResult>;
  stop(): void;
}

/** Starts the child (the same Node and loader as this process: `--import tsx`). */
export function startLoadGenerator(): LoadGenerator {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child'], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let failed: Error | undefined;
  child.once('exit', (code) => {
    failed = new Error(`the load generator exited (${code})`);
  });
  return {
    run(load) {
      if (failed) return Promise.reject(failed);
      return new Promise((resolveRun, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code})`));
        child.once('exit', onExit);
        child.once('message', (message: { result?: LoadResult; error?: string }) => {
          child.off('exit', onExit);
          if (message.result) resolveRun(message.result);
          else reject(new Error(`load generator: ${message.error ?? 'no result'}`));
        });
        child.send(load);
      });
    },
    stop() {
      child.disconnect();
      child.kill();
    },
  };
}

if (process.argv.includes('--child') && process.send) {
  process.on('message', (load: LoadRun) => {
    runLoad(load).then(
      (result) => process.send?.({ result }),
      (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
  // The parent's end is this one's: nothing to finish on its own.
  process.on('disconnect', () => process.exit(0));
}
