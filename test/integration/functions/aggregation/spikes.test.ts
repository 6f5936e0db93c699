import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpikes } from '../../../../cli/admin/spikes.js';
import { exportToDirectory } from '../../../../cli/lib/stats-tasks.js';
import { processStreamBatch } from '../../../../functions/aggregation/handler.js';
import { logger } from '../../../../functions/lib/observability.js';
import { type IntegrityFile, IntegrityFileSchema } from '../../../../shared/open-data/schemas.js';
import { SPIKE_MIN_RESPONSES } from '../../../../shared/stats/methodology.js';
import { DynamoSpikeStore } from '../../../../shared/storage/spikes-repository.js';
import { DynamoStatsStore, readDirty } from '../../../../shared/storage/stats-repository.js';
import { DynamoUnitLookup, saveUnits } from '../../../../shared/storage/units-repository.js';
import { vietnamDate } from '../../../../shared/time/periods.js';
import { UnitRegistry } from '../../../../shared/units/registry.js';
import { spikesUnderReview } from '../../../../site/src/lib/integrity.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { testUnits } from '../../../support/survey-fixtures.js';
import { surveyItem } from '../../../unit/shared/stats/support.js';
import { putAll, readStream, streamsClient } from './stream-support.js';

/**
 * Spikes on DynamoDB Local: responses stream in, the real aggregation counts them per hour exactly once and flags
 * the hour, the export lists it under review, and the admin CLI's review clears it, recording who.
 */
describe('survey spikes, from the stream to their review', () => {
  let tables: TestTables;
  let streams: DynamoDBStreamsClient;
  let out: string;
  const lines: string[] = [];

  const deps = () => ({
    lookup: new DynamoUnitLookup(tables.doc, tables.names.records),
    store: new DynamoStatsStore(tables.doc, tables.names.stats),
    spikes: new DynamoSpikeStore(tables.doc, tables.names.stats),
  });
  const exported = async (): Promise<IntegrityFile> => {
    await exportToDirectory({ doc: tables.doc, tables: tables.names }, new UnitRegistry(testUnits), out);
    return IntegrityFileSchema.parse(JSON.parse(readFileSync(join(out, 'data/integrity.json'), 'utf8')));
  };

  beforeAll(async () => {
    logger.setLogLevel('ERROR');
    tables = await createTestTables('spikes');
    streams = streamsClient(tables);
    await saveUnits(tables.doc, tables.names.records, testUnits, new UnitRegistry(testUnits));
    out = mkdtempSync(join(tmpdir(), 'spikes-'));
  });

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    streams?.destroy();
    await tables?.drop();
  });

  it('flags a unit whose responses in an hour far exceed its usual level, once, and lists it under review', async () => {
    // Prepare: 45 responses to one ward within seconds (so at least 23 in one hour, whatever the clock), and a
    // few to another ward, which stay below the floor
    const date = vietnamDate(new Date());
    const burst = Array.from({ length: 45 }, (_, i) => surveyItem({ hash: `burst${i}`, unitId: '00301', date }));
    const quiet = Array.from({ length: 3 }, (_, i) => surveyItem({ hash: `quiet${i}`, unitId: '00097', date }));
    await putAll(tables.doc, tables.names.records, [...burst, ...quiet]);
    const stream = await readStream(tables, streams);
    const before = await readDirty(tables.doc, tables.names.stats);

    // Act: delivered twice, as Lambda may
    const first = await processStreamBatch({ Records: stream }, deps());
    const again = await processStreamBatch({ Records: stream }, deps());
    const file = await exported();

    // Assess
    expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    const spikes = await deps().spikes.list();
    expect(spikes.map((s) => s.unitId)).toEqual(['00301']);
    const spike = spikes[0];
    expect(spike?.responses).toBeGreaterThanOrEqual(SPIKE_MIN_RESPONSES);
    // Counted once per response, not once per delivery
    const hours = await deps().spikes.hourlyCounts('00301', '0000-00-00T00', '9999-12-31T23');
    expect([...hours.values()].reduce((sum, n) => sum + n, 0)).toBe(45);
    expect((await readDirty(tables.doc, tables.names.stats)).version).toBeGreaterThan(before.version);
    expect(file.spikes).toEqual([
      expect.objectContaining({ unit: '00301', hour: spike?.hour, status: 'underReview', reviewedAt: null }),
    ]);
    expect(spikesUnderReview(file, '00301')).toHaveLength(1);
    expect(spikesUnderReview(file, '00097')).toEqual([]);
  });

  it('clears the mark when an admin reviews the spike, recording who, and publishes when but not who', async () => {
    // Prepare
    const [spike] = await deps().spikes.list();
    const hour = spike?.hour ?? '';
    const context = {
      doc: tables.doc,
      statsTable: tables.names.stats,
      out: (line: string) => void lines.push(line),
      now: () => new Date('2026-11-29T09:00:00Z'),
      actor: () => 'os-user',
    };

    // Act
    await runSpikes(['review', '00301', hour, '--by', 'Nguyễn Văn An', '--note', 'Đã gọi điện xác minh.'], context);
    const file = await exported();

    // Assess
    const [stored] = await deps().spikes.list();
    expect(stored).toMatchObject({ reviewedBy: 'Nguyễn Văn An', reviewedAt: '2026-11-29T09:00:00.000Z' });
    expect(file.spikes).toEqual([
      expect.objectContaining({ unit: '00301', status: 'reviewed', reviewedAt: '2026-11-29T09:00:00.000Z' }),
    ]);
    expect(JSON.stringify(file)).not.toContain('Nguyễn Văn An');
    expect(spikesUnderReview(file, '00301')).toEqual([]);
    expect(lines.at(-1)).toContain('reviewed 00301');
  });

  it('refuses to review a spike that was never flagged', async () => {
    // Act / Assess
    await expect(
      runSpikes(['review', '00097', '2026-11-29T10'], {
        doc: tables.doc,
        statsTable: tables.names.stats,
        out: () => {},
        now: () => new Date(),
        actor: () => 'os-user',
      }),
    ).rejects.toThrow(/No spike/);
  });
});
