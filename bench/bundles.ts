import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { routes } from '../functions/routes.js';
import { LAMBDA_NODE_OPTIONS, lambdaEsbuildOptions } from '../infra/constructs/lambda-bundling.js';
import { median } from './measure.js';
import { type BenchRow, row, type SectionOptions } from './rows.js';

/**
 * Bundle size and module init time of every Lambda: sizes against an empty handler bundled the same way, init
 * against a handler that only constructs the DynamoDB clients, imported in turn with it.
 * Bundled with the options the CDK's NodejsFunction deploys them with (infra/constructs/lambda-bundling.ts: minified
 * ESM for Node 24, `@aws-sdk/*` left to the runtime, an external source map), then imported in a fresh Node process
 * with the deployed NODE_OPTIONS: the import time is what a cold start pays before the handler runs.
 */

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const WORK_DIR = join(REPO_ROOT, 'bench', '.work', 'bundles');
const SECTION = 'bundles';

/** The esbuild options every deployed Lambda is bundled with. */
export const LAMBDA_BUILD_OPTIONS: BuildOptions = { ...lambdaEsbuildOptions(), logLevel: 'silent' };

/** Configuration the handler modules read when imported; nothing is contacted during init. */
const INIT_ENV: Record<string, string> = {
  AWS_REGION: 'ap-southeast-1',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  RECORDS_TABLE: 'bench-records',
  STATS_TABLE: 'bench-stats',
  DOSSIER_HMAC_SECRET: 'bench-only-not-a-secret',
  RATE_LIMIT_SALT: 'bench-only-not-a-salt',
  ATTACHMENTS_DIR: join(WORK_DIR, 'attachments'),
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
};

const EMPTY_HANDLER = 'export const handler = async () => ({ statusCode: 200, body: "" });\n';

/**
 * The init baseline of issue #15: a handler that only constructs the DynamoDB clients, as every data handler does at
 * module scope. Its init is mostly loading `@aws-sdk/*`, which no handler can avoid; what a handler adds on top of
 * it is what its own code costs.
 */
const CLIENTS_ONLY_HANDLER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => ({ statusCode: 200, body: String(doc !== undefined) });
`;

/**
 * Imports a module in a fresh process and prints how long the import took, in ms: the CPU time the process spent on
 * it (user + system) and the wall clock. On a shared machine the wall clock mostly measures waiting for a core (two
 * runs at load 5–8 read the same bundle at 0.8× and 2.0×); the CPU time is the work the import does, which is what a
 * cold start pays on a Lambda's own vCPU.
 */
const PROBE = `const cpu = process.cpuUsage();
const start = performance.now();
await import(process.argv[2]);
const wall = performance.now() - start;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ cpu: (used.user + used.system) / 1000, wall }));
`;

/** One import's cost, in ms. */
interface InitTime {
  readonly cpu: number;
  readonly wall: number;
}

/** The entries measured: every route's handler, plus the aggregation (stream) handler when it exists. */
export function lambdaEntries(): { name: string; entry: string }[] {
  const seen = new Map<string, string>();
  for (const route of routes) if (!seen.has(route.entry)) seen.set(route.entry, route.name);
  const aggregation = 'functions/aggregation/handler.ts';
  if (existsSync(join(REPO_ROOT, aggregation))) seen.set(aggregation, 'aggregation');
  return [...seen].map(([entry, name]) => ({ name, entry }));
}

async function bundle(
  name: string,
  options: BuildOptions,
): Promise<{ file: string; bytes: number; gzipBytes: number }> {
  const outdir = join(WORK_DIR, name);
  rmSync(outdir, { recursive: true, force: true });
  const outfile = join(outdir, 'index.mjs');
  await build({ ...LAMBDA_BUILD_OPTIONS, ...options, outfile });
  const code = readFileSync(outfile);
  return { file: outfile, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

function initTimes(file: string, probe: string, repetitions: number): InitTime[] {
  const times: InitTime[] = [];
  for (let i = 0; i < repetitions; i++) {
    const result = spawnSync(process.execPath, [probe, file], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...INIT_ENV },
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new Error(`importing ${file} failed: ${(result.stderr ?? '').trim().split('\n').slice(0, 3).join(' | ')}`);
    }
    times.push(JSON.parse(result.stdout) as InitTime);
  }
  return times;
}

/** The bundles section. */
export async function benchBundles({ quick, log }: SectionOptions): Promise<BenchRow[]> {
  mkdirSync(WORK_DIR, { recursive: true });
  const probe = join(WORK_DIR, 'probe.mjs');
  writeFileSync(probe, PROBE);
  // Medians of interleaved turns (3 in the quick size until 2026-11-30, which with wall clocks read the same bundle
  // at 0.8× and 2.0× in two runs at load 5–8).
  const repetitions = quick ? 5 : 15;

  const emptySource = join(WORK_DIR, 'empty-handler.mjs');
  writeFileSync(emptySource, EMPTY_HANDLER);
  const empty = await bundle('empty', { entryPoints: [emptySource] });
  const clientsSource = join(WORK_DIR, 'clients-only-handler.mjs');
  writeFileSync(clientsSource, CLIENTS_ONLY_HANDLER);
  const clientsOnly = await bundle('clients-only', { entryPoints: [clientsSource] });

  const rows: BenchRow[] = [];
  for (const { name, entry } of lambdaEntries()) {
    const out = await bundle(name, { entryPoints: [join(REPO_ROOT, entry)] });
    // The baseline is imported in turn with each handler, so both see the same machine load (on a shared machine
    // a baseline taken once, minutes before the last handler, made the ratios drift by a factor of two).
    const handlerTimes: InitTime[] = [];
    const clientsTimes: InitTime[] = [];
    for (let i = 0; i < repetitions; i++) {
      clientsTimes.push(...initTimes(clientsOnly.file, probe, 1));
      handlerTimes.push(...initTimes(out.file, probe, 1));
    }
    const init = median(handlerTimes.map((t) => t.cpu));
    const clientsInit = median(clientsTimes.map((t) => t.cpu));
    const initWall = median(handlerTimes.map((t) => t.wall));
    const clientsInitWall = median(clientsTimes.map((t) => t.wall));
    log(
      `${name}: ${out.bytes} B, ${out.gzipBytes} B gzip, init ${init.toFixed(1)} ms CPU (clients only ${clientsInit.toFixed(1)} ms), ` +
        `${initWall.toFixed(1)} ms wall (${clientsInitWall.toFixed(1)} ms)`,
    );
    const baseline = 'handler constructing the DynamoDB clients only';
    rows.push(
      row(SECTION, `${name} bundle`, out.bytes, 'bytes', 'empty handler', empty.bytes),
      row(SECTION, `${name} bundle gzip`, out.gzipBytes, 'bytes', 'empty handler', empty.gzipBytes),
      row(SECTION, `${name} init`, init, 'ms CPU', baseline, clientsInit),
      row(SECTION, `${name} init wall`, initWall, 'ms', baseline, clientsInitWall),
    );
  }
  return rows;
}
