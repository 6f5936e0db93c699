import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conclusionFile, fileDigest, siteData, unitFile, unitRankFacts } from '../../../../site/src/lib/data.js';
import { SiteDataError } from '../../../../site/src/lib/errors.js';
import { rankFacts } from '../../../../site/src/lib/peer-groups.js';
import { yearKeys } from '../../../../site/src/lib/periods.js';
import { groups, listPages, servicePoints } from '../../../../site/src/lib/site-map.js';
import { type SiteFixture, tinyRegistry, writeSiteFixture } from '../../../support/site-fixture.js';

/** The site's data loader against real files written by the fixture generator. */
describe('site data', () => {
  let root: string;
  let fixture: SiteFixture;
  const previous = process.env.SITE_DATA_DIR;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'site-data-'));
    fixture = writeSiteFixture(join(root, 'a'), { registry: tinyRegistry(), seed: 3, conclusions: 30 });
    process.env.SITE_DATA_DIR = fixture.dir;
  });

  afterAll(() => {
    if (previous === undefined) delete process.env.SITE_DATA_DIR;
    else process.env.SITE_DATA_DIR = previous;
    rmSync(root, { recursive: true, force: true });
  });

  it('loads and validates the small files once, in Vietnamese order and newest conclusions first', () => {
    // Act
    const data = siteData();

    // Assess
    expect(data).toBe(siteData());
    expect(data.units).toHaveLength(fixture.units.length);
    expect(data.roots().map((u) => u.name)).toEqual(['Thành phố Hà Nội', 'Tỉnh Quảng Ninh']);
    const dates = data.conclusions.map((c) => c.issuedOn);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(data.today).toBe('2026-11-15');
    expect([data.currentYear, data.lastYear]).toEqual(['2026', '2025']);
  });

  it('counts in a province every conclusion in force under it, once', () => {
    // Prepare
    const data = siteData();
    const underHanoi = data.conclusions.filter((c) => c.status === 'published' && c.rollup.includes('01'));

    // Act
    const periods = unitFile('01')?.periods ?? {};
    const total = yearKeys(periods).reduce((sum, year) => sum + (periods[year]?.inspections.total ?? 0), 0);

    // Assess
    expect(total).toBe(underHanoi.length);
    expect(underHanoi.length).toBeGreaterThan(0);
  });

  it('keeps what rankings compare of a unit: its years, as its file says, read once', () => {
    // Prepare: a ward with figures
    const ward = siteData().units.find((u) => u.level === 3 && unitFile(u.id) !== undefined);
    if (!ward) throw new Error('the fixture has no ward with figures');

    // Act
    const facts = unitRankFacts(ward.id);

    // Assess
    const periods = unitFile(ward.id)?.periods ?? {};
    expect(Object.keys(facts).sort()).toEqual(yearKeys(periods));
    expect(facts).toEqual(rankFacts(periods));
    expect(unitRankFacts('no-such-unit')).toEqual({});
  });

  it('reads a conclusion with its history, oldest version first', () => {
    const corrected = siteData().conclusions.find((c) => c.version > 1);
    expect(corrected).toBeDefined();

    const file = conclusionFile(corrected?.id ?? '');

    expect(file.versions.map((v) => v.version)).toEqual(file.versions.map((_, i) => i + 1));
    expect(file.current).toEqual(file.versions.at(-1));
  });

  it('lists a survey form for every service point in force, and list pages for every filter', () => {
    expect(
      servicePoints()
        .map((u) => u.id)
        .sort(),
    ).toEqual([...fixture.servicePoints].sort());
    expect(listPages().some((p) => p.filter.by === 'year')).toBe(true);
    expect(groups().every((g) => g.members.length >= 2)).toBe(true);
  });

  it('writes the same files for the same seed', () => {
    const again = writeSiteFixture(join(root, 'b'), { registry: tinyRegistry(), seed: 3, conclusions: 30 });

    for (const file of ['units.json', 'summary.json', 'conclusions.json', 'units/01.json']) {
      expect(readFileSync(join(again.dir, file), 'utf8')).toBe(readFileSync(join(fixture.dir, file), 'utf8'));
    }
  });

  it('refuses a file that breaks its schema with a one-line message naming the file and the field', () => {
    // Prepare: a copy of the data with one broken unit file.
    const broken = writeSiteFixture(join(root, 'c'), { registry: tinyRegistry(), seed: 3, conclusions: 5 });
    const path = join(broken.dir, 'units', '00091.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.periods['2026'].inspections.total = -1;
    writeFileSync(path, JSON.stringify(file));
    process.env.SITE_DATA_DIR = broken.dir;

    try {
      // Act
      const read = () => unitFile('00091');

      // Assess
      expect(read).toThrow(SiteDataError);
      expect(read).toThrow(/^units\/00091\.json: periods\.2026\.inspections\.total: /);
    } finally {
      process.env.SITE_DATA_DIR = fixture.dir;
    }
  });

  it('names a data file by its inode unless told to name it by its bytes, as a folder restored from a cache needs', () => {
    // Prepare: the same file in another place, as the AWS build's S3 cache restores it
    const file = join(fixture.dir, 'units.json');
    const restored = join(root, 'restored-units.json');
    cpSync(file, restored, { preserveTimestamps: true });
    const before = process.env.SITE_DATA_IDENTITY;

    // Act
    const byInode = [fileDigest(file), fileDigest(restored)];
    process.env.SITE_DATA_IDENTITY = 'content';
    let byContent: string[];
    try {
      byContent = [fileDigest(file), fileDigest(restored)];
      writeFileSync(restored, `${readFileSync(file, 'utf8')} `);
      byContent.push(fileDigest(restored));
    } finally {
      if (before === undefined) delete process.env.SITE_DATA_IDENTITY;
      else process.env.SITE_DATA_IDENTITY = before;
    }

    // Assess
    expect(byInode[0]).not.toBe(byInode[1]);
    expect(byContent[0]).toBe(byContent[1]);
    expect(byContent[2]).not.toBe(byContent[0]);
    expect(fileDigest(join(root, 'none.json'))).toBe('absent');
  });
});
