/**
 * An HMC educator in real Chromium writes a lesson in both variants, watches the LIX change while
 * typing, publishes, and a learner then finds the new text. axe-core checks every page visited.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../support/browser';
import { buildPerson, PASSWORD, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
const violations: string[] = [];
const screenshots = path.join(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  t = await startTestApp();
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  fs.mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

async function visit(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  violations.push(...(await axeViolations(page)));
  await page.screenshot({ path: path.join(screenshots, `authoring-${name}.png`), fullPage: true });
}

async function logIn(page: Page, email: string): Promise<void> {
  await page.goto(`${base}/logga-in`);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.locator('main').getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(/\/mina-kurser$/);
}

describe('an educator in Chromium', () => {
  it('writes a lesson in both variants, sees the LIX, publishes, and a learner reads it', async () => {
    const educator = await buildPerson(t.db, { jobRole: null, permissions: [{ kind: 'educator', organisationId: null, unitId: null }] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    await logIn(page, educator.email);
    await page.getByRole('link', { name: 'Redigera kurser' }).click();
    await visit(page, 'index');
    await page.getByRole('link', { name: 'Testkursen om rullstolar' }).click();
    await visit(page, 'course');
    await page.getByRole('link', { name: 'Bromsarna på rullstolen' }).click();
    await visit(page, 'lesson');

    const standard = 'Innan en förflyttning kontrollerar personalen alltid att rullstolens parkeringsbromsar är ordentligt åtdragna på båda sidor, eftersom en rullande stol annars kan orsaka allvarliga fallolyckor.';
    const easy = 'Lås bromsen på rullstolen. Gör det på båda sidor. Då rullar inte stolen. Då faller ingen.';
    const easyLix = page.locator('[data-readability="easy"] [data-field="lix"]');
    const before = await easyLix.textContent();
    await page.getByLabel('Text').first().fill(standard);
    await page.getByLabel('Text').nth(1).fill(easy);
    await page.waitForFunction((b) => document.querySelector('[data-readability="easy"] [data-field="lix"]')?.textContent !== b, before);
    const lixEasy = Number(await easyLix.textContent());
    const lixStandard = Number(await page.locator('[data-readability="standard"] [data-field="lix"]').textContent());
    expect(lixEasy).toBeLessThan(20);
    expect(lixStandard).toBeGreaterThan(lixEasy + 8);
    await page.waitForFunction(() => document.querySelector('[data-preview="easy"]')?.textContent?.includes('Då faller ingen.'));
    await visit(page, 'lesson-typed');

    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await page.waitForURL(/sparat=1/);
    expect(await page.getByRole('status').first().textContent()).toContain('sparad');
    await page.goto(`${base}/redigera/kurser/test-kurs`);
    await page.getByLabel('Vad har ändrats?').fill('Tydligare om bromsen.');
    await page.getByRole('button', { name: 'Publicera ny version' }).click();
    await page.waitForURL(/publicerad=2/);
    await visit(page, 'published');

    const learner = await buildPerson(t.db);
    const learnerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const learnerPage = await learnerContext.newPage();
    await logIn(learnerPage, learner.email);
    await learnerPage.goto(`${base}/kurser/test-kurs/lektioner/bromsar`);
    expect(await learnerPage.locator('.lesson__body').textContent()).toContain('parkeringsbromsar är ordentligt åtdragna');
    await learnerPage.getByRole('button', { name: 'Lätt svenska' }).click();
    await learnerPage.waitForLoadState('load');
    expect(await learnerPage.locator('.lesson__body').textContent()).toContain('Då faller ingen.');
    await visit(learnerPage, 'learner-reads');

    expect(violations).toEqual([]);
  });
});
