/**
 * Issue 11: the export in /mina-uppgifter holds only mail sent to the person as that account, never
 * everything ever sent to the address (someone joined as the feedback mailbox and read its mail).
 */
import request from 'supertest';
import { buildPerson, buildUnit, csrfFrom, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { FEEDBACK_TO: 'synpunkter@hmc.test' } });
});
afterAll(async () => t.close());

describe('e-mails in the export', () => {
  it('excludes mail to the same address sent for another account or for no account at all', async () => {
    // Anonymous feedback goes to HMC's mailbox through the app (no account).
    const visitor = request.agent(t.app);
    const csrf = await csrfFrom(visitor, '/tillganglighet');
    const feedback = await visitor
      .post('/tillganglighet')
      .type('form')
      .send({ _csrf: csrf, message: 'Knappen går inte att nå med tangentbordet.', page: '/kurser' });
    expect(feedback.status).toBeLessThan(400);
    expect(await t.db('outbox_messages').where({ to_address: 'synpunkter@hmc.test' })).toHaveLength(1);

    // The address belonged to another account before, which got its own mail.
    const before = await buildPerson(t.db, { email: 'synpunkter@hmc.test' });
    await t.services.mail.send({
      to: 'synpunkter@hmc.test',
      userId: before.id,
      subject: 'Till det gamla kontot',
      text: 'Hemligt för någon annan.',
    });
    await t
      .db('users')
      .where({ id: before.id })
      .update({ email: `gammal-${before.id}@hmc.test` });

    // Someone joins with the mailbox's address and downloads their data.
    const unit = await buildUnit(t.db);
    const joiner = request.agent(t.app);
    const token = await csrfFrom(joiner, '/ga-med');
    const joined = await joiner.post('/ga-med').type('form').send({
      _csrf: token,
      joinCode: unit.joinCode,
      name: 'Fel Person',
      email: 'synpunkter@hmc.test',
      jobRole: 'underskoterska',
      password: 'ett långt lösenord här',
      passwordAgain: 'ett långt lösenord här',
    });
    expect(joined.status).toBe(303);
    const res = await joiner.get('/mina-uppgifter/export.json');
    expect(res.status).toBe(200);
    const data = JSON.parse(res.text);
    expect(res.text).not.toContain('tangentbordet');
    expect(res.text).not.toContain('Hemligt för någon annan');
    // Only the verification mail sent to this very account.
    expect(data.emails.map((m: { subject: string }) => m.subject)).toEqual([
      'Bekräfta din e-postadress i Hjälpmedelsskolan',
    ]);
    expect(data.person.email_verified_at).toBeNull();
  });

  it('includes mail sent to the account, e.g. a reset mail', async () => {
    const me = await buildPerson(t.db);
    await t.services.account.requestReset(me.email);
    const { agent } = await loginAs(t.app, me.email);
    const data = JSON.parse((await agent.get('/mina-uppgifter/export.json')).text);
    expect(data.emails.map((m: { subject: string }) => m.subject)).toEqual([
      'Nytt lösenord till Hjälpmedelsskolan',
    ]);
  });
});
