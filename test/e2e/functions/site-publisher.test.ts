import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../../functions/lib/observability.js';
import { createSitePublisher, type SitePublisherAnswer } from '../../../functions/site-publisher/handler.js';
import { localLogIdentity } from '../../../publisher/log-files.js';
import { pipelinePaths, runSitePipeline } from '../../../publisher/site-pipeline.js';
import { digestTree, directoryStore, recordingInvalidator } from '../../../shared/publishing/directory-store.js';
import { readPublicationRecord } from '../../../shared/publishing/publication-record.js';
import { DynamoPublishLock } from '../../../shared/storage/publish-lock-repository.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { UnitRegistry } from '../../../shared/units/registry.js';
import { streamAggregator, streamsClient } from '../../integration/functions/aggregation/stream-support.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { testUnits } from '../../support/survey-fixtures.js';
import { surveyItem } from '../../unit/shared/stats/support.js';

/**
 * The site publisher's function (functions/site-publisher/handler.ts) run in-process as the workflow invokes it,
 * on DynamoDB Local, with the real Astro build and a directory standing in for the bucket: responses are
 * aggregated from the real stream, and each invocation runs the whole pipeline (export, incremental build, log,
 * publication). One change must publish exactly the files its build changed, and answer exactly those paths for
 * the workflow to invalidate.
 */

describe('the site-publisher function', () => {
  let tables: TestTables;
  let streams: DynamoDBStreamsClient;
  let root: string;
  let state: string;
  let site: string;
  let bucket: string;
  let record: string;
  let aggregate: () => Promise<void>;
  let publish: (event: unknown, context?: { awsRequestId?: string }) => Promise<SitePublisherAnswer>;
  const registry = new UnitRegistry(testUnits);

  async function respond(hash: string, unitId: string): Promise<void> {
    await tables.doc.send(new PutCommand({ TableName: tables.names.records, Item: surveyItem({ hash, unitId }) }));
    await aggregate();
  }

  beforeAll(async () => {
    logger.setLogLevel('ERROR');
    tables = await createTestTables('site-publisher');
    streams = streamsClient(tables);
    aggregate = streamAggregator(tables, streams);
    Object.assign(process.env, tables.env);
    await saveUnits(tables.doc, tables.names.records, testUnits, registry);
    root = mkdtempSync(join(tmpdir(), 'site-publisher-'));
    // As on the function's EFS access point: the state folder and the built site, kept between invocations.
    state = join(root, 'efs', 'state');
    site = join(root, 'efs', 'site');
    bucket = join(root, 'bucket');
    record = join(root, 'build-cache');
    const identity = localLogIdentity(root);
    publish = createSitePublisher(() => ({
      stateDir: state,
      siteDir: site,
      store: { doc: tables.doc, tables: tables.names },
      registry: () => registry,
      identity: async () => identity,
      bucket: async () => directoryStore(bucket),
      // As the build-cache bucket holds it in AWS: the record of the last publication, shared with the nightly run.
      record: async () => directoryStore(record),
    }));
  }, 120_000);

  afterAll(async () => {
    streams?.destroy();
    await tables?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('publishes the whole site the first time, compared with the empty bucket, and keeps published snapshots', async () => {
    // Prepare: a month's snapshot already published (written once, never replaced or deleted)
    await respond('first', '00304');
    const snapshot = 'data/snapshots/2020-01/summary.json';
    mkdirSync(join(bucket, 'data/snapshots/2020-01'), { recursive: true });
    writeFileSync(join(bucket, snapshot), '{"month":"2020-01"}\n');

    // Act
    const answer = await publish({ action: 'publish', version: '1' });

    // Assess
    expect(answer.against).toBe('bucket');
    expect(answer.pages).toBeGreaterThan(0);
    expect(answer.invalidate).toEqual([]);
    expect(digestTree(bucket)).toEqual(digestTree(site));
    expect(readFileSync(join(bucket, snapshot), 'utf8')).toBe('{"month":"2020-01"}\n');
    expect(digestTree(site).has('log/checkpoint')).toBe(true);
  }, 600_000);

  it('publishes one change as exactly the files it changed, and answers exactly those paths to invalidate', async () => {
    // Prepare: a response in another ward than the first one's
    const before = digestTree(site);
    await respond('second', '00097');

    // Act
    const answer = await publish({ action: 'publish', version: '2' });

    // Assess: what the build changed went out, and nothing else; the bucket equals the build byte for byte
    const after = digestTree(site);
    const changed = [...after.keys()].filter((path) => before.has(path) && before.get(path) !== after.get(path));
    const added = [...after.keys()].filter((path) => !before.has(path));
    const removed = [...before.keys()].filter((path) => !after.has(path));
    expect(answer.against).toBe('manifest');
    expect(changed).toContain('data/units/00097.json');
    expect(changed).not.toContain('data/units/00304.json');
    expect(changed.some((path) => path.includes('00097') && path.endsWith('index.html'))).toBe(true);
    expect(changed.filter((path) => path.includes('00304') && path.endsWith('index.html'))).toEqual([]);
    expect(answer.uploaded).toBe(changed.length + added.length);
    expect(answer.deleted).toBe(removed.length);
    expect(answer.rendered).toBeLessThan(answer.pages ?? 0);
    expect([...answer.invalidate].sort()).toEqual([...changed, ...removed].map((path) => `/${path}`).sort());
    expect(answer.invalidationCount).toBe(answer.invalidate.length);
    expect(digestTree(bucket)).toEqual(after);
  }, 600_000);

  it('publishes no unit page and no unit file when nothing changed (only what the export dates)', async () => {
    // Act
    const answer = await publish({ action: 'publish', version: '2' });

    // Assess: the export dates its summary (generatedAt) and the sitemap its pages; no unit's page or data moves
    expect(answer).toMatchObject({ against: 'manifest', deleted: 0 });
    expect(answer.uploaded).toBe(answer.invalidationCount);
    expect(answer.invalidate.filter((path) => /^\/(don-vi|en\/units|data\/units)\//.test(path))).toEqual([]);
    expect(answer.invalidate.length).toBeLessThan(5);
    expect(digestTree(bucket)).toEqual(digestTree(site));
  }, 600_000);

  it('after the nightly run published, forgets its manifest, compares with the bucket and repairs it', async () => {
    // Prepare: the bucket as another publisher left it
    writeFileSync(join(bucket, 'data/units/00304.json'), '{"edited":true}\n');

    // Act
    const answer = await publish({ action: 'publish', version: '3', against: 'bucket' });

    // Assess
    expect(readFileSync(pipelinePaths(state).manifestFile, 'utf8')).toContain('data/units/00304.json');
    expect(answer.against).toBe('bucket');
    expect(answer.invalidate).toContain('/data/units/00304.json');
    expect(answer.invalidate.filter((path) => /^\/(don-vi|en\/units|data\/units)\//.test(path))).toEqual([
      '/data/units/00304.json',
    ]);
    expect(digestTree(bucket)).toEqual(digestTree(site));
  }, 600_000);

  it("runs the nightly mode of the same steps (CodeBuild's): a build of every page compared, published against the bucket", async () => {
    // Prepare: a change the function has not published yet, and a file changed in the bucket behind its back
    await respond('third', '00304');
    const lastPublication = await readPublicationRecord(directoryStore(record));
    writeFileSync(join(bucket, 'data/units/00097.json'), '{"edited":true}\n');
    const lines: string[] = [];

    // Act
    const result = await runSitePipeline({
      mode: 'full',
      stateDir: state,
      siteDir: site,
      store: { doc: tables.doc, tables: tables.names },
      registry,
      identity: async () => localLogIdentity(root),
      bucket: directoryStore(bucket),
      record: directoryStore(record),
      invalidator: recordingInvalidator(),
      lock: { holder: 'codebuild nightly', waitMs: 0 },
      log: (line) => lines.push(line),
    });

    // Assess: the incremental build equals the build of every page; the bucket's edit is found and repaired; both
    // reports are printed as JSON lines (the build log's metric filter reads them)
    expect(result.incrementalReport).toMatchObject({ reconciliation: 'incremental', differingFiles: 0 });
    expect(result.publication.against).toBe('bucket');
    // Only the edit is drift (the alarm's count); the change, found by the nightly before the function published
    // it, is pending: published here, not counted
    expect(lastPublication?.publisher).toBe('site-publisher local');
    expect(result.publication.report).toMatchObject({ differingFiles: 1, paths: ['data/units/00097.json'] });
    const built = digestTree(site);
    const published = lastPublication?.files ?? new Map();
    const pending = [...new Set([...built.keys(), ...published.keys()])].filter(
      (path) => !path.startsWith('pagefind/') && built.get(path) !== published.get(path),
    );
    expect(pending.length).toBeGreaterThan(0);
    expect(result.publication.report?.pendingFiles).toBe(pending.length);
    expect((await readPublicationRecord(directoryStore(record)))?.files).toEqual(digestTree(site));
    expect(result.rendered).toBeGreaterThanOrEqual(result.pages);
    expect(lines.filter((line) => line.startsWith('{"reconciliation"'))).toHaveLength(2);
    expect(digestTree(bucket)).toEqual(digestTree(site));
    expect(existsSync(`${site}-full`)).toBe(false);
    expect(existsSync(pipelinePaths(state).fullCacheDir)).toBe(false);
    expect(lines[0]).toBe('publish lock: taken by codebuild nightly');
    expect(lines.at(-1)).toBe('publish lock: released by codebuild nightly');
  }, 600_000);

  it('fails at once with PublishLockHeldError, the name the workflow catches, while the CodeBuild build holds the lock', async () => {
    // Prepare: the nightly build holds it; a change comes (in a ward no response named yet, so its file changes)
    const lock = new DynamoPublishLock(tables.doc, tables.names.stats);
    const now = Date.now();
    expect(await lock.acquire({ owner: 'build', holder: 'codebuild nightly', until: now + 60_000 }, now)).toEqual({
      acquired: true,
    });
    await respond('fourth', '00301');
    const before = digestTree(bucket);

    // Act
    const refused = publish({ action: 'publish', version: '4' }, { awsRequestId: 'r-4' });

    // Assess: nothing published; once the build released it, the invocation after it publishes the change
    await expect(refused).rejects.toMatchObject({
      name: 'PublishLockHeldError',
      held: { holder: 'codebuild nightly' },
    });
    expect(digestTree(bucket)).toEqual(before);
    expect(await lock.release('build')).toBe(true);
    const answer = await publish({ action: 'publish', version: '4', against: 'bucket' }, { awsRequestId: 'r-5' });
    expect(answer.invalidate).toContain('/data/units/00301.json');
    expect(digestTree(bucket)).toEqual(digestTree(site));
  }, 600_000);

  it('refuses an event it does not know', async () => {
    await expect(publish({ action: 'rebuild-everything' })).rejects.toThrow();
    await expect(publish({ action: 'publish', against: 'cache' })).rejects.toThrow();
  });
});
