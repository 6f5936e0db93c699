import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportToDirectory } from '../../../cli/lib/stats-tasks.js';
import { logger } from '../../../functions/lib/observability.js';
import { compareBuilds, publishBuiltSite } from '../../../publisher/site-publication.js';
import { digestTree, directoryStore, recordingInvalidator } from '../../../shared/publishing/directory-store.js';
import type { ObjectStore } from '../../../shared/publishing/ports.js';
import { readPublicationRecord } from '../../../shared/publishing/publication-record.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { UnitRegistry } from '../../../shared/units/registry.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { testUnits } from '../../support/survey-fixtures.js';
import { surveyItem } from '../../unit/shared/stats/support.js';
import { streamAggregator, streamsClient } from '../functions/aggregation/stream-support.js';

/**
 * The publisher's path as the AWS build runs it, on DynamoDB Local and the file system: survey responses are
 * aggregated from the real stream by the aggregation handler, the open data is exported by the export the build
 * runs (into the folder the build keeps between runs), and the result is published into a directory standing in
 * for the bucket. A second change must write only the files it affects, and the bucket must end up equal to the
 * export, byte for byte; the nightly reconciliation must find (and repair) what changed in the bucket behind the
 * publisher's back. Astro is left out: the incremental page build is proven by test/e2e/site/incremental.test.ts.
 */

describe('publishing the export of a store, incrementally', () => {
  let tables: TestTables;
  let streams: DynamoDBStreamsClient;
  let root: string;
  let site: string;
  let bucket: string;
  let manifest: string;
  let aggregate: () => Promise<void>;
  const registry = new UnitRegistry(testUnits);

  async function respond(hash: string, unitId: string): Promise<void> {
    await tables.doc.send(new PutCommand({ TableName: tables.names.records, Item: surveyItem({ hash, unitId }) }));
    await aggregate();
    await exportToDirectory({ doc: tables.doc, tables: tables.names }, registry, site);
  }

  const publish = (
    mode: 'incremental' | 'reconcile',
    invalidator = recordingInvalidator(),
    record?: { store: ObjectStore; publisher: string },
  ) =>
    publishBuiltSite({
      siteDir: site,
      manifestFile: manifest,
      store: directoryStore(bucket),
      invalidator,
      mode,
      ...(record ? { record } : {}),
    });

  beforeAll(async () => {
    logger.setLogLevel('ERROR');
    tables = await createTestTables('publish');
    streams = streamsClient(tables);
    aggregate = streamAggregator(tables, streams);
    Object.assign(process.env, tables.env);
    await saveUnits(tables.doc, tables.names.records, testUnits, registry);
    root = mkdtempSync(join(tmpdir(), 'site-publication-'));
    site = join(root, 'site');
    bucket = join(root, 'bucket');
    manifest = join(root, 'cache', 'published.json');
  }, 60_000);

  afterAll(async () => {
    streams?.destroy();
    await tables?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('publishes everything the first time, compared with the (empty) bucket', async () => {
    // Prepare
    await respond('first', '00304');
    const invalidator = recordingInvalidator();

    // Act
    const result = await publish('incremental', invalidator);

    // Assess
    expect(result.against).toBe('bucket');
    expect(result.summary.uploaded).toBe(result.files);
    expect(digestTree(bucket)).toEqual(digestTree(site));
    expect(invalidator.requests).toEqual([]);
  });

  it('writes only the files a change affects, and invalidates exactly those', async () => {
    // Prepare: a response in another ward than the first one's
    const before = digestTree(site);
    await respond('second', '00097');
    const after = digestTree(site);
    const changedInExport = [...after.keys()].filter((path) => before.get(path) !== after.get(path)).sort();
    const invalidator = recordingInvalidator();

    // Act
    const result = await publish('incremental', invalidator);

    // Assess: the export kept every other file as it was, and only what it rewrote went out
    expect(result.against).toBe('manifest');
    expect(changedInExport).toContain('data/units/00097.json');
    expect(changedInExport).not.toContain('data/units/00304.json');
    expect(changedInExport.length).toBeLessThan(after.size);
    expect(result.changes.changed).toEqual(changedInExport);
    expect(result.summary.uploaded).toBe(changedInExport.length);
    expect(invalidator.requests).toEqual([changedInExport.map((path) => `/${path}`)]);
    expect(digestTree(bucket)).toEqual(after);
  });

  it('does nothing when nothing changed', async () => {
    // Prepare
    const invalidator = recordingInvalidator();

    // Act
    const result = await publish('incremental', invalidator);

    // Assess
    expect(result.summary).toEqual({ uploaded: 0, deleted: 0, invalidated: [] });
    expect(invalidator.requests).toEqual([]);
  });

  it('reconciles with the bucket itself: reports what differs from the build and puts it right', async () => {
    // Prepare: the bucket changed behind the publisher's back (a page edited, one deleted, a stray added)
    writeFileSync(join(bucket, 'data/units/00304.json'), '{"edited":true}\n');
    rmSync(join(bucket, 'data/units/008.json'));
    cpSync(join(bucket, 'data/units.json'), join(bucket, 'data/stray.json'));
    const incremental = await publish('incremental');
    expect(incremental.summary.uploaded).toBe(0);

    // Act
    const result = await publish('reconcile');

    // Assess
    expect(result.against).toBe('bucket');
    expect(result.report).toEqual({
      reconciliation: 'bucket',
      differingFiles: 3,
      differingPages: 0,
      paths: ['data/stray.json', 'data/units/00304.json', 'data/units/008.json'],
    });
    expect(digestTree(bucket)).toEqual(digestTree(site));
    expect(JSON.parse(readFileSync(manifest, 'utf8')).files).toEqual(Object.fromEntries(digestTree(site)));
  });

  it("counts as drift only what differs from the last publication's record, and a change not yet published as pending", async () => {
    // Prepare: a publication that records itself, then a change exported but not yet published (what the nightly
    // export finds when it comes between a change and its publication) and a file edited in the bucket behind it
    const record = { store: directoryStore(join(root, 'record')), publisher: 'site-publisher r1' };
    await publish('incremental', recordingInvalidator(), record);
    const published = digestTree(site);
    expect((await readPublicationRecord(record.store))?.files).toEqual(published);
    await respond('third', '00301');
    const pending = [...digestTree(site)]
      .filter(([path, digest]) => published.get(path) !== digest)
      .map(([path]) => path);
    writeFileSync(join(bucket, 'data/units/00304.json'), '{"edited":true}\n');

    // Act
    const result = await publish('reconcile', recordingInvalidator(), { ...record, publisher: 'codebuild nightly' });

    // Assess: the edit is drift, the change is pending; both are published, and the record says so
    expect(pending).toContain('data/units/00301.json');
    expect(pending).not.toContain('data/units/00304.json');
    expect(result.report).toEqual({
      reconciliation: 'bucket',
      differingFiles: 1,
      differingPages: 0,
      paths: ['data/units/00304.json'],
      pendingFiles: pending.length,
    });
    expect(digestTree(bucket)).toEqual(digestTree(site));
    expect(await readPublicationRecord(record.store)).toMatchObject({
      files: digestTree(site),
      publisher: 'codebuild nightly',
    });
  });

  it('compares an incremental build with a full one of the same data, page by page, the search index aside', () => {
    // Prepare: a "full" build equal to the export but for one page, one missing, and a different search index
    mkdirSync(join(site, 'don-vi/00304'), { recursive: true });
    writeFileSync(join(site, 'don-vi/00304/index.html'), '<p>00304</p>\n');
    const full = join(root, 'full');
    cpSync(site, full, { recursive: true });
    writeFileSync(join(full, 'don-vi/00304/index.html'), '<p>00304, 2 phản hồi</p>\n');
    rmSync(join(full, 'data/units/008.json'));
    mkdirSync(join(full, 'pagefind'));
    writeFileSync(join(full, 'pagefind/pagefind.vi_1.pf_meta'), 'not byte-stable between builds');

    // Act
    const report = compareBuilds(site, full);
    const same = compareBuilds(site, site);

    // Assess
    expect(report).toEqual({
      reconciliation: 'incremental',
      differingFiles: 2,
      differingPages: 1,
      paths: ['data/units/008.json', 'don-vi/00304/index.html'],
    });
    expect(same.differingFiles).toBe(0);
  });
});
