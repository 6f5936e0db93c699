import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCreateConclusionHandler } from '../../../../functions/conclusions/create.js';
import { DEMO_CONCLUSIONS } from '../../../../local/demo/dataset.js';
import { seedDemo, seedDemoIfEmpty } from '../../../../local/demo/seed.js';
import { signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';
import { conclusionId } from '../../../../shared/conclusions/records.js';
import { getConclusion } from '../../../../shared/conclusions/service.js';
import { DynamoConclusionStore } from '../../../../shared/storage/conclusions-repository.js';
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
    expect(first).toMatchObject({ agencies: 4, conclusionsCreated: DEMO_CONCLUSIONS.length, reportsCreated: 2 });
    expect(first.surveysCreated).toBeGreaterThan(100);
    expect(DEMO_CONCLUSIONS.filter((c) => c.agencyId === 'hanoi-dktcv')).toHaveLength(25);
    expect(second).toBeUndefined();
    expect(again).toEqual({ agencies: 4, conclusionsCreated: 0, reportsCreated: 0, surveysCreated: 0 });
    expect(snapshotDiff(before, after)).toEqual([]);
  });

  it('records Đống Đa’s 15 disciplined Party members by form, and Tứ Liên under its pre-2025 id', async () => {
    // Prepare
    const store = { conclusions: new DynamoConclusionStore(tables.doc, tables.names.records) };

    // Act
    const dongDa = await getConclusion(conclusionId('dongda-ubkt', 'DEMO-01/BC-UBKTQU'), store);
    const tuLien = await getConclusion(conclusionId('hanoi-dktcv', 'DEMO-09/KL-ĐKTCV'), store);

    // Assess
    expect(dongDa.record.unitIds).toEqual(['006']);
    expect(dongDa.record.violations?.individuals).toBe(15);
    expect(Object.fromEntries(dongDa.record.discipline.map((d) => [d.form, d.individuals]))).toEqual({
      warning: 2,
      reprimand: 12,
      expulsion: 1,
    });
    expect(tuLien.record.unitIds).toEqual(['00097-pre2025']);
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
