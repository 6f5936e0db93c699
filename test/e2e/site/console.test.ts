import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/dynamodb-local.js';
import { type Stack, startStack } from '../../../local/stack.js';
import { jwkThumbprint, publicJwkFromPem } from '../../../shared/agencies/keys.js';
import { registerAgency } from '../../../shared/agencies/service.js';
import { signAgencyRequest, signingKeyFromPem } from '../../../shared/auth/sign-agency-request.js';
import { type ConclusionContent, contentOf } from '../../../shared/conclusions/records.js';
import { DynamoAgencyRepository } from '../../../shared/storage/agencies-repository.js';
import { DynamoUnitLookup } from '../../../shared/storage/units-repository.js';
import { buildSite } from '../../../site/scripts/build.js';
import { parseCsv, writeCsv } from '../../../site/src/lib/console/csv.js';
import { generateKeyPair } from '../../support/agency-fixtures.js';
import { tinyRegistry, writeSiteFixture } from '../../support/site-fixture.js';
import { axeViolations, launchChromium, watchCsp } from './browser.js';

/**
 * The agency console (/dang-tai/) in Chromium against the whole local stack (DynamoDB Local, the API's
 * handlers, the aggregation): a clerk chooses the key file, publishes a conclusion with its PDF, corrects it
 * (version 2), meets a conflicting correction (412, what changed), retracts it; then uploads 200 rows of CSV
 * with 5 bad ones. The network log shows that the private key never leaves the browser and that every write
 * carries an EdDSA token. The site is built once from a tiny fixture (the console needs no data to be built);
 * the stack's own open data (the registry loaded by the seed) is what the page reads.
 */

const CHROMIUM = '/usr/bin/chromium';

/** The few DOM members the page functions below use (the tests compile without the DOM library). */
declare const document: {
  querySelector(selector: string): { textContent: string | null; value?: number } | null;
};
const AGENCY = 'e2e-console';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

describe.skipIf(!existsSync(CHROMIUM))('the agency console in Chromium', () => {
  let stack: Stack;
  let dataDir: string;
  let browser: Browser;
  let keyFile: string;
  let privatePem: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-console-'));
    const port = await freePort();
    const fixture = writeSiteFixture(join(dataDir, 'fixture'), { registry: tinyRegistry(), seed: 3, conclusions: 2 });
    await buildSite({
      dataDir: fixture.dir,
      outDir: join(dataDir, 'site', 'current'),
      origin: `http://127.0.0.1:${port}`,
    });
    stack = await startStack({
      port,
      dataDir,
      inMemory: true,
      seed: true,
      buildSite: null,
      env: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    const keys = generateKeyPair();
    privatePem = keys.privatePem;
    await registerAgency(
      { id: AGENCY, name: 'Đoàn kiểm tra (thử nghiệm)', jurisdiction: ['01'], publicKeyPem: keys.publicPem },
      {
        agencies: new DynamoAgencyRepository(stack.doc, stack.tables.records),
        units: new DynamoUnitLookup(stack.doc, stack.tables.records),
      },
    );
    keyFile = join(dataDir, 'agency-private-key.pem');
    writeFileSync(keyFile, privatePem, { mode: 0o600 });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  /** The console with the key chosen, and the log of every request the page makes. */
  async function openConsole(
    path = '/dang-tai/',
  ): Promise<{ context: BrowserContext; page: Page; seen: Seen[]; csp: string[] }> {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const csp = watchCsp(page);
    // Script errors count as CSP problems: the test fails on either, with the message.
    page.on('pageerror', (error) => csp.push(`page error: ${error.message}`));
    const seen: Seen[] = [];
    page.on('request', (request) => {
      const buffer = request.postDataBuffer();
      seen.push({
        method: request.method(),
        url: request.url(),
        headers: request.headers(),
        body: buffer ? buffer.toString('latin1') : '',
      });
    });
    await page.goto(`${stack.origin}${path}`);
    await page.waitForSelector('[data-console][data-ready="true"]');
    await page.fill('[name="agency"]', AGENCY);
    await page.setInputFiles('input[name="privateKey"]', keyFile);
    await page.click('#key-form button[type="submit"]');
    await page.waitForFunction(
      (agency) => document.querySelector('#key-status')?.textContent?.includes(agency),
      AGENCY,
    );
    return { context, page, seen, csp };
  }

  /** Every request the page sent: none carries the key; every write to the API carries an EdDSA token. */
  function assessNetwork(seen: readonly Seen[]): void {
    const keyBody = privatePem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    for (const request of seen) {
      const everything = `${request.url} ${JSON.stringify(request.headers)} ${request.body}`;
      expect(everything).not.toContain('PRIVATE KEY');
      expect(everything.replace(/\s+/g, '')).not.toContain(keyBody.slice(0, 40));
      expect(everything).not.toContain(Buffer.from(keyBody, 'base64').toString('latin1').slice(-32));
      if (request.method !== 'GET' && new URL(request.url).pathname.startsWith('/api/v1/')) {
        const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
        expect(decodeProtectedHeader(token).alg, `${request.method} ${request.url}`).toBe('EdDSA');
      }
    }
  }

  /** Clicks a button that sends, and waits until the page is done with the answer (and any PDF upload). */
  async function send(page: Page, button: string): Promise<string> {
    await page.$eval('#record-result', (result) => result.setAttribute('data-state', ''));
    await page.click(button);
    await page.waitForSelector('#record-result[data-state="done"]');
    return (await page.textContent('#record-result')) ?? '';
  }

  const api = async (path: string) => (await (await fetch(`${stack.origin}${path}`)).json()) as Record<string, unknown>;

  it('publishes, corrects and retracts a conclusion signed in the browser', async () => {
    // Prepare
    const { context, page, seen, csp } = await openConsole();
    expect(await axeViolations(page)).toEqual([]);

    // Act: nothing filled in: the page says what is missing, in Vietnamese, and sends nothing.
    await page.click('#record-submit');
    await page.waitForSelector('#record-errors:not([hidden])');
    expect(await page.textContent('#f-documentNumber-error')).toBe('bắt buộc');
    expect(await page.getAttribute('[name="documentNumber"]', 'aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    expect(seen.filter((r) => r.method !== 'GET')).toEqual([]);

    // Act: the conclusion, keyboard-reachable fields named by their JSON paths; the unit found without diacritics.
    await page.fill('[name="documentNumber"]', `E2E-${process.pid}/KL-ĐKTCV`);
    await page.fill('[name="issuedOn"]', '2024-05-20');
    await page.selectOption('[name="kind"]', 'surprise');
    await page.fill('#unit-search-1', 'dong da');
    await page.press('#unit-search-1', 'Enter');
    await page.click('button[data-unit-code="006"]');
    expect(await page.inputValue('[name="inspectedUnits"]')).toBe('006');
    await page.check('[name="topics"][value="administrative_discipline"]');
    await page.fill('[name="summary.vi"]', 'Phát hiện 2 cá nhân đi muộn, về sớm.');
    await page.fill('[name="violations.organizations"]', '1');
    await page.fill('[name="violations.individuals"]', '2');
    await page.click('[data-add-row="discipline"]');
    await page.selectOption('[name="discipline.0.form"]', 'reprimand');
    await page.fill('[name="discipline.0.organizations"]', '0');
    await page.fill('[name="discipline.0.individuals"]', '2');
    const pdf = Buffer.from('%PDF-1.4\n% kết luận\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await page.setInputFiles('#attachment', { name: 'ket-luan.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.waitForFunction(() => document.querySelector('#attachment-hash')?.textContent?.includes('SHA-256'));
    expect(await send(page, '#record-submit')).toMatch(/Đã công bố: .+, phiên bản 1\..*Đã đính kèm bản PDF \(SHA-256/);

    // Assess: published, linked, with its PDF's hash.
    const href = (await page.getAttribute('#record-result [data-record-link]', 'href')) ?? '';
    const id = decodeURIComponent(href.match(/^\/ket-luan\/([^/]+)\/$/)?.[1] ?? '');
    expect(id).not.toBe('');
    let record = await api(`/api/v1/conclusions/${encodeURIComponent(id)}`);
    expect(record).toMatchObject({ version: 1, status: 'published', inspectedUnits: ['006'] });
    expect((record.attachment as { sha256: string }).sha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(pdf).digest('hex'),
    );

    // Act: correct it (version 2): the form now holds the record.
    expect(await page.inputValue('[name="summary.vi"]')).toBe('Phát hiện 2 cá nhân đi muộn, về sớm.');
    await page.fill('[name="summary.vi"]', 'Phát hiện 2 cá nhân đi muộn, về sớm; đã chấn chỉnh.');
    await page.fill('[name="reason"]', 'Bổ sung kết quả chấn chỉnh');
    expect(await send(page, '#record-submit')).toMatch(/Đã công bố: .+, phiên bản 2\./);
    record = await api(`/api/v1/conclusions/${encodeURIComponent(id)}`);
    expect(record).toMatchObject({ version: 2, reason: 'Bổ sung kết quả chấn chỉnh' });
    expect((record.summary as { vi: string }).vi).toContain('đã chấn chỉnh');

    // Act: someone else corrects it meanwhile (version 3); the page's next correction meets 412.
    const key = await signingKeyFromPem(AGENCY, privatePem);
    const { id: _id, version: _v, ...rest } = record;
    const other = Buffer.from(
      JSON.stringify({
        // The content of the record as read (shared/conclusions/records.ts), its record-only fields left out.
        ...contentOf(rest as unknown as ConclusionContent),
        violations: { organizations: 1, individuals: 3 },
      }),
    );
    const path = `/api/v1/conclusions/${encodeURIComponent(id)}`;
    const put = await fetch(`${stack.origin}${path}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        'if-match': '"2"',
        authorization: await signAgencyRequest(key, { method: 'PUT', pathWithQuery: path, body: other }),
      },
      body: other,
    });
    expect(put.status).toBe(200);
    await page.fill('[name="legalBasis"]', '24-CT/TU');
    await send(page, '#record-submit');
    expect(await page.textContent('#record-result table.conflict')).toContain('violations.individuals');
    expect(await axeViolations(page)).toEqual([]);
    // Sent again, it corrects the version it was shown (3 → 4).
    expect(await send(page, '#record-submit')).toMatch(/Đã công bố: .+, phiên bản 4\./);

    // Act: retract it.
    await page.fill('#retract-reason', 'Ban hành nhầm đơn vị');
    expect(await send(page, '#retract-submit')).toMatch(/Đã thu hồi: .+, phiên bản 5\./);
    record = await api(`/api/v1/conclusions/${encodeURIComponent(id)}`);
    expect(record).toMatchObject({ version: 5, status: 'retracted' });

    // Assess: the network log and the page's CSP.
    const writes = seen.filter((r) => r.method !== 'GET' && r.url.includes('/api/v1/'));
    expect(
      writes.map(
        (r) =>
          `${r.method} ${new URL(r.url).pathname.replace(id, '{id}').replace(/attachments\/.+$/, 'attachments/…')}`,
      ),
    ).toEqual([
      'POST /api/v1/conclusions',
      'POST /api/v1/conclusions/{id}/attachment',
      'PUT /api/v1/attachments/…',
      'PUT /api/v1/conclusions/{id}',
      'PUT /api/v1/conclusions/{id}',
      'PUT /api/v1/conclusions/{id}',
      'POST /api/v1/conclusions/{id}/retraction',
    ]);
    assessNetwork(seen);
    expect(csp).toEqual([]);
    await context.close();
  }, 240_000);

  it('uploads 200 CSV rows, publishes the 195 good ones and reports the 5 bad ones with row, field and reason', async () => {
    // Prepare: the page's own template, filled with 200 conclusions; five break a rule (CSV lines 11, 51, 91,
    // 131, 171: the header is line 1). Four are caught in the browser, one (an unknown unit) by the API.
    const { context, page, seen, csp } = await openConsole('/en/upload/');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#bulk-template')]);
    const header = parseCsv(readFileSync((await download.path()) ?? '', 'utf8'))[0]?.fields ?? [];
    expect(header).toEqual(expect.arrayContaining(['documentNumber', 'summary.vi', 'discipline.0.form']));
    const rows = Array.from({ length: 200 }, (_, index) => {
      const n = index + 1;
      const row: Record<string, string> = {
        documentNumber: `BULK-${process.pid}-${n}/KL`,
        issuedOn: '2024-06-01',
        kind: 'planned',
        inspectedUnits: '006',
        topics: 'administrative_discipline, procedure_handling',
        'summary.vi': `Kết luận kiểm tra số ${n}, có dấu phẩy.`,
        'violations.organizations': '0',
        'violations.individuals': '1',
        'discipline.0.form': 'warning',
        'discipline.0.organizations': '0',
        'discipline.0.individuals': '1',
      };
      if (n === 10) row.kind = 'raid';
      if (n === 50) row['violations.organizations'] = '1.5';
      if (n === 90) row['summary.vi'] = '';
      if (n === 130) row.inspectedUnits = '99999';
      if (n === 170) row['discipline.0.individuals'] = '5';
      return header.map((column) => row[column] ?? '');
    });
    const csvFile = join(dataDir, 'bulk.csv');
    writeFileSync(csvFile, writeCsv([header, ...rows]));

    // Act
    await page.setInputFiles('#bulk-file', csvFile);
    await page.click('#bulk-form button[type="submit"]');
    await page.waitForFunction(
      () =>
        document.querySelector('#bulk-progress')?.value === 200 && document.querySelector('#bulk-failures') !== null,
      null,
      { timeout: 110_000 },
    );

    // Assess: 195 created, the 5 reported in English (the page's language) with their row, field and reason.
    const created = seen.filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/api/v1/conclusions');
    expect(created).toHaveLength(196);
    expect(await page.textContent('#bulk-status')).toBe(
      '200/200 rows: 195 published, 0 already there, 0 done before, 5 not accepted.',
    );
    const report = await page.$$eval('#bulk-failures tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(report).toEqual([
      ['11', 'kind', 'choose one of the listed values'],
      ['51', 'violations.organizations', 'a whole number'],
      ['91', 'summary.vi', 'required'],
      ['131', 'inspectedUnits.0', 'no unit with code 99999 was in force on 2024-06-01'],
      [
        '171',
        'discipline',
        '5 individuals disciplined (state decided) exceed the 1 violating (violations.individuals)',
      ],
    ]);
    expect(await axeViolations(page)).toEqual([]);

    // Act: the same file again: nothing is sent twice, the report stays.
    const before = seen.length;
    await page.click('#bulk-form button[type="submit"]');
    await page.waitForFunction(() => /195 done before/.test(document.querySelector('#bulk-status')?.textContent ?? ''));
    expect(seen.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await page.$$eval('#bulk-failures tbody tr', (trs) => trs.length)).toBe(5);
    assessNetwork(seen);
    expect(csp).toEqual([]);
    await context.close();
  }, 240_000);

  it('publishes a summary report, drawn from its own schema, and links to its jurisdiction', async () => {
    // Prepare
    const { context, page, seen, csp } = await openConsole();
    await page.check('input[name="recordType"][value="summaries"]');
    expect(await page.isHidden('#attachment-field')).toBe(true);

    // Act: the figures of Hanoi's year to 30 August 2024 as the press stated them (CONTRACT.md).
    await page.fill('[name="documentNumber"]', `BC-E2E-${process.pid}`);
    await page.fill('[name="issuedOn"]', '2024-10-11');
    await page.fill('[name="jurisdiction"]', '01');
    await page.fill('[name="from"]', '2023-08-07');
    await page.fill('[name="to"]', '2024-08-30');
    await page.fill('[name="scope.vi"]', 'UBND thành phố, các sở, ngành');
    await page.fill('[name="inspections.total"]', '911');
    await page.fill('[name="violations.total"]', '873');
    await page.fill('[name="disciplined.total"]', '368');
    await page.fill('[name="sources.0.title"]', 'Hà Nội kiểm tra 911 cuộc công vụ');
    await page.fill('[name="sources.0.publisher"]', 'Kinh tế & Đô thị');
    await page.fill('[name="sources.0.url"]', 'https://kinhtedothi.vn/');
    const text = await send(page, '#record-submit');

    // Assess
    expect(text).toMatch(/Đã công bố: .+, phiên bản 1\./);
    expect(await page.getAttribute('#record-result [data-record-link]', 'href')).toBe('/don-vi/01/');
    const api = (await page.getAttribute('#record-result a[href^="/api/v1/summaries/"]', 'href')) ?? '';
    const summary = (await (await fetch(`${stack.origin}${api}`)).json()) as Record<string, unknown>;
    expect(summary).toMatchObject({ version: 1, jurisdiction: '01', disciplined: { total: 368 } });

    // Act: remember the key on this PC, reload, forget it.
    await page.setInputFiles('input[name="privateKey"]', keyFile);
    await page.check('#remember');
    await page.click('#key-form button[type="submit"]');
    await page.waitForSelector('#forget-key:not([hidden])');
    await page.reload();
    await page.waitForSelector('[data-console][data-ready="true"]');
    await page.waitForSelector('#forget-key:not([hidden])');
    expect(await page.textContent('#key-status')).toContain('đã ghi nhớ trên máy này');
    expect(await page.inputValue('[name="agency"]')).toBe(AGENCY);
    await page.click('#forget-key');
    await page.waitForFunction(
      () => document.querySelector('#key-status')?.textContent === 'Đã xóa khóa khỏi trình duyệt này.',
    );
    await page.reload();
    await page.waitForSelector('[data-console][data-ready="true"]');
    expect(await page.textContent('#key-status')).toBe('Chưa chọn khóa.');

    // Act: make a key pair in the browser; the downloaded private key is the one the shown key id names.
    await page.click('#keygen');
    await page.waitForSelector('#keygen-result:not([hidden])');
    const [keyDownload] = await Promise.all([page.waitForEvent('download'), page.click('#keygen-download')]);
    const madePem = readFileSync((await keyDownload.path()) ?? '', 'utf8');
    const made = await signingKeyFromPem(AGENCY, madePem);
    expect(await page.inputValue('#keygen-kid')).toBe(made.kid);
    expect(await jwkThumbprint(publicJwkFromPem(await page.inputValue('#keygen-public')))).toBe(made.kid);
    assessNetwork(seen);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('says plainly when the browser cannot sign with Ed25519, and shows no form', async () => {
    // Prepare: a browser whose WebCrypto lacks Ed25519 (as older ones do).
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const subtle = globalThis.crypto.subtle;
      const generateKey = subtle.generateKey.bind(subtle);
      subtle.generateKey = ((algorithm: { name?: string }, ...rest: unknown[]) =>
        algorithm?.name === 'Ed25519'
          ? Promise.reject(new DOMException('Unrecognized name', 'NotSupportedError'))
          : (generateKey as (...args: unknown[]) => unknown)(algorithm, ...rest)) as typeof subtle.generateKey;
    });
    const page = await context.newPage();
    // Act
    await page.goto(`${stack.origin}/en/upload/`);
    await page.waitForSelector('#console-unsupported:not([hidden])');
    // Assess
    expect(await page.textContent('#console-unsupported')).toContain('does not support Ed25519');
    expect(await page.getAttribute('#console-unsupported', 'role')).toBe('alert');
    expect(await page.isHidden('[data-console]')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
