/**
 * Issue 16, SAML over HTTP: a real signed response from the loopback IdP signs in (first time making the
 * account in the claimed unit and job role), and every kind of bad response is refused with a Swedish page,
 * status 400, an audit row, and no login.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import request from 'supertest';
import * as cheerio from 'cheerio';
import {
  buildPerson,
  buildUnit,
  csrfFrom,
  loginAs,
  startTestApp,
  PASSWORD,
  type TestApp,
} from '../support/test-app';
import {
  encryptAssertion,
  IDP_CERT,
  idpLogoutRequestUrl,
  idpMetadata,
  OTHER_CERT,
  SP_CERT_FILE,
  SP_KEY_FILE,
  readAuthnRequest,
  readLogoutRequest,
  samlResponse,
  startSamlIdp,
  type Fault,
} from './saml-idp';

let t: TestApp;
let idp: Awaited<ReturnType<typeof startSamlIdp>>;
let providerId: number;
let unit: { id: number; organisationId: number };

beforeAll(async () => {
  t = await startTestApp({
    env: {
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
      SAML_SP_KEY_FILE: SP_KEY_FILE,
      SAML_SP_CERT_FILE: SP_CERT_FILE,
    },
  });
  idp = await startSamlIdp();
  unit = await buildUnit(t.db, { name: 'Boende Syd' });
  const [row] = await t
    .db('identity_providers')
    .insert({
      organisation_id: unit.organisationId,
      kind: 'saml',
      display_name: 'Västerås stad',
      issuer: idp.entityId,
      sso_url: idp.ssoUrl,
      idp_certificate: IDP_CERT,
      claim_email: 'email',
      claim_name: 'displayName',
      claim_unit: 'unit',
      claim_job_role: 'role',
      email_domains: ['vasteras.se'],
      enabled: true,
    })
    .returning('id');
  providerId = row.id;
});

afterAll(async () => {
  await idp.close();
  await t.close();
});

/** Starts a sign-in and answers it as the IdP would (with the given fault). */
async function signIn(
  agent: request.Agent,
  person: { nameId: string; attributes: Record<string, string> },
  fault: Fault = 'none',
) {
  const start = await agent.get(`/sso/${providerId}/start`);
  expect(start.status).toBe(303);
  expect(start.headers.location.startsWith(idp.ssoUrl)).toBe(true);
  const authn = readAuthnRequest(start.headers.location);
  const SAMLResponse = samlResponse(idp.entityId, authn, person, fault);
  const res = await agent.post(`/sso/${providerId}/saml`).type('form').send({ SAMLResponse });
  return { res, SAMLResponse };
}

const anna = {
  nameId: 'anna-persistent-1',
  attributes: {
    email: 'anna.a@vasteras.se',
    displayName: 'Anna Andersson',
    unit: 'boende syd',
    role: 'personlig-assistent',
  },
};

async function loggedIn(agent: request.Agent): Promise<boolean> {
  const res = await agent.get('/mina-kurser');
  return res.status === 200;
}

test('the first login makes the account in the claimed unit and job role; the second reuses it; both are audited', async () => {
  const agent = request.agent(t.app);
  const { res } = await signIn(agent, anna);
  expect(res.status).toBe(303);
  expect(await loggedIn(agent)).toBe(true);
  const user = await t.db('users').whereRaw('lower(email) = ?', ['anna.a@vasteras.se']).first();
  expect(user).toMatchObject({ name: 'Anna Andersson', unit_id: unit.id, job_role: 'personlig-assistent' });
  expect(
    await t
      .db('external_identities')
      .where({ provider_id: providerId, subject: anna.nameId })
      .first('user_id'),
  ).toEqual({ user_id: user.id });

  const again = request.agent(t.app);
  expect((await signIn(again, anna)).res.status).toBe(303);
  expect(await loggedIn(again)).toBe(true);
  expect(
    Number((await t.db('users').whereRaw('lower(email) = ?', ['anna.a@vasteras.se']).count())[0].count),
  ).toBe(1);
  const actions = (await t.db('audit_log').where({ actor_id: user.id }).orderBy('id').select('action')).map(
    (r) => r.action,
  );
  expect(actions).toEqual(['sso.account.create', 'sso.login', 'sso.login']);
});

test.each<[Fault, string]>([
  ['tampered', 'signature'],
  ['wrongKey', 'signature'],
  ['unsigned', 'signature'],
  ['expired', 'expired'],
  ['skew', 'skew'],
  ['issuer', 'issuer'],
])('a %s response is refused (%s) with a Swedish page, logged, and no login', async (fault, reason) => {
  const agent = request.agent(t.app);
  const before = await t.db('audit_log').where({ action: 'sso.refused' }).count();
  const { res } = await signIn(
    agent,
    { nameId: `x-${fault}`, attributes: { ...anna.attributes, email: `${fault}@vasteras.se` } },
    fault,
  );
  expect(res.status).toBe(400);
  const $ = cheerio.load(res.text);
  expect($('h1').text()).toBe('Det gick inte att logga in');
  expect($('[data-reason]').attr('data-reason')).toBe(reason);
  expect(await loggedIn(agent)).toBe(false);
  expect(
    await t
      .db('users')
      .where({ email: `${fault}@vasteras.se` })
      .first(),
  ).toBeUndefined();
  expect(Number((await t.db('audit_log').where({ action: 'sso.refused' }).count())[0].count)).toBe(
    Number(before[0].count) + 1,
  );
});

test('an IdP clock 45 seconds ahead is within the minute allowed', async () => {
  const agent = request.agent(t.app);
  const { res } = await signIn(agent, anna, 'slightSkew');
  expect(res.status).toBe(303);
  expect(await loggedIn(agent)).toBe(true);
});

test('a replayed response is refused, even in a fresh session', async () => {
  const agent = request.agent(t.app);
  const { res, SAMLResponse } = await signIn(agent, anna);
  expect(res.status).toBe(303);
  const thief = request.agent(t.app);
  const replay = await thief.post(`/sso/${providerId}/saml`).type('form').send({ SAMLResponse });
  expect(replay.status).toBe(400);
  expect(cheerio.load(replay.text)('[data-reason]').attr('data-reason')).toBe('replay');
  expect(await loggedIn(thief)).toBe(false);
});

test('a response to a request we never sent is refused', async () => {
  const SAMLResponse = samlResponse(
    idp.entityId,
    {
      id: '_never-sent',
      acsUrl: `http://127.0.0.1:9/sso/${providerId}/saml`,
      issuer: 'http://127.0.0.1:9/sso/saml',
    },
    anna,
  );
  const res = await request(t.app).post(`/sso/${providerId}/saml`).type('form').send({ SAMLResponse });
  expect(res.status).toBe(400);
  expect(cheerio.load(res.text)('[data-reason]').attr('data-reason')).toBe('replay');
});

test('garbage instead of a response is a Swedish 400, never a 500', async () => {
  for (const SAMLResponse of ['', 'bm90IHhtbA==', '<x/>']) {
    const res = await request(t.app).post(`/sso/${providerId}/saml`).type('form').send({ SAMLResponse });
    expect(res.status).toBe(400);
  }
  expect(
    (await request(t.app).post('/sso/999999/saml').type('form').send({ SAMLResponse: 'x' })).status,
  ).toBe(400);
});

test('a disabled person cannot sign in through the provider', async () => {
  const agent = request.agent(t.app);
  const bo = {
    nameId: 'bo-1',
    attributes: {
      email: 'bo@vasteras.se',
      displayName: 'Bo',
      unit: 'Boende Syd',
      role: 'personlig-assistent',
    },
  };
  expect((await signIn(agent, bo)).res.status).toBe(303);
  await t.db('users').where({ email: 'bo@vasteras.se' }).update({ disabled_at: t.db.fn.now() });
  const later = request.agent(t.app);
  const { res } = await signIn(later, bo);
  expect(res.status).toBe(400);
  expect(cheerio.load(res.text)('[data-reason]').attr('data-reason')).toBe('disabled');
  expect(await loggedIn(later)).toBe(false);
});

test('without unit and job role claims the person chooses once, among the organisation units only', async () => {
  const other = await buildUnit(t.db, { name: 'Annan kommuns enhet' });
  const agent = request.agent(t.app);
  const cecilia = {
    nameId: 'cecilia-1',
    attributes: { email: 'cecilia@vasteras.se', displayName: 'Cecilia' },
  };
  const { res } = await signIn(agent, cecilia);
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/sso/valj-enhet');
  const page = cheerio.load((await agent.get('/sso/valj-enhet')).text);
  expect(
    page('#unitId option')
      .map((_i, o) => page(o).text())
      .get(),
  ).toEqual(['Välj', 'Boende Syd']);
  const csrf = await csrfFrom(agent, '/sso/valj-enhet');
  const foreign = await agent
    .post('/sso/valj-enhet')
    .type('form')
    .send({ _csrf: csrf, unitId: String(other.id), jobRole: 'personlig-assistent' });
  expect(foreign.status).toBe(400);
  expect(await t.db('users').where({ email: 'cecilia@vasteras.se' }).first()).toBeUndefined();
  const ok = await agent
    .post('/sso/valj-enhet')
    .type('form')
    .send({ _csrf: csrf, unitId: String(unit.id), jobRole: 'personlig-assistent' });
  expect(ok.status).toBe(303);
  expect(await t.db('users').where({ email: 'cecilia@vasteras.se' }).first('unit_id')).toEqual({
    unit_id: unit.id,
  });
});

test('an existing account with the same address is linked only with its password', async () => {
  const existing = await buildPerson(t.db, { email: 'dora@vasteras.se', unitId: unit.id });
  const agent = request.agent(t.app);
  const dora = {
    nameId: 'dora-1',
    attributes: {
      email: 'Dora@vasteras.se',
      displayName: 'Dora',
      unit: 'Boende Syd',
      role: 'personlig-assistent',
    },
  };
  const { res } = await signIn(agent, dora);
  expect(res.headers.location).toBe('/sso/koppla');
  expect(await loggedIn(agent)).toBe(false);
  const csrf = await csrfFrom(agent, '/sso/koppla');
  const wrong = await agent.post('/sso/koppla').type('form').send({ _csrf: csrf, password: 'fel-lösenord' });
  expect(wrong.status).toBe(401);
  expect(await t.db('external_identities').where({ subject: 'dora-1' }).first()).toBeUndefined();
  const right = await agent.post('/sso/koppla').type('form').send({ _csrf: csrf, password: PASSWORD });
  expect(right.status).toBe(303);
  expect(await t.db('external_identities').where({ subject: 'dora-1' }).first('user_id')).toEqual({
    user_id: existing.id,
  });
  expect(await loggedIn(agent)).toBe(true);
});

test('the login page finds the provider by the work address domain or the organisation, without JavaScript', async () => {
  const signInLink = (html: string) =>
    cheerio
      .load(html)('a.button')
      .filter((_i, a) => cheerio.load(html)(a).text().startsWith('Logga in med'))
      .attr('href');
  const byDomain = await request(t.app).get('/logga-in/organisation?epost=someone%40Vasteras.se');
  expect(byDomain.status).toBe(200);
  expect(signInLink(byDomain.text)).toBe(`/sso/${providerId}/start`);
  const byOrg = await request(t.app).get(`/logga-in/organisation?org=${unit.organisationId}`);
  expect(signInLink(byOrg.text)).toBe(`/sso/${providerId}/start`);
  const unknown = await request(t.app).get('/logga-in/organisation?epost=a%40okand.se');
  expect(unknown.status).toBe(404);
  expect(unknown.text).toContain('Vi hittade ingen inloggning');
  expect((await request(t.app).get('/logga-in')).text).toContain('action="/logga-in/organisation"');
});

test('an administrator configures a provider, the secret is never shown back, tries it while off, then turns it on', async () => {
  const admin = await buildPerson(t.db, {
    permissions: [{ kind: 'admin', organisationId: null, unitId: null }],
  });
  const org = await buildUnit(t.db, { name: 'Hemtjänst Norr' });
  const { agent, csrf } = await loginAs(t.app, admin.email);
  const bad = await agent
    .post('/admin/inloggning')
    .type('form')
    .send({
      _csrf: csrf,
      organisationId: String(org.organisationId),
      kind: 'saml',
      displayName: 'X',
      issuer: 'x',
    });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('Klistra in certifikatet.');
  const created = await agent
    .post('/admin/inloggning')
    .type('form')
    .send({
      _csrf: csrf,
      organisationId: String(org.organisationId),
      kind: 'saml',
      displayName: 'Norrköping',
      issuer: idp.entityId,
      ssoUrl: idp.ssoUrl,
      idpCertificate: IDP_CERT,
      clientSecret: 'hemligt-värde-123',
      claimEmail: 'email',
      claimName: 'displayName',
      emailDomains: 'norr.se',
    });
  expect(created.status).toBe(303);
  const id = Number(created.headers.location.split('/').pop());
  expect((await agent.get('/admin/personer')).text).toContain('href="/admin/inloggning"');
  const page = await agent.get(created.headers.location);
  expect(page.text).not.toContain('hemligt-värde-123');
  expect(page.text).toContain('Prova inloggningen');
  // Off: nobody can use it, but the administrator can try it.
  expect((await request(t.app).get(`/sso/${id}/start`)).status).toBe(400);
  const start = await agent.get(`/sso/${id}/start?prova=1`);
  const SAMLResponse = samlResponse(idp.entityId, readAuthnRequest(start.headers.location), {
    nameId: 'try-1',
    attributes: { email: 'prov@norr.se', displayName: 'Prova' },
  });
  const tried = await agent.post(`/sso/${id}/saml`).type('form').send({ SAMLResponse });
  expect(tried.status).toBe(200);
  expect(tried.text).toContain('prov@norr.se');
  expect(await t.db('users').where({ email: 'prov@norr.se' }).first()).toBeUndefined();
  await agent.post(`/admin/inloggning/${id}/status`).type('form').send({ _csrf: csrf, enabled: '1' });
  expect(await t.db('identity_providers').where({ id }).first('enabled')).toEqual({ enabled: true });
  expect((await request(t.app).get(`/sso/${id}/start`)).status).toBe(303);
  // Each change is in the audit log under the administrator's name, with the try in between.
  const logged = await t
    .db('audit_log')
    .where({ subject: `idp:${id}` })
    .orderBy('id')
    .select('actor_id', 'action');
  expect(logged).toEqual([
    { actor_id: admin.id, action: 'idp.create' },
    { actor_id: admin.id, action: 'idp.try' },
    { actor_id: admin.id, action: 'idp.enable' },
  ]);
});

test('an OIDC callback without the state we sent is refused, never a login', async () => {
  const [row] = await t
    .db('identity_providers')
    .insert({
      organisation_id: unit.organisationId,
      kind: 'oidc',
      display_name: 'OIDC',
      issuer: 'http://127.0.0.1:9',
      client_id: 'x',
      enabled: true,
    })
    .returning('id');
  const res = await request(t.app).get(`/sso/${row.id}/oidc?code=abc&state=forged`);
  expect(res.status).toBe(400);
  expect(cheerio.load(res.text)('[data-reason]').attr('data-reason')).toBe('state');
});

describe('linking an existing account by a mailed link', () => {
  const linkIn = (text: string) => /\/sso\/koppla\/lank\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

  /** Signs in through the IdP as someone whose address has an account here, and asks for the link mail. */
  async function pendingWithMail(email: string, nameId: string) {
    const agent = request.agent(t.app);
    const person = { nameId, attributes: { ...anna.attributes, email } };
    const { res } = await signIn(agent, person);
    expect(res.headers.location).toBe('/sso/koppla');
    const csrf = await csrfFrom(agent, '/sso/koppla');
    const sent = await agent.post('/sso/koppla/skicka-lank').type('form').send({ _csrf: csrf });
    expect(sent.status).toBe(303);
    expect((await agent.get(sent.headers.location)).text).toContain(`Vi har skickat en länk till ${email}`);
    const mail = await t.db('outbox_messages').where({ to_address: email }).orderBy('id', 'desc').first();
    const token = linkIn(mail.text_body);
    expect(token).toBeDefined();
    return { agent, token: token as string, mail };
  }

  const reasonOf = (html: string) => cheerio.load(html)('[data-reason]').attr('data-reason');

  test('following the link in the same browser links the identity and signs in; the link works once', async () => {
    const existing = await buildPerson(t.db, { email: 'elsa@vasteras.se', unitId: unit.id });
    const { agent, token, mail } = await pendingWithMail('elsa@vasteras.se', 'elsa-1');
    expect(mail.subject).toBe('Koppla ihop ditt konto med Västerås stad');
    expect(mail.user_id).toBe(existing.id);
    // Only the sha256 of the token is stored.
    const stored = await t.db('auth_tokens').where({ user_id: existing.id, purpose: 'sso-link' }).first();
    expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(await t.db('auth_tokens').where({ user_id: existing.id }))).not.toContain(token);

    const page = await agent.get(`/sso/koppla/lank/${token}`);
    expect(page.status).toBe(200);
    expect(await t.db('external_identities').where({ subject: 'elsa-1' }).first()).toBeUndefined();
    const csrf = cheerio.load(page.text)('input[name=_csrf]').val() as string;
    const linked = await agent.post(`/sso/koppla/lank/${token}`).type('form').send({ _csrf: csrf });
    expect(linked.status).toBe(303);
    expect(await loggedIn(agent)).toBe(true);
    expect(await t.db('external_identities').where({ subject: 'elsa-1' }).first('user_id')).toEqual({
      user_id: existing.id,
    });
    const link = await t
      .db('audit_log')
      .where({ actor_id: existing.id, action: 'sso.link' })
      .first('details');
    expect(link.details).toMatchObject({ how: 'mail' });
    // The next sign-in uses the link without asking again.
    const later = request.agent(t.app);
    expect(
      (
        await signIn(later, {
          nameId: 'elsa-1',
          attributes: { ...anna.attributes, email: 'elsa@vasteras.se' },
        })
      ).res.headers.location,
    ).toBe('/mina-kurser');

    // Used once: the same link again is refused.
    const again = await pendingWithMail('elsa@vasteras.se', 'elsa-other-subject');
    const reused = await again.agent.get(`/sso/koppla/lank/${token}`);
    expect(reused.status).toBe(400);
    expect(reasonOf(reused.text)).toBe('mailLink');
  });

  test('an expired link is refused with a Swedish page and links nothing', async () => {
    await buildPerson(t.db, { email: 'filip@vasteras.se', unitId: unit.id });
    const { agent, token } = await pendingWithMail('filip@vasteras.se', 'filip-1');
    await t
      .db('auth_tokens')
      .where({ token_hash: createHash('sha256').update(token).digest('hex') })
      .update({ expires_at: t.db.raw(`now() - interval '1 second'`) });
    const page = await agent.get(`/sso/koppla/lank/${token}`);
    expect(page.status).toBe(400);
    expect(cheerio.load(page.text)('h1').text()).toBe('Det gick inte att logga in');
    expect(page.text).toContain('Länken fungerar inte');
    const csrf = await csrfFrom(agent, '/sso/koppla');
    const post = await agent.post(`/sso/koppla/lank/${token}`).type('form').send({ _csrf: csrf });
    expect(post.status).toBe(400);
    expect(await t.db('external_identities').where({ subject: 'filip-1' }).first()).toBeUndefined();
    expect(await loggedIn(agent)).toBe(false);
  });

  test("another person's link is refused and stays usable by its owner; a link opened in another browser is refused", async () => {
    await buildPerson(t.db, { email: 'greta@vasteras.se', unitId: unit.id });
    const harald = await buildPerson(t.db, { email: 'harald@vasteras.se', unitId: unit.id });
    const greta = await pendingWithMail('greta@vasteras.se', 'greta-1');
    const haraldPending = await pendingWithMail('harald@vasteras.se', 'harald-1');

    const csrf = await csrfFrom(greta.agent, '/sso/koppla');
    const foreign = await greta.agent
      .post(`/sso/koppla/lank/${haraldPending.token}`)
      .type('form')
      .send({ _csrf: csrf });
    expect(foreign.status).toBe(400);
    expect(reasonOf(foreign.text)).toBe('mailLink');
    expect(await loggedIn(greta.agent)).toBe(false);
    expect(await t.db('external_identities').whereIn('subject', ['greta-1', 'harald-1'])).toEqual([]);

    const elsewhere = request.agent(t.app);
    const other = await elsewhere.get(`/sso/koppla/lank/${haraldPending.token}`);
    expect(other.status).toBe(400);
    expect(reasonOf(other.text)).toBe('linkSession');

    const own = await haraldPending.agent.get(`/sso/koppla/lank/${haraldPending.token}`);
    expect(own.status).toBe(200);
    const ownCsrf = cheerio.load(own.text)('input[name=_csrf]').val() as string;
    const ok = await haraldPending.agent
      .post(`/sso/koppla/lank/${haraldPending.token}`)
      .type('form')
      .send({ _csrf: ownCsrf });
    expect(ok.status).toBe(303);
    expect(await t.db('external_identities').where({ subject: 'harald-1' }).first('user_id')).toEqual({
      user_id: harald.id,
    });
  });

  test('an address nobody had verified: the link verifies it, and the password someone else may know stops working', async () => {
    const squatted = await buildPerson(t.db, { email: 'ines@vasteras.se', unitId: unit.id });
    await t.db('users').where({ id: squatted.id }).update({ email_verified_at: null });
    const { agent, token } = await pendingWithMail('ines@vasteras.se', 'ines-1');
    const csrf = await csrfFrom(agent, `/sso/koppla/lank/${token}`);
    expect((await agent.post(`/sso/koppla/lank/${token}`).type('form').send({ _csrf: csrf })).status).toBe(
      303,
    );
    const row = await t.db('users').where({ id: squatted.id }).first('email_verified_at', 'password_hash');
    expect(row.email_verified_at).not.toBeNull();
    expect(row.password_hash).toBe('!sso');
  });

  test('at most three link mails an hour to one address', async () => {
    await buildPerson(t.db, { email: 'jon@vasteras.se', unitId: unit.id });
    const { agent } = await pendingWithMail('jon@vasteras.se', 'jon-1');
    const csrf = await csrfFrom(agent, '/sso/koppla');
    for (let i = 0; i < 2; i++)
      expect((await agent.post('/sso/koppla/skicka-lank').type('form').send({ _csrf: csrf })).status).toBe(
        303,
      );
    const limited = await agent.post('/sso/koppla/skicka-lank').type('form').send({ _csrf: csrf });
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Vi har redan skickat flera länkar');
    expect(
      Number((await t.db('outbox_messages').where({ to_address: 'jon@vasteras.se' }).count())[0].count),
    ).toBe(3);
  });
});

describe('SAML metadata', () => {
  async function adminAgent() {
    const admin = await buildPerson(t.db, {
      permissions: [{ kind: 'admin', organisationId: null, unitId: null }],
    });
    return loginAs(t.app, admin.email);
  }
  const base = (organisationId: number) => ({
    organisationId: String(organisationId),
    kind: 'saml',
    displayName: 'Regionens IdP',
    claimEmail: 'email',
  });

  test("an uploaded metadata file fills in the IdP's entity id, addresses and certificate", async () => {
    const { agent, csrf } = await adminAgent();
    const org = await buildUnit(t.db, { name: 'Region enhet' });
    const origin = new URL(idp.ssoUrl).origin;
    const res = await agent
      .post(`/admin/inloggning?_csrf=${encodeURIComponent(csrf)}`)
      .field(base(org.organisationId))
      .attach('metadataFile', Buffer.from(idpMetadata(idp.entityId, origin)), 'idp.xml');
    expect(res.status).toBe(303);
    const id = Number(res.headers.location.split('/').pop());
    const row = await t.db('identity_providers').where({ id }).first();
    expect(row).toMatchObject({ issuer: idp.entityId, sso_url: idp.ssoUrl, logout_url: `${origin}/slo` });
    expect(row.idp_certificate.replace(/\s+/g, '')).toBe(IDP_CERT.replace(/\s+/g, ''));
    expect(row.metadata_xml).toContain('IDPSSODescriptor');
    // Our side for the IdP: the SP metadata with entity id, ACS and single logout.
    const page = await agent.get(res.headers.location);
    expect(page.text).toContain(`/sso/${id}/saml/metadata`);
    const sp = await request(t.app).get(`/sso/${id}/saml/metadata`);
    expect(sp.status).toBe(200);
    expect(sp.headers['content-type']).toContain('application/samlmetadata+xml');
    expect(sp.text).toContain('entityID="http://127.0.0.1:9/sso/saml"');
    expect(sp.text).toContain(`Location="http://127.0.0.1:9/sso/${id}/saml"`);
    expect(sp.text).toContain(`Location="http://127.0.0.1:9/sso/${id}/saml/logout"`);
    // With our key pair configured: the certificate IdPs encrypt to and check our signed requests with.
    const spCert = fs.readFileSync(SP_CERT_FILE, 'utf8').replace(/-----[^-]+-----|\s+/g, '');
    expect(sp.text).toContain('<md:KeyDescriptor use="encryption">');
    expect(sp.text).toContain(spCert);
  });

  test('a metadata URL is read when the form is saved', async () => {
    const { agent, csrf } = await adminAgent();
    const org = await buildUnit(t.db, { name: 'Region enhet 2' });
    const res = await agent
      .post('/admin/inloggning')
      .type('form')
      .send({ _csrf: csrf, ...base(org.organisationId), metadataUrl: idp.metadataUrl });
    expect(res.status).toBe(303);
    const row = await t
      .db('identity_providers')
      .where({ id: Number(res.headers.location.split('/').pop()) })
      .first();
    expect(row).toMatchObject({ issuer: idp.entityId, sso_url: idp.ssoUrl, metadata_url: idp.metadataUrl });
  });

  test.each([
    [
      'malformed',
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><unclosed>',
      'Metadata gick inte att läsa',
    ],
    ['without a certificate', 'nocert', 'Metadata saknar certifikat för signering.'],
    [
      'with a DTD',
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      'Metadata gick inte att läsa',
    ],
    ['huge', 'huge', 'Metadata är för stor'],
  ])(
    '%s metadata is a Swedish field error, status 400, and nothing is saved',
    async (_name, xml, message) => {
      const { agent, csrf } = await adminAgent();
      const org = await buildUnit(t.db, { name: `Fel ${_name}` });
      const origin = new URL(idp.ssoUrl).origin;
      const file =
        xml === 'nocert'
          ? idpMetadata(idp.entityId, origin).replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, '')
          : xml === 'huge'
            ? idpMetadata(idp.entityId, origin).replace(
                '</md:EntityDescriptor>',
                `<!--${'x'.repeat(600_000)}--></md:EntityDescriptor>`,
              )
            : xml;
      const before = await t.db('identity_providers').count();
      const res = await agent
        .post(`/admin/inloggning?_csrf=${encodeURIComponent(csrf)}`)
        .field(base(org.organisationId))
        .attach('metadataFile', Buffer.from(file), 'idp.xml');
      expect(res.status).toBe(400);
      expect(cheerio.load(res.text)('#metadataFile-error').text()).toContain(message);
      expect(await t.db('identity_providers').count()).toEqual(before);
    },
  );
});

test('SAML single logout: our session ends first, then a LogoutRequest goes to the IdP, whose answer brings the person home', async () => {
  const origin = new URL(idp.ssoUrl).origin;
  await t
    .db('identity_providers')
    .where({ id: providerId })
    .update({ logout_url: `${origin}/slo` });
  idp.spLogoutUrl = `http://127.0.0.1:9/sso/${providerId}/saml/logout`;
  try {
    const agent = request.agent(t.app);
    expect((await signIn(agent, anna)).res.status).toBe(303);
    const csrf = await csrfFrom(agent, '/mina-kurser');
    const out = await agent.post('/logga-ut').type('form').send({ _csrf: csrf });
    expect(out.status).toBe(200);
    expect(await loggedIn(agent)).toBe(false);
    const $ = cheerio.load(out.text);
    const refresh = $('meta[http-equiv=refresh]').attr('content') ?? '';
    const sloUrl = refresh.replace(/^0; url=/, '');
    expect(sloUrl.startsWith(`${origin}/slo?SAMLRequest=`)).toBe(true);
    expect($('a.button').attr('href')).toBe(sloUrl);
    expect(readLogoutRequest(sloUrl).nameId).toBe(anna.nameId);
    expect(new URL(sloUrl).searchParams.get('Signature')).toBeTruthy(); // signed with our key
    // The IdP ends its session and answers.
    const idpAnswer = await fetch(sloUrl, { redirect: 'manual' });
    expect(idp.loggedOut).toContain(anna.nameId);
    const back = new URL(idpAnswer.headers.get('location') ?? '');
    const home = await request(t.app).get(back.pathname + back.search);
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/');
    // The same answer again is not one of our open requests.
    const again = await request(t.app).get(back.pathname + back.search);
    expect(again.status).toBe(400);
    expect(again.text).toContain('Vi kunde inte se att du blev utloggad');
  } finally {
    await t.db('identity_providers').where({ id: providerId }).update({ logout_url: null });
  }
});

describe('encrypted assertions', () => {
  async function encryptedSignIn(agent: request.Agent, cert: string, nameId: string, email: string) {
    const start = await agent.get(`/sso/${providerId}/start`);
    const authn = readAuthnRequest(start.headers.location);
    const plain = samlResponse(idp.entityId, authn, { nameId, attributes: { ...anna.attributes, email } });
    const SAMLResponse = await encryptAssertion(plain, cert);
    expect(Buffer.from(SAMLResponse, 'base64').toString()).toContain('EncryptedAssertion');
    expect(Buffer.from(SAMLResponse, 'base64').toString()).not.toContain(email);
    return agent.post(`/sso/${providerId}/saml`).type('form').send({ SAMLResponse });
  }

  test('an assertion encrypted to our certificate is decrypted, its signature checked, and signs in', async () => {
    const agent = request.agent(t.app);
    const res = await encryptedSignIn(
      agent,
      fs.readFileSync(SP_CERT_FILE, 'utf8'),
      'kim-1',
      'kim@vasteras.se',
    );
    expect(res.status).toBe(303);
    expect(await loggedIn(agent)).toBe(true);
    expect(await t.db('users').where({ email: 'kim@vasteras.se' }).first('unit_id')).toEqual({
      unit_id: unit.id,
    });
  });

  test('an assertion encrypted to another certificate is refused with a Swedish page', async () => {
    const agent = request.agent(t.app);
    const res = await encryptedSignIn(agent, OTHER_CERT, 'lo-1', 'lo@vasteras.se');
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('h1').text()).toBe('Det gick inte att logga in');
    expect(await loggedIn(agent)).toBe(false);
    expect(await t.db('users').where({ email: 'lo@vasteras.se' }).first()).toBeUndefined();
  });
});

test("a logout the IdP starts (a signed LogoutRequest) ends the named person's session here and is answered; an unsigned or wrongly signed one changes nothing", async () => {
  const origin = new URL(idp.ssoUrl).origin;
  await t
    .db('identity_providers')
    .where({ id: providerId })
    .update({ logout_url: `${origin}/slo` });
  const sloPath = `/sso/${providerId}/saml/logout`;
  try {
    const agent = request.agent(t.app);
    expect((await signIn(agent, anna)).res.status).toBe(303);
    for (const signer of ['unsigned', 'other'] as const) {
      const forged = idpLogoutRequestUrl(idp.entityId, `http://127.0.0.1:9${sloPath}`, anna.nameId, signer);
      const res = await agent.get(forged.url.replace('http://127.0.0.1:9', ''));
      expect(res.status).toBe(400);
      expect(cheerio.load(res.text)('h1').text()).toBe('Utloggningen gick inte att genomföra');
      expect(await loggedIn(agent)).toBe(true);
    }
    // Someone else's logout leaves this session alone (and is answered).
    const other = idpLogoutRequestUrl(idp.entityId, `http://127.0.0.1:9${sloPath}`, 'someone-else');
    expect((await agent.get(other.url.replace('http://127.0.0.1:9', ''))).status).toBe(303);
    expect(await loggedIn(agent)).toBe(true);

    const { url, id } = idpLogoutRequestUrl(idp.entityId, `http://127.0.0.1:9${sloPath}`, anna.nameId);
    const res = await agent.get(url.replace('http://127.0.0.1:9', ''));
    expect(res.status).toBe(303);
    expect(await loggedIn(agent)).toBe(false);
    const answer = new URL(res.headers.location);
    expect(`${answer.origin}${answer.pathname}`).toBe(`${origin}/slo`);
    const xml = zlib
      .inflateRawSync(Buffer.from(answer.searchParams.get('SAMLResponse') ?? '', 'base64'))
      .toString();
    expect(xml).toContain(`InResponseTo="${id}"`);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
  } finally {
    await t.db('identity_providers').where({ id: providerId }).update({ logout_url: null });
  }
});
