import { describe, expect, it } from 'vitest';
import {
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
