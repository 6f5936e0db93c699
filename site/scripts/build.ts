/**
 * Builds the public site: `npm run build:site -- [--data DIR] [--out DIR] [--origin URL] [--verbose]`.
 * 1. Astro builds the static pages from the open-data files in DIR (env SITE_DATA_DIR for the pages);
 * 2. Pagefind indexes the unit and conclusion pages (one index per language);
 * 3. the open-data files are copied to <out>/data/, so a built site is complete on its own.
 * Any failure prints one line (`build:site: error: …`) and exits 1.
 *
 * `buildSite()` (what `npm start` calls to rebuild) runs each build in a child process: Node keeps the page
 * modules of a build in its module cache, and Astro its route cache in them, so a second build in the same
 * process would render the first one's pages.
 */

import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const SITE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = resolve(SITE_DIR, '..');
/** The stable address of the stylesheet, for pages rendered outside the build. */
export const STABLE_STYLESHEET = 'site.css';
/** The pages Pagefind indexes: units and conclusions, in both languages. */
const SEARCHABLE_GLOB = '{don-vi,ket-luan,en/units,en/conclusions}/*/index.html';

export interface BuildSiteOptions {
  /** The open-data directory (absolute or relative to the current directory). */
  readonly dataDir: string;
  readonly outDir: string;
  /** The public origin used in canonical links, feeds and QR codes. */
  readonly origin?: string;
  readonly verbose?: boolean;
}

export interface BuildSiteResult {
  readonly outDir: string;
  readonly pages: number;
  readonly indexed: number;
  readonly seconds: number;
}

/** The line a child build prints its result on, for the parent to read. */
const RESULT_PREFIX = 'build:site:result ';

/** Builds the site into `outDir` in a fresh child process (see the file comment). */
export function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--result',
    '--data',
    resolve(options.dataDir),
    '--out',
    resolve(options.outDir),
    ...(options.origin ? ['--origin', options.origin] : []),
    ...(options.verbose ? ['--verbose'] : []),
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: SITE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.verbose) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolvePromise(BuildSiteResultSchema.parse(JSON.parse(line.slice(RESULT_PREFIX.length))));
      } else {
        const message = stderr.split('\n').find((l) => l.startsWith('build:site: error: ')) ?? stderr.trim();
        reject(new Error(message.replace(/^build:site: error: /, '') || `the site build exited with ${code}`));
      }
    });
  });
}

const BuildSiteResultSchema = z.object({
  outDir: z.string(),
  pages: z.number(),
  indexed: z.number(),
  seconds: z.number(),
});

/** Builds the site into `outDir` in this process: once per process (see the file comment). */
async function buildInProcess(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const started = performance.now();
  const dataDir = resolve(options.dataDir);
  const outDir = resolve(options.outDir);
  if (!existsSync(join(dataDir, 'units.json'))) {
    throw new Error(`no open-data files in ${dataDir} (units.json is missing); pass --data DIR`);
  }
  process.env.SITE_DATA_DIR = dataDir;
  process.env.SITE_OUT_DIR = outDir;
  if (options.origin) process.env.SITE_ORIGIN = options.origin;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';

  const phase = (name: string, since: number) => {
    if (options.verbose) console.log(`build:site: ${name} in ${((performance.now() - since) / 1000).toFixed(1)} s`);
  };

  // Imported here, after the environment is set: the Astro config reads it when loaded.
  let since = performance.now();
  const { build } = await import('astro');
  // Astro keeps its temporary prerender chunks under the working directory when the output is elsewhere:
  // inside site/ they land in the ignored site/.astro/, never at the repository root.
  const cwd = process.cwd();
  process.chdir(SITE_DIR);
  try {
    // Silent unless asked: a failure is reported once, on one line, by main().
    await build({ root: SITE_DIR, logLevel: options.verbose ? 'info' : 'silent' });
  } finally {
    process.chdir(cwd);
  }
  publishStableStylesheet(outDir);
  phase('astro', since);

  since = performance.now();
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
  // Only unit and conclusion pages are searchable (they carry data-pagefind-body); parsing the others is waste.
  const added = await index.addDirectory({ path: outDir, glob: SEARCHABLE_GLOB });
  if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
  const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
  if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
  phase('pagefind', since);

  since = performance.now();
  cpSync(dataDir, join(outDir, 'data'), { recursive: true });
  phase('copy data', since);
  return {
    outDir,
    pages: countHtml(outDir),
    indexed: added.page_count,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Copies the site's hashed stylesheet to `/site.css`: pages outside the build (the API's HTML error page for
 * an invalid survey post) can link it at a stable address. Its font URLs are absolute, so they still resolve.
 */
function publishStableStylesheet(outDir: string): void {
  const home = readFileSync(join(outDir, 'index.html'), 'utf8');
  const href = /<link rel="stylesheet" href="(\/_astro\/[^"]+\.css)"/.exec(home)?.[1];
  if (!href) throw new Error('the home page links no stylesheet');
  copyFileSync(join(outDir, href), join(outDir, STABLE_STYLESHEET));
}

function countHtml(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== 'data' && entry.name !== 'pagefind') count += countHtml(join(dir, entry.name));
    } else if (entry.name.endsWith('.html')) count += 1;
  }
  return count;
}

/** One line for any error: the first line of its message, without a stack. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error').trim();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      origin: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      /** Print the result as JSON for a parent process (buildSite). */
      result: { type: 'boolean', default: false },
    },
  });
  const dataDir = values.data ?? process.env.SITE_DATA_DIR ?? join(REPO_DIR, '.data', 'open-data');
  const outDir = values.out ?? process.env.SITE_OUT_DIR ?? join(SITE_DIR, 'dist');
  if (!statSync(dataDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`data directory not found: ${resolve(dataDir)} (pass --data DIR or set SITE_DATA_DIR)`);
  }
  const result = await buildInProcess({
    dataDir,
    outDir,
    ...(values.origin ? { origin: values.origin } : {}),
    verbose: values.verbose,
  });
  if (values.result) {
    console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
    return;
  }
  const pages = new Intl.NumberFormat('en-GB').format(result.pages);
  console.log(
    `build:site: ${pages} pages (${result.indexed} indexed for search) in ${result.seconds.toFixed(1)} s → ${result.outDir}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`build:site: error: ${oneLine(error)}`);
    process.exit(1);
  });
}
