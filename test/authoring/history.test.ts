/** The authoring history in human Swedish: no raw part ids like `lesson:bromsar` or `(standard, easy)` (issue 14). */
import * as cheerio from 'cheerio';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const course = '/redigera/kurser/test-kurs';
const lessonUrl = `${course}/lektioner/bromsar`;

async function lessonForm(agent: Awaited<ReturnType<typeof loginAs>>['agent']) {
  const $ = cheerio.load((await agent.get(lessonUrl)).text);
  const form: Record<string, string> = {};
  $(
    'form[data-lesson-editor] input, form[data-lesson-editor] textarea, form[data-lesson-editor] select',
  ).each((_i, el) => {
    const name = $(el).attr('name');
    if (!name) return;
    form[name] =
      el.tagName === 'textarea'
        ? $(el).text()
        : el.tagName === 'select'
          ? String($(el).find('option[selected]').val() ?? $(el).find('option').first().val())
          : String($(el).val() ?? '');
  });
  return form;
}

describe('the authoring history', () => {
  it('says what changed in words, in Swedish and in English', async () => {
    const person = await buildPerson(t.db, {
      jobRole: null,
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    const educator = await loginAs(t.app, person.email);
    const form = await lessonForm(educator.agent);
    const saved = await educator.agent
      .post(lessonUrl)
      .type('form')
      .send({
        ...form,
        _csrf: educator.csrf,
        action: 'save',
        bodyStandard: `${form.bodyStandard}\n\nNytt stycke.`,
        bodyEasy: `${form.bodyEasy}\n\nNy mening.`,
      });
    expect(saved.status).toBe(303);
    const added = await educator.agent.post(`${course}/fragor`).type('form').send({ _csrf: educator.csrf });
    expect(added.status).toBe(303);
    // An entry written before the log kept its changes in words is named from the current draft.
    const courseId = (await t.db('courses').where({ slug: 'test-kurs' }).first('id')).id;
    await t.db('audit_log').insert({
      actor_id: person.id,
      action: 'draft.change',
      subject: `course:${courseId}`,
      details: JSON.stringify({ part: 'lesson:bromsar' }),
    });

    const res = await educator.agent.get(`${course}/historik`);
    expect(res.status).toBe(200);
    const text = cheerio.load(res.text)('table').text();
    expect(text).toContain(
      'Lektionen ”Bromsarna på rullstolen” ändrades (standardsvenska och lätt svenska).',
    );
    expect(text).toContain('En ny fråga lades till.');
    expect(text).toContain('Lektionen ”Bromsarna på rullstolen” ändrades.');
    expect(res.text).not.toMatch(/lesson:|question:|\(standard, easy\)|Ändrade structure/);

    expect(
      (
        await educator.agent
          .post('/sprak')
          .type('form')
          .send({ _csrf: educator.csrf, lang: 'en', returnTo: '/' })
      ).status,
    ).toBe(303);
    const english = cheerio
      .load((await educator.agent.get(`${course}/historik`)).text)('table')
      .text();
    expect(english).toContain(
      'The lesson “Bromsarna på rullstolen” was changed (standard Swedish and easy Swedish).',
    );
    expect(english).toContain('A new question was added.');
  });
});
