/**
 * An orderer and HMC in real Chromium: order a training (with a validation error on the way and the
 * price estimate), HMC confirms it, the orderer adds a participant, the educator registers attendance,
 * the administrator issues the invoice, the orderer downloads it. axe-core checks every page visited.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { addDays, swedishDate } from '../../server/bookings/dates';
import {
  admin,
  buildBooker,
  buildCustomer,
  buildOffering,
  configureSeller,
  moveIntoPast,
} from '../support/bookings';
import { startBrowserSession, type BrowserSession } from '../support/browser';
import { buildPerson, type TestApp } from '../support/test-app';

let s: BrowserSession;
let t: TestApp;
let base: string;
let browser: Browser;
let violations: string[];

beforeAll(async () => {
  s = await startBrowserSession('bookings');
  ({ t, base, browser, violations } = s);
  await configureSeller(t.db);
});

afterAll(async () => {
  // beforeAll may have failed before the browser started.
  await (s as BrowserSession | undefined)?.close();
});

const visit = (page: Page, name: string) => s.visit(page, name);
const login = (page: Page, email: string) => s.logIn(page, email);

describe('an orderer and HMC in Chromium', () => {
  it('order, confirm, participants, attendance, invoice: every page passes axe', async () => {
    const customer = await buildCustomer(t.db, { name: 'Västerås stad' });
    const orderer = await buildBooker(t.db, customer);
    const staff = await buildPerson(t.db, { unitId: customer.unitId, name: 'Amina Yusuf' });
    const hmcAdmin = await buildPerson(t.db, { jobRole: null, permissions: admin, name: 'Lena Ström' });
    await buildOffering(t.db, { max: 12 });
    const today = swedishDate(new Date());

    // The orderer, on a phone.
    const ordererContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'sv-SE',
      acceptDownloads: true,
    });
    const o = await ordererContext.newPage();
    await login(o, orderer.email);
    await o.getByRole('link', { name: 'Utbildningar' }).click();
    await o.waitForURL(/\/bestallningar$/);
    await visit(o, 'orders-empty');
    await o.getByRole('link', { name: 'Beställ en utbildning' }).click();
    await visit(o, 'offerings');
    await o.getByRole('link', { name: 'Förflyttning i praktiken' }).click();
    await visit(o, 'offering');
    await o.getByRole('link', { name: 'Beställ utbildningen' }).click();
    await visit(o, 'order-form');
    await o.getByLabel('Första önskade datum').fill(addDays(today, 30));
    await o.getByLabel('Andra önskade datum').fill(addDays(today, 31));
    await o.getByLabel('På Hjälpmedelscentrum').check();
    await o.getByLabel('Hur många deltagare räknar ni med?').fill('8');
    await o.getByLabel('Fika för deltagarna').check();
    await o.getByRole('button', { name: 'Visa prisuppskattningen' }).click();
    await o.waitForLoadState('load');
    // No buyer reference yet: the form comes back with the message, and focus on the summary.
    expect(await o.locator('.error-summary').textContent()).toContain('Skriv er referens');
    await visit(o, 'order-form-error');
    await o.getByLabel('Er referens').fill('VÄS-OMS-4471');
    await o.getByRole('button', { name: 'Visa prisuppskattningen' }).click();
    await o.waitForLoadState('load');
    expect(await o.locator('h1').textContent()).toBe('Kontrollera och skicka beställningen');
    expect(await o.locator('table.money-table').textContent()).toContain('5 360,00 kr');
    await visit(o, 'order-preview');
    await o.getByRole('button', { name: 'Skicka beställningen' }).click();
    await o.waitForURL(/\/bestallningar\/\d+\?klart=skickad$/);
    const orderId = Number(/\/bestallningar\/(\d+)/.exec(o.url())![1]);
    await visit(o, 'order-sent');

    // HMC confirms a date.
    const hmcContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'sv-SE',
      acceptDownloads: true,
    });
    const h = await hmcContext.newPage();
    await login(h, hmcAdmin.email);
    await h.getByRole('link', { name: 'Utbildningar' }).click();
    await h.waitForURL(/\/hmc\/bestallningar$/);
    await visit(h, 'hmc-orders');
    await h.getByRole('link', { name: `Nr ${orderId}` }).click();
    await visit(h, 'hmc-order');
    await h.getByLabel('Datum', { exact: true }).fill(addDays(today, 31));
    await h.getByLabel('Börjar klockan').fill('09:00');
    await h.getByLabel('Slutar klockan').fill('16:00');
    await h.getByLabel('Utbildare').selectOption({ label: 'Lena Ström' });
    await h.getByRole('button', { name: 'Bekräfta tiden' }).click();
    await h.waitForURL(/klart=bekraftad/);
    await visit(h, 'hmc-confirmed');

    // The orderer sees the confirmation and adds a colleague.
    await o.goto(`${base}/bestallningar/${orderId}`);
    expect(await o.locator('.facts').textContent()).toContain('Bekräftad');
    await o.getByLabel(/Amina Yusuf/).check();
    await o.getByRole('button', { name: 'Lägg till deltagare' }).click();
    await o.waitForURL(/klart=deltagare/);
    expect(await o.locator('#deltagare').textContent()).toContain('1 av högst 12');
    await visit(o, 'order-participants');

    // The day comes; the educator registers attendance, and the administrator issues the invoice.
    await moveIntoPast(t.db, orderId);
    await h.goto(`${base}/hmc/bestallningar/${orderId}`);
    await h.getByRole('checkbox', { name: /Amina Yusuf/ }).check();
    await h.getByRole('button', { name: 'Spara närvaro och avsluta utbildningen' }).click();
    await h.waitForURL(/klart=genomford/);
    await visit(h, 'hmc-delivered');
    await h.getByRole('link', { name: /Fakturautkast/ }).click();
    await visit(h, 'invoice-draft');
    await h.getByRole('button', { name: 'Utfärda fakturan' }).click();
    await h.waitForURL(/klart=utfardad/);
    expect(await h.locator('body').textContent()).toContain('klarar alla regler');
    await visit(h, 'invoice-issued');
    const [pdf] = await Promise.all([
      h.waitForEvent('download'),
      h.getByRole('link', { name: /som PDF/ }).click(),
    ]);
    expect(
      fs
        .readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    for (const [link, name] of [
      ['Fakturor', 'invoices'],
      ['Prislista', 'price-list'],
      ['Kunduppgifter', 'customers'],
      ['Inställningar', 'settings'],
      ['Fakturaunderlag', 'export'],
      ['Utbildningsutbud', 'hmc-offerings'],
    ]) {
      await h
        .getByRole('navigation', { name: 'HMC:s utbildningar och fakturering' })
        .getByRole('link', { name: link })
        .click();
      await visit(h, name);
    }
    await h.getByRole('link', { name: 'Förflyttning i praktiken' }).click();
    await visit(h, 'hmc-offering-form');

    // The orderer finds the invoice and downloads the e-invoice.
    await o.goto(`${base}/bestallningar`);
    await o.getByRole('link', { name: 'Våra fakturor' }).click();
    await visit(o, 'my-invoices');
    const [xml] = await Promise.all([
      o.waitForEvent('download'),
      o
        .getByRole('link', { name: /e-faktura/ })
        .first()
        .click(),
    ]);
    expect(fs.readFileSync(await xml.path(), 'utf8')).toContain(
      '<cbc:BuyerReference>VÄS-OMS-4471</cbc:BuyerReference>',
    );
    expect(await t.db('completions').where({ user_id: staff.id, kind: 'classroom' })).toHaveLength(1);

    expect(violations).toEqual([]);
  }, 300_000);
});
