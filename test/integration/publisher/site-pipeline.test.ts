import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLogIdentity } from '../../../publisher/log-files.js';
import { pipelinePaths, runSitePipeline, type SitePipelineInput } from '../../../publisher/site-pipeline.js';
import { directoryStore, recordingInvalidator } from '../../../shared/publishing/directory-store.js';
import { PublishLockHeldError } from '../../../shared/publishing/publish-lock.js';
import type { ExportRegistry } from '../../../shared/stats/export.js';
import { publishLockKey } from '../../../shared/storage/keys.js';
import { DynamoPublishLock } from '../../../shared/storage/publish-lock-repository.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';

/**
 * The publishing steps honour the publish lock (publisher/site-pipeline.ts): nothing is exported, built or published
 * while the other publisher holds it, a publisher that may wait starts once it is free, and the lock is released
 * whatever the steps do. The steps themselves (export, Astro build, publication) are proven by
 * test/e2e/functions/site-publisher.test.ts; here a registry that stops the export at its first read shows how
 * far a run got, so no site is built.
 */
describe('runSitePipeline and the publish lock', () => {
  let tables: TestTables;
  let root: string;
  let lock: DynamoPublishLock;

  /** A registry whose first read stops the run: the export began. */
  const stopping = (reads: string[]): ExportRegistry => ({
    all() {
      reads.push('all');
      throw new Error('the export began');
    },
    children: () => [],
    rollupTargets: () => [],
  });

  function input(registry: ExportRegistry, lockOptions: SitePipelineInput['lock']): SitePipelineInput {
    return {
      mode: 'full',
      stateDir: join(root, 'state'),
      siteDir: join(root, 'site'),
      store: { doc: tables.doc, tables: tables.names },
      registry,
      identity: async () => localLogIdentity(root),
      bucket: directoryStore(join(root, 'bucket')),
      record: directoryStore(join(root, 'record')),
      invalidator: recordingInvalidator(),
      lock: lockOptions,
    };
  }

  async function holder(): Promise<unknown> {
    const { Item } = await tables.doc.send(
      new GetCommand({ TableName: tables.names.stats, Key: publishLockKey(), ConsistentRead: true }),
    );
    return Item?.holder;
  }

  beforeAll(async () => {
    tables = await createTestTables('pipeline-lock');
    lock = new DynamoPublishLock(tables.doc, tables.names.stats);
    root = mkdtempSync(join(tmpdir(), 'pipeline-lock-'));
  });

  afterAll(async () => {
    await tables?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('exports, builds and publishes nothing while the other publisher holds the lock', async () => {
    // Prepare: the CodeBuild build holds it
    const now = Date.now();
    await lock.acquire({ owner: 'build', holder: 'codebuild 1', until: now + 60_000 }, now);
    const reads: string[] = [];

    // Act
    const run = runSitePipeline(input(stopping(reads), { holder: 'site-publisher r1', waitMs: 0 }));

    // Assess
    await expect(run).rejects.toThrow(PublishLockHeldError);
    expect(reads).toEqual([]);
    expect(existsSync(pipelinePaths(join(root, 'state')).exportDir)).toBe(false);
    expect(existsSync(join(root, 'bucket')) ? readdirSync(join(root, 'bucket')) : []).toEqual([]);
    expect(existsSync(join(root, 'record'))).toBe(false);
    expect(await holder()).toBe('codebuild 1');
    expect(await lock.release('build')).toBe(true);
  });

  it('waits for the lock when it may, exports holding it, and releases it when a step fails', async () => {
    // Prepare: a holder whose lease runs out in 3 s (it died without releasing it)
    const now = Date.now();
    await lock.acquire({ owner: 'dead', holder: 'site-publisher dead', until: now + 3_000 }, now);
    const reads: string[] = [];
    const lines: string[] = [];

    // Act
    const run = runSitePipeline({
      ...input(stopping(reads), { holder: 'codebuild 2', waitMs: 20_000, pollEveryMs: 50 }),
      log: (line) => lines.push(line),
    });

    // Assess
    await expect(run).rejects.toThrow('the export began');
    expect(reads).toEqual(['all']);
    expect(Date.now() - now).toBeGreaterThanOrEqual(3_000);
    expect(lines).toEqual([
      expect.stringMatching(/^publish lock: held by site-publisher dead until .*; waiting$/),
      'publish lock: taken by codebuild 2',
      'site pipeline (full): export',
      'publish lock: released by codebuild 2',
    ]);
    expect(await holder()).toBeUndefined();
  });
});
