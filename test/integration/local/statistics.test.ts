import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type Stack, startStack } from '../../../local/stack.js';
import { registerAgency } from '../../../shared/agencies/service.js';
import { type SigningKey, signAgencyRequest, signingKeyFromPem } from '../../../shared/auth/sign-agency-request.js';
import { type UnitFile, UnitFileSchema } from '../../../shared/open-data/schemas.js';
import { DynamoAgencyRepository } from '../../../shared/storage/agencies-repository.js';
import { readDirty } from '../../../shared/storage/stats-repository.js';
import { DynamoUnitLookup } from '../../../shared/storage/units-repository.js';
import { TEST_PROVINCES } from '../../support/units.js';

/**
 * The statistics path of `npm start` end to end: the API accepts a conclusion, the stream poller feeds the
 * aggregation handler, the rebuilder exports, and `/data/units/<id>.json` of the ward, its district and Hanoi show
 * it within 60 seconds. Then `npm run stats -- verify` passes after corrections, a retraction and surveys.
 */

const AGENCY = 'e2e-stats-team';
const UNITS_PROVINCES = TEST_PROVINCES.join(',');

describe('statistics through the local stack', () => {
  let stack: Stack;
  let dataDir: string;
  let key: SigningKey;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stats-e2e-'));
    // No Astro build here (the rebuilder's own test covers the swap): the open data is what this test reads. The
    // demo's provinces (`UNITS_PROVINCES`, as test/support/units.ts), not the whole country: the path is the same, and
    // the national registry cost this file two of its two and a half minutes (writing 14,019 units, exporting them
    // after each change). The export's 60 s at national scale is checked by test/e2e/local/start.test.ts, whose
    // stack is national anyway.
    stack = await startStack({
      port: 0,
      dataDir,
      inMemory: true,
      seed: true,
      buildSite: null,
      env: { SURVEY_RATE_LIMIT: '1000', UNITS_PROVINCES },
    });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    await registerAgency(
      {
        id: AGENCY,
        name: 'Đoàn kiểm tra (thử nghiệm)',
        jurisdiction: ['01'],
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
      {
        agencies: new DynamoAgencyRepository(stack.doc, stack.tables.records),
        units: new DynamoUnitLookup(stack.doc, stack.tables.records),
      },
    );
    key = await signingKeyFromPem(AGENCY, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  const send = async (method: 'POST' | 'PUT', path: string, body: unknown, headers: Record<string, string> = {}) => {
    const bytes = Buffer.from(JSON.stringify(body));
    const authorization = await signAgencyRequest(key, { method, pathWithQuery: path, body: bytes });
    const response = await fetch(`${stack.origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization, ...headers },
      body: bytes,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const unitFile = async (id: string): Promise<UnitFile | undefined> => {
    const response = await fetch(`${stack.origin}/data/units/${id}.json`);
    return response.ok ? UnitFileSchema.parse(await response.json()) : undefined;
  };

  const inspections = (file: UnitFile | undefined, period: string) => file?.periods[period]?.inspections.total ?? 0;

  /** Waits until the stream is aggregated and the open data exported from it (the demo data, at first). */
  const settled = async () => {
    await stack.statistics.poller.drain(120_000);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const dirty = await readDirty(stack.doc, stack.tables.stats);
      if (dirty.builtVersion >= dirty.version && (await unitFile('01'))) return;
      if (Date.now() > deadline) throw new Error('the open data was not exported');
      await sleep(500);
    }
  };

  const conclusion = (overrides: Record<string, unknown> = {}) => ({
    documentNumber: 'E2E-1/KL',
    issuedOn: '2024-05-20',
    kind: 'surprise',
    inspectedUnits: ['00304'],
    topics: ['administrative_discipline'],
    summary: { vi: 'Kiểm tra đột xuất.' },
    violations: { organizations: 0, individuals: 2 },
    discipline: [{ form: 'reprimand', organizations: 0, individuals: 2 }],
    ...overrides,
  });

  it('shows an accepted conclusion in the ward, district and city files within 60 seconds', async () => {
    // Prepare: the figures once the demo data is aggregated and exported
    await settled();
    const before = await Promise.all(['00304', '008', '01'].map(unitFile));

    // Act
    const accepted = Date.now();
    const created = await send('POST', '/api/v1/conclusions', conclusion());
    expect(created.status).toBe(201);
    let after: (UnitFile | undefined)[] = before;
    while (Date.now() - accepted < 60_000) {
      after = await Promise.all(['00304', '008', '01'].map(unitFile));
      if (after.every((file, i) => inspections(file, '2024-05') === inspections(before[i], '2024-05') + 1)) break;
      await sleep(500);
    }

    // Assess
    const seconds = (Date.now() - accepted) / 1000;
    after.forEach((file, i) => {
      expect(inspections(file, '2024-05'), `${file?.unit.id}`).toBe(inspections(before[i], '2024-05') + 1);
    });
    expect(seconds).toBeLessThan(60);
  }, 180_000);

  it('publishes a summary with unsplit totals as stated within 60 seconds, beside the counted figures; a correction and a retraction follow', async () => {
    // Prepare
    await settled();
    const countedBefore = (await unitFile('01'))?.periods['2024'];
    const summary = {
      documentNumber: 'E2E-BC/2024',
      issuedOn: '2024-10-11',
      jurisdiction: '01',
      from: '2023-08-07',
      to: '2024-08-30',
      scope: { vi: 'Toàn thành phố (thử nghiệm)' },
      violations: { total: 9873 },
      disciplined: { total: 9368 },
      sources: [{ title: 'Bài báo thử nghiệm', url: 'https://example.org/bc' }],
    };
    const reportedNow = async (predicate: (file: UnitFile | undefined) => boolean) => {
      const started = Date.now();
      let file = await unitFile('01');
      while (!predicate(file) && Date.now() - started < 60_000) {
        await sleep(500);
        file = await unitFile('01');
      }
      return { file, seconds: (Date.now() - started) / 1000 };
    };
    const mine = (file: UnitFile | undefined) => file?.reported.find((s) => s.documentNumber === 'E2E-BC/2024');

    // Act
    const created = await send('POST', '/api/v1/summaries', summary);
    const published = await reportedNow((file) => mine(file) !== undefined);
    const corrected = await send(
      'PUT',
      `/api/v1/summaries/${String(created.body.id)}`,
      { ...summary, disciplined: { total: 9369 } },
      { 'if-match': '"1"' },
    );
    const correctedFile = await reportedNow((file) => mine(file)?.version === 2);
    const retracted = await send('POST', `/api/v1/summaries/${String(created.body.id)}/retraction`, {
      reason: 'Thử nghiệm.',
    });
    const gone = await reportedNow((file) => file !== undefined && mine(file) === undefined);

    // Assess
    expect(created.status).toBe(201);
    expect(published.seconds).toBeLessThan(60);
    expect(mine(published.file)?.figures).toEqual({ violations: { total: 9873 }, disciplined: { total: 9368 } });
    expect(mine(published.file)?.sources[0]?.url).toBe('https://example.org/bc');
    // Reported, never added: the counted figures of the city are what they were.
    expect(published.file?.periods['2024']).toEqual(countedBefore);
    expect(corrected.status).toBe(200);
    expect(mine(correctedFile.file)?.figures.disciplined).toEqual({ total: 9369 });
    expect(retracted.status).toBe(200);
    expect(gone.seconds).toBeLessThan(60);
    expect(mine(gone.file)).toBeUndefined();
  }, 240_000);

  it('passes `npm run stats -- verify` after a correction, a retraction and survey responses', async () => {
    // Prepare
    const second = await send('POST', '/api/v1/conclusions', conclusion({ documentNumber: 'E2E-2/KL' }));
    expect(second.status).toBe(201);
    const id = String(second.body.id);
    const corrected = await send(
      'PUT',
      `/api/v1/conclusions/${id}`,
      conclusion({
        documentNumber: 'E2E-2/KL',
        issuedOn: '2024-06-02',
        violations: { organizations: 1, individuals: 3 },
      }),
      { 'if-match': '"1"' },
    );
    expect(corrected.status).toBe(200);
    const retracted = await send('POST', `/api/v1/conclusions/${id}/retraction`, { reason: 'Ban hành nhầm.' });
    expect(retracted.status).toBe(200);
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${stack.origin}/api/v1/surveys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          unit: '00301',
          dossierCode: `000.00.15.H26-240512-${String(i).padStart(4, '0')}`,
          ratings: { access: 5, procedures: 4, staff: 3, results: 4, feedback: null },
          overall: 4,
        }),
      });
      expect(response.status).toBe(201);
    }
    await settled();

    // Act
    const verify = spawnSync('npx', ['tsx', 'cli/stats.ts', 'verify', '--settle', '2'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        RECORDS_TABLE: '',
        STATS_TABLE: '',
        DYNAMODB_ENDPOINT: '',
        UNITS_PROVINCES,
      },
      encoding: 'utf8',
      timeout: 120_000,
    });

    // Assess
    expect(verify.stderr + verify.stdout).toMatch(/verify: ok/);
    expect(verify.status).toBe(0);
  }, 180_000);
});
