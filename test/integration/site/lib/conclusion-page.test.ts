import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conclusionPage } from '../../../../site/src/lib/conclusion-page.js';
import { conclusionFile, siteData } from '../../../../site/src/lib/data.js';
import { type SiteFixture, tinyRegistry, writeSiteFixture } from '../../../support/site-fixture.js';

/** The conclusion page's view model against real files written by the fixture generator. */
describe('conclusionPage', () => {
  let root: string;
  let fixture: SiteFixture;
  const previous = process.env.SITE_DATA_DIR;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'conclusion-page-'));
    fixture = writeSiteFixture(join(root, 'a'), { registry: tinyRegistry(), seed: 5, conclusions: 24 });
    process.env.SITE_DATA_DIR = fixture.dir;
  });

  afterAll(() => {
    if (previous === undefined) delete process.env.SITE_DATA_DIR;
    else process.env.SITE_DATA_DIR = previous;
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the history newest first, each version with the fields it changed, the first with none', () => {
    // Prepare: a corrected conclusion
    const file = fixture.conclusions.map((entry) => conclusionFile(entry.id)).find((f) => f.versions.length > 1);
    if (!file) throw new Error('the fixture has no corrected conclusion');
    // Act
    const page = conclusionPage(file, 'vi');
    // Assess
    expect(page.history.map((entry) => entry.version.version)).toEqual(
      file.versions.map((version) => version.version).reverse(),
    );
    expect(page.history.at(-1)).toMatchObject({ previous: undefined, changes: [] });
    expect(page.history[0]?.changes.length).toBeGreaterThan(0);
    expect(page.title).toBe(`Kết luận ${file.current.documentNumber}`);
  });

  it('names the inspected units, indexes them without diacritics and links the permanent address', () => {
    // Prepare
    const entry = fixture.conclusions[0];
    if (!entry) throw new Error('the fixture has no conclusion');
    const file = conclusionFile(entry.id);
    const unit = siteData().unit(file.current.inspectedUnits[0] ?? '');
    if (!unit) throw new Error('the inspected unit is not in the registry');
    // Act
    const page = conclusionPage(file, 'en');
    // Assess
    expect(page.name(unit.id)).toBe(unit.name);
    expect(page.name('no-such-unit')).toBe('no-such-unit');
    expect(page.searchText).toContain(unit.nameAscii);
    expect(page.description).toContain(unit.name);
    expect(page.permalink).toMatch(new RegExp(`/en/conclusions/${file.id}/?$`));
    expect(page.retracted).toBe(file.current.status === 'retracted');
  });
});
