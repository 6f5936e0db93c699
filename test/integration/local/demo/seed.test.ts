import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCreateConclusionHandler } from '../../../../functions/conclusions/create.js';
import { DEMO_AGENCIES, DEMO_CONCLUSIONS } from '../../../../local/demo/dataset.js';
import { seedDemo, seedDemoIfEmpty } from '../../../../local/demo/seed.js';
import { DEMO_SUMMARIES } from '../../../../local/demo/summaries.js';
import { signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';
import { conclusionId } from '../../../../shared/conclusions/records.js';
import { getConclusion } from '../../../../shared/conclusions/service.js';
import { DynamoConclusionStore } from '../../../../shared/storage/conclusions-repository.js';
import { scanCountedRecords } from '../../../../shared/storage/export-reader.js';
import { DynamoSummaryStore } from '../../../../shared/storage/summaries-repository.js';
import { summaryId } from '../../../../shared/summaries/records.js';
import { getSummary } from '../../../../shared/summaries/service.js';
import { call, exampleConclusion, signedEvent, testDependencies } from '../../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { snapshotDiff, snapshotTables } from '../../../support/table-snapshot.js';

let tables: TestTables;
let dataDir: string;

beforeAll(async () => {
  tables = await createTestTables('demo');
  // The demo's synthetic survey responses hash their dossier codes with the configured key, as in the stack.
  process.env.DOSSIER_HMAC_SECRET = 'a-test-key-that-is-long-enough-for-hmac-sha256';
  dataDir = mkdtempSync(join(tmpdir(), 'cong-vu-demo-'));
});

afterAll(async () => {
  await tables.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('seedDemo', () => {
  it('publishes the seed documents’ facts through the services, and a second run changes nothing', async () => {
    // Act
    const first = await seedDemo({ doc: tables.doc, recordsTable: tables.names.records, dataDir });
    const before = await snapshotTables(tables.doc, tables.names);
    const second = await seedDemoIfEmpty({ doc: tables.doc, recordsTable: tables.names.records, dataDir });
    const again = await seedDemo({ doc: tables.doc, recordsTable: tables.names.records, dataDir });
    const after = await snapshotTables(tables.doc, tables.names);

    // Assess
    expect(first).toMatchObject({
      agencies: DEMO_AGENCIES.length,
      conclusionsCreated: DEMO_CONCLUSIONS.length,
      summariesCreated: DEMO_SUMMARIES.length,
      reportsCreated: 0,
    });
    expect(first.surveysCreated).toBeGreaterThan(100);
    // The 25 surprise inspections and the one on direction of the city; the 3 specialized ones of Home Affairs.
    expect(DEMO_CONCLUSIONS.filter((c) => c.agencyId === 'hanoi-dktcv')).toHaveLength(26);
    expect(DEMO_CONCLUSIONS.filter((c) => c.agencyId === 'hanoi-snv')).toHaveLength(3);
    expect(second).toBeUndefined();
    expect(again).toEqual({
      agencies: DEMO_AGENCIES.length,
      conclusionsCreated: 0,
      reportsCreated: 0,
      summariesCreated: 0,
      surveysCreated: 0,
    });
    expect(snapshotDiff(before, after)).toEqual([]);
  }, 180_000); // the demo seeded twice and two snapshots: ~15 s idle, over a minute on a loaded two-core CI machine

  it('records Đống Đa’s 15 as Party discipline of 2024-H1 in a summary, never as a conclusion; Tứ Liên under its pre-2025 id', async () => {
    // Prepare
    const conclusions = { conclusions: new DynamoConclusionStore(tables.doc, tables.names.records) };
    const summaries = { summaries: new DynamoSummaryStore(tables.doc, tables.names.records) };

    // Act
    const dongDa = await getSummary(summaryId('dongda-ubkt', 'DEMO-01/BC-UBKTQU'), summaries);
    const asConclusion = await getConclusion(conclusionId('dongda-ubkt', 'DEMO-01/BC-UBKTQU'), conclusions).then(
      () => 'found',
      (error: Error) => error.message,
    );
    const tuLien = await getConclusion(conclusionId('hanoi-dktcv', 'DEMO-09/KL-ĐKTCV'), conclusions);

    // Assess
    expect(dongDa.record).toMatchObject({ unitId: '006', from: '2024-01-01', to: '2024-06-30' });
    expect(dongDa.record.disciplined).toEqual({
      individuals: 15,
      track: 'party',
      stage: 'decided',
      byForm: { warning: { individuals: 2 }, reprimand: { individuals: 12 }, expulsion: { individuals: 1 } },
    });
    expect(asConclusion).toMatch(/^No conclusion/);
    expect(tuLien.record.unitIds).toEqual(['00097-pre2025']);
  });

  it('gives every demo record its source, and no demo conclusion a figure the record does not give', async () => {
    for (const demo of [...DEMO_CONCLUSIONS, ...DEMO_SUMMARIES]) {
      const sources = demo.body.sources as { url: string }[] | undefined;
      expect(sources?.[0]?.url, String(demo.body.documentNumber)).toMatch(
        /^https:\/\/(kinhtedothi\.vn|www\.vietnam\.vn)\//,
      );
    }
    for (const demo of DEMO_CONCLUSIONS) {
      expect(demo.body.violations, String(demo.body.documentNumber)).toBeUndefined();
      expect(demo.body.discipline, String(demo.body.documentNumber)).toBeUndefined();
    }
  });

  it('flags every demo survey response illustrative, as only a trusted loader can', async () => {
    // Act
    const records = await scanCountedRecords(tables.doc, tables.names.records);

    // Assess
    const surveys = records.filter((item) => item.entity === 'survey');
    expect(surveys.length).toBeGreaterThan(100);
    expect(surveys.every((item) => item.illustrative === true)).toBe(true);
  });

  it('flags the conclusions whose date the source does not give (Hanoi 2024) illustrative, and no other', async () => {
    // Act
    const records = await scanCountedRecords(tables.doc, tables.names.records);

    // Assess: Hanoi's articles give the year only; Quảng Ninh's inspections are dated by their source (2025-02-03).
    const conclusions = records.filter((item) => item.entity === 'conclusion');
    const hanoi = conclusions.filter((item) => String(item.agencyId).startsWith('hanoi-'));
    const others = conclusions.filter((item) => !String(item.agencyId).startsWith('hanoi-'));
    expect(hanoi).toHaveLength(29);
    expect(hanoi.every((item) => item.illustrative === true)).toBe(true);
    expect(others.length).toBeGreaterThan(0);
    expect(others.some((item) => 'illustrative' in item)).toBe(false);
  });

  it('keeps the demo private keys under the data directory, readable by the owner only, and they sign', async () => {
    // Prepare
    const file = join(dataDir, 'demo-keys', 'hanoi-dktcv.pem');
    const deps = testDependencies(tables);
    const found = await deps.agencies.find('hanoi-dktcv');
    const signing = await signingKeyFromPem('hanoi-dktcv', readFileSync(file, 'utf8'));
    const create = createCreateConclusionHandler(() => deps);
    if (!found) throw new Error('the demo agency was not registered');

    // Act
    const answer = await call(
      create,
      await signedEvent(
        { agency: found.agency, keys: { publicPem: '', privatePem: '' }, signing },
        {
          method: 'POST',
          path: '/api/v1/conclusions',
          body: exampleConclusion({ documentNumber: 'NEW-1/KL' }),
        },
      ),
    );

    // Assess
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(answer.status).toBe(201);
  });
});
