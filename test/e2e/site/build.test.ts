import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
