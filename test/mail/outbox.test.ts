import * as cheerio from 'cheerio';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('the mail outbox', () => {
  it('sends an event once, however often it is sent', async () => {
    const message = { to: 'a@test.se', subject: 'Påminnelse', text: 'Hej!' };
    expect(await t.services.mail.send(message, { eventKey: 'reminder:1:60' })).toBe(true);
    expect(await t.services.mail.send(message, { eventKey: 'reminder:1:60' })).toBe(false);
    expect(await t.db('outbox_messages').where({ event_key: 'reminder:1:60' })).toHaveLength(1);
  });

  it('queues nothing when the work that sends it is rolled back', async () => {
    await t.db
      .transaction(async (trx) => {
        await t.services.mail.send({ to: 'b@test.se', subject: 'Rullas tillbaka', text: '…' }, { trx });
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect(await t.db('outbox_messages').where({ to_address: 'b@test.se' })).toHaveLength(0);
  });

  it('keeps mail in the local outbox without SMTP, where an administrator reads it with its attachment', async () => {
    await t.services.mail.send({
      to: 'c@test.se',
      subject: 'Bokning bekräftad',
      text: 'Välkommen den 3 mars.',
      attachments: [
        {
          filename: 'utbildning.ics',
          contentType: 'text/calendar',
          content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
        },
      ],
    });
    expect(await t.services.mail.deliverQueued()).toBeGreaterThanOrEqual(1);
    const row = await t.db('outbox_messages').where({ to_address: 'c@test.se' }).first();
    expect(row.status).toBe('kept');
    const admin = await buildPerson(t.db, {
      jobRole: null,
      permissions: [{ kind: 'admin', organisationId: null, unitId: null }],
    });
    const { agent } = await loginAs(t.app, admin.email);
    const list = cheerio.load((await agent.get('/admin/utkorg')).text);
    expect(list('table').text()).toContain('Bokning bekräftad');
    const page = cheerio.load((await agent.get(`/admin/utkorg/${row.id}`)).text);
    expect(page('.mail-body').text()).toBe('Välkommen den 3 mars.');
    const attachment = await agent.get(`/admin/utkorg/${row.id}/bilaga/0`);
    expect(attachment.headers['content-type']).toContain('text/calendar');
    expect(attachment.text).toContain('BEGIN:VCALENDAR');
  });

  it('is closed to everyone but administrators', async () => {
    const learner = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, learner.email);
    expect((await agent.get('/admin/utkorg')).status).toBe(403);
  });
});
