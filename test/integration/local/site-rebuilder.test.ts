import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStreamBatch } from '../../../functions/aggregation/handler.js';
import { logger } from '../../../functions/lib/observability.js';
import { SiteRebuilder } from '../../../local/site-rebuilder.js';
import { UnitFileSchema } from '../../../shared/open-data/schemas.js';
import { DynamoStatsStore, readDirty } from '../../../shared/storage/stats-repository.js';
import { RegistryUnitLookup } from '../../../shared/units/registry-lookup.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { registry, surveyItem } from '../../unit/shared/stats/support.js';
import { readStream, streamsClient } from '../functions/aggregation/stream-support.js';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('SiteRebuilder', () => {
  let tables: TestTables;
  let dataDir: string;
  let rebuilder: SiteRebuilder;
  const built: string[] = [];

  beforeAll(async () => {
    logger.setLogLevel('ERROR');
    tables = await createTestTables('rebuild');
    dataDir = mkdtempSync(join(tmpdir(), 'rebuilder-'));
    rebuilder = new SiteRebuilder({
      doc: tables.doc,
      tables: tables.names,
      dataDir,
      registry,
      repoRoot: dataDir,
      pollMs: 100,
      quietMs: 300,
      maxWaitMs: 2_000,
      // A stand-in for the Astro build: proves what data it was given.
      buildSite: async ({ dataDir: data, outDir }) => {
        mkdirSync(outDir, { recursive: true });
        writeFileSync(join(outDir, 'index.html'), readFileSync(join(data, 'summary.json')));
        built.push(outDir);
      },
    });
    rebuilder.start();
  });

  afterAll(async () => {
    await rebuilder?.stop();
    await tables?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports and builds once on start although nothing is dirty, and swaps the build in', async () => {
    // Act
    await until(() => rebuilder.builds >= 1, 60_000);

    // Assess
    const unit = UnitFileSchema.parse(JSON.parse(readFileSync(join(dataDir, 'export/data/units/00304.json'), 'utf8')));
    expect(unit.unit.name).toBe('Phường Vĩnh Hưng');
    expect(unit.periods).toEqual({});
    expect(readlinkSync(join(dataDir, 'site/current'))).toMatch(/^build-\d+$/);
    expect(existsSync(join(dataDir, 'site/current/index.html'))).toBe(true);
  });

  it('re-exports after figures change, swaps in a new build, deletes the old one and records builtVersion', async () => {
    // Prepare: one response, aggregated by the handler (which bumps the dirty version)
    await until(() => rebuilder.builds >= 1, 60_000);
    const first = readlinkSync(join(dataDir, 'site/current'));
    await tables.doc.send(new PutCommand({ TableName: tables.names.records, Item: surveyItem({ hash: 'one' }) }));
    const streams = streamsClient(tables);
    const records = await readStream(tables, streams);
    streams.destroy();
    const deps = {
      lookup: new RegistryUnitLookup(registry),
      store: new DynamoStatsStore(tables.doc, tables.names.stats),
    };

    // Act
    await processStreamBatch({ Records: records }, deps);
    await until(async () => {
      const dirty = await readDirty(tables.doc, tables.names.stats);
      return dirty.version > 0 && dirty.builtVersion === dirty.version && rebuilder.builds >= 2;
    }, 60_000);

    // Assess
    const unit = UnitFileSchema.parse(JSON.parse(readFileSync(join(dataDir, 'export/data/units/008.json'), 'utf8')));
    expect(unit.periods['2024-05']?.satisfaction.responses).toBeNull(); // 1 response: withheld
    // No conclusion to count from in that month: null, never 0 (CONTRACT.md, "Published statistics").
    expect(unit.periods['2024-05']?.inspections.total).toBeNull();
    const current = readlinkSync(join(dataDir, 'site/current'));
    expect(current).not.toBe(first);
    // The old build is removed in the background (swapCurrent): wait for it, and fail if it stays.
    const builds = () => readdirSync(join(dataDir, 'site')).filter((name) => name.startsWith('build-'));
    await until(() => builds().length === 1, 30_000).catch(() => undefined);
    expect(builds()).toEqual([current]);
  });
});
