import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildSiteResult, buildSite } from '../../../site/scripts/build.js';
import { tinyRegistry, writeSiteFixture } from '../../support/site-fixture.js';

/**
 * Incremental publishing (site/src/lib/dependencies.ts): after any sequence of changes to the open data, a build
 * that re-renders only the pages the change affects gives exactly the files a full build of the same data gives
 * (pages, feeds, sitemap, open data); and it renders few of them.
 */

/** One change of the open data, as the statistics export would write it. */
type Change =
  | { readonly kind: 'figures'; readonly pick: number; readonly delta: number }
  | { readonly kind: 'rename'; readonly pick: number }
  | { readonly kind: 'conclusion-text'; readonly pick: number }
  | { readonly kind: 'conclusion-removed'; readonly pick: number }
  | { readonly kind: 'same-day-export'; readonly minutes: number }
  | { readonly kind: 'next-day-export' };

const changeArbitrary: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('figures' as const), pick: fc.nat(), delta: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constant('figures' as const), pick: fc.nat(), delta: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('conclusion-text' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('conclusion-removed' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('same-day-export' as const), minutes: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ kind: fc.constant('next-day-export' as const) }),
);

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Replaced by rename, as the export writes (the local stack's builds link the open-data files). */
function writeJson(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(value));
  renameSync(`${path}.tmp`, path);
}

/** Each file's bytes under a directory, by relative path. */
function snapshot(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((file) => [file, readFileSync(join(dir, file))]));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function applyChange(data: string, change: Change): string {
  const units = readJson(join(data, 'units.json')) as { id: string; name: string }[];
  const conclusions = readJson(join(data, 'conclusions.json')) as { id: string }[];
  const summary = readJson(join(data, 'summary.json')) as { generatedAt: string };
  switch (change.kind) {
    case 'figures': {
      const withFile = units.filter((u) => listFiles(join(data, 'units')).includes(`${u.id}.json`));
      const unit = withFile[change.pick % withFile.length];
      if (!unit) return 'figures: no unit file';
      const file = readJson(join(data, 'units', `${unit.id}.json`)) as {
        periods: Record<string, { procedures: { received: number } }>;
      };
      const year = Object.keys(file.periods)
        .filter((key) => /^\d{4}$/.test(key))
        .sort()
        .at(-1);
      const figures = year ? file.periods[year] : undefined;
      if (!figures) return `figures: ${unit.id} has no year`;
      figures.procedures.received += change.delta;
      writeJson(join(data, 'units', `${unit.id}.json`), file);
      return `figures of ${unit.id} ${year} +${change.delta}`;
    }
    case 'rename': {
      const unit = units[change.pick % units.length];
      if (!unit) return 'rename: no unit';
      unit.name = `${unit.name} Mới`;
      writeJson(join(data, 'units.json'), units);
      return `rename ${unit.id}`;
    }
    case 'conclusion-text': {
      const entry = conclusions[change.pick % conclusions.length];
      if (!entry) return 'conclusion-text: none left';
      const path = join(data, 'conclusions', `${entry.id}.json`);
      const file = readJson(path) as { current: { summary: { vi: string } } };
      file.current.summary.vi = `${file.current.summary.vi} (đã sửa)`;
      writeJson(path, file);
      return `conclusion text ${entry.id}`;
    }
    case 'conclusion-removed': {
      if (conclusions.length <= 1) return 'conclusion-removed: keep the last';
      const [entry] = conclusions.splice(change.pick % conclusions.length, 1);
      if (!entry) return 'conclusion-removed: none';
      writeJson(join(data, 'conclusions.json'), conclusions);
      rmSync(join(data, 'conclusions', `${entry.id}.json`));
      return `conclusion removed ${entry.id}`;
    }
    case 'same-day-export':
    case 'next-day-export': {
      const minutes = change.kind === 'same-day-export' ? change.minutes : 24 * 60;
      summary.generatedAt = new Date(Date.parse(summary.generatedAt) + minutes * 60_000).toISOString();
      writeJson(join(data, 'summary.json'), summary);
      return `export at ${summary.generatedAt}`;
    }
  }
}

describe('incremental site build', () => {
  let root: string;
  let data: string;
  let cache: string;
  let builds = 0;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'site-incremental-'));
    data = join(root, 'data');
    cache = join(root, 'cache');
    writeSiteFixture(data, { registry: tinyRegistry(), seed: 3, conclusions: 30 });
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const build = (cacheDir: string): Promise<BuildSiteResult> =>
    buildSite({ dataDir: data, outDir: join(root, `out-${++builds}`), cacheDir });

  /**
   * An incremental build as the local stack runs it: into a new folder, linking the unchanged pages (and the open
   * data) from the last build, which stays served meanwhile and so must not change by a byte.
   */
  let served: string | undefined;
  /** The share of the last incremental build's pages linked from the build before it. */
  let lastLinked = 0;
  const publish = async (): Promise<BuildSiteResult> => {
    const before = served ? snapshot(served) : undefined;
    const result = await buildSite({
      dataDir: data,
      outDir: join(root, `out-${++builds}`),
      cacheDir: cache,
      ...(served ? { previous: served } : {}),
      dataFiles: 'link',
    });
    if (served && before) {
      // How many of the new build's pages are the served build's files, linked rather than copied.
      const inodes = new Set([...before.keys()].map((file) => statSync(join(served as string, file)).ino));
      const pages = listFiles(result.outDir).filter((file) => file.endsWith('.html'));
      lastLinked = pages.filter((file) => inodes.has(statSync(join(result.outDir, file)).ino)).length / pages.length;
      const after = snapshot(served);
      expect([...after.keys()], 'the served build keeps its files').toEqual([...before.keys()]);
      expect(
        [...before].filter(([file, bytes]) => !after.get(file)?.equals(bytes)),
        'the served build keeps its bytes',
      ).toEqual([]);
      rmSync(served, { recursive: true, force: true });
    }
    served = result.outDir;
    // Astro's copies of the pages it restores from (<cache>/dist) are this build's pages, none missing or stale.
    const cached = listFiles(join(cache, 'dist'));
    expect(cached.length).toBeGreaterThan(100);
    const stale = cached.filter(
      (file) => !readFileSync(join(cache, 'dist', file)).equals(readFileSync(join(result.outDir, file))),
    );
    expect(stale, 'cached copies that differ from the build').toEqual([]);
    return result;
  };

  /** Every file of both sites, byte for byte; the search index is compared by what it indexed. */
  const expectSameSite = (incremental: BuildSiteResult, full: BuildSiteResult, label: string) => {
    const files = (dir: string) => listFiles(dir).filter((f) => !f.startsWith('pagefind/'));
    const mine = files(incremental.outDir);
    expect(mine, label).toEqual(files(full.outDir));
    const different = mine.filter(
      (f) => !readFileSync(join(incremental.outDir, f)).equals(readFileSync(join(full.outDir, f))),
    );
    expect(different, label).toEqual([]);
    expect(incremental.indexed, label).toBe(full.indexed);
    rmSync(full.outDir, { recursive: true, force: true });
  };

  it('renders only the affected pages, and the result equals a full build of the same data', async () => {
    const first = await publish();
    expect(first.rendered).toBeGreaterThan(100);
    // The cache's copies of the pages a build renders are its files, linked, not written a second time
    // (scripts/build.ts, linkCachedPages); a page restored from the cache later is a copy of its own.
    const unlinked = listFiles(join(cache, 'dist')).filter(
      (file) => statSync(join(cache, 'dist', file)).ino !== statSync(join(first.outDir, file)).ino,
    );
    expect(unlinked).toEqual([]);

    // Nothing changed: only the pages without a cacheKey (home, about, feeds of the whole site…) render again; the
    // others are restored from the cache (a build without the last one at hand, copying the open data).
    const unchanged = await build(cache);
    expect(unchanged.searchIndex).toBe('reused');
    expect(unchanged.rendered).toBeLessThan(first.rendered / 4);
    expectSameSite(unchanged, await build(join(root, `full-${builds}`)), 'no change');
    rmSync(first.outDir, { recursive: true, force: true });
    served = unchanged.outDir;

    await fc.assert(
      fc.asyncProperty(fc.array(changeArbitrary, { minLength: 4, maxLength: 4 }), async (changes) => {
        for (const change of changes) {
          const label = applyChange(data, change);
          const incremental = await publish();
          const full = await build(join(root, `full-${builds}`));
          expectSameSite(incremental, full, label);
          if (change.kind === 'figures') {
            expect(incremental.rendered, label).toBeLessThan(first.rendered / 4);
            expect(lastLinked, label).toBeGreaterThan(0.75);
          }
          if (change.kind === 'figures' || change.kind === 'same-day-export') {
            expect(incremental.searchIndex, label).toBe('reused');
          }
        }
      }),
      // Each run is eight site builds: one random sequence per test run (the seed is printed on failure).
      { numRuns: 1, endOnFailure: true },
    );
  }, 900_000);
});
