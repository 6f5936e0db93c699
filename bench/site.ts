import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadRegistryFile } from '../shared/units/load.js';
import { buildSite } from '../site/scripts/build.js';
import { tinyRegistry, writeSiteFixture } from '../test/support/site-fixture.js';
import { measureProcesses } from './measure.js';
import { type BenchRow, row, type SectionOptions } from './rows.js';

/**
 * The site build (`npm run build:site`: Astro, then Pagefind) in pages per second, against a trivial Astro
 * project with the same number of pages built by the same Astro; the incremental build after one ward's figures
 * change, against the full build; and the bytes a reader downloads for the home page and a unit page (HTML, and
 * the CSS and JS they reference), against a trivial page. Built from synthetic open-data files
 * (test/support/site-fixture.ts): the whole country's registry, or a tiny registry in quick mode. Every build
 * runs in a child process the same way, so process start-up weighs on each. Each build's CPU time (user + system,
 * every process it started, Pagefind's too) and the most memory its processes held at once are read from /proc:
 * on a shared machine the wall clock is inflated by the neighbours' load, the CPU time much less. In full mode the
 * national build of every page, when rendered in several processes (`BENCH_SITE_SHARDS`, site/scripts/build.ts), is
 * also compared with the same build in one process.
 */

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const WORK_DIR = join(REPO_ROOT, 'bench', '.work', 'site');
const BUILD_SCRIPT = join(REPO_ROOT, 'site', 'scripts', 'build.ts');
const ASTRO_CLI = join(REPO_ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
const SECTION = 'site';

function run(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((done, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('exit', (code) => {
      if (code === 0) done((performance.now() - start) / 1000);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** HTML pages under a built site (the open-data copy and the search index are not pages). */
function countPages(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== 'data' && entry.name !== 'pagefind') count += countPages(join(dir, entry.name));
    } else if (entry.name.endsWith('.html')) count += 1;
  }
  return count;
}

/** A trivial Astro project of `pages` pages: one dynamic route, no layout, no CSS, no JS. */
function writeTrivialProject(dir: string, outDir: string, pages: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src', 'pages'), { recursive: true });
  writeFileSync(
    join(dir, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';\nexport default defineConfig({ outDir: ${JSON.stringify(outDir)}, build: { format: 'directory' }, devToolbar: { enabled: false } });\n`,
  );
  writeFileSync(
    join(dir, 'src', 'pages', '[...slug].astro'),
    `---
export function getStaticPaths() {
  return Array.from({ length: ${pages} }, (_, i) => ({ params: { slug: i === 0 ? undefined : \`p/\${i}\` } }));
}
const { slug } = Astro.params;
---
<html lang="vi"><head><meta charset="utf-8"><title>Trang {slug ?? 'chủ'}</title></head><body><h1>Trang {slug ?? 'chủ'}</h1></body></html>
`,
  );
}

interface PageBytes {
  readonly html: number;
  readonly css: number;
  readonly js: number;
  /** Everything, gzip-compressed file by file (as the server sends it). */
  readonly gzip: number;
}

/** The bytes of a page and of the stylesheets and scripts it references (same-origin files only). */
function pageBytes(siteDir: string, pagePath: string): PageBytes {
  const html = readFileSync(pagePath);
  const text = html.toString('utf8');
  const refs = (pattern: RegExp) =>
    [...new Set([...text.matchAll(pattern)].map((m) => m[1] ?? ''))].filter((href) => href.startsWith('/'));
  const read = (href: string) => {
    const file = join(siteDir, href.split(/[?#]/)[0] ?? '');
    return existsSync(file) && statSync(file).isFile() ? readFileSync(file) : Buffer.alloc(0);
  };
  const css = refs(/<link[^>]+rel="?stylesheet"?[^>]*href="?([^"\s>]+)/g).map(read);
  const js = refs(/<script[^>]+src="?([^"\s>]+)/g).map(read);
  const sum = (files: Buffer[]) => files.reduce((n, f) => n + f.length, 0);
  const gzip = [html, ...css, ...js].reduce((n, f) => n + gzipSync(f, { level: 9 }).length, 0);
  return { html: html.length, css: sum(css), js: sum(js), gzip };
}

/**
 * Adds one survey response's worth of figures to the first ward with a figures file; answers its id. Exported for
 * test/unit/bench/workloads.test.ts (the changed file must still be a valid unit file).
 */
export function changeOneWard(dataDir: string): string {
  const units = JSON.parse(readFileSync(join(dataDir, 'units.json'), 'utf8')) as { id: string; level: number }[];
  for (const unit of units) {
    const path = join(dataDir, 'units', `${unit.id}.json`);
    if (unit.level !== 3 || !existsSync(path)) continue;
    const file = JSON.parse(readFileSync(path, 'utf8')) as {
      periods: Record<string, { procedures: { received: number } }>;
    };
    const year = Object.keys(file.periods)
      .filter((key) => /^\d{4}$/.test(key))
      .sort()
      .at(-1);
    const figures = year ? file.periods[year] : undefined;
    if (!figures) continue;
    figures.procedures.received += 1;
    // Replaced by rename, as the export writes: the builds link the open-data files (as `npm start` does).
    writeFileSync(`${path}.tmp`, JSON.stringify(file));
    renameSync(`${path}.tmp`, path);
    return unit.id;
  }
  throw new Error('no ward with figures in the fixture');
}

/** The site section; nothing to measure until the site's build script exists. */
export async function benchSite({ quick, log }: SectionOptions): Promise<BenchRow[]> {
  if (!existsSync(BUILD_SCRIPT)) {
    log('skipped: site/scripts/build.ts does not exist yet');
    return [];
  }
  const dataDir = join(WORK_DIR, 'data');
  const outDir = join(WORK_DIR, 'out');
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  const registry = quick ? tinyRegistry() : loadRegistryFile();
  writeSiteFixture(dataDir, { registry, seed: 24, conclusions: quick ? 24 : 400, months: !quick });
  log(`open data for ${registry.size} units in ${dataDir}`);

  const cache = { SITE_CACHE_DIR: join(WORK_DIR, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' };
  // A full build (empty cache), then the same site after one change: a ward's figures (the incremental build, as
  // `npm start` runs it: into a new folder, the unchanged pages linked from the last build).
  const siteCache = join(WORK_DIR, 'site-cache');
  const rows: BenchRow[] = [];
  let oneProcess: { seconds: number; cpuSeconds: number; peakRssBytes: number } | undefined;
  const mb = (bytes: number) => bytes / 1e6;
  const cost = (c: { seconds: number; cpuSeconds: number; peakRssBytes: number }) =>
    `${c.seconds.toFixed(1)} s wall, ${c.cpuSeconds.toFixed(1)} s CPU, peak ${mb(c.peakRssBytes).toFixed(0)} MB`;
  // The full build renders as the build does by default (site/scripts/build.ts `DEFAULT_SHARDS`) unless
  // BENCH_SITE_SHARDS says how many processes. When it rendered in more than one, in full mode the same build is then
  // measured in one process, so the run shows what the second process costs and saves.
  const asked = Number(process.env.BENCH_SITE_SHARDS);
  const shards = Number.isInteger(asked) && asked >= 1 ? asked : undefined;
  const fullCost = await measureProcesses(() =>
    buildSite({ dataDir, outDir, cacheDir: siteCache, dataFiles: 'link', ...(shards ? { shards } : {}) }),
  );
  const full = fullCost.result;
  const siteSeconds = full.seconds;
  const pages = full.pages;
  log(`site: ${pages} pages (${full.rendered} files rendered, ${full.shards} process(es)), ${cost(fullCost)}`);
  if (!quick && full.shards > 1) {
    const one = await measureProcesses(() =>
      buildSite({ dataDir, outDir: join(WORK_DIR, 'out-one'), cacheDir: join(WORK_DIR, 'cache-one'), shards: 1 }),
    );
    log(`site in one process: ${one.result.pages} pages, ${cost(one)}`);
    rmSync(join(WORK_DIR, 'out-one'), { recursive: true, force: true });
    rmSync(join(WORK_DIR, 'cache-one'), { recursive: true, force: true });
    oneProcess = one;
  }
  const changed = changeOneWard(dataDir);
  const incrementalCost = await measureProcesses(() =>
    buildSite({
      dataDir,
      outDir: join(WORK_DIR, 'out-incremental'),
      cacheDir: siteCache,
      previous: outDir,
      dataFiles: 'link',
    }),
  );
  const incremental = incrementalCost.result;
  log(
    `incremental (${changed}'s figures): ${incremental.rendered} files rendered, ${incremental.phases.pages?.toFixed(1)} s of page generation, ${incremental.phases.astro?.toFixed(1)} s of Astro, ${cost(incrementalCost)}`,
  );

  const trivialDir = join(WORK_DIR, 'trivial');
  const trivialOut = join(WORK_DIR, 'trivial-out');
  writeTrivialProject(trivialDir, trivialOut, pages);
  const trivialCost = await measureProcesses(() => run([ASTRO_CLI, 'build', '--root', trivialDir, '--silent'], cache));
  const trivialSeconds = trivialCost.result;
  const trivialPages = countPages(trivialOut);
  log(`trivial: ${trivialPages} pages in ${trivialSeconds.toFixed(1)} s`);

  const trivialPage = pageBytes(trivialOut, join(trivialOut, 'index.html'));
  const unitDir = join(outDir, 'don-vi');
  const unitId = existsSync(unitDir)
    ? readdirSync(unitDir).find((name) => existsSync(join(unitDir, name, 'index.html')))
    : undefined;
  const measured: [string, string][] = [['home', join(outDir, 'index.html')]];
  if (unitId) measured.push([`unit page (${unitId})`, join(unitDir, unitId, 'index.html')]);

  rows.push(
    row(SECTION, 'build', pages / siteSeconds, 'pages/s', 'trivial Astro pages', trivialPages / trivialSeconds),
    row(SECTION, 'build time', siteSeconds, 's', 'trivial Astro pages', trivialSeconds),
    row(
      SECTION,
      'build CPU (user + system, every process)',
      fullCost.cpuSeconds,
      's',
      'trivial Astro pages',
      trivialCost.cpuSeconds,
    ),
    row(
      SECTION,
      'build peak memory (RSS of its processes at once)',
      mb(fullCost.peakRssBytes),
      'MB',
      'trivial Astro pages',
      mb(trivialCost.peakRssBytes),
    ),
    row(SECTION, 'processes rendering the build', full.shards, 'processes', 'one process', 1),
  );
  if (oneProcess) {
    const one = oneProcess;
    rows.push(
      row(SECTION, 'build time', siteSeconds, 's', 'same build in one process', one.seconds),
      row(
        SECTION,
        'build CPU (user + system, every process)',
        fullCost.cpuSeconds,
        's',
        'same build in one process',
        one.cpuSeconds,
      ),
      row(
        SECTION,
        'build peak memory (RSS of its processes at once)',
        mb(fullCost.peakRssBytes),
        'MB',
        'same build in one process',
        mb(one.peakRssBytes),
      ),
    );
  }
  rows.push(
    row(SECTION, 'incremental build, one ward changed', incremental.seconds, 's', 'full build', siteSeconds),
    row(
      SECTION,
      'incremental build CPU (user + system), one ward changed',
      incrementalCost.cpuSeconds,
      's',
      'full build',
      fullCost.cpuSeconds,
    ),
    row(
      SECTION,
      'incremental build peak memory (RSS)',
      mb(incrementalCost.peakRssBytes),
      'MB',
      'full build',
      mb(fullCost.peakRssBytes),
    ),
    row(
      SECTION,
      'incremental rendering (page generation), one ward changed',
      incremental.phases.pages ?? Number.NaN,
      's',
      'full build (page generation)',
      full.phases.pages ?? Number.NaN,
    ),
    row(SECTION, 'files rendered, one ward changed', incremental.rendered, 'files', 'full build', full.rendered),
  );
  for (const [name, file] of measured) {
    const bytes = pageBytes(outDir, file);
    rows.push(
      row(SECTION, `${name} HTML`, bytes.html, 'bytes', 'trivial page', trivialPage.html),
      row(SECTION, `${name} CSS`, bytes.css, 'bytes', 'trivial page', trivialPage.css),
      row(SECTION, `${name} JS`, bytes.js, 'bytes', 'trivial page', trivialPage.js),
      row(SECTION, `${name} total gzip`, bytes.gzip, 'bytes', 'trivial page', trivialPage.gzip),
    );
  }
  return rows;
}
