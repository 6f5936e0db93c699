import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLogIdentity, writeLocalLog } from '../../../publisher/log-files.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { readCheckpoint } from '../../support/tlog-reference.js';

/**
 * The log's step into a folder (publisher/log-files.ts) on DynamoDB Local and the file system: the log's key kept in
 * the data folder, the log written where a site or `npm start`'s export serves it, and the closed month's snapshot
 * taken once from the open data already there. The log's content itself is proven with entries by
 * test/integration/functions/log/handler.test.ts.
 */

/** Every file under a folder, relative to it. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

describe('the log written into a folder', () => {
  let tables: TestTables;
  let root: string;

  beforeAll(async () => {
    tables = await createTestTables('log-files');
    root = mkdtempSync(join(tmpdir(), 'log-files-'));
  });

  afterAll(async () => {
    await tables?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('makes the local log key once, readable by its owner only, and signs with it from then on', () => {
    // Prepare
    const dataDir = join(root, 'data-dir');

    // Act
    const first = localLogIdentity(dataDir, 'log-files.localhost/log');
    const again = localLogIdentity(dataDir, 'log-files.localhost/log');

    // Assess
    expect(statSync(join(dataDir, 'log-key.pem')).mode & 0o777).toBe(0o600);
    expect(again.verifierKey).toBe(first.verifierKey);
    expect(first.origin).toBe('log-files.localhost/log');
  });

  it('writes the signed checkpoint and the closed month’s snapshot of the open data, whole files only, once', async () => {
    // Prepare: the open data as the export left it in the folder.
    const out = join(root, 'export');
    mkdirSync(join(out, 'data'), { recursive: true });
    writeFileSync(join(out, 'data/summary.json'), '{"counts":{"conclusions":3}}\n');
    const identity = localLogIdentity(join(root, 'data-dir'), 'log-files.localhost/log');
    const store = { doc: tables.doc, tables: tables.names };

    // Act: the first build in November, then another later that month after the open data changed.
    const summary = await writeLocalLog(store, identity, out, new Date('2026-11-02T01:00:00Z'));
    const manifest = readFileSync(join(out, 'data/snapshots/2026-10/manifest.json'), 'utf8');
    writeFileSync(join(out, 'data/summary.json'), '{"counts":{"conclusions":4}}\n');
    await writeLocalLog(store, identity, out, new Date('2026-11-20T01:00:00Z'));

    // Assess
    expect(summary.size).toBe(0);
    expect(readCheckpoint(readFileSync(join(out, 'log/checkpoint'), 'utf8'), identity.verifierKey).size).toBe(0);
    expect(readFileSync(join(out, 'data/snapshots/2026-10/summary.json'), 'utf8')).toBe(
      '{"counts":{"conclusions":3}}\n',
    );
    expect(readFileSync(join(out, 'data/snapshots/2026-10/manifest.json'), 'utf8')).toBe(manifest);
    expect(JSON.parse(readFileSync(join(out, 'data/snapshots/index.json'), 'utf8'))).toEqual({ months: ['2026-10'] });
    // Each file was renamed into place: no temporary file is left for a reader to find.
    expect(filesUnder(out).filter((path) => path.endsWith('.tmp'))).toEqual([]);
  });
});
