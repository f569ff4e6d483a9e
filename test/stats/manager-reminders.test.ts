/**
 * A manager reminds people who lack a required course, from the statistics page and without JavaScript:
 * one person or everyone listed, through the outbox, logged, at most once a week per person and course,
 * and only people in the manager's own units.
 */
import * as cheerio from 'cheerio';
import { loginAs, SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';
import { buildHandMadeData, type HandMadeData } from './hand-made-data';

let t: TestApp;
let d: HandMadeData;
let manager: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  t = await startTestApp({ coursesDir: SHIPPED_COURSES });
  d = await buildHandMadeData(t.db);
  manager = await loginAs(t.app, d.m1.email);
});
afterAll(async () => {
  await (t as TestApp | undefined)?.close();
});

const remind = (fields: Record<string, string | number>, who = manager) =>
  who.agent
    .post('/statistik/chef/paminnelser')
    .type('form')
    .send({ _csrf: who.csrf, ...fields });
const mailsTo = (email: string) =>
  t.db('outbox_messages').where({ to_address: email }).orderBy('id').select('subject', 'text_body');
const logged = (userId: number) =>
  t
    .db('audit_log')
    .where({ action: 'reminder.manual', subject: `user:${userId}` })
    .orderBy('id')
    .select('actor_id', 'details', 'at');

describe('POST /statistik/chef/paminnelser', () => {
  it('shows a reminder button per person and course, and one for everyone listed, in forms that work without JavaScript', async () => {
    const $ = cheerio.load((await manager.agent.get('/statistik/chef').expect(200)).text);
    const row = $('#lacking tbody tr').filter((_, tr) => $(tr).find('th').text() === 'Anna Ett');
    const form = row.find('form');
    expect(form.attr('method')).toBe('post');
    expect(form.attr('action')).toBe('/statistik/chef/paminnelser');
    expect(form.find('input[name=_csrf]').val()).toBeTruthy();
    expect(form.find('input[name=person]').val()).toBe(String(d.p1.id));
    expect(form.find('button').text()).toBe(
      'Påminn Anna Ett om Förflyttning – hjälpmedel och säkert arbetssätt',
    );
    expect($('#lacking thead th').last().text()).toBe('Påminnelse');
    expect($('form:has(input[name=all][value=ja]) button').text().trim()).toMatch(
      /^Påminn alla \d+ i listan$/,
    );
  });

  it('sends one reminder in Swedish through the outbox, logs it and says so on the page', async () => {
    const res = await remind({
      person: d.p1.id,
      course: d.courses.forflyttning.id,
      filters: `?course=${d.courses.forflyttning.id}`,
    }).expect(303);
    expect(res.headers.location).toBe(
      `/statistik/chef?course=${d.courses.forflyttning.id}&paminda=1#lacking`,
    );
    const [mail] = await mailsTo(d.p1.email);
    expect(mail.subject).toBe('Påminnelse: kursen Förflyttning – hjälpmedel och säkert arbetssätt');
    expect(mail.text_body).toContain('Hej Anna Ett!');
    expect(mail.text_body).toContain(
      'Maja Chef A1, som är chef för din verksamhet, vill påminna dig om kursen ”Förflyttning – hjälpmedel och säkert arbetssätt”.',
    );
    expect(mail.text_body).toMatch(/Din kurs gäller till .+\. Gå om den innan dess\./);
    expect(await logged(d.p1.id)).toEqual([
      expect.objectContaining({
        actor_id: d.m1.id,
        details: { courseId: d.courses.forflyttning.id, state: 'expiring' },
      }),
    ]);
    const page = cheerio.load((await manager.agent.get(res.headers.location.replace(/#.*/, ''))).text);
    expect(page('#lacking').closest('section').find('[role=status]').text()).toContain(
      'En påminnelse är skickad.',
    );
  });

  it('refuses a second reminder within a week, whoever asks, saying when the last one went', async () => {
    const res = await remind({ person: d.p1.id, course: d.courses.forflyttning.id, filters: '' }).expect(409);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Påminnelsen skickades inte');
    expect($('[role=alert]').text()).toMatch(
      /^Anna Ett fick en påminnelse om Förflyttning – hjälpmedel och säkert arbetssätt den \d{1,2} \S+ \d{4}\. Du kan skicka en ny påminnelse från den \d{1,2} \S+ \d{4}\.$/,
    );
    const organisationManager = await loginAs(t.app, d.mA.email);
    await remind({ person: d.p1.id, course: d.courses.forflyttning.id }, organisationManager).expect(409);
    expect(await mailsTo(d.p1.email)).toHaveLength(1);
    expect(await logged(d.p1.id)).toHaveLength(1);
  });

  it('sends again once the week has passed', async () => {
    await t
      .db('audit_log')
      .where({ action: 'reminder.manual', subject: `user:${d.p1.id}` })
      .update({ at: t.db.raw("now() - interval '7 days 1 minute'") });
    await remind({ person: d.p1.id, course: d.courses.forflyttning.id }).expect(303);
    expect(await mailsTo(d.p1.email)).toHaveLength(2);
  });

  it('reminds everyone listed, skipping who got one this week', async () => {
    const res = await remind({ all: 'ja', filters: '' }).expect(303);
    const q = new URL(res.headers.location, 'http://x').searchParams;
    expect(q.get('hoppade')).toBe('1');
    expect(Number(q.get('paminda'))).toBeGreaterThanOrEqual(3);
    expect((await mailsTo(d.p2.email)).map((m) => m.subject).sort()).toEqual([
      'Påminnelse: kursen Förflyttning – hjälpmedel och säkert arbetssätt',
      'Påminnelse: kursen Hjälpmedel – grunden',
    ]);
    expect(await mailsTo(d.p3.email)).not.toHaveLength(0);
    expect(await mailsTo(d.p5.email)).toHaveLength(0);
    const page = cheerio.load((await manager.agent.get(res.headers.location.replace(/#.*/, ''))).text);
    expect(page('[role=status]').text()).toContain(
      'En påminnelse skickades inte, eftersom personen redan fick en den senaste veckan.',
    );
  });

  it("reminds only the manager's own people (404 for another unit's person) and only about a course they lack", async () => {
    await remind({ person: d.p5.id, course: d.courses['hjalpmedel-grunden'].id }).expect(404);
    await remind({ person: d.p6.id, course: d.courses['hjalpmedel-grunden'].id }).expect(404);
    expect(await mailsTo(d.p5.email)).toHaveLength(0);
    const done = await remind({ person: d.p1.id, course: d.courses['hjalpmedel-grunden'].id }).expect(409);
    expect(cheerio.load(done.text)('[role=alert]').text()).toBe(
      'Anna Ett saknar inte längre kursen Hjälpmedel – grunden. Ingen påminnelse behövs.',
    );
    await remind({ person: 'abc', course: d.courses.forflyttning.id }).expect(400);
    await manager.agent
      .post('/statistik/chef/paminnelser')
      .type('form')
      .send({ person: d.p2.id, course: d.courses.forflyttning.id })
      .expect(403);
    const learner = await loginAs(t.app, d.p2.email);
    await remind({ person: d.p3.id, course: d.courses.forflyttning.id }, learner).expect(403);
  });
});
