/** Issue 11, a way back in: the reset mail, its single-use expiring link, changing a password, and the rules for new passwords. */
import request from 'supertest';
import * as cheerio from 'cheerio';
import {
  buildPerson,
  buildUnit,
  csrfFrom,
  loginAs,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function askForReset(email: string, agent = request.agent(t.app)) {
  const token = await csrfFrom(agent, '/glomt-losenord');
  return agent.post('/glomt-losenord').type('form').send({ _csrf: token, email });
}

/** The newest mail to an address in the outbox, and the reset link's path in it. */
async function resetLinkFor(
  email: string,
): Promise<{ path: string; mail: { user_id: number | null; subject: string } }> {
  const mail = await t
    .db('outbox_messages')
    .whereRaw('lower(to_address) = lower(?)', [email])
    .orderBy('id', 'desc')
    .first();
  const match = /https?:\/\/[^/\s]+(\/aterstall-losenord\/[A-Za-z0-9_-]+)/.exec(mail?.text_body ?? '');
  if (!match) throw new Error(`No reset link mailed to ${email}`);
  return { path: match[1], mail };
}

async function setNewPassword(
  path: string,
  password: string,
  again = password,
  agent = request.agent(t.app),
) {
  const token = await csrfFrom(agent, path).catch(() => csrfFrom(agent, '/logga-in'));
  return agent.post(path).type('form').send({ _csrf: token, password, passwordAgain: again });
}

describe('Glömt lösenordet?', () => {
  it('is linked from the login page', async () => {
    const res = await request(t.app).get('/logga-in');
    expect(cheerio.load(res.text)('a[href="/glomt-losenord"]').text()).toBe('Glömt lösenordet?');
  });

  it('mails a link (recorded as sent to that account) that sets a new password once; the old password stops working', async () => {
    const person = await buildPerson(t.db);
    const res = await askForReset(person.email.toUpperCase());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/glomt-losenord/skickat');
    const { path, mail } = await resetLinkFor(person.email);
    expect(mail.user_id).toBe(person.id);
    expect(mail.subject).toBe('Nytt lösenord till Hjälpmedelsskolan');
    // Only the hash of the token is stored.
    const token = path.split('/').pop()!;
    expect(await t.db('auth_tokens').where({ token_hash: token }).first()).toBeUndefined();

    const form = await request(t.app).get(path);
    expect(form.status).toBe(200);
    expect(form.headers['referrer-policy']).toBe('no-referrer');
    const $ = cheerio.load(form.text);
    expect($('label[for="password"]').text()).toBe('Nytt lösenord');

    const done = await setNewPassword(path, 'blå hylla vid fönstret');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/logga-in?aterstallt=1');
    await loginAs(t.app, person.email, 'blå hylla vid fönstret');
    await expect(loginAs(t.app, person.email, PASSWORD)).rejects.toThrow(/401/);

    // Single use: the same link again is a clear Swedish page with a way to ask for a new one.
    const again = await request(t.app).get(path);
    expect(again.status).toBe(410);
    const gone = cheerio.load(again.text);
    expect(gone('h1').text()).toBe('Länken fungerar inte längre');
    expect(gone('a[href="/glomt-losenord"]').text()).toBe('Be om en ny länk');
    expect((await setNewPassword(path, 'ett annat långt lösen')).status).toBe(410);
  });

  it('refuses a link whose hour has passed (expiry set in the database)', async () => {
    const person = await buildPerson(t.db);
    await askForReset(person.email);
    const { path } = await resetLinkFor(person.email);
    const row = await t
      .db('auth_tokens')
      .where({ user_id: person.id, purpose: 'reset' })
      .orderBy('id', 'desc')
      .first();
    // Issued with one hour to live.
    const lifetime = (new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()) / 1000;
    expect(lifetime).toBeCloseTo(3600, -1);
    await t
      .db('auth_tokens')
      .where({ id: row.id })
      .update({ expires_at: t.db.raw(`now() - interval '1 second'`) });
    expect((await request(t.app).get(path)).status).toBe(410);
    expect((await setNewPassword(path, 'ett helt nytt lösenord')).status).toBe(410);
    await loginAs(t.app, person.email, PASSWORD);
  });

  it('answers the same for an unknown address, and mails nothing', async () => {
    const person = await buildPerson(t.db);
    const before = Number((await t.db('outbox_messages').count('* as n').first())!.n);
    const unknown = await askForReset('finns-inte@test.se');
    const known = await askForReset(person.email);
    expect(unknown.status).toBe(known.status);
    expect(unknown.headers.location).toBe(known.headers.location);
    const after = Number((await t.db('outbox_messages').count('* as n').first())!.n);
    expect(after - before).toBe(1);
    const sent = await request(t.app).get('/glomt-losenord/skickat');
    expect(sent.text).toContain('Om det finns ett konto med den e-postadressen har vi skickat ett mejl');
  });

  it('re-renders an empty or malformed address with an error summary (400)', async () => {
    const res = await askForReset('inte-en-adress');
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('.error-summary a[href="#email"]').text()).toContain(
      'Skriv en e-postadress',
    );
  });

  it('sends at most three reset mails an hour to one address', async () => {
    const person = await buildPerson(t.db);
    for (let i = 0; i < 5; i++) expect((await askForReset(person.email)).status).toBe(303);
    expect(await t.db('outbox_messages').where({ to_address: person.email })).toHaveLength(3);
  });

  it('refuses a form without CSRF token', async () => {
    const res = await request(t.app).post('/glomt-losenord').type('form').send({ email: 'a@test.se' });
    expect(res.status).toBe(403);
  });
});

describe('the new password', () => {
  it('must not be a common password, nor the own e-mail or name, nor too short', async () => {
    const person = await buildPerson(t.db, { name: 'Karin Lindqvist' });
    await askForReset(person.email);
    const { path } = await resetLinkFor(person.email);
    for (const [password, message] of [
      ['sommar2024', 'för vanligt'],
      ['Lösenord123', 'för vanligt'],
      [person.email, 'din e-postadress eller ditt namn'],
      [person.email.split('@')[0], 'din e-postadress eller ditt namn'],
      ['karinlindqvist', 'din e-postadress eller ditt namn'],
      ['kort', 'minst 10 tecken'],
    ]) {
      const res = await setNewPassword(path, password);
      expect(res.status).toBe(400);
      const $ = cheerio.load(res.text);
      expect($('.error-summary a[href="#password"]').text()).toContain(message);
      expect($('#password').attr('aria-invalid')).toBe('true');
    }
    // The link still works after refused tries.
    expect((await setNewPassword(path, 'trappan upp till vinden')).status).toBe(303);
  });

  it('is checked when joining with a code too', async () => {
    const unit = await buildUnit(t.db);
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/ga-med');
    const email = `nils.nilsson-${Date.now()}@test.se`;
    const base = {
      _csrf: token,
      joinCode: unit.joinCode,
      name: 'Nils Nilsson',
      email,
      jobRole: 'underskoterska',
    };
    const common = await agent
      .post('/ga-med')
      .type('form')
      .send({ ...base, password: 'lösenord123', passwordAgain: 'lösenord123' });
    expect(common.status).toBe(400);
    expect(cheerio.load(common.text)('.error-summary').text()).toContain('Lösenordet är för vanligt');
    const own = await agent
      .post('/ga-med')
      .type('form')
      .send({ ...base, password: email, passwordAgain: email });
    expect(own.status).toBe(400);
    expect(cheerio.load(own.text)('.error-summary').text()).toContain('din e-postadress eller ditt namn');
    expect(await t.db('users').where({ email }).first()).toBeUndefined();
  });
});

describe('Byt lösenord (/mina-uppgifter/losenord)', () => {
  it("requires the current password, then changes it and ends the person's other sessions", async () => {
    const person = await buildPerson(t.db);
    const me = await loginAs(t.app, person.email);
    const elsewhere = await loginAs(t.app, person.email);
    const page = await me.agent.get('/mina-uppgifter');
    expect(cheerio.load(page.text)('a[href="/mina-uppgifter/losenord"]').length).toBe(1);

    const wrong = await me.agent.post('/mina-uppgifter/losenord').type('form').send({
      _csrf: me.csrf,
      currentPassword: 'fel-lösenord-9',
      password: 'grön stol i hallen',
      passwordAgain: 'grön stol i hallen',
    });
    expect(wrong.status).toBe(400);
    expect(cheerio.load(wrong.text)('.error-summary a[href="#currentPassword"]').text()).toContain(
      'Det nuvarande lösenordet är fel',
    );
    const missing = await me.agent
      .post('/mina-uppgifter/losenord')
      .type('form')
      .send({ _csrf: me.csrf, password: 'grön stol i hallen', passwordAgain: 'grön stol i hallen' });
    expect(missing.status).toBe(400);

    const ok = await me.agent.post('/mina-uppgifter/losenord').type('form').send({
      _csrf: me.csrf,
      currentPassword: PASSWORD,
      password: 'grön stol i hallen',
      passwordAgain: 'grön stol i hallen',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/mina-uppgifter?losenord=bytt');
    expect((await me.agent.get(ok.headers.location)).text).toContain('Ditt lösenord är bytt');
    expect((await elsewhere.agent.get('/mina-kurser')).status).toBe(302);
    await loginAs(t.app, person.email, 'grön stol i hallen');
  });

  it('refuses a common new password', async () => {
    const person = await buildPerson(t.db);
    const me = await loginAs(t.app, person.email);
    const res = await me.agent.post('/mina-uppgifter/losenord').type('form').send({
      _csrf: me.csrf,
      currentPassword: PASSWORD,
      password: 'sommar2024',
      passwordAgain: 'sommar2024',
    });
    expect(res.status).toBe(400);
    await loginAs(t.app, person.email);
  });

  it('needs a login', async () => {
    expect((await request(t.app).get('/mina-uppgifter/losenord')).status).toBe(302);
  });
});
