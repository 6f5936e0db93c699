import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStreamBatch } from '../../../functions/aggregation/handler.js';
import { logger } from '../../../functions/lib/observability.js';
import { REPO_ROOT } from '../../../local/stack.js';
import { ConclusionFileSchema, SummaryFileSchema, UnitFileSchema } from '../../../shared/open-data/schemas.js';
import { counterKey } from '../../../shared/storage/keys.js';
import { DynamoStatsStore } from '../../../shared/storage/stats-repository.js';
import { DynamoUnitLookup } from '../../../shared/storage/units-repository.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { saveTestUnits } from '../../support/units.js';
import { conclusionItem, registry, surveyItem } from '../../unit/shared/stats/support.js';
import { readStream, streamsClient } from '../functions/aggregation/stream-support.js';

describe('npm run stats', () => {
  let tables: TestTables;
  let out: string;

  beforeAll(async () => {
    logger.setLogLevel('ERROR');
    tables = await createTestTables('cli-stats');
    out = mkdtempSync(join(tmpdir(), 'stats-export-'));
    await saveTestUnits(tables.doc, tables.names.records, registry);
    const items = [
      surveyItem({ hash: 'one' }),
      surveyItem({ hash: 'two', overall: 2 }),
      conclusionItem({ id: 'k1', unitIds: ['00304', '00238'], violations: { organizations: 0, individuals: 2 } }),
    ];
    for (const Item of items) await tables.doc.send(new PutCommand({ TableName: tables.names.records, Item }));
    await tables.doc.send(
      new PutCommand({
        TableName: tables.names.records,
        Item: {
          pk: 'CONCLUSION#k1',
          sk: 'V#000001',
          entity: 'conclusion-version',
          ...items[2],
          summary: { vi: 'Tóm tắt' },
        },
      }),
    );
    const streams = streamsClient(tables);
    const records = await readStream(tables, streams);
    streams.destroy();
    await processStreamBatch(
      { Records: records },
      {
        lookup: new DynamoUnitLookup(tables.doc, tables.names.records),
        store: new DynamoStatsStore(tables.doc, tables.names.stats),
      },
    );
  }, 120_000);

  afterAll(async () => {
    await tables?.drop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const stats = (...args: string[]) => {
    const result = spawnSync('npx', ['tsx', 'cli/stats.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...tables.env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  it('verifies, then fails with a diff when a counter is off, and rebuild repairs it', async () => {
    // Prepare: a year's item of the layout before issue #15 (a sum of everything in the year), as a deployed table
    // still holds: readers ignore it (the months hold the same records) and rebuild deletes it
    await tables.doc.send(
      new PutCommand({
        TableName: tables.names.stats,
        Item: { pk: 'FIG#U#008#2024#0', sk: 'FIG', entity: 'counter', surveys: 2, conclusions: 1 },
      }),
    );
    const clean = stats('verify', '--settle', '0');
    await tables.doc.send(
      new UpdateCommand({
        TableName: tables.names.stats,
        Key: counterKey('U#008', '2024', 0),
        UpdateExpression: 'ADD surveys :five',
        ExpressionAttributeValues: { ':five': 5 },
      }),
    );

    // Act
    const broken = stats('verify', '--settle', '0');
    const rebuilt = stats('rebuild', '--settle', '0');
    const again = stats('verify', '--settle', '0');

    // Assess
    expect(clean.output).toContain('verify: ok');
    expect(clean.status).toBe(0);
    expect(broken.status).toBe(1);
    expect(broken.output).toContain('U#008|2024 surveys: expected 2, counted 7');
    expect(rebuilt.output).toContain('rebuild: 1 bucket(s) corrected');
    expect(rebuilt.output).toContain('rebuild: 1 counter item(s) of the earlier layout removed');
    expect(rebuilt.status).toBe(0);
    expect(again.status).toBe(0);
  }, 180_000);

  it('exports the open-data files in their schemas', () => {
    // Act
    const result = stats('export', '--out', out);

    // Assess
    expect(result.output).toMatch(/export: \d+ files/);
    expect(result.status).toBe(0);
    const summary = SummaryFileSchema.parse(JSON.parse(readFileSync(join(out, 'data/summary.json'), 'utf8')));
    expect(summary.counts).toEqual({ conclusions: 1, surveyResponses: 2, reports: 0 });
    expect(summary.roots.map((root) => root.id)).toContain('01');
    const ward = UnitFileSchema.parse(JSON.parse(readFileSync(join(out, 'data/units/00304.json'), 'utf8')));
    expect(ward.periods['2024']?.inspections.total).toBe(1);
    expect(ward.periods['2024']?.satisfaction.responses).toBeNull();
    const file = ConclusionFileSchema.parse(JSON.parse(readFileSync(join(out, 'data/conclusions/k1.json'), 'utf8')));
    expect(file.versions).toHaveLength(1);
    const csv = readFileSync(join(out, 'data/figures.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFunit_id,unit_code,unit_name,period,inspections_total')).toBe(true);
    expect(csv).toContain('00304,00304,Phường Vĩnh Hưng,2024,1,');
  }, 180_000);

  it('answers wrong arguments with the usage and exit code 2', () => {
    // Act
    const result = stats('recount');

    // Assess
    expect(result.status).toBe(2);
    expect(result.output).toContain('usage: npm run stats -- verify | rebuild | export [--out DIR]');
  });
});
