/**
 * A unit manager and an HMC educator in real Chromium: dashboard with chart and tables, a filter, a
 * person's record, the CSV download; HMC's overview and a course page. axe-core checks every page.
 * Also checks that the charts and tables are there without JavaScript.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSession, type BrowserSession } from '../support/browser';
import { SHIPPED_COURSES, type TestApp } from '../support/test-app';
import { buildHandMadeData, type HandMadeData } from '../stats/hand-made-data';

let s: BrowserSession;
let t: TestApp;
let base: string;
let browser: Browser;
let violations: string[];
let d: HandMadeData;
beforeAll(async () => {
  s = await startBrowserSession('stats', { coursesDir: SHIPPED_COURSES });
  ({ t, base, browser, violations } = s);
  d = await buildHandMadeData(t.db);
  await t.services.stats.refreshViews();
  // Chromium, the shipped courses and the hand-made data: as slow as the journey itself on a busy machine.
}, 240_000);

afterAll(async () => {
  // beforeAll may have failed before the browser started.
  await (s as BrowserSession | undefined)?.close();
});

const visit = (page: Page, name: string) => s.visit(page, name);
const login = (page: Page, email: string) => s.logIn(page, email);

describe('statistics in Chromium', () => {
  it('lets a unit manager find who lacks a course and open their record, and HMC read a course, every page passing axe', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      acceptDownloads: true,
      locale: 'sv-SE',
    });
    const page = await context.newPage();
    await login(page, d.m1.email);
    await page.getByRole('link', { name: 'Statistik' }).click();
    await page.waitForURL(/\/statistik\/chef$/);
    await visit(page, 'manager');
    expect(await page.getByRole('img', { name: 'Status för kurser som krävs, per kurs' }).count()).toBe(1);
    expect(await page.locator('#lacking tbody tr').count()).toBe(5);

    await page
      .getByLabel('Kurs', { exact: true })
      .selectOption({ label: 'Förflyttning – hjälpmedel och säkert arbetssätt' });
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForURL(/course=/);
    expect(await page.locator('#lacking tbody tr').count()).toBe(3);
    await visit(page, 'manager-filtered');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Ladda ner som CSV' }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('Cecilia Tre');
    expect(csv).not.toContain('Erik Fem');

    await page.getByRole('link', { name: 'Anna Ett' }).click();
    await page.waitForURL(/\/statistik\/personer\/\d+$/);
    expect(await page.locator('h1').textContent()).toBe('Anna Ett');
    await visit(page, 'person');

    const hmc = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
    const hp = await hmc.newPage();
    await login(hp, d.educator.email);
    await hp.goto(`${base}/statistik`);
    await hp.waitForURL(/\/statistik\/hmc$/);
    await visit(hp, 'hmc');
    await hp.getByRole('link', { name: 'Hjälpmedel – grunden' }).click();
    await hp.waitForURL(/\/statistik\/hmc\/kurser\/hjalpmedel-grunden/);
    expect(await hp.getByRole('img', { name: 'Andel rätt per fråga' }).count()).toBe(1);
    await visit(hp, 'hmc-course');

    // Without JavaScript the charts (server-drawn SVG) and their tables are all there.
    const noJs = await browser.newContext({ javaScriptEnabled: false, locale: 'sv-SE' });
    const np = await noJs.newPage();
    await login(np, d.educator.email);
    await np.goto(`${base}/statistik/hmc/kurser/hjalpmedel-grunden`);
    expect(await np.locator('svg.chart').count()).toBe(3);
    expect(await np.locator('table.data-table').count()).toBeGreaterThanOrEqual(7);

    expect(violations).toEqual([]);
  }, 240_000);
});
