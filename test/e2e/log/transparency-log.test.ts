import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type Stack, startStack } from '../../../local/stack.js';
import { signAgencyRequest, signingKeyFromPem } from '../../../shared/auth/sign-agency-request.js';
import { DynamoLogStore } from '../../../shared/storage/log-repository.js';
import { exampleConclusion } from '../../support/agency-fixtures.js';
import { TEST_PROVINCES } from '../../support/units.js';

/**
 * The transparency log end to end on a fresh `npm start` (demo data, real site build): publishing, correcting and
 * retracting a conclusion through the API adds three entries within 60 s; `npm run verify` passes against the
 * running site, and fails, naming what, once a byte of a stored entry or tile is changed.
 * The stack holds the demo's provinces (`UNITS_PROVINCES`, as test/support/units.ts), not the whole country: nothing
 * here depends on the registry's size, and with the national one this file waited some four minutes for a build of
 * 37,000 pages before the conclusion page showed its proofs. National scale is start.test.ts's subject.
 */
describe('the transparency log of a running stack', () => {
  let stack: Stack;
  let dataDir: string;
  let id = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'log-e2e-'));
    stack = await startStack({
      port: 0,
      dataDir,
      inMemory: true,
      seed: true,
      env: { UNITS_PROVINCES: TEST_PROVINCES.join(',') },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  const checkpointSize = async (): Promise<number> => {
    const response = await fetch(`${stack.origin}/log/checkpoint`).catch(() => undefined);
    if (!response?.ok) return -1;
    return Number((await response.text()).split('\n')[1]);
  };

  // Asynchronous: the stack serves the site from this very process, so a synchronous child would wait for ever.
  const verify = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'cli/verify.ts', '--site', stack.origin, ...args],
        // Generous: a loaded machine takes a while to start tsx; the checks themselves take a second.
        { cwd: REPO_ROOT, encoding: 'utf8', timeout: 170_000 },
        (error, stdout, stderr) => {
          const code = (error as { code?: unknown } | null)?.code;
          done({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
        },
      );
    });

  it('adds an entry for each of publish, correct and retract within 60 seconds', { timeout: 300_000 }, async () => {
    // Prepare: the demo data is logged first (its versions are signed too), and published.
    await stack.statistics.logPoller.drain();
    const logged = await new DynamoLogStore(stack.doc, stack.tables.stats).size();
    let before = -1;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && before !== logged) {
      before = await checkpointSize();
      if (before !== logged) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(before).toBe(logged);
    expect(before).toBeGreaterThan(25);
    const key = await signingKeyFromPem(
      'hanoi-dktcv',
      readFileSync(join(dataDir, 'demo-keys', 'hanoi-dktcv.pem'), 'utf8'),
    );
    const send = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
      const bytes = Buffer.from(JSON.stringify(body));
      const authorization = await signAgencyRequest(key, { method, pathWithQuery: path, body: bytes });
      const response = await fetch(`${stack.origin}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json', ...headers },
        body: bytes,
      });
      expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
      return (await response.json()) as { id: string; version: number };
    };

    // Act
    const started = Date.now();
    const content = exampleConclusion({ documentNumber: 'E2E-LOG/KL' });
    id = (await send('POST', '/api/v1/conclusions', content)).id;
    await send(
      'PUT',
      `/api/v1/conclusions/${id}`,
      { ...content, summary: { vi: 'Đã sửa' }, reason: 'Đính chính' },
      { 'if-match': '"1"' },
    );
    await send('POST', `/api/v1/conclusions/${id}/retraction`, { reason: 'Thu hồi' });
    let after = before;
    while (Date.now() - started < 60_000 && after < before + 3) {
      await new Promise((r) => setTimeout(r, 1000));
      after = await checkpointSize();
    }

    // Assess
    expect(after).toBe(before + 3);
    const index = (await (await fetch(`${stack.origin}/data/log-index.json`)).json()) as {
      entries: Record<string, number>;
    };
    expect([1, 2, 3].map((v) => index.entries[`conclusion#${id}#${v}`])).toEqual([before, before + 1, before + 2]);
  });

  it('passes npm run verify, and links each version’s proof from the conclusion page', async () => {
    // Act
    const run = await verify('--save', join(dataDir, 'saved-checkpoint'));

    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/OK: \d+ entries/);
    const file = (await (await fetch(`${stack.origin}/data/conclusions/${id}.json`)).json()) as {
      versions: { signature?: { proof: string } }[];
    };
    expect(file.versions.map((v) => v.signature?.proof)).toEqual(
      [1, 2, 3].map((v) => `/data/proofs/conclusion/${id}/${v}.tlog-proof`),
    );
    const proof = await fetch(`${stack.origin}${file.versions[2]?.signature?.proof}`);
    expect(proof.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await proof.text()).toMatch(/^c2sp\.org\/tlog-proof@v1\nindex \d+\n/);
    // The site is rebuilt from the open data: the page names the proof of each version.
    let html = '';
    const deadline = Date.now() + 420_000;
    while (Date.now() < deadline && !html.includes(`${id}/3.tlog-proof`)) {
      const page = await fetch(`${stack.origin}/ket-luan/${id}/`).catch(() => undefined);
      html = page?.ok ? await page.text() : '';
      if (!html.includes(`${id}/3.tlog-proof`)) await new Promise((r) => setTimeout(r, 2000));
    }
    for (const v of [1, 2, 3]) expect(html).toContain(`/data/proofs/conclusion/${id}/${v}.tlog-proof`);
  }, 720_000);

  it('fails, saying what, when a byte of a stored entry or of a tile is changed', { timeout: 600_000 }, async () => {
    const tiles = join(dataDir, 'export', 'log', 'tile');
    // The bundle and the tile the current checkpoint names (older partial ones stay beside them, unused).
    const size = Number(readFileSync(join(dataDir, 'export', 'log', 'checkpoint'), 'utf8').split('\n')[1]);
    const name = size >= 256 ? '000' : `000.p/${size}`;
    const entries = join(tiles, 'entries', name);
    const original = readFileSync(entries);
    const changed = Buffer.from(original);
    changed[60] = (changed[60] as number) ^ 0x01;
    writeFileSync(entries, changed);
    const broken = await verify('--since', join(dataDir, 'saved-checkpoint'));
    writeFileSync(entries, original);

    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/FAILED .*(do not hash to the checkpoint's root|not a valid log entry|signature)/);

    const tile = join(tiles, '0', name);
    const tileBytes = readFileSync(tile);
    const changedTile = Buffer.from(tileBytes);
    changedTile[0] = (changedTile[0] as number) ^ 0x80;
    writeFileSync(tile, changedTile);
    const brokenTile = await verify();
    writeFileSync(tile, tileBytes);

    expect(brokenTile.status).toBe(1);
    expect(brokenTile.stderr).toMatch(
      /FAILED \/log\/tile\/0\/000(\.p\/\d+)?: does not match the entries and the checkpoint/,
    );
    expect((await verify('--since', join(dataDir, 'saved-checkpoint'))).status).toBe(0);
  });
});
