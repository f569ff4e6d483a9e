/**
 * An orderer on a small phone (issue 14): prices and cancellation terms are seen before ordering, every
 * error of the order form comes in one round, the price preview's total is on screen, cancelling asks
 * first, and every page reflows at 320 px (WCAG 1.4.10) — also the accessibility statement.
 */
import type { Browser, Page } from 'playwright-core';
import { addDays, swedishDate } from '../../server/bookings/dates';
import { buildBooker, buildCustomer, buildOffering, configureSeller } from '../support/bookings';
import { startBrowserSession, type BrowserSession } from '../support/browser';
import type { TestApp } from '../support/test-app';

let s: BrowserSession;
let t: TestApp;
let base: string;
let browser: Browser;
let violations: string[];

beforeAll(async () => {
  s = await startBrowserSession('orderer-phone');
  ({ t, base, browser, violations } = s);
  await configureSeller(t.db);
}, 120_000);

afterAll(async () => {
  // beforeAll may have failed before the browser started.
  await (s as BrowserSession | undefined)?.close();
});

/** How far the page is wider than the screen (0 when everything reflows). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('an orderer on a 320 px phone', () => {
  it('sees prices and terms first, gets all errors at once, sees the total, and is asked before cancelling', async () => {
    const customer = await buildCustomer(t.db, { name: 'Skinnskattebergs kommun' });
    const orderer = await buildBooker(t.db, customer);
    const offering = await buildOffering(t.db, { max: 12 });
    const today = swedishDate(new Date());
    const context = await browser.newContext({ viewport: { width: 320, height: 740 }, locale: 'sv-SE' });
    const page = await context.newPage();
    await s.logIn(page, orderer.email);

    await page.goto(`${base}/utbildningar/${offering.id}`);
    await s.visit(page, 'offering');
    const terms = page.locator('.price-terms');
    expect(await terms.textContent()).toMatch(/5\s000,00\skr/);
    expect(await terms.textContent()).toContain('avboka utan kostnad fram till 14 dagar före');
    expect(await terms.textContent()).toMatch(/1\s000,00\skr/);
    expect(await overflow(page)).toBe(0);

    await page.getByRole('link', { name: 'Beställ utbildningen' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#price-terms').textContent()).toContain('avboka utan kostnad');
    expect(await overflow(page)).toBe(0);
    // Nothing filled in: the dates are reported together with the other missing fields, in one round.
    await page.getByLabel('Er referens').fill('');
    await page.getByRole('button', { name: 'Visa prisuppskattningen' }).click();
    await page.waitForLoadState('load');
    const summary = await page.locator('.error-summary').textContent();
    expect(summary).toContain('Skriv er referens');
    expect(summary).toMatch(/datum/i);
    await s.visit(page, 'order-form-errors');
    expect(await overflow(page)).toBe(0);

    await page.getByLabel('Första önskade datum').fill(addDays(today, 30));
    await page.getByLabel('Andra önskade datum').fill(addDays(today, 31));
    await page.getByLabel('På Hjälpmedelscentrum').check();
    await page.getByLabel('Hur många deltagare räknar ni med?').fill('8');
    await page.getByLabel('Fika för deltagarna').check();
    await page.getByLabel('Er referens').fill('SKB-2026-17');
    await page.getByRole('button', { name: 'Visa prisuppskattningen' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe('Kontrollera och skicka beställningen');
    await s.visit(page, 'order-preview');
    expect(await overflow(page)).toBe(0);
    // The total is on screen, not cut off to the right of a scrolling table.
    const total = page.locator('table.money-table tfoot tr').last().locator('td');
    const box = await total.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(320);
    expect(await page.locator('#price-terms').textContent()).toContain('avboka utan kostnad');
    await page.getByRole('button', { name: 'Skicka beställningen' }).click();
    await page.waitForURL(/\/bestallningar\/\d+\?klart=skickad$/);
    expect(await overflow(page)).toBe(0);

    await page.getByRole('button', { name: 'Avboka utbildningen' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe('Vill du avboka utbildningen?');
    await s.visit(page, 'cancel-confirm');
    await page.getByRole('link', { name: 'Nej, gå tillbaka' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.danger-zone').count()).toBe(1);
    await page.getByRole('button', { name: 'Avboka utbildningen' }).click();
    await page.getByRole('button', { name: 'Ja, avboka' }).click();
    await page.waitForURL(/klart=avbokad/);

    await page.goto(`${base}/tillganglighet`);
    await s.visit(page, 'accessibility');
    expect(await overflow(page)).toBe(0);
    await context.close();
    expect(violations).toEqual([]);
  });
});
