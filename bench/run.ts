import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type BenchRow, formatTable } from './rows.js';

/**
 * `npm run bench [-- --quick] [-- --only=bundles,latency]`: runs every section, each in a fresh process, prints
 * one table and writes `bench/results.json`. Every figure carries the baseline it was measured against in the
 * same run. `--quick` is the CI size. Exits 1 if a section failed (its error is in the results file).
 */

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = resolve(BENCH_DIR, '..');

interface SectionSpec {
  readonly name: string;
  readonly module: string;
  readonly exportName: string;
}

/** In order: cheap and isolated first, the site build (slowest) last. */
const SECTIONS: readonly SectionSpec[] = [
  { name: 'bundles', module: 'bench/bundles.ts', exportName: 'benchBundles' },
  { name: 'latency', module: 'bench/latency.ts', exportName: 'benchLatency' },
  { name: 'throughput', module: 'bench/throughput.ts', exportName: 'benchThroughput' },
  // Written by the statistics section; run when it exists.
  { name: 'aggregation', module: 'bench/aggregation.ts', exportName: 'benchAggregation' },
  { name: 'site', module: 'bench/site.ts', exportName: 'benchSite' },
];

interface SectionOutcome {
  readonly name: string;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly seconds: number;
  readonly error?: string;
}

function runSection(
  spec: SectionSpec,
  quick: boolean,
  outFile: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const args = ['--import', 'tsx', join(BENCH_DIR, 'section-runner.ts'), spec.module, spec.exportName, outFile];
    if (quick) args.push('--quick');
    // process.execPath is the Node the npm script runs on (the pinned Node 24), as in Lambda.
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code) => done({ code, stderr }));
  });
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const workDir = join(BENCH_DIR, '.work');
  mkdirSync(workDir, { recursive: true });

  const rows: BenchRow[] = [];
  const outcomes: SectionOutcome[] = [];
  for (const spec of SECTIONS) {
    if (only && !only.includes(spec.name)) continue;
    if (!existsSync(join(REPO_ROOT, spec.module))) {
      outcomes.push({ name: spec.name, status: 'skipped', seconds: 0, error: `${spec.module} does not exist yet` });
      continue;
    }
    process.stderr.write(`bench: ${spec.name}${quick ? ' (quick)' : ''}\n`);
    const outFile = join(workDir, `${spec.name}.rows.json`);
    rmSync(outFile, { force: true });
    const start = performance.now();
    const { code, stderr } = await runSection(spec, quick, outFile);
    const seconds = Math.round((performance.now() - start) / 100) / 10;
    if (code === 0 && existsSync(outFile)) {
      const sectionRows = JSON.parse(readFileSync(outFile, 'utf8')) as BenchRow[];
      rows.push(...sectionRows);
      outcomes.push({ name: spec.name, status: 'ok', seconds });
    } else {
      // The error's own message first (a stack trace's last lines alone do not say what failed), then the trace's end.
      const lines = stderr.trim().split('\n');
      const message = lines.findLast((l) => /^\w*Error\b/.test(l.trim()));
      const summary = [...(message ? [message.trim()] : []), ...lines.slice(-2)].join(' | ');
      outcomes.push({ name: spec.name, status: 'failed', seconds, error: summary || `exit code ${code}` });
    }
  }

  // A partial run (--only) keeps the other sections' rows of the last full run, so results.json stays whole.
  const resultsFile = join(BENCH_DIR, 'results.json');
  if (only && existsSync(resultsFile)) {
    const previous = JSON.parse(readFileSync(resultsFile, 'utf8')) as { rows?: BenchRow[] };
    rows.unshift(...(previous.rows ?? []).filter((r) => !only.includes(r.section)));
  }

  const results = {
    generatedAt: new Date().toISOString(),
    quick,
    // Set when only some sections ran: the other rows are carried over from the previous results.json.
    ...(only ? { only } : {}),
    machine: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
    sections: outcomes,
    rows,
  };
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

  console.log(formatTable(rows));
  console.log('');
  for (const o of outcomes) {
    console.log(`${o.status.padEnd(7)} ${o.name.padEnd(12)} ${o.seconds} s${o.error ? `  ${o.error}` : ''}`);
  }
  console.log(`\nwritten: bench/results.json (${rows.length} rows)`);
  if (outcomes.some((o) => o.status === 'failed')) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
