import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildPerson, csrfFrom, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("POST /tillganglighet (the accessibility statement's feedback function)", () => {
  it('takes a report without login, mails HMC and shows it to administrators', async () => {
    const agent = request.agent(t.app);
    const page = cheerio.load((await agent.get('/tillganglighet')).text);
    expect(page('a[href="https://www.digg.se/tdosanmalan"]').length).toBe(1);
    const token = String(page('form[action^="/tillganglighet"] input[name="_csrf"]').val());
    const res = await agent.post('/tillganglighet').type('form').send({
      _csrf: token,
      message: 'Filmen i lektion 2 saknar textning.',
      page: '/kurser/x',
      contact: 'a@b.se',
    });
    expect(res.status).toBe(303);
    expect(await t.db('accessibility_feedback').pluck('message')).toEqual([
      'Filmen i lektion 2 saknar textning.',
    ]);
    expect(
      await t.db('outbox_messages').where('subject', 'like', 'Synpunkt på tillgängligheten%'),
    ).toHaveLength(1);
    const admin = await buildPerson(t.db, {
      jobRole: null,
      permissions: [{ kind: 'admin', organisationId: null, unitId: null }],
    });
    const { agent: adminAgent } = await loginAs(t.app, admin.email);
    expect((await adminAgent.get('/admin/synpunkter')).text).toContain('Filmen i lektion 2 saknar textning.');
  });

  it('re-renders with 400 and a Swedish message when the message is empty', async () => {
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/tillganglighet');
    const res = await agent.post('/tillganglighet').type('form').send({ _csrf: token, message: '  ' });
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#message-error').text()).toContain('Skriv vad som inte fungerar');
  });

  it('links the statement from every page', async () => {
    for (const url of ['/', '/logga-in', '/ga-med', '/verifiera']) {
      expect(
        cheerio.load((await request(t.app).get(url)).text)('footer a[href="/tillganglighet"]').length,
      ).toBe(1);
    }
  });
});
