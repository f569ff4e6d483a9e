/** Reviewers of a course: granted by e-mail through the auth feature, each change logged with it (issue 12). */
import * as cheerio from 'cheerio';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let educator: Awaited<ReturnType<typeof loginAs>>;
let educatorId: number;
let courseId: number;
beforeAll(async () => {
  t = await startTestApp();
  const person = await buildPerson(t.db, {
    jobRole: null,
    permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
  });
  educatorId = person.id;
  educator = await loginAs(t.app, person.email);
  courseId = (await t.db('courses').where({ slug: 'test-kurs' }).first('id')).id;
});
afterAll(async () => t.close());

const reviewersUrl = '/redigera/kurser/test-kurs/granskare';
const reviewerRows = (userId: number) =>
  t.db('permissions').where({ kind: 'reviewer', course_id: courseId, user_id: userId });
const auditRows = (action: string) =>
  t
    .db('audit_log')
    .where({ action, subject: `course:${courseId}` })
    .orderBy('id');

describe('POST /redigera/kurser/:slug/granskare', () => {
  it('grants the person with that e-mail (any case) once, logs who did it, and lists them on the course page', async () => {
    const person = await buildPerson(t.db, { email: 'Granskare.Ett@test.se', name: 'Gun Granskare' });
    const before = (await auditRows('reviewer.add')).length;
    for (let i = 0; i < 2; i++)
      await educator.agent
        .post(reviewersUrl)
        .type('form')
        .send({ _csrf: educator.csrf, action: 'add', email: '  granskare.ett@TEST.se ' })
        .expect(303);
    expect(await reviewerRows(person.id)).toHaveLength(1);
    const logged = (await auditRows('reviewer.add')).slice(before);
    expect(logged.map((r) => [r.actor_id, r.details])).toEqual([
      [educatorId, { userId: person.id }],
      [educatorId, { userId: person.id }],
    ]);
    const $ = cheerio.load((await educator.agent.get('/redigera/kurser/test-kurs')).text);
    expect($('#granskare + p + ul li').text()).toContain('Gun Granskare (Granskare.Ett@test.se)');
  });

  it('refuses an unknown or disabled address with a message beside the field, granting and logging nothing', async () => {
    const disabled = await buildPerson(t.db, { email: 'avslutad@test.se' });
    await t.db('users').where({ id: disabled.id }).update({ disabled_at: t.db.fn.now() });
    const before = (await auditRows('reviewer.add')).length;
    for (const email of ['ingen-alls@test.se', 'avslutad@test.se', '']) {
      const res = await educator.agent
        .post(reviewersUrl)
        .type('form')
        .send({ _csrf: educator.csrf, action: 'add', email })
        .expect(400);
      const $ = cheerio.load(res.text);
      expect($('#email-error').text()).toContain('Det finns inget aktivt konto med den e-postadressen.');
      expect($('#email').attr('aria-invalid')).toBe('true');
    }
    expect(await reviewerRows(disabled.id)).toHaveLength(0);
    expect(await auditRows('reviewer.add')).toHaveLength(before);
  });

  it('removes a reviewer and shows the removal in the history', async () => {
    const person = await buildPerson(t.db, { email: 'granskare.tva@test.se' });
    await educator.agent
      .post(reviewersUrl)
      .type('form')
      .send({ _csrf: educator.csrf, action: 'add', email: person.email })
      .expect(303);
    await educator.agent
      .post(reviewersUrl)
      .type('form')
      .send({ _csrf: educator.csrf, action: 'remove', userId: String(person.id) })
      .expect(303);
    expect(await reviewerRows(person.id)).toHaveLength(0);
    expect((await auditRows('reviewer.remove')).map((r) => r.details)).toEqual([{ userId: person.id }]);
    const history = cheerio.load((await educator.agent.get('/redigera/kurser/test-kurs/historik')).text);
    expect(history('tbody').text()).toContain('Tog bort en granskare');
    // Removing someone who is no reviewer changes nothing and logs nothing.
    await educator.agent
      .post(reviewersUrl)
      .type('form')
      .send({ _csrf: educator.csrf, action: 'remove', userId: String(person.id) })
      .expect(303);
    expect(await auditRows('reviewer.remove')).toHaveLength(1);
  });

  it('refuses the form without its CSRF token (403)', async () => {
    await educator.agent
      .post(reviewersUrl)
      .type('form')
      .send({ action: 'add', email: 'x@test.se' })
      .expect(403);
  });
});
