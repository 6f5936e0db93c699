import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../../site/scripts/build.js';
import { tinyRegistry, writeSiteFixture } from '../../support/site-fixture.js';

/** The build script as `npm run build:site` and `npm start` use it. */
describe('build:site', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'site-build-'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('prints one line naming the file and the field, and exits 1, when a data file is broken', () => {
    // Prepare
    const fixture = writeSiteFixture(join(root, 'broken'), { registry: tinyRegistry(), seed: 5, conclusions: 4 });
    const path = join(fixture.dir, 'units', '00091.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.periods['2026'].satisfaction.responses = 'many';
    writeFileSync(path, JSON.stringify(file));

    // Act
    const run = spawnSync(
      'npm',
      ['run', '--silent', 'build:site', '--', '--data', fixture.dir, '--out', join(root, 'broken-out')],
      { cwd: new URL('../../../', import.meta.url).pathname, encoding: 'utf8' },
    );

    // Assess
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('npm warn'));
    expect(lines).toEqual([
      expect.stringMatching(/^build:site: error: units\/00091\.json: periods\.2026\.satisfaction\.responses: /),
    ]);
  });

  it('builds again from new files in the same directory with fresh data', async () => {
    // Prepare: two data sets written in turn to one directory, as npm start's export does.
    const data = join(root, 'data');
    const out = join(root, 'out');
    const headline = () =>
      /<p>([^<]*kết luận đã công bố[^<]*)<\/p>/.exec(readFileSync(join(out, 'index.html'), 'utf8'))?.[1];

    // Act
    writeSiteFixture(data, { registry: tinyRegistry(), seed: 1, conclusions: 3 });
    const first = await buildSite({ dataDir: data, outDir: out });
    const firstHeadline = headline();
    rmSync(data, { recursive: true });
    writeSiteFixture(data, { registry: tinyRegistry(), seed: 2, conclusions: 9 });
    await buildSite({ dataDir: data, outDir: out });

    // Assess
    expect(first.pages).toBeGreaterThan(50);
    expect(firstHeadline).toMatch(/^3 kết luận/);
    expect(headline()).toMatch(/^9 kết luận/);
    expect(JSON.parse(readFileSync(join(out, 'data', 'conclusions.json'), 'utf8'))).toHaveLength(9);
  });

  it('renders a build of every page in two processes exactly as in one, and builds incrementally after it', async () => {
    // Prepare
    const data = join(root, 'sharded-data');
    writeSiteFixture(data, { registry: tinyRegistry(), seed: 7, conclusions: 12 });
    const files = (dir: string) =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
        .filter((file) => !file.startsWith('pagefind/'))
        .sort();
    const differences = (a: string, b: string) => {
      const mine = files(a);
      expect(mine).toEqual(files(b));
      return mine.filter((file) => !readFileSync(join(a, file)).equals(readFileSync(join(b, file))));
    };
    const build = (name: string, shards: number, previous?: string) =>
      buildSite({
        dataDir: data,
        outDir: join(root, name),
        cacheDir: join(root, `${name.replace(/-\d+$/, '')}-cache`),
        shards,
        ...(previous ? { previous } : {}),
      });

    // Act: the same data rendered in one process and in two; then one unit's figures change.
    const one = await build('one', 1);
    const two = await build('two', 2);
    const path = join(data, 'units', '00091.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.periods['2026'].procedures.received += 7;
    writeFileSync(`${path}.tmp`, JSON.stringify(file));
    renameSync(`${path}.tmp`, path);
    const next = await build('two-2', 2, two.outDir);
    const full = await build('full', 1);

    // Assess: byte for byte (the search index by what it indexed); the build after the sharded one renders only
    // the affected pages, in one process, from the merged cache.
    expect([one.shards, two.shards, next.shards]).toEqual([1, 2, 1]);
    expect(two.rendered).toBe(one.rendered);
    expect(differences(two.outDir, one.outDir)).toEqual([]);
    expect(two.indexed).toBe(one.indexed);
    expect(next.rendered).toBeLessThan(one.rendered / 4);
    expect(next.rendered).toBeGreaterThan(next.renderedUnkeyed);
    expect(differences(next.outDir, full.outDir)).toEqual([]);
    // Four builds, three of every page each in processes of their own: on a loaded shared machine more than the
    // project's two minutes.
  }, 300_000);
});
