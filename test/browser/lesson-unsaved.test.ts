/** The lesson editor asks before leaving with unsaved text, and not after saving (issue 14), in real Chromium. */
import type { Dialog } from 'playwright-core';
import { startBrowserSession, type BrowserSession } from '../support/browser';
import { buildPerson } from '../support/test-app';

let s: BrowserSession;
beforeAll(async () => {
  s = await startBrowserSession('lesson-unsaved');
});
afterAll(async () => {
  // beforeAll may have failed before the browser started.
  await (s as BrowserSession | undefined)?.close();
});

describe('the lesson editor', () => {
  it('warns before leaving with changed text, and lets the person leave freely once it is saved', async () => {
    const educator = await buildPerson(s.t.db, {
      jobRole: null,
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    await s.logIn(page, educator.email);
    const lessonUrl = `${s.base}/redigera/kurser/test-kurs/lektioner/bromsar`;
    await page.goto(lessonUrl);

    // Nothing typed: leaving asks nothing.
    const dialogs: string[] = [];
    const record = (d: Dialog) => {
      dialogs.push(d.type());
      void d.dismiss();
    };
    page.on('dialog', record);
    await page.locator('.breadcrumb a').click();
    await page.waitForURL(/\/redigera\/kurser\/test-kurs$/);
    expect(dialogs).toEqual([]);
    await page.goto(lessonUrl);

    // Typed text: the browser asks, and staying keeps the text.
    const body = page.getByLabel('Text').first();
    await body.click();
    await body.press('End');
    await page.keyboard.type(' Kontrollera bromsen varje gång.');
    const asked = page.waitForEvent('dialog', { timeout: 10_000 });
    await page.locator('.breadcrumb a').click();
    expect((await asked).type()).toBe('beforeunload');
    expect(dialogs).toEqual(['beforeunload']);
    expect(page.url()).toBe(lessonUrl);
    expect(await body.inputValue()).toContain('Kontrollera bromsen varje gång.');

    // Saved: no question, neither on saving nor when leaving afterwards.
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await page.waitForURL(/sparat=1/);
    await page.locator('.breadcrumb a').click();
    await page.waitForURL(/\/redigera\/kurser\/test-kurs$/);
    expect(dialogs).toEqual(['beforeunload']);
    await context.close();
  }, 120_000);
});
