/**
 * Issue 11, no one reads mail meant for someone else: joining with a code mails a link that proves the
 * address; until it is opened the person may take courses, but the address is not "theirs".
 */
import request from 'supertest';
import * as cheerio from 'cheerio';
import { buildUnit, csrfFrom, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function join(email: string) {
  const unit = await buildUnit(t.db);
  const agent = request.agent(t.app);
  const token = await csrfFrom(agent, '/ga-med');
  const res = await agent.post('/ga-med').type('form').send({
    _csrf: token,
    joinCode: unit.joinCode,
    name: 'Ny Medarbetare',
    email,
    jobRole: 'underskoterska',
    password: 'ett bra långt lösen',
    passwordAgain: 'ett bra långt lösen',
  });
  return { agent, res };
}

const verifyPath = (text: string) => /https?:\/\/[^/\s]+(\/bekrafta-e-post\/[A-Za-z0-9_-]+)/.exec(text)?.[1];

describe('joining with a code', () => {
  it('mails a verification link; the account is unverified until it is opened, and the link works once', async () => {
    const email = `verifiera-${Date.now()}@test.se`;
    const { agent, res } = await join(email);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/bekrafta-e-post');
    const user = await t.db('users').where({ email }).first();
    expect(user.email_verified_at).toBeNull();

    // The person is logged in and may start courses at once.
    expect((await agent.get('/mina-kurser')).status).toBe(200);
    const page = await agent.get('/bekrafta-e-post');
    expect(page.status).toBe(200);
    expect(cheerio.load(page.text)('.lead').text()).toContain(email);

    const mail = await t.db('outbox_messages').where({ to_address: email }).first();
    expect(mail.user_id).toBe(user.id);
    expect(mail.subject).toBe('Bekräfta din e-postadress i Hjälpmedelsskolan');
    const path = verifyPath(mail.text_body)!;
    expect(path).toBeDefined();

    // Opened in another browser (the mail app), without a login.
    const opened = await request(t.app).get(path);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('Din e-postadress är bekräftad');
    expect((await t.db('users').where({ id: user.id }).first()).email_verified_at).not.toBeNull();

    const again = await request(t.app).get(path);
    expect(again.status).toBe(410);
    expect(cheerio.load(again.text)('h1').text()).toBe('Länken fungerar inte längre');
  });

  it('sends a new link on request and refuses an expired one', async () => {
    const email = `igen-${Date.now()}@test.se`;
    const { agent } = await join(email);
    const first = verifyPath((await t.db('outbox_messages').where({ to_address: email }).first()).text_body)!;
    await t
      .db('auth_tokens')
      .where({ email, purpose: 'verify' })
      .update({ expires_at: t.db.raw(`now() - interval '1 second'`) });
    expect((await request(t.app).get(first)).status).toBe(410);

    const csrf = await csrfFrom(agent, '/bekrafta-e-post');
    const resend = await agent.post('/bekrafta-e-post').type('form').send({ _csrf: csrf });
    expect(resend.status).toBe(303);
    const mails = await t.db('outbox_messages').where({ to_address: email }).orderBy('id');
    expect(mails).toHaveLength(2);
    expect((await request(t.app).get(verifyPath(mails[1].text_body)!)).status).toBe(200);
  });

  it('does not let a link verify an address the account no longer has', async () => {
    const email = `byter-${Date.now()}@test.se`;
    await join(email);
    const path = verifyPath((await t.db('outbox_messages').where({ to_address: email }).first()).text_body)!;
    await t
      .db('users')
      .where({ email })
      .update({ email: `annan-${email}` });
    expect((await request(t.app).get(path)).status).toBe(410);
    expect(
      (
        await t
          .db('users')
          .where({ email: `annan-${email}` })
          .first()
      ).email_verified_at,
    ).toBeNull();
  });

  it('verifies the address when a reset link mailed to it is used', async () => {
    const email = `aterstall-${Date.now()}@test.se`;
    await join(email);
    const anon = request.agent(t.app);
    const csrf = await csrfFrom(anon, '/glomt-losenord');
    const asked = await anon.post('/glomt-losenord').type('form').send({ _csrf: csrf, email });
    expect(asked.status).toBe(303);
    const reset = /https?:\/\/[^/\s]+(\/aterstall-losenord\/[A-Za-z0-9_-]+)/.exec(
      (await t.db('outbox_messages').where({ to_address: email }).orderBy('id', 'desc').first()).text_body,
    )![1];
    const res = await anon
      .post(reset)
      .type('form')
      .send({ _csrf: csrf, password: 'nytt långt lösenord', passwordAgain: 'nytt långt lösenord' });
    expect(res.status).toBe(303);
    expect((await t.db('users').where({ email }).first()).email_verified_at).not.toBeNull();
  });
});
