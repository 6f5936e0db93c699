import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildSiteResult, buildSite } from '../../../site/scripts/build.js';
import { tinyRegistry, writeSiteFixture } from '../../support/site-fixture.js';

/**
 * The AWS build's incremental state (infra/stacks/publishing-stack.ts): its data folder and its cache come back from
 * CodeBuild's S3 cache before each build, at the same paths but as new files (new inodes, the same bytes and
 * times). With SITE_DATA_IDENTITY=content, as the buildspec sets it, the restored cache still describes the pages:
 * a change renders only what it affects, and the result equals a full build. Without it, every page renders again
 * (the control that shows why the buildspec sets it).
 */

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith('pagefind/'))
    .sort();
}

/** What CodeBuild's cache restore does to a folder: the same paths, bytes and times, in new files. */
function restore(dir: string): void {
  const away = `${dir}.away`;
  renameSync(dir, away);
  cpSync(away, dir, { recursive: true, preserveTimestamps: true });
  rmSync(away, { recursive: true, force: true });
}

describe('incremental site build from a restored cache', () => {
  let root: string;
  let data: string;
  let cache: string;
  let builds = 0;
  const identity = process.env.SITE_DATA_IDENTITY;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'site-restored-'));
    data = join(root, 'data');
    cache = join(root, 'cache');
    writeSiteFixture(data, { registry: tinyRegistry(), seed: 5, conclusions: 20 });
  });

  afterAll(() => {
    if (identity === undefined) delete process.env.SITE_DATA_IDENTITY;
    else process.env.SITE_DATA_IDENTITY = identity;
    rmSync(root, { recursive: true, force: true });
  });

  const build = (cacheDir: string, dataIdentity: 'content' | undefined): Promise<BuildSiteResult> => {
    // The build runs in a child process that inherits this environment.
    if (dataIdentity) process.env.SITE_DATA_IDENTITY = dataIdentity;
    else delete process.env.SITE_DATA_IDENTITY;
    return buildSite({ dataDir: data, outDir: join(root, `out-${++builds}`), cacheDir });
  };

  it('renders only the affected pages when the data names its files by content, and every page otherwise', async () => {
    // Prepare: a first build, then the cache and the data restored as the next CodeBuild host finds them
    const first = await build(cache, 'content');
    restore(cache);
    restore(data);
    const unitFile = readdirSync(join(data, 'units')).sort()[0] ?? '';
    const file = JSON.parse(readFileSync(join(data, 'units', unitFile), 'utf8')) as {
      periods: Record<string, { procedures: { received: number } }>;
    };
    const year = Object.keys(file.periods)
      .filter((key) => /^\d{4}$/.test(key))
      .sort()
      .at(-1);
    const figures = year ? file.periods[year] : undefined;
    if (!figures) throw new Error(`setup: ${unitFile} has no year`);
    figures.procedures.received += 7;
    writeFileSync(join(data, 'units', `${unitFile}.tmp`), JSON.stringify(file));
    renameSync(join(data, 'units', `${unitFile}.tmp`), join(data, 'units', unitFile));

    // Act
    const incremental = await build(cache, 'content');
    const full = await build(join(root, 'full-cache'), 'content');
    restore(cache);
    restore(data);
    const byInode = await build(cache, undefined);

    // Assess
    expect(incremental.rendered).toBeLessThan(first.rendered / 4);
    const pages = listFiles(incremental.outDir);
    expect(pages).toEqual(listFiles(full.outDir));
    const different = pages.filter(
      (page) => !readFileSync(join(incremental.outDir, page)).equals(readFileSync(join(full.outDir, page))),
    );
    expect(different).toEqual([]);
    expect(byInode.rendered).toBeGreaterThan(first.rendered / 2);
  }, 900_000);
});
