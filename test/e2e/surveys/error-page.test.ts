import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/dynamodb-local.js';
import { type Stack, startStack } from '../../../local/stack.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { UnitRegistry } from '../../../shared/units/registry.js';
import { testUnits } from '../../support/survey-fixtures.js';

/**
 * The API's HTML error page for the survey form, in Chromium with JavaScript OFF, through the local stack: a
 * plain form posts, the API answers 422/409 with the form again, and the page passes axe (WCAG 2.2 AA rules),
 * keeps the citizen's values, links the summary to the fields and fits a 360 px screen.
 * The form posted here is a stand-in with the site's field names (the site's own pages have their own tests).
 */

const CHROMIUM = '/usr/bin/chromium';

const STAND_IN_FORM = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Đánh giá</title></head><body><main>
<form method="post" action="/api/v1/surveys">
<input type="hidden" name="unit" value="00301"><input type="hidden" name="lang" value="LANG">
<label for="d">Mã hồ sơ</label><input id="d" name="dossierCode">
${['access', 'procedures', 'staff', 'results']
  .map(
    (a) =>
      `<fieldset><legend>${a}</legend>${[1, 2, 3, 4, 5].map((n) => `<label><input type="radio" name="ratings.${a}" value="${n}"> ${n}</label>`).join('')}</fieldset>`,
  )
  .join('\n')}
<fieldset><legend>feedback</legend><label><input type="radio" name="ratings.feedback" value=""> n/a</label></fieldset>
<fieldset><legend>overall</legend>${[1, 2, 3, 4, 5].map((n) => `<label><input type="radio" name="overall" value="${n}"> ${n}</label>`).join('')}</fieldset>
<label for="c">Ý kiến</label><textarea id="c" name="comment"></textarea>
<button type="submit">Gửi</button></form></main></body></html>`;

describe.skipIf(!existsSync(CHROMIUM))('survey form error page in Chromium', () => {
  let stack: Stack;
  let dataDir: string;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-survey-errors-'));
    stack = await startStack({
      port: await freePort(),
      dataDir,
      inMemory: true,
      // The test serves stand-in form pages from site/current: no site build may swap them out.
      buildSite: null,
      env: { SURVEY_RATE_LIMIT: '1000', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    await saveUnits(stack.doc, stack.tables.records, testUnits, new UnitRegistry(testUnits));
    for (const lang of ['vi', 'en']) {
      const dir = join(dataDir, 'site', 'current', `e2e-form-${lang}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'index.html'), STAND_IN_FORM.replace('LANG', lang));
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  /** A 360 px page on the stand-in form; JavaScript off unless axe needs it (axe runs as a script). */
  async function openForm(lang: 'vi' | 'en', javaScriptEnabled = false): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${stack.origin}/e2e-form-${lang}/`);
    return page;
  }

  /** Posts the stand-in form with a code too short, no rating for staff, and a comment to keep. */
  async function submitWithErrors(page: Page) {
    await page.fill('#d', 'AB');
    for (const aspect of ['access', 'procedures', 'results'])
      await page.check(`input[name="ratings.${aspect}"][value="4"]`);
    await page.check('input[name="overall"][value="5"]');
    await page.fill('#c', 'Chờ hơi lâu');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    return response;
  }

  it('shows the form again with the errors and values, readable at 360 px (422, JavaScript off)', async () => {
    // Prepare
    const page = await openForm('vi');
    // Act
    const response = await submitWithErrors(page);
    // Assess
    expect(response?.status()).toBe(422);
    expect(await page.locator('#error-summary li').count()).toBe(2);
    expect(await page.inputValue('#dossierCode')).toBe('AB');
    expect(await page.inputValue('#comment')).toBe('Chờ hơi lâu');
    expect(await page.isChecked('#ratings-access-4')).toBe(true);
    expect(await page.getAttribute('#dossierCode', 'aria-invalid')).toBe('true');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    // The summary link moves focus to the field, without JavaScript.
    await page.click('#error-summary a[href="#ratings-staff-1"]');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('ratings-staff-1');
    await page.context().close();
  });

  it('passes axe (WCAG 2.2 AA rules) on the 422 page', async () => {
    const page = await openForm('vi', true);
    expect((await submitWithErrors(page))?.status()).toBe(422);
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.context().close();
  });

  it('accepts the corrected form from the error page itself (303 to the thank-you page)', async () => {
    const page = await openForm('en');
    await page.fill('#d', 'X');
    const [first] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(first?.status()).toBe(422);
    await page.fill('#dossierCode', `E2E-${process.pid}-fixed`);
    for (const field of ['ratings-access', 'ratings-procedures', 'ratings-staff', 'ratings-results', 'overall']) {
      await page.check(`#${field}-4`);
    }
    const [second] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    // The thank-you page is the site's; the stand-in site has none, so the redirect target answers 404 here.
    expect(second?.request().redirectedFrom()?.url()).toBe(`${stack.origin}/api/v1/surveys`);
    expect(new URL(page.url()).pathname).toBe('/en/survey/thank-you/');
    await page.context().close();
  });

  it('tells a second rating of the same dossier, in English, and passes axe (409)', async () => {
    const code = `E2E-${process.pid}-dup`;
    for (let i = 0; i < 2; i++) {
      const page = await openForm('en', true);
      await page.fill('#d', code);
      for (const aspect of ['access', 'procedures', 'staff', 'results'])
        await page.check(`input[name="ratings.${aspect}"][value="3"]`);
      await page.check('input[name="overall"][value="3"]');
      const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
      if (i === 1) {
        expect(response?.status()).toBe(409);
        expect(await page.locator('html').getAttribute('lang')).toBe('en');
        expect(await page.locator('#dossierCode-error').textContent()).toContain('already been rated');
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
        expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      }
      await page.context().close();
    }
  });
});
