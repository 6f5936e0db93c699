import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../local/stack.js';
import { signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import { periodsOfDate } from '../../../shared/time/periods.js';
import { conclusionBody, registerLoadAgency } from '../../support/workload.js';
import { launchChromium } from '../site/browser.js';

/**
 * What a newcomer sees after `npm install && npm start`: the same stack with the whole country's registry, the
 * demo dataset and the real site build; a page that says the site is being built (with progress) until the home
 * page serves HTML with the demo's figures, within two minutes of health; then a conclusion posted through the API
 * on its ward's page within a minute, at national scale (the site's incremental build).
 */
/**
 * CONTRACT.md: a change is on the site within 60 s. Measured on these 2 cores (issue #15, still open): 45–70 s when
 * another test file runs beside this one, as in `npm test`, within 60 s on a machine to itself. The test allows
 * 120 s so that it fails on a regression (a build of every page, a search index in the way: 200–270 s before) and not
 * on a neighbour's load; the 60 s promise is what docs/benchmarks.md measures and what #15 must still make hold.
 */
const FRESHNESS_MS = 120_000;

describe('npm start on an empty store', () => {
  let stack: Stack;
  let dataDir: string;
  let started: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'first-start-'));
    stack = await startStack({ port: 0, dataDir, inMemory: true, seed: true });
    // startStack returns once the API answers: the two minutes count from health.
    started = Date.now();
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('serves the home page with the demo data and health within two minutes', async () => {
    // Assess: before the first build is in, a page that says so (not a bare 503), with the national registry.
    const health = await fetch(`${stack.origin}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const early = await fetch(`${stack.origin}/`);
    if (early.status === 503) {
      expect(early.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await early.text()).toContain('Trang đang được dựng');
    }
    let html = '';
    while (Date.now() - started < 120_000) {
      const response = await fetch(`${stack.origin}/`).catch(() => undefined);
      if (response?.status === 200 && response.headers.get('content-type')?.startsWith('text/html')) {
        html = await response.text();
        // The first build may run before the aggregation has caught up: wait for a build that lists the demo.
        if (html.includes('DEMO-')) break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(html).toContain('<html lang="vi"');
    expect(html).toContain('DEMO-');
    // The whole country's registry, not only the demo's Hanoi and Quảng Ninh.
    const units = (await (await fetch(`${stack.origin}/data/units.json`)).json()) as unknown[];
    expect(units).toHaveLength(14_019);

    const summary = (await (await fetch(`${stack.origin}/data/summary.json`)).json()) as {
      counts: { conclusions: number; surveyResponses: number };
    };
    expect(summary.counts.conclusions).toBeGreaterThan(25);
    expect(summary.counts.surveyResponses).toBeGreaterThan(100);
  });

  it('publishes Đống Đa’s 15 as Party discipline reported for 2024-H1, never counted as state discipline', async () => {
    const dongDa = (await (await fetch(`${stack.origin}/data/units/006.json`)).json()) as {
      periods: Record<string, { disciplined: { individuals: number | null } } | undefined>;
      reported: { from: string; to: string; figures: { disciplined?: Record<string, unknown> } }[];
    };
    const party = dongDa.reported.find((summary) => summary.figures.disciplined?.track === 'party');
    expect(party).toMatchObject({ from: '2024-01-01', to: '2024-06-30' });
    expect(party?.figures.disciplined).toMatchObject({
      individuals: 15,
      byForm: { warning: { individuals: 2 }, reprimand: { individuals: 12 }, expulsion: { individuals: 1 } },
    });
    // Counted figures hold no discipline of Đống Đa's: nothing published here counts one.
    expect(dongDa.periods['2024']?.disciplined.individuals ?? null).not.toBe(15);
  });

  it('shows Hanoi’s seed totals as reported, with their source, beside counted figures that do not include them', async () => {
    const hanoi = (await (await fetch(`${stack.origin}/data/units/01.json`)).json()) as {
      periods: Record<string, { violations: { individuals: number | null } } | undefined>;
      reported: { figures: Record<string, Record<string, unknown>>; sources: { url: string }[] }[];
    };
    const figures = hanoi.reported.map((summary) => summary.figures);
    expect(figures).toContainEqual({ violations: { total: 873 }, disciplined: { total: 368 } });
    expect(figures).toContainEqual({ inspections: { total: 911 } });
    expect(hanoi.reported.every((summary) => summary.sources[0]?.url.startsWith('https://kinhtedothi.vn/'))).toBe(true);
    expect(hanoi.periods['2024']?.violations.individuals ?? 0).toBeLessThan(873);
  });

  it('takes a survey from the site form with JavaScript off, through the real API, to the thank-you page, and back to the form with its error for a second one', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      // Hồng Hà ward (00097 since 2025-07-01): a service point in force today.
      const form = await page.goto(`${stack.origin}/danh-gia/00097/`);
      expect(form?.status()).toBe(200);
      await page.fill('input[name="dossierCode"]', '000.00.15.H26-251120-0042');
      for (const aspect of ['access', 'procedures', 'staff', 'results']) {
        await page.check(`input[name="ratings.${aspect}"][value="4"]`);
      }
      await page.check('input[name="ratings.feedback"][value=""]');
      await page.check('input[name="overall"][value="5"]');
      await Promise.all([
        page.waitForURL(/\/danh-gia\/cam-on\/$/),
        page.click('form[action="/api/v1/surveys"] [type="submit"]'),
      ]);
      expect(new URL(page.url()).pathname).toBe('/danh-gia/cam-on/');

      // The same dossier again: the real API sends the post back to the real form page, which says why.
      await page.goto(`${stack.origin}/danh-gia/00097/`);
      await page.fill('input[name="dossierCode"]', '000.00.15.H26-251120-0042');
      for (const aspect of ['access', 'procedures', 'staff', 'results']) {
        await page.check(`input[name="ratings.${aspect}"][value="3"]`);
      }
      await page.check('input[name="overall"][value="3"]');
      await Promise.all([
        page.waitForURL(/\/danh-gia\/00097\/\?loi=duplicate#loi-duplicate$/),
        page.click('form[action="/api/v1/surveys"] [type="submit"]'),
      ]);
      expect(await page.locator('#loi-duplicate').isVisible()).toBe(true);
      expect(await page.locator('#loi-duplicate').textContent()).toContain('đã được đánh giá');
      await context.close();
    } finally {
      await browser.close();
    }
  });

  // CONTRACT.md promises a change on the site within 60 s, at national scale (FRESHNESS_MS): the export rewrites only the files
  // whose figures changed, and the incremental build links every unchanged page from the served build and renders
  // only the affected ones (site/README.md, "Incremental builds").
  it('shows a conclusion posted through the API on its ward’s page after an incremental build, at national scale', async () => {
    // Prepare: the full national build is in (every page), and an agency for the whole country.
    while (stack.statistics.rebuilder.building !== undefined) await new Promise((r) => setTimeout(r, 1000));
    const signing = await registerLoadAgency(stack.doc, stack.tables.records, 'national-e2e');
    const body = conclusionBody('national', 7);
    const [ward] = body.inspectedUnits as string[];
    const bytes = Buffer.from(JSON.stringify(body));
    const path = '/api/v1/conclusions';
    // The ward's open-data file counts it too, within the 60 s of CONTRACT.md, at national scale (the export path
    // alone; test/integration/local/statistics.test.ts checks the same path on the demo's provinces).
    const [year] = periodsOfDate(String(body.issuedOn));
    const inspections = async () => {
      const file = await fetch(`${stack.origin}/data/units/${ward}.json`);
      if (!file.ok) return 0;
      const unit = (await file.json()) as { periods: Record<string, { inspections: { total: number } } | undefined> };
      return unit.periods[year]?.inspections.total ?? 0;
    };
    const inspectionsBefore = await inspections();

    // Act
    const posted = Date.now();
    const response = await fetch(`${stack.origin}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await signAgencyRequest(signing, { method: 'POST', pathWithQuery: path, body: bytes }),
      },
      body: bytes,
    });
    expect(response.status).toBe(201);
    let shown = false;
    let exported: number | undefined;
    while (!shown && Date.now() - posted < FRESHNESS_MS) {
      if (exported === undefined && (await inspections()) === inspectionsBefore + 1) exported = Date.now() - posted;
      const page = await fetch(`${stack.origin}/don-vi/${ward}/`);
      shown = page.status === 200 && (await page.text()).includes(String(body.documentNumber));
      if (!shown) await new Promise((r) => setTimeout(r, 1000));
    }

    // Assess
    expect(shown).toBe(true);
    expect(Date.now() - posted).toBeLessThan(FRESHNESS_MS);
    // The page is built from the open data, so the file had it no later than the page (read once more if the page
    // came first within the same second).
    exported ??= (await inspections()) === inspectionsBefore + 1 ? Date.now() - posted : undefined;
    expect(exported, 'the ward’s open-data file never counted the conclusion').toBeDefined();
    expect(exported).toBeLessThan(60_000);
  }, 900_000);
});
