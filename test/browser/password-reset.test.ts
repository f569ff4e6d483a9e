/**
 * Issue 11 in real Chromium: forgotten password → mail in the outbox → new password (with a refused
 * common one on the way) → log in → change the password; joining shows the verification page. axe-core
 * checks every page for WCAG 2.1 A/AA. (The forms need no JavaScript: the supertest tests post them plainly.)
 */
import type { Page } from 'playwright-core';
import { startBrowserSession, type BrowserSession } from '../support/browser';
import { buildPerson, buildUnit, PASSWORD } from '../support/test-app';

let s: BrowserSession;
beforeAll(async () => {
  s = await startBrowserSession('account');
});
afterAll(async () => {
  // beforeAll may have failed before the browser started.
  await (s as BrowserSession | undefined)?.close();
});

const visit = (page: Page, name: string) => s.visit(page, name);

describe('a way back in, in Chromium', () => {
  it('resets a forgotten password from the login page, and every page passes axe', async () => {
    const person = await buildPerson(s.t.db, { name: 'Erik Lindqvist' });
    const context = await s.browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();

    await page.goto(`${s.base}/logga-in`);
    await page.getByRole('link', { name: 'Glömt lösenordet?' }).click();
    await visit(page, 'forgot');
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    await visit(page, 'forgot-empty');
    expect(await page.locator('.error-summary').textContent()).toContain('Skriv din e-postadress');
    await page.getByLabel('E-postadress').fill(person.email);
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    await visit(page, 'forgot-sent');

    const mail = await s.t.db('outbox_messages').where({ to_address: person.email }).first();
    const link = /https?:\/\/[^/\s]+(\/aterstall-losenord\/[A-Za-z0-9_-]+)/.exec(mail.text_body)![1];
    await page.goto(`${s.base}${link}`);
    await visit(page, 'reset');
    await page.getByLabel('Nytt lösenord').fill('sommar2024');
    await page.getByLabel('Skriv lösenordet igen').fill('sommar2024');
    await page.getByRole('button', { name: 'Spara nytt lösenord' }).click();
    await visit(page, 'reset-common');
    expect(await page.locator('.error-summary').textContent()).toContain('för vanligt');
    await page.getByLabel('Nytt lösenord').fill('tre koppar kaffe i fikarummet');
    await page.getByLabel('Skriv lösenordet igen').fill('tre koppar kaffe i fikarummet');
    await page.getByRole('button', { name: 'Spara nytt lösenord' }).click();
    await page.waitForURL(/\/logga-in\?aterstallt=1$/);
    await visit(page, 'login-after-reset');

    await page.goto(`${s.base}${link}`);
    await visit(page, 'link-gone');
    expect(await page.locator('h1').textContent()).toBe('Länken fungerar inte längre');
    await context.close();

    // Logged in, change it again on Mina uppgifter.
    const js = await s.browser.newContext({ locale: 'sv-SE' });
    const p2 = await js.newPage();
    await s.logIn(p2, person.email, 'tre koppar kaffe i fikarummet');
    await p2.goto(`${s.base}/mina-uppgifter`);
    await p2.getByRole('link', { name: 'Byt ditt lösenord' }).click();
    await p2.getByRole('button', { name: 'Byt lösenord' }).click();
    await visit(p2, 'change-errors');
    await p2.getByLabel('Nuvarande lösenord').fill('tre koppar kaffe i fikarummet');
    await p2.getByLabel('Nytt lösenord').fill(PASSWORD + ' och lite till');
    await p2.getByLabel('Skriv lösenordet igen').fill(PASSWORD + ' och lite till');
    await p2.getByRole('button', { name: 'Byt lösenord' }).click();
    await p2.waitForURL(/\/mina-uppgifter\?losenord=bytt$/);
    await visit(p2, 'changed');
    await js.close();

    expect(s.violations).toEqual([]);
  }, 180_000);

  it('shows the verification page after joining, and it passes axe', async () => {
    const unit = await buildUnit(s.t.db);
    const context = await s.browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    await page.goto(`${s.base}/ga-med`);
    await page.getByLabel('Anslutningskod').fill(unit.joinCode);
    await page.getByLabel('Namn').fill('Ny Kollega');
    await page.getByLabel('E-postadress').fill(`ny-kollega-${Date.now()}@test.se`);
    await page.getByLabel('Yrkesroll').selectOption('underskoterska');
    await page.getByLabel('Lösenord', { exact: true }).fill('en kopp te på balkongen');
    await page.getByLabel('Skriv lösenordet igen').fill('en kopp te på balkongen');
    await page.getByRole('button', { name: 'Skapa konto' }).click();
    await page.waitForURL(/\/bekrafta-e-post$/);
    await visit(page, 'verify-sent');
    await page.getByRole('button', { name: 'Skicka mejlet igen' }).click();
    await visit(page, 'verify-resent');
    await context.close();
    expect(s.violations).toEqual([]);
  }, 120_000);
});
