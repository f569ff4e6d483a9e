import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { answer, completeLessons, FIXTURE_RIGHT, questionsOf, startQuiz } from '../support/journey';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function learnerReadyForQuiz() {
  const person = await buildPerson(t.db);
  const { agent, csrf } = await loginAs(t.app, person.email);
  await completeLessons(agent, csrf, 'test-kurs', ['bromsar', 'fallet-ali']);
  const attempt = await startQuiz(agent, csrf, 'test-kurs');
  return { person, agent, csrf, attempt, questions: await questionsOf(agent, attempt, 3) };
}

describe('lessons', () => {
  it('marks a lesson done with "Klar – nästa" and goes to the next one', async () => {
    const person = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, person.email);
    const res = await agent
      .post('/kurser/test-kurs/lektioner/bromsar/klar')
      .type('form')
      .send({ _csrf: csrf });
    expect(res.headers.location).toBe('/kurser/test-kurs/lektioner/fallet-ali');
    const page = await agent.get('/mina-kurser');
    expect(cheerio.load(page.text)('.badge').first().text()).toContain('Pågår · 50 %');
  });

  it('counts a double-clicked "Klar – nästa" once', async () => {
    const person = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, person.email);
    await Promise.all(
      [1, 2].map(() =>
        agent.post('/kurser/test-kurs/lektioner/bromsar/klar').type('form').send({ _csrf: csrf }),
      ),
    );
    const rows = await t
      .db('lesson_progress as p')
      .join('enrolments as e', 'e.id', 'p.enrolment_id')
      .where('e.user_id', person.id);
    expect(rows).toHaveLength(1);
  });

  it('shows the easy variant after switching, and remembers it for the person', async () => {
    const person = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, person.email);
    await agent
      .post('/mina-kurser/sprakniva')
      .type('form')
      .send({ _csrf: csrf, variant: 'easy', returnTo: '/kurser/test-kurs/lektioner/bromsar' });
    const page = await agent.get('/kurser/test-kurs/lektioner/bromsar');
    expect(cheerio.load(page.text)('h1').text()).toBe('Bromsen på rullstolen');
    expect(await t.db('users').where({ id: person.id }).first('content_variant')).toEqual({
      content_variant: 'easy',
    });
  });

  it('answers 404 in Swedish for an unknown course or lesson', async () => {
    const person = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, person.email);
    expect((await agent.get('/kurser/finns-inte')).status).toBe(404);
    const res = await agent.get('/kurser/test-kurs/lektioner/finns-inte');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Lektionen finns inte');
  });

  it('keeps the quiz closed until every lesson is done', async () => {
    const person = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, person.email);
    await completeLessons(agent, csrf, 'test-kurs', ['bromsar']);
    const res = await agent.post('/kurser/test-kurs/quiz').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Gå igenom alla lektioner först');
  });

  it('serves course images by content hash, with a locked-down CSP, only to logged-in people', async () => {
    const person = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, person.email);
    const $ = cheerio.load((await agent.get('/kurser/test-kurs/lektioner/bromsar')).text);
    const src = String($('.lesson__body img').attr('src'));
    expect(src).toMatch(/^\/kursbilder\/[0-9a-f]{64}$/);
    const image = await agent.get(src);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toContain('image/svg+xml');
    expect(image.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await request(t.app).get(src)).status).toBe(302);
  });
});

describe('POST /quiz/:attempt/svar', () => {
  it('saves each answer at once, so a learner resumes where they were', async () => {
    const { agent, csrf, attempt, questions } = await learnerReadyForQuiz();
    const res = await answer(agent, csrf, attempt, questions[0], FIXTURE_RIGHT[questions[0]], { go: 'next' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/quiz/${attempt}/fragor/2`);
    // A new session (closed browser) continues on the first unanswered question.
    const again = await agent.post('/kurser/test-kurs/quiz').type('form').send({ _csrf: csrf });
    expect(again.headers.location).toBe(`/quiz/${attempt}/fragor/2`);
    const page = cheerio.load((await agent.get(`/quiz/${attempt}/fragor/1`)).text);
    expect(
      page('input[name="selected"]:checked')
        .map((_i, el) => page(el).val())
        .get()
        .sort(),
    ).toEqual([...FIXTURE_RIGHT[questions[0]]].sort());
  });

  it('never lets a late or repeated save overwrite a newer answer', async () => {
    const { agent, csrf, attempt } = await learnerReadyForQuiz();
    const now = Date.now();
    const newer = await agent
      .post(`/quiz/${attempt}/svar`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, questionId: 'bromsen', selected: 'las', answeredAt: String(now) });
    expect(newer.body).toEqual({ saved: true });
    const older = await agent
      .post(`/quiz/${attempt}/svar`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, questionId: 'bromsen', selected: 'inget', answeredAt: String(now - 5000) });
    expect(older.body).toEqual({ saved: false });
    const stored = await t
      .db('quiz_answers')
      .where({ attempt_id: attempt, question_id: 'bromsen' })
      .first('selected');
    expect(stored.selected).toEqual(['las']);
  });

  it("refuses an answer to another person's attempt with 403 and saves nothing", async () => {
    const { attempt } = await learnerReadyForQuiz();
    const other = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, other.email);
    const res = await answer(agent, csrf, attempt, 'bromsen', ['inget']);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Det här testet är inte ditt');
    expect(await t.db('quiz_answers').where({ attempt_id: attempt })).toHaveLength(0);
    expect((await agent.get(`/quiz/${attempt}/fragor/1`)).status).toBe(403);
    expect((await agent.get(`/quiz/${attempt}/resultat`)).status).toBe(403);
    // The pages above made this process remember the attempt (saves read it from memory): still refused.
    expect((await answer(agent, csrf, attempt, 'bromsen', ['inget'])).status).toBe(403);
    expect(await t.db('quiz_answers').where({ attempt_id: attempt })).toHaveLength(0);
  });

  it('answers 404 for an attempt that does not exist or a malformed id', async () => {
    const person = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, person.email);
    expect((await answer(agent, csrf, 999999, 'bromsen', ['las'])).status).toBe(404);
    expect((await agent.get('/quiz/abc/fragor/1')).status).toBe(404);
  });

  it('refuses answers after submitting with 409', async () => {
    const { agent, csrf, attempt } = await learnerReadyForQuiz();
    await agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: csrf });
    const res = await answer(agent, csrf, attempt, 'bromsen', ['las']);
    expect(res.status).toBe(409);
    expect(res.text).toContain('redan inlämnat');
  });
});

describe('POST /quiz/:attempt/lamna-in', () => {
  it('fails with one wrong answer, then passes on a retry and completes the course', async () => {
    const { person, agent, csrf, attempt, questions } = await learnerReadyForQuiz();
    // The fixture's only question on its lesson, so every attempt draws it (server/quiz/grading.ts).
    for (const q of questions)
      await answer(agent, csrf, attempt, q, q === 'bromsen' ? ['inget'] : FIXTURE_RIGHT[q]);
    const submitted = await agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: csrf });
    expect(submitted.headers.location).toBe(`/quiz/${attempt}/resultat`);
    const result = cheerio.load((await agent.get(`/quiz/${attempt}/resultat`)).text);
    expect(result('h1').text()).toContain('Du klarade inte testet');
    expect(result('.result--wrong').text()).toContain('Bromsarna ska vara låsta.');

    const retry = await startQuiz(agent, csrf, 'test-kurs');
    expect(retry).not.toBe(attempt);
    for (const q of await questionsOf(agent, retry, 3)) await answer(agent, csrf, retry, q, FIXTURE_RIGHT[q]);
    await agent.post(`/quiz/${retry}/lamna-in`).type('form').send({ _csrf: csrf });
    const passed = cheerio.load((await agent.get(`/quiz/${retry}/resultat`)).text);
    expect(passed('h1').text()).toContain('Du klarade testet');
    expect(passed('a[href^="/intyg/"]').length).toBe(1);
    const completions = await t.db('completions').where({ user_id: person.id });
    expect(completions).toHaveLength(1);
    const months =
      (completions[0].valid_until.getTime() - completions[0].completed_at.getTime()) / (30.44 * 86_400_000);
    expect(Math.round(months)).toBe(12);
    const mine = cheerio.load((await agent.get('/mina-kurser')).text);
    expect(mine('.badge').first().text()).toContain('Klar');
  });

  it('grades once and completes once when submit is double-clicked', async () => {
    const { person, agent, csrf, attempt, questions } = await learnerReadyForQuiz();
    for (const q of questions) await answer(agent, csrf, attempt, q, FIXTURE_RIGHT[q]);
    const responses = await Promise.all(
      [1, 2, 3].map(() => agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: csrf })),
    );
    for (const r of responses) expect(r.headers.location).toBe(`/quiz/${attempt}/resultat`);
    expect(await t.db('completions').where({ user_id: person.id })).toHaveLength(1);
  });
});
