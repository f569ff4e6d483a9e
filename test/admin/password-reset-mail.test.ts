/** Issue 11: an administrator sends a reset mail from a person's page; the person chooses the password. */
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

const adminPermissions = [{ kind: 'admin' as const, organisationId: null, unitId: null }];

describe('POST /admin/personer/:id/aterstallning', () => {
  it('mails the person a reset link that lasts a day, shows a notice and logs it', async () => {
    const boss = await buildPerson(t.db, { permissions: adminPermissions });
    const person = await buildPerson(t.db, { name: 'Glömsk Person' });
    const admin = await loginAs(t.app, boss.email);
    const page = cheerio.load((await admin.agent.get(`/admin/personer/${person.id}`)).text);
    const form = page(`form[action="/admin/personer/${person.id}/aterstallning"]`);
    expect(form.find('button').text()).toBe('Skicka länk för nytt lösenord');
    expect(page('.notice--warning').text()).not.toContain('inte bekräftad');

    const res = await admin.agent
      .post(`/admin/personer/${person.id}/aterstallning`)
      .type('form')
      .send({ _csrf: admin.csrf });
    expect(res.status).toBe(303);
    const after = await admin.agent.get(res.headers.location);
    expect(cheerio.load(after.text)('.notice--success').text()).toContain(
      'Vi har skickat ett mejl med en länk för nytt lösenord',
    );

    const mail = await t.db('outbox_messages').where({ to_address: person.email }).first();
    expect(mail).toMatchObject({
      user_id: person.id,
      subject: 'Välj ett nytt lösenord till Hjälpmedelsskolan',
    });
    const token = await t.db('auth_tokens').where({ user_id: person.id, purpose: 'reset' }).first();
    expect(
      (new Date(token.expires_at).getTime() - new Date(token.created_at).getTime()) / 3600_000,
    ).toBeCloseTo(24, 1);
    expect(
      await t
        .db('audit_log')
        .where({ actor_id: boss.id, action: 'person.passwordResetMail', subject: `user:${person.id}` }),
    ).toHaveLength(1);

    const path = /https?:\/\/[^/\s]+(\/aterstall-losenord\/[A-Za-z0-9_-]+)/.exec(mail.text_body)![1];
    // Read in the outbox, as in embedded mode without SMTP.
    const inOutbox = await admin.agent.get(`/admin/utkorg/${mail.id}`);
    expect(inOutbox.status).toBe(200);
    expect(inOutbox.text).toContain(path);
    const anon = request.agent(t.app);
    const csrf = await csrfFrom(anon, path);
    expect(
      (
        await anon
          .post(path)
          .type('form')
          .send({ _csrf: csrf, password: 'min egen nya fras', passwordAgain: 'min egen nya fras' })
      ).status,
    ).toBe(303);
    await loginAs(t.app, person.email, 'min egen nya fras');
  });

  it('is for administrators only, and needs the CSRF token', async () => {
    const person = await buildPerson(t.db);
    const learner = await loginAs(t.app, (await buildPerson(t.db)).email);
    expect(
      (
        await learner.agent
          .post(`/admin/personer/${person.id}/aterstallning`)
          .type('form')
          .send({ _csrf: learner.csrf })
      ).status,
    ).toBe(403);
    const boss = await loginAs(t.app, (await buildPerson(t.db, { permissions: adminPermissions })).email);
    expect(
      (await boss.agent.post(`/admin/personer/${person.id}/aterstallning`).type('form').send({})).status,
    ).toBe(403);
    expect(
      (
        await boss.agent
          .post('/admin/personer/99999999/aterstallning')
          .type('form')
          .send({ _csrf: boss.csrf })
      ).status,
    ).toBe(404);
    expect(await t.db('outbox_messages').where({ to_address: person.email })).toHaveLength(0);
    await loginAs(t.app, person.email, PASSWORD);
  });
});

describe('GET /admin/personer/:id', () => {
  it('tells the administrator when the address is not verified yet', async () => {
    const boss = await loginAs(t.app, (await buildPerson(t.db, { permissions: adminPermissions })).email);
    const person = await buildPerson(t.db);
    await t.db('users').where({ id: person.id }).update({ email_verified_at: null });
    const page = cheerio.load((await boss.agent.get(`/admin/personer/${person.id}`)).text);
    expect(page('.notice--warning').text()).toContain('E-postadressen är inte bekräftad ännu');
  });
});

describe('POST /admin/personer (create)', () => {
  it('refuses a common password or one made of the e-mail address', async () => {
    const boss = await loginAs(t.app, (await buildPerson(t.db, { permissions: adminPermissions })).email);
    const unit = await buildUnit(t.db);
    const email = `maria.ek-${Date.now()}@test.se`;
    for (const password of ['sommar2024', email.split('@')[0]]) {
      const res = await boss.agent
        .post('/admin/personer')
        .type('form')
        .send({
          _csrf: boss.csrf,
          name: 'Maria Ek',
          email,
          password,
          unitId: String(unit.id),
          learner: 'on',
        });
      expect(res.status).toBe(400);
      expect(cheerio.load(res.text)('.error-summary a[href="#password"]').length).toBe(1);
    }
    expect(await t.db('users').where({ email }).first()).toBeUndefined();
  });
});
