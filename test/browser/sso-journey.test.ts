/**
 * Issue 16 in real Chromium, against real providers on loopback: oidc-provider (OpenID Connect) in its own
 * process, and the test SAML IdP signing real responses. First login makes the account in the claimed unit;
 * the second reuses it; a replayed or tampered answer is refused; logout ends our session and then the provider's
(OIDC end_session, SAML single logout). axe-core checks every page of ours.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../support/browser';
import { buildUnit, startTestApp, type TestApp } from '../support/test-app';
import { freePort, startOidcProvider } from '../sso/oidc-provider-process';
import { IDP_CERT, startSamlIdp } from '../sso/saml-idp';

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
let op: Awaited<ReturnType<typeof startOidcProvider>>;
let idp: Awaited<ReturnType<typeof startSamlIdp>>;
let oidcId: number;
let samlId: number;
let orebro: { id: number; organisationId: number };
let vasteras: { id: number; organisationId: number };
const violations: string[] = [];
/** What beforeAll opened, closed newest first in afterAll (also when beforeAll failed halfway). */
const opened: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await startTestApp({ env: { PUBLIC_BASE_URL: base } });
  opened.push(() => t.close());
  server = t.app.listen(port, '127.0.0.1');
  opened.push(() => new Promise((r) => server.close(r)));
  await new Promise((r) => server.once('listening', r));
  orebro = await buildUnit(t.db, { name: 'Hemtjänst Väster' });
  await t.db('organisations').where({ id: orebro.organisationId }).update({ name: 'Örebro kommun' });
  vasteras = await buildUnit(t.db, { name: 'Boende Syd' });
  await t.db('organisations').where({ id: vasteras.organisationId }).update({ name: 'Västerås stad' });
  const [o] = await t
    .db('identity_providers')
    .insert({
      organisation_id: orebro.organisationId,
      kind: 'oidc',
      display_name: 'Örebro kommun',
      issuer: 'pending',
      client_id: 'hms',
      client_secret: 'hms-secret',
      claim_unit: 'unit',
      claim_job_role: 'job_role',
      email_domains: ['orebro.se'],
      enabled: true,
    })
    .returning('id');
  oidcId = o.id;
  op = await startOidcProvider({
    clientId: 'hms',
    clientSecret: 'hms-secret',
    redirectUri: `${base}/sso/${oidcId}/oidc`,
    postLogoutRedirectUri: `${base}/`,
    accounts: {
      eva: {
        email: 'eva.e@orebro.se',
        name: 'Eva Ek',
        unit: 'Hemtjänst Väster',
        job_role: 'personlig-assistent',
      },
    },
  });
  opened.push(() => op.close());
  await t.db('identity_providers').where({ id: oidcId }).update({ issuer: op.issuer });
  idp = await startSamlIdp();
  opened.push(() => idp.close());
  idp.person = {
    nameId: 'saga-1',
    attributes: {
      email: 'saga@vasteras.se',
      displayName: 'Saga Sund',
      unit: 'Boende Syd',
      role: 'personlig-assistent',
    },
  };
  const [sm] = await t
    .db('identity_providers')
    .insert({
      organisation_id: vasteras.organisationId,
      kind: 'saml',
      display_name: 'Västerås stad',
      issuer: idp.entityId,
      sso_url: idp.ssoUrl,
      idp_certificate: IDP_CERT,
      claim_name: 'displayName',
      claim_unit: 'unit',
      claim_job_role: 'role',
      email_domains: ['vasteras.se'],
      enabled: true,
    })
    .returning('id');
  samlId = sm.id;
  // Single logout: the IdP's SLO address, and where it sends its LogoutResponse.
  await t
    .db('identity_providers')
    .where({ id: samlId })
    .update({ logout_url: idp.ssoUrl.replace(/\/sso$/, '/slo') });
  idp.spLogoutUrl = `${base}/sso/${samlId}/saml/logout`;
  browser = await launchBrowser();
  opened.push(() => browser.close());
});

afterAll(async () => {
  for (const close of opened.reverse()) await close();
});

/** axe on our pages only (the providers' pages are theirs). */
async function check(page: Page) {
  await page.waitForLoadState('load');
  if (page.url().startsWith(base)) violations.push(...(await axeViolations(page)));
}

async function opLogin(page: Page) {
  if (!page.url().startsWith(op.issuer)) return;
  await page.locator('input[name="login"]').fill('eva');
  await page.locator('input[name="password"]').fill('vad-som-helst');
  await page.locator('button[type="submit"]').first().click();
  await page.waitForURL((u) => u.href.startsWith(base));
}

test('OpenID Connect: first login by work address makes the account in the claimed unit, logout ends both sessions, the second login reuses it, a replayed callback is refused', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  // oidc-provider's development pages load a web font; nothing leaves the machine.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  const page = await context.newPage();
  const callbacks: string[] = [];
  page.setDefaultTimeout(30_000);
  page.on('request', (r) => r.url().startsWith(`${base}/sso/${oidcId}/oidc`) && callbacks.push(r.url()));

  await page.goto(`${base}/logga-in`);
  await check(page);
  await page.getByLabel('Din e-post från jobbet').fill('eva.e@orebro.se');
  await page.getByRole('button', { name: 'Logga in med din organisation' }).click();
  await check(page);
  await page.getByRole('link', { name: 'Logga in med Örebro kommun' }).click();
  await page.waitForURL((u) => u.href.startsWith(op.issuer));
  await opLogin(page);
  await page.waitForURL(`${base}/mina-kurser`);
  await check(page);
  const user = await t.db('users').where({ email: 'eva.e@orebro.se' }).first();
  expect(user).toMatchObject({ name: 'Eva Ek', unit_id: orebro.id, job_role: 'personlig-assistent' });

  // A callback URL used again (same code, same state) is refused.
  await page.goto(callbacks[0]);
  await check(page);
  expect(await page.locator('h1').textContent()).toBe('Det gick inte att logga in');

  // Logging out ends our session first, then the page goes on by itself to the provider's end_session_endpoint.
  await page.goto(`${base}/mina-kurser`);
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL((u) => u.href.startsWith(`${op.issuer}/session/end`));
  const probe = await context.request.get(`${base}/mina-kurser`, { maxRedirects: 0 });
  expect(probe.status()).toBe(302);
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(`${base}/`);
  await check(page);

  // The second login (chosen by organisation) reuses the account.
  await page.goto(`${base}/logga-in/organisation`);
  await check(page);
  await page.getByLabel('Organisation').selectOption({ label: 'Örebro kommun' });
  await page.getByRole('button', { name: 'Fortsätt' }).first().click();
  await page.getByRole('link', { name: 'Logga in med Örebro kommun' }).click();
  await page.waitForURL((u) => !u.href.includes('/logga-in/organisation'));
  await opLogin(page);
  await page.waitForURL(`${base}/mina-kurser`);
  expect(Number((await t.db('users').where({ email: 'eva.e@orebro.se' }).count())[0].count)).toBe(1);
  expect(
    Number((await t.db('audit_log').where({ actor_id: user.id, action: 'sso.login' }).count())[0].count),
  ).toBe(2);
  expect(violations).toEqual([]);
  await context.close();
}, 240_000);

test('SAML: first login makes the account, the second reuses it, a tampered and a replayed response are refused', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}/logga-in/organisation`);
  await page.getByLabel('Organisation').selectOption({ label: 'Västerås stad' });
  await page.getByRole('button', { name: 'Fortsätt' }).first().click();
  await page.getByRole('link', { name: 'Logga in med Västerås stad' }).click();
  await page.waitForURL((u) => u.href.startsWith(idp.ssoUrl));
  await page.getByRole('button', { name: 'Fortsätt' }).click(); // the IdP's form posting the signed response
  await page.waitForURL(`${base}/mina-kurser`);
  await check(page);
  const user = await t.db('users').where({ email: 'saga@vasteras.se' }).first();
  expect(user).toMatchObject({ name: 'Saga Sund', unit_id: vasteras.id });
  const used = idp.responses[idp.responses.length - 1];

  // Replaying the posted response from another browser is refused.
  const thief = await browser.newContext({ locale: 'sv-SE' });
  const thiefPage = await thief.newPage();
  await thiefPage.setContent(
    `<form method="post" action="${used.acsUrl}"><input type="hidden" name="SAMLResponse" value="${used.samlResponse}"><button>Skicka</button></form>`,
  );
  await thiefPage.getByRole('button', { name: 'Skicka' }).click();
  await thiefPage.waitForURL(used.acsUrl);
  await check(thiefPage);
  expect(await thiefPage.locator('h1').textContent()).toBe('Det gick inte att logga in');
  expect(await thiefPage.locator('[data-reason]').getAttribute('data-reason')).toBe('replay');

  // A tampered response is refused too.
  idp.next = 'tampered';
  await thiefPage.goto(`${base}/logga-in/organisation?epost=x%40vasteras.se`);
  await thiefPage.getByRole('link', { name: 'Logga in med Västerås stad' }).click();
  await thiefPage.waitForURL((u) => u.href.startsWith(idp.ssoUrl));
  await thiefPage.getByRole('button', { name: 'Fortsätt' }).click();
  await thiefPage.waitForURL(used.acsUrl);
  expect(await thiefPage.locator('[data-reason]').getAttribute('data-reason')).toBe('signature');
  await thief.close();

  // Logout ends our session, then the IdP's (LogoutRequest), whose answer brings the person home.
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL(`${base}/`);
  await check(page);
  expect(idp.loggedOut).toEqual(['saga-1']);

  // The second login reuses the account.
  await page.goto(`${base}/logga-in/organisation?epost=saga%40vasteras.se`);
  await page.getByRole('link', { name: 'Logga in med Västerås stad' }).click();
  await page.waitForURL((u) => u.href.startsWith(idp.ssoUrl));
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await page.waitForURL(`${base}/mina-kurser`);
  expect(Number((await t.db('users').where({ email: 'saga@vasteras.se' }).count())[0].count)).toBe(1);
  expect(violations).toEqual([]);
  await context.close();
}, 240_000);
