import { describe, expect, it } from 'vitest';
import {
  bucketReport,
  diffDigests,
  EVERYTHING,
  invalidationPaths,
  isUnchanged,
  planPublication,
  reconciliationReport,
} from '../../../../shared/publishing/plan.js';

const digests = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('diffDigests', () => {
  it('tells added, changed and removed paths apart, each sorted', () => {
    // Prepare
    const published = digests({ 'a/index.html': '1', 'b/index.html': '2', 'gone/index.html': '3' });
    const built = digests({ 'b/index.html': '9', 'a/index.html': '1', 'new/index.html': '4', 'c.json': '5' });

    // Act
    const changes = diffDigests(built, published);

    // Assess
    expect(changes).toEqual({
      added: ['c.json', 'new/index.html'],
      changed: ['b/index.html'],
      removed: ['gone/index.html'],
    });
    expect(isUnchanged(changes)).toBe(false);
    expect(isUnchanged(diffDigests(built, built))).toBe(true);
  });
});

describe('planPublication', () => {
  it('uploads the site first, then the log tiles, then the checkpoint last, and deletes after every upload', () => {
    // Prepare
    const changes = {
      added: ['log/tile/0/001', 'log/tile/entries/001.p/3', 'don-vi/00304/index.html'],
      changed: ['log/checkpoint', 'data/units/00304.json', 'index.html'],
      removed: ['ket-luan/rut/index.html', 'log/tile/entries/001.p/2'],
    };

    // Act
    const plan = planPublication(changes);

    // Assess
    expect(plan.uploads).toEqual([
      ['data/units/00304.json', 'don-vi/00304/index.html', 'index.html'],
      ['log/tile/0/001', 'log/tile/entries/001.p/3'],
      ['log/checkpoint'],
    ]);
    expect(plan.deletions).toEqual(['ket-luan/rut/index.html', 'log/tile/entries/001.p/2']);
  });

  it('never deletes a monthly snapshot of the log', () => {
    // Act
    const plan = planPublication({ added: [], changed: [], removed: ['data/snapshots/2026-10/checkpoint', 'x.html'] });

    // Assess
    expect(plan.deletions).toEqual(['x.html']);
  });

  it('invalidates changed and removed paths only: new paths and tiles were never cached stale', () => {
    // Act
    const plan = planPublication({
      added: ['ket-luan/moi/index.html', 'log/tile/0/002'],
      changed: ['don-vi/00304/index.html', 'log/checkpoint'],
      removed: ['ket-luan/rut/index.html', 'log/tile/0/001.p/7'],
    });

    // Assess
    expect(plan.invalidations).toEqual(['/don-vi/00304/index.html', '/ket-luan/rut/index.html', '/log/checkpoint']);
  });

  it('has nothing to do when nothing changed', () => {
    // Act
    const plan = planPublication({ added: [], changed: [], removed: [] });

    // Assess
    expect(plan).toEqual({ uploads: [], deletions: [], invalidations: [] });
  });
});

describe('invalidationPaths', () => {
  it('falls back to one wildcard above the limit, and names each path at or under it', () => {
    // Prepare
    const paths = Array.from({ length: 5 }, (_, i) => `don-vi/${i}/index.html`);

    // Act / Assess
    expect(invalidationPaths(paths, 5)).toHaveLength(5);
    expect(invalidationPaths(paths, 4)).toEqual([EVERYTHING]);
  });

  it('encodes what CloudFront needs encoded', () => {
    // Act / Assess
    expect(invalidationPaths(['tìm kiếm/index.html'], 10)).toEqual(['/t%C3%ACm%20ki%E1%BA%BFm/index.html']);
  });
});

describe('reconciliationReport', () => {
  it('counts every differing file and page, leaving the search index out of the count', () => {
    // Act
    const report = reconciliationReport(
      {
        added: ['don-vi/1/index.html', 'pagefind/fragment/x.pf_fragment'],
        changed: ['data/units/1.json'],
        removed: ['en/units/2/index.html'],
      },
      'incremental',
    );

    // Assess
    expect(report).toEqual({
      reconciliation: 'incremental',
      differingFiles: 3,
      differingPages: 2,
      paths: ['data/units/1.json', 'don-vi/1/index.html', 'en/units/2/index.html'],
    });
  });
});

describe('bucketReport', () => {
  // What the last publication left, the bucket now (one page edited behind its back, one deleted, a stray added),
  // and a build from data read later (a change the last publication did not carry yet)
  const lastPublication = digests({
    'a/index.html': '1',
    'b/index.html': '2',
    'c/index.html': '3',
    'data/units/1.json': '4',
    'pagefind/x.pf_meta': '5',
  });
  const listing = digests({
    'a/index.html': '1',
    'b/index.html': 'edited',
    'data/units/1.json': '4',
    'pagefind/x.pf_meta': '5',
    'stray.html': '6',
  });
  const built = digests({
    'a/index.html': '1-new',
    'b/index.html': '2',
    'c/index.html': '3',
    'data/units/1.json': '4-new',
    'd/index.html': '7',
    'pagefind/x.pf_meta': '5-new',
  });

  it('counts as drift only where the bucket is not what the last publication left, and the rest as pending', () => {
    // Act
    const report = bucketReport(diffDigests(built, listing), listing, lastPublication);

    // Assess: b edited, c deleted, the stray added: drift; a, the unit file and the new page d: pending; the search
    // index in neither count
    expect(report).toEqual({
      reconciliation: 'bucket',
      differingFiles: 3,
      differingPages: 3,
      paths: ['b/index.html', 'c/index.html', 'stray.html'],
      pendingFiles: 3,
    });
  });

  it('counts nothing when the bucket is what the last publication left, however much is pending', () => {
    // Act
    const report = bucketReport(diffDigests(built, lastPublication), lastPublication, lastPublication);

    // Assess
    expect(report).toMatchObject({ differingFiles: 0, paths: [], pendingFiles: 3 });
  });

  it('counts every difference from the build without a record of the last publication', () => {
    // Act
    const changes = diffDigests(built, listing);
    const report = bucketReport(changes, listing, undefined);

    // Assess
    expect(report).toEqual(reconciliationReport(changes, 'bucket'));
    expect(report.differingFiles).toBe(6);
    expect(report).not.toHaveProperty('pendingFiles');
  });
});
