import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { unzipSync } from 'fflate';
import { courseToFiles } from '../../server/authoring/course-folder';
import { importCourses } from '../../server/courses/courses-composition';
import { toTemplate } from '../../server/courses/region';
import { buildPerson, FIXTURE_COURSES, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { answer, completeLessons, FIXTURE_RIGHT, questionsOf, startQuiz } from '../support/journey';

let t: TestApp;
let coursesDir: string;
let educator: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  coursesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-authoring-'));
  fs.cpSync(FIXTURE_COURSES, coursesDir, { recursive: true });
  t = await startTestApp({ coursesDir });
  const person = await buildPerson(t.db, {
    jobRole: null,
    permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
  });
  educator = await loginAs(t.app, person.email);
});
afterAll(async () => t.close());

const lessonUrl = '/redigera/kurser/test-kurs/lektioner/bromsar';

async function lessonForm(agent: typeof educator.agent) {
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

async function publish(agent: typeof educator.agent, csrf: string, note: string, significant = false) {
  const $ = cheerio.load((await agent.get('/redigera/kurser/test-kurs')).text);
  const draftUpdatedAt = String($('input[name="draftUpdatedAt"]').val());
  return agent
    .post('/redigera/kurser/test-kurs/publicera')
    .type('form')
    .send({ _csrf: csrf, changeNote: note, draftUpdatedAt, ...(significant ? { significant: 'on' } : {}) });
}

describe('who may author', () => {
  it('keeps drafts from learners (403) and lets a reviewer read and comment on their course only', async () => {
    const learner = await buildPerson(t.db);
    const l = await loginAs(t.app, learner.email);
    expect((await l.agent.get('/redigera')).status).toBe(403);
    expect((await l.agent.get(lessonUrl)).status).toBe(403);

    const courseId = (await t.db('courses').where({ slug: 'test-kurs' }).first('id')).id;
    const reviewerPerson = await buildPerson(t.db, {
      permissions: [{ kind: 'reviewer', organisationId: null, unitId: null, courseId }],
    });
    const r = await loginAs(t.app, reviewerPerson.email);
    expect((await r.agent.get(lessonUrl)).status).toBe(200);
    const comment = await r.agent
      .post(`${lessonUrl}/kommentarer`)
      .type('form')
      .send({ _csrf: r.csrf, action: 'add', body: 'Förklara ordet förskrivare.' });
    expect(comment.status).toBe(303);
    expect(await t.db('lesson_comments').where({ lesson_id: 'bromsar' }).pluck('body')).toContain(
      'Förklara ordet förskrivare.',
    );
    const save = await r.agent
      .post(lessonUrl)
      .type('form')
      .send({ _csrf: r.csrf, action: 'save', bodyStandard: 'x' });
    expect(save.status).toBe(403);

    const otherCourse = await t.db('courses').insert({ slug: 'annan-kurs', area: 'grund' }).returning('id');
    const other = await buildPerson(t.db, {
      permissions: [{ kind: 'reviewer', organisationId: null, unitId: null, courseId: otherCourse[0].id }],
    });
    const o = await loginAs(t.app, other.email);
    expect((await o.agent.get(lessonUrl)).status).toBe(403);
  });
});

describe('editing and publishing', () => {
  it('publishes a draft as a new version while a learner half-way keeps their version and answers', async () => {
    const learner = await buildPerson(t.db);
    const l = await loginAs(t.app, learner.email);
    await completeLessons(l.agent, l.csrf, 'test-kurs', ['bromsar', 'fallet-ali']);
    const attempt = await startQuiz(l.agent, l.csrf, 'test-kurs');
    await answer(l.agent, l.csrf, attempt, 'bromsen', ['las']);

    const form = await lessonForm(educator.agent);
    const saved = await educator.agent
      .post(lessonUrl)
      .type('form')
      .send({
        ...form,
        _csrf: educator.csrf,
        action: 'save',
        bodyStandard: 'Lås alltid bromsarna, även vid korta stopp.',
        bodyEasy: 'Lås bromsen. Gör det varje gång.',
      });
    expect(saved.status).toBe(303);
    // Learners still see the published text until the draft is published.
    expect(
      cheerio
        .load((await l.agent.get('/kurser/test-kurs/lektioner/bromsar')).text)('.lesson__body')
        .text(),
    ).toContain('Kontrollera alltid');
    const published = await publish(educator.agent, educator.csrf, 'Tydligare om bromsen.');
    expect(published.status).toBe(303);
    expect(await t.db('course_versions').orderBy('version').pluck('version')).toEqual([1, 2]);

    expect(
      cheerio
        .load((await l.agent.get('/kurser/test-kurs/lektioner/bromsar')).text)('.lesson__body')
        .text(),
    ).toContain('Kontrollera alltid');
    expect(await t.db('quiz_answers').where({ attempt_id: attempt })).toHaveLength(1);
    for (const q of await questionsOf(l.agent, attempt, 3))
      await answer(l.agent, l.csrf, attempt, q, FIXTURE_RIGHT[q]);
    await l.agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: l.csrf });
    expect(await t.db('completions').where({ user_id: learner.id })).toHaveLength(1);

    const newcomer = await buildPerson(t.db);
    const n = await loginAs(t.app, newcomer.email);
    expect(
      cheerio
        .load((await n.agent.get('/kurser/test-kurs/lektioner/bromsar')).text)('.lesson__body')
        .text(),
    ).toContain('även vid korta stopp');
  });

  it('does not overwrite an app-published edit at the next start unless the course files changed', async () => {
    const report = await importCourses(t.db, coursesDir);
    expect(report.unchanged).toContain('test-kurs');
    expect(await t.db('course_versions').count('* as n').first()).toEqual({ n: 2 });
  });

  it('tells the second of two educators editing the same lesson of the conflict and keeps their text', async () => {
    const second = await buildPerson(t.db, {
      jobRole: null,
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    const b = await loginAs(t.app, second.email);
    const formA = await lessonForm(educator.agent);
    const formB = await lessonForm(b.agent);
    expect(formA.revision).toBe(formB.revision);
    const a = await educator.agent
      .post(lessonUrl)
      .type('form')
      .send({ ...formA, _csrf: educator.csrf, action: 'save', bodyEasy: 'Text från A.' });
    expect(a.status).toBe(303);
    const res = await b.agent
      .post(lessonUrl)
      .type('form')
      .send({ ...formB, _csrf: b.csrf, action: 'save', bodyEasy: 'Text från B som inte får försvinna.' });
    expect(res.status).toBe(409);
    const $ = cheerio.load(res.text);
    expect($('[role="alert"]').text()).toContain('Någon annan har ändrat lektionen');
    expect($('#bodyEasy').text()).toBe('Text från B som inte får försvinna.');
    expect(res.text).toContain('Text från A.');
    const draft = await t.db('course_drafts').first('content');
    expect(draft.content.lessons[0].body.easy).toBe('Text från A.');
  });

  it('refuses to publish while an easy-Swedish text is missing', async () => {
    const form = await lessonForm(educator.agent);
    await educator.agent
      .post(lessonUrl)
      .type('form')
      .send({ ...form, _csrf: educator.csrf, action: 'save', titleEasy: '', bodyEasy: '' });
    const res = await publish(educator.agent, educator.csrf, 'Försök');
    expect(res.status).toBe(400);
    const $ = cheerio.load(res.text);
    expect($('.notice--warning').text()).toContain('saknar en variant');
    expect($('.notice--warning a[href$="/lektioner/bromsar"]').length).toBeGreaterThan(0);
    expect(await t.db('course_versions').count('* as n').first()).toEqual({ n: 2 });
  });

  it('restores an earlier version as a new draft', async () => {
    const res = await educator.agent
      .post('/redigera/kurser/test-kurs/historik/aterstall')
      .type('form')
      .send({ _csrf: educator.csrf, version: '1' });
    expect(res.status).toBe(303);
    const draft = await t.db('course_drafts').first('content');
    expect(draft.content.lessons[0].body.standard).toContain('Kontrollera alltid');
    const history = cheerio.load((await educator.agent.get('/redigera/kurser/test-kurs/historik')).text);
    expect(history('.history').text()).toContain('Tydligare om bromsen.');
    expect(history('.history').text()).toContain(
      'Lektionen ”Bromsarna på rullstolen” ändrades (standardsvenska och lätt svenska).',
    );
  });

  it('tells people with a valid completion about a significant change, keeping their completion', async () => {
    const learner = await buildPerson(t.db);
    const l = await loginAs(t.app, learner.email);
    await completeLessons(l.agent, l.csrf, 'test-kurs', ['bromsar', 'fallet-ali']);
    const attempt = await startQuiz(l.agent, l.csrf, 'test-kurs');
    for (const q of await questionsOf(l.agent, attempt, 3))
      await answer(l.agent, l.csrf, attempt, q, FIXTURE_RIGHT[q]);
    await l.agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: l.csrf });
    const before = await t.db('completions').where({ user_id: learner.id }).first();

    const res = await publish(educator.agent, educator.csrf, 'Nytt avsnitt om tippskydd.', true);
    expect(res.status).toBe(303);
    const mails = await t.db('outbox_messages').where({ to_address: learner.email });
    expect(mails).toHaveLength(1);
    expect(mails[0].text_body).toContain('Nytt avsnitt om tippskydd.');
    expect(await t.db('completions').where({ user_id: learner.id }).first()).toEqual(before);
    const mine = cheerio.load((await l.agent.get('/mina-kurser')).text);
    expect(mine('.card .notice').text()).toContain('Nytt avsnitt om tippskydd.');
    expect(mine('.badge').first().text()).toContain('Klar');
  });
});

describe('export and import', () => {
  it('round-trips a course through its zip with every text, variant, question and image', async () => {
    const zip = await educator.agent
      .get('/redigera/kurser/test-kurs/export.zip')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          cb(null, Buffer.concat(chunks));
        });
      });
    expect(zip.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    expect(Object.keys(files).sort()).toEqual(
      expect.arrayContaining([
        'test-kurs/course.yaml',
        'test-kurs/quiz.yaml',
        'test-kurs/lessons/bromsar.easy.md',
        'test-kurs/images/rullstol.svg',
      ]),
    );

    const published = await t.db('course_versions').orderBy('version', 'desc').first('content');
    const res = await educator.agent
      .post(`/redigera/importera?_csrf=${encodeURIComponent(educator.csrf)}`)
      .attach('zip', zip.body as Buffer, 'test-kurs.zip');
    expect(res.status).toBe(303);
    const draft = await t
      .db('course_drafts')
      .join('courses', 'courses.id', 'course_drafts.course_id')
      .where('courses.slug', 'test-kurs')
      .first('content');
    // The draft holds the texts as written ({{region:KEY}}), the published version the region's values.
    expect(draft.content).toEqual(toTemplate(published.content));
    expect(JSON.stringify(draft.content)).toContain('{{region:felanmalan}}');
    const easyAli = files['test-kurs/lessons/fallet-ali.easy.md'] as Uint8Array | undefined;
    expect(easyAli && Buffer.from(easyAli).toString()).toContain('{{region:felanmalan}}');
    expect(Object.keys(files)).not.toContain('test-kurs/region.yaml');
    // And the draft writes the very same files again.
    const again = courseToFiles(
      draft.content,
      new Map([
        [
          published.content.images['images/rullstol.svg'].sha256,
          Buffer.from(files['test-kurs/images/rullstol.svg']),
        ],
      ]),
    );
    for (const [name, bytes] of again)
      expect({ name, same: Buffer.from(files[`test-kurs/${name}`]).equals(bytes) }).toEqual({
        name,
        same: true,
      });
  });

  it('refuses a file that is not a course zip and changes nothing', async () => {
    const before = await t.db('course_drafts').count('* as n').first();
    const res = await educator.agent
      .post(`/redigera/importera?_csrf=${encodeURIComponent(educator.csrf)}`)
      .attach('zip', Buffer.from('inte en zip'), 'kurs.zip');
    expect(res.status).toBe(400);
    expect(res.text).toContain('inte en zip-fil');
    expect(await t.db('course_drafts').count('* as n').first()).toEqual(before);
  });

  it('refuses an upload without the CSRF token', async () => {
    const res = await educator.agent.post('/redigera/importera').attach('zip', Buffer.from('x'), 'kurs.zip');
    expect(res.status).toBe(403);
  });
});

describe('images in lessons', () => {
  it('requires alt text in both variants and refuses a text file named .png', async () => {
    const url = `${lessonUrl}/bilder?_csrf=${encodeURIComponent(educator.csrf)}`;
    const noAlt = await educator.agent
      .post(url)
      .attach('image', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), {
        filename: 'a.svg',
        contentType: 'image/svg+xml',
      })
      .field('altStandard', 'En säng');
    expect(noAlt.status).toBe(400);
    expect(cheerio.load(noAlt.text)('#altEasy-error').text()).toContain('Skriv vad bilden visar');
    const fake = await educator.agent
      .post(url)
      .attach('image', Buffer.from('hej'), { filename: 'a.png', contentType: 'image/png' })
      .field('altStandard', 'A')
      .field('altEasy', 'A');
    expect(fake.status).toBe(400);
    const ok = await educator.agent
      .post(url)
      .attach(
        'image',
        Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5"/></svg>',
        ),
        { filename: 'sang.svg', contentType: 'image/svg+xml' },
      )
      .field('altStandard', 'En säng med grind')
      .field('altEasy', 'En säng');
    expect(ok.status).toBe(303);
    const draft = await t.db('course_drafts').first('content');
    expect(draft.content.lessons[0].body.standard).toMatch(
      /!\[En säng med grind\]\(images\/[0-9a-f]{12}\.svg\)/,
    );
    expect(draft.content.lessons[0].body.easy).toMatch(/!\[En säng\]\(images\/[0-9a-f]{12}\.svg\)/);
  });
});

describe('role tracks in the browser', () => {
  it('shows how many people get a new required course before saving, and saves', async () => {
    await buildPerson(t.db, { jobRole: 'underskoterska' });
    await buildPerson(t.db, { jobRole: 'underskoterska' });
    const people = Number(
      (await t
        .db('users')
        .where({ job_role: 'underskoterska' })
        .whereNull('disabled_at')
        .count('* as n')
        .first())!.n,
    );
    const courseId = (await t.db('courses').where({ slug: 'test-kurs' }).first('id')).id;
    const page = cheerio.load((await educator.agent.get('/redigera/rollspar')).text);
    const form: Record<string, string> = { _csrf: educator.csrf };
    page('table.tracks select').each(
      (_i, el) =>
        void (form[String(page(el).attr('name'))] = String(page(el).find('option[selected]').val())),
    );
    page('table.tracks input').each(
      (_i, el) => void (form[String(page(el).attr('name'))] = String(page(el).val())),
    );
    expect(form[`req-underskoterska-${courseId}`]).toBe('required');
    // Make it recommended: the preview says who stops having it required.
    const preview = await educator.agent
      .post('/redigera/rollspar')
      .type('form')
      .send({ ...form, [`req-underskoterska-${courseId}`]: 'recommended', action: 'preview' });
    expect(cheerio.load(preview.text)('#effect').text()).toContain(
      `${people} personer med rollen Undersköterska behöver inte längre gå`,
    );
    expect(
      await t
        .db('track_courses')
        .where({ job_role: 'underskoterska', course_id: courseId })
        .first('requirement'),
    ).toEqual({ requirement: 'required' });
    const saved = await educator.agent
      .post('/redigera/rollspar')
      .type('form')
      .send({ ...form, [`req-underskoterska-${courseId}`]: 'recommended', action: 'save' });
    expect(saved.status).toBe(303);
    expect(
      await t
        .db('track_courses')
        .where({ job_role: 'underskoterska', course_id: courseId })
        .first('requirement'),
    ).toEqual({ requirement: 'recommended' });
    // The next start does not put tracks.yaml back over the change.
    await importCourses(t.db, coursesDir);
    expect(
      await t
        .db('track_courses')
        .where({ job_role: 'underskoterska', course_id: courseId })
        .first('requirement'),
    ).toEqual({ requirement: 'recommended' });
  });
});

describe('films in the lesson editor', () => {
  it('offers the film library and keeps a film the library does not have, marked as missing', async () => {
    await t.db('videos').insert({
      slug: 'lyft-film',
      title: 'Lyft med sele',
      original_name: 'lyft.mp4',
      original_bytes: 1000,
      original_format: 'mp4',
    });
    const form = await lessonForm(educator.agent);
    const saved = await educator.agent
      .post(lessonUrl)
      .type('form')
      .send({ ...form, _csrf: educator.csrf, action: 'save', video: 'okand-film' });
    expect(saved.status).toBe(303);
    const $ = cheerio.load((await educator.agent.get(lessonUrl)).text);
    const options = $('#video option')
      .map((_i, el) => $(el).text())
      .get();
    expect(options[0]).toBe('Ingen film');
    expect(options).toContain('Lyft med sele (lyft-film)');
    expect($('#video option[selected]').text()).toBe('okand-film (finns inte i filmbiblioteket)');
    const draft = await t.db('course_drafts').first('content');
    expect(draft.content.lessons.find((l: { id: string }) => l.id === 'bromsar').video).toBe('okand-film');
  });
});

describe('regional facts and quiz rules in authoring', () => {
  const aliUrl = '/redigera/kurser/test-kurs/lektioner/fallet-ali';

  it('edits {{region:KEY}} as written, previews the region value marked, and publishes the value', async () => {
    await educator.agent
      .post('/redigera/kurser/test-kurs/slang-utkast')
      .type('form')
      .send({ _csrf: educator.csrf });
    const page = cheerio.load((await educator.agent.get(aliUrl)).text);
    expect(page('#bodyStandard').text()).toContain('Så gör du en felanmälan: {{region:felanmalan}}');
    expect(page('.region-placeholder').first().text()).toContain(
      '[Exempel – HMC fyller i: Här ska HMC beskriva hur en felanmälan görs.]',
    );

    const $ = cheerio.load((await educator.agent.get(aliUrl)).text);
    const form: Record<string, string> = {};
    $(
      'form[data-lesson-editor] input, form[data-lesson-editor] textarea, form[data-lesson-editor] select',
    ).each((_i, el) => {
      const name = $(el).attr('name');
      if (name)
        form[name] =
          el.tagName === 'textarea'
            ? $(el).text()
            : el.tagName === 'select'
              ? String($(el).find('option[selected]').val() ?? '')
              : String($(el).val() ?? '');
    });
    const saved = await educator.agent
      .post(aliUrl)
      .type('form')
      .send({
        ...form,
        _csrf: educator.csrf,
        action: 'save',
        bodyEasy: `${form.bodyEasy}\n\nRing HMC: {{region:hmc-kontakt}}`,
      });
    expect(saved.status).toBe(303);
    const draft = await t.db('course_drafts').first('content');
    expect(draft.content.lessons[1].body.easy).toContain('Ring HMC: {{region:hmc-kontakt}}');

    expect((await publish(educator.agent, educator.csrf, 'Kontakt till HMC.')).status).toBe(303);
    const published = await t.db('course_versions').orderBy('id', 'desc').first('content');
    expect(published.content.lessons[1].body.easy).toContain('Ring HMC: Ring 010-123 45 67.');
    expect(published.content.lessons[1].body.easy).not.toContain('{{region:');

    const learner = await buildPerson(t.db);
    const l = await loginAs(t.app, learner.email);
    await l.agent.post('/kurser/test-kurs/lektioner/bromsar/klar').type('form').send({ _csrf: l.csrf });
    const lesson = cheerio.load((await l.agent.get('/kurser/test-kurs/lektioner/fallet-ali')).text);
    expect(lesson('mark.region-placeholder').text()).toBe(
      '[Exempel – HMC fyller i: Här ska HMC beskriva hur en felanmälan görs.]',
    );
  });

  it('refuses an unknown regional key with the file and line', async () => {
    const $ = cheerio.load((await educator.agent.get(aliUrl)).text);
    const form: Record<string, string> = {};
    $(
      'form[data-lesson-editor] input, form[data-lesson-editor] textarea, form[data-lesson-editor] select',
    ).each((_i, el) => {
      const name = $(el).attr('name');
      if (name)
        form[name] =
          el.tagName === 'textarea'
            ? $(el).text()
            : el.tagName === 'select'
              ? String($(el).find('option[selected]').val() ?? '')
              : String($(el).val() ?? '');
    });
    await educator.agent
      .post(aliUrl)
      .type('form')
      .send({
        ...form,
        _csrf: educator.csrf,
        action: 'save',
        bodyStandard: `${form.bodyStandard}\n\nTelefon: {{region:telefon}}`,
      });
    const res = await publish(educator.agent, educator.csrf, 'Telefon');
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('.notice--warning').text()).toMatch(
      /fallet-ali\.standard\.md:\d+: Okänd regionuppgift \{\{region:telefon\}\}/,
    );
    await educator.agent
      .post('/redigera/kurser/test-kurs/slang-utkast')
      .type('form')
      .send({ _csrf: educator.csrf });
  });

  it('saves a question as critical from the editor checkbox', async () => {
    const url = '/redigera/kurser/test-kurs/fragor/bromsen';
    const $ = cheerio.load((await educator.agent.get(url)).text);
    expect($('#critical').attr('checked')).toBeUndefined();
    const res = await educator.agent
      .post(url)
      .type('form')
      .send({
        _csrf: educator.csrf,
        action: 'save',
        revision: '0',
        type: 'single',
        lesson: 'bromsar',
        critical: 'on',
        textStandard: 'Vad gör du innan en förflyttning?',
        textEasy: 'Vad gör du först?',
        optionId: ['las', 'inget'],
        optionStandard: ['Låser bromsarna', 'Ingenting'],
        optionEasy: ['Låser bromsen', 'Ingenting'],
        correct: ['0'],
        explanationStandard: 'Bromsarna ska vara låsta.',
        explanationEasy: 'Bromsen ska vara låst.',
      });
    expect(res.status).toBe(303);
    const draft = await t.db('course_drafts').first('content');
    expect(draft.content.questions.find((q: { id: string }) => q.id === 'bromsen').critical).toBe(true);
    expect(
      cheerio
        .load((await educator.agent.get(url)).text)('#critical')
        .attr('checked'),
    ).toBeDefined();
  });

  it('blocks publishing while the pool is smaller than twice the draw, and only warns about wording', async () => {
    const row = await t.db('course_drafts').first('course_id', 'content');
    const content = { ...row.content, questionsPerAttempt: 4 };
    content.questions.find((q: { id: string }) => q.id === 'bromsen').explanation.standard =
      'Rätt. Bromsarna ska vara låsta.';
    await t
      .db('course_drafts')
      .where({ course_id: row.course_id })
      .update({ content: JSON.stringify(content), updated_at: t.db.fn.now() });
    const page = cheerio.load((await educator.agent.get('/redigera/kurser/test-kurs')).text);
    expect(page('.notice--warning').text()).toContain('banken behöver minst 8');
    expect(page('#publicera ~ .notice').text()).toContain(
      'Förklaringen till bromsen (standard) börjar med ett omdöme',
    );
    const before = await t.db('course_versions').count('* as n').first();
    expect((await publish(educator.agent, educator.csrf, 'Fler frågor')).status).toBe(400);
    expect(await t.db('course_versions').count('* as n').first()).toEqual(before);

    await t
      .db('course_drafts')
      .where({ course_id: row.course_id })
      .update({ content: JSON.stringify({ ...content, questionsPerAttempt: 3 }), updated_at: t.db.fn.now() });
    expect((await publish(educator.agent, educator.csrf, 'Säkerhetsfråga')).status).toBe(303);
  });
});
