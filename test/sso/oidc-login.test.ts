/**
 * Issue 16, OpenID Connect over HTTP against a real oidc-provider (its own process, test/sso/oidc-op.mjs):
 * sign-in and reuse, every way an answer can be wrong (nonce, state, issuer, replayed code, clock skew beyond a
 * minute, expired token) refused with a Swedish page, status 400, an audit row and no login, a disabled person
 * refused, and logout ending our session before the provider's (RP-initiated logout).
 */
import request from 'supertest';
import * as cheerio from 'cheerio';
import { buildUnit, csrfFrom, startTestApp, type TestApp } from '../support/test-app';
import { startOidcProvider } from './oidc-provider-process';

const BASE = 'http://127.0.0.1:9';
let t: TestApp;
let op: Awaited<ReturnType<typeof startOidcProvider>>;
let providerId: number;
let unit: { id: number; organisationId: number };

const accounts: Record<string, Record<string, string>> = {
  eva: { email: 'eva@orebro.se', name: 'Eva Ek', unit: 'Hemtjänst Väster', job_role: 'personlig-assistent' },
  olle: { email: 'olle@orebro.se', name: 'Olle', unit: 'Hemtjänst Väster', job_role: 'personlig-assistent' },
};
for (const name of ['nonce', 'state', 'issuer', 'replay', 'skew', 'expired', 'near'])
  accounts[name] = {
    email: `${name}@orebro.se`,
    name,
    unit: 'Hemtjänst Väster',
    job_role: 'personlig-assistent',
  };

beforeAll(async () => {
  t = await startTestApp({ env: { PUBLIC_BASE_URL: BASE } });
  unit = await buildUnit(t.db, { name: 'Hemtjänst Väster' });
  const [row] = await t
    .db('identity_providers')
    .insert({
      organisation_id: unit.organisationId,
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
  providerId = row.id;
  op = await startOidcProvider({
    clientId: 'hms',
    clientSecret: 'hms-secret',
    redirectUri: `${BASE}/sso/${providerId}/oidc`,
    postLogoutRedirectUri: `${BASE}/`,
    accounts,
  });
  await t.db('identity_providers').where({ id: providerId }).update({ issuer: op.issuer });
});

afterAll(async () => {
  await op.close();
  await t.close();
});

/** A browser at the provider: cookies kept, redirects followed, its login form filled in when it asks. */
function opBrowser() {
  const jar = new Map<string, string>();
  async function go(url: string, init: RequestInit = {}) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers = new Headers(init.headers);
    headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, redirect: 'manual', headers });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0];
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }
  return {
    go,
    /** From the authorization URL to the URL of our callback; `prompted` says whether the provider asked to log in. */
    async authorize(url: string, account: string): Promise<{ callback: URL; prompted: boolean }> {
      let next = url;
      let prompted = false;
      for (let i = 0; i < 10 && next.startsWith(op.issuer); i++) {
        const res = await go(next);
        if (res.status >= 300 && res.status < 400) {
          next = new URL(res.headers.get('location') ?? '', next).href;
          continue;
        }
        const action = /<form[^>]*action="([^"]+)"/.exec(await res.text())?.[1];
        if (!action) throw new Error(`no form at ${next} (${res.status})`);
        prompted = true;
        const posted = await go(new URL(action, next).href, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            prompt: 'login',
            login: account,
            password: 'vad-som-helst',
          }).toString(),
        });
        next = new URL(posted.headers.get('location') ?? '', next).href;
      }
      return { callback: new URL(next), prompted };
    },
  };
}

const local = (url: URL) => url.pathname + url.search;
const reasonOf = (html: string) => cheerio.load(html)('[data-reason]').attr('data-reason');
const loggedIn = async (agent: request.Agent) => (await agent.get('/mina-kurser')).status === 200;

async function startAt(agent: request.Agent): Promise<string> {
  const start = await agent.get(`/sso/${providerId}/start`);
  expect(start.status).toBe(303);
  expect(start.headers.location.startsWith(`${op.issuer}/`)).toBe(true);
  return start.headers.location;
}

async function refusals(): Promise<number> {
  return Number((await t.db('audit_log').where({ action: 'sso.refused' }).count())[0].count);
}

/** A refused answer: Swedish page, 400, the reason, a new audit row, nobody logged in, no account made. */
async function expectRefused(
  agent: request.Agent,
  res: request.Response,
  reason: string,
  before: number,
  email: string,
) {
  expect(res.status).toBe(400);
  expect(cheerio.load(res.text)('h1').text()).toBe('Det gick inte att logga in');
  expect(reasonOf(res.text)).toBe(reason);
  expect(await refusals()).toBe(before + 1);
  expect(await loggedIn(agent)).toBe(false);
  expect(await t.db('users').where({ email }).first()).toBeUndefined();
}

test('the first login makes the account in the claimed unit, the second reuses it, both in the audit log', async () => {
  const agent = request.agent(t.app);
  const browser = opBrowser();
  const { callback } = await browser.authorize(await startAt(agent), 'eva');
  const res = await agent.get(local(callback));
  expect(res.status).toBe(303);
  expect(await loggedIn(agent)).toBe(true);
  const user = await t.db('users').where({ email: 'eva@orebro.se' }).first();
  expect(user).toMatchObject({ name: 'Eva Ek', unit_id: unit.id, job_role: 'personlig-assistent' });

  const again = request.agent(t.app);
  const second = await browser.authorize(await startAt(again), 'eva');
  expect(second.prompted).toBe(false); // the provider's session is still on
  expect((await again.get(local(second.callback))).status).toBe(303);
  expect(await loggedIn(again)).toBe(true);
  const actions = (await t.db('audit_log').where({ actor_id: user.id }).orderBy('id').select('action')).map(
    (r) => r.action,
  );
  expect(actions).toEqual(['sso.account.create', 'sso.login', 'sso.login']);
});

test('an answer to an authorization request with another nonce is refused (nonce mismatch)', async () => {
  const agent = request.agent(t.app);
  const url = new URL(await startAt(agent));
  url.searchParams.set('nonce', 'a-nonce-we-never-made');
  const { callback } = await opBrowser().authorize(url.href, 'nonce');
  const before = await refusals();
  await expectRefused(agent, await agent.get(local(callback)), 'nonce', before, 'nonce@orebro.se');
});

test('a callback whose state is not the one we sent is refused (state mismatch)', async () => {
  const agent = request.agent(t.app);
  const { callback } = await opBrowser().authorize(await startAt(agent), 'state');
  callback.searchParams.set('state', 'forged-state');
  const before = await refusals();
  await expectRefused(agent, await agent.get(local(callback)), 'state', before, 'state@orebro.se');
});

test('an answer naming another issuer is refused (unknown issuer, a mix-up)', async () => {
  const agent = request.agent(t.app);
  const { callback } = await opBrowser().authorize(await startAt(agent), 'issuer');
  expect(callback.searchParams.get('iss')).toBe(op.issuer);
  callback.searchParams.set('iss', 'https://idp.someone-else.example');
  const before = await refusals();
  await expectRefused(agent, await agent.get(local(callback)), 'issuer', before, 'issuer@orebro.se');
});

test('a callback used again, in the same or another browser, is refused (replay)', async () => {
  const agent = request.agent(t.app);
  const { callback } = await opBrowser().authorize(await startAt(agent), 'replay');
  expect((await agent.get(local(callback))).status).toBe(303);
  const thief = request.agent(t.app);
  const before = await refusals();
  const replay = await thief.get(local(callback));
  expect(replay.status).toBe(400);
  expect(reasonOf(replay.text)).toBe('state');
  expect(await refusals()).toBe(before + 1);
  expect(await loggedIn(thief)).toBe(false);
});

describe("the provider's clock", () => {
  afterEach(() => op.setClock(0));

  test('more than a minute ahead: the ID token is refused (clock skew)', async () => {
    await op.setClock(120);
    const agent = request.agent(t.app);
    const { callback } = await opBrowser().authorize(await startAt(agent), 'skew');
    const before = await refusals();
    await expectRefused(agent, await agent.get(local(callback)), 'skew', before, 'skew@orebro.se');
  });

  test('hours behind: the ID token has expired', async () => {
    await op.setClock(-2 * 3600);
    const agent = request.agent(t.app);
    const { callback } = await opBrowser().authorize(await startAt(agent), 'expired');
    const before = await refusals();
    await expectRefused(agent, await agent.get(local(callback)), 'expired', before, 'expired@orebro.se');
  });

  test('45 seconds ahead is within the minute allowed', async () => {
    await op.setClock(45);
    const agent = request.agent(t.app);
    const { callback } = await opBrowser().authorize(await startAt(agent), 'near');
    expect((await agent.get(local(callback))).status).toBe(303);
    expect(await loggedIn(agent)).toBe(true);
  });
});

test('a disabled person cannot sign in through the provider', async () => {
  const browser = opBrowser();
  const first = request.agent(t.app);
  expect(
    (await first.get(local((await browser.authorize(await startAt(first), 'olle')).callback))).status,
  ).toBe(303);
  await t.db('users').where({ email: 'olle@orebro.se' }).update({ disabled_at: t.db.fn.now() });
  const later = request.agent(t.app);
  const res = await later.get(local((await browser.authorize(await startAt(later), 'olle')).callback));
  expect(res.status).toBe(400);
  expect(reasonOf(res.text)).toBe('disabled');
  expect(await loggedIn(later)).toBe(false);
  const user = await t.db('users').where({ email: 'olle@orebro.se' }).first('id');
  expect(
    await t.db('audit_log').where({ actor_id: user.id, action: 'sso.refused' }).first('details'),
  ).toMatchObject({ details: { reason: 'disabled' } });
});

test("logout ends our session first, then the provider's (RP-initiated logout with id_token_hint)", async () => {
  const agent = request.agent(t.app);
  const browser = opBrowser();
  expect(
    (await agent.get(local((await browser.authorize(await startAt(agent), 'eva')).callback))).status,
  ).toBe(303);
  const csrf = await csrfFrom(agent, '/mina-kurser');
  const out = await agent.post('/logga-ut').type('form').send({ _csrf: csrf });
  expect(out.status).toBe(200);
  expect(await loggedIn(agent)).toBe(false);
  const $ = cheerio.load(out.text);
  const endUrl = new URL(($('meta[http-equiv=refresh]').attr('content') ?? '').replace(/^0; url=/, ''));
  expect(`${endUrl.origin}${endUrl.pathname}`).toBe(`${op.issuer}/session/end`);
  expect(endUrl.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/`);
  expect(endUrl.searchParams.get('id_token_hint')).toMatch(/^ey/);
  expect($('a.button').attr('href')).toBe(endUrl.href);

  // At the provider: its confirmation form, then back to our home page.
  const confirm = await browser.go(endUrl.href);
  const html = await confirm.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '';
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const done = await browser.go(new URL(action, endUrl).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
  });
  expect(done.headers.get('location')).toBe(`${BASE}/`);
  // The provider's session is over: the next sign-in asks for the login again.
  const next = request.agent(t.app);
  expect((await browser.authorize(await startAt(next), 'eva')).prompted).toBe(true);
});
