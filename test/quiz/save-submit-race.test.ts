import * as cheerio from 'cheerio';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { answer, completeLessons, questionsOf, startQuiz } from '../support/journey';
import { databaseOf } from '../support/database';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

// Wrong answers, so an attempt never passes and the same learner can start another one.
const WRONG: Record<string, string[]> = {
  bromsen: ['inget'],
  'vem-ringer': ['granne'],
  'laga-sjalv': ['true'],
  'bromsen-tar-inte': ['forsiktigt'],
  'las-vid-forflyttning': ['false'],
  'ali-ringer': ['leverantoren'],
};

async function learnerInQuiz() {
  const person = await buildPerson(t.db);
  const { agent, csrf } = await loginAs(t.app, person.email);
  await completeLessons(agent, csrf, 'test-kurs', ['bromsar', 'fallet-ali']);
  const attempt = await startQuiz(agent, csrf, 'test-kurs');
  return { agent, csrf, attempt, questions: await questionsOf(agent, attempt, 3) };
}

const saveJson = (
  agent: Awaited<ReturnType<typeof learnerInQuiz>>['agent'],
  csrf: string,
  attempt: number,
  questionId: string,
) =>
  agent
    .post(`/quiz/${attempt}/svar`)
    .set('Accept', 'application/json')
    .type('form')
    .send({ _csrf: csrf, questionId, selected: WRONG[questionId][0] });

/** Waits until this many queries of the test database are waiting for a row lock. */
async function untilWaitingOnLocks(count: number) {
  const database = databaseOf(t.url);
  for (let i = 0; i < 200; i++) {
    const { rows } = await t.db.raw(
      `select count(*)::int as n from pg_stat_activity where datname = ? and wait_event_type = 'Lock'`,
      [database],
    );
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never ${count} queries waiting on a lock`);
}

/** Every stored answer was saved before the grading and was graded. */
async function expectNoAnswerAfterGrading(attempt: number) {
  const late = await t
    .db('quiz_answers as q')
    .join('quiz_attempts as a', 'a.id', 'q.attempt_id')
    .where('q.attempt_id', attempt)
    .andWhere((w) => w.whereRaw('q.saved_at > a.submitted_at').orWhereNull('q.is_correct'))
    .select('q.question_id');
  expect(late).toEqual([]);
}

describe('POST /quiz/:attempt/svar racing POST /quiz/:attempt/lamna-in', () => {
  it('refuses a save that arrives while the submit is grading, instead of storing it after the grading', async () => {
    const { agent, csrf, attempt, questions } = await learnerInQuiz();
    await saveJson(agent, csrf, attempt, questions[0]).expect(200);
    // Hold the grading half-way: the submit has locked the attempt and read the answers, and waits to mark
    // the first answer right or wrong. A save sent now is exactly the save that loses the race.
    const hold = await t.db.transaction();
    await hold.raw('select 1 from quiz_answers where attempt_id = ? and question_id = ? for update', [
      attempt,
      questions[0],
    ]);
    const submit = agent
      .post(`/quiz/${attempt}/lamna-in`)
      .type('form')
      .send({ _csrf: csrf })
      .then((r) => r);
    await untilWaitingOnLocks(1);
    const late = saveJson(agent, csrf, attempt, questions[1]).then((r) => r);
    await untilWaitingOnLocks(2);
    await hold.commit();
    const [submitted, save] = await Promise.all([submit, late]);

    expect(submitted.status).toBe(303);
    expect(save.status).toBe(409);
    expect(save.body.error).toBe('Testet är redan inlämnat. Du kan inte ändra svaren nu.');
    expect(await t.db('quiz_answers').where({ attempt_id: attempt, question_id: questions[1] })).toHaveLength(
      0,
    );
    await expectNoAnswerAfterGrading(attempt);
  });

  it('either grades a save or refuses it, over many saves racing submits', async () => {
    const { agent, csrf } = await learnerInQuiz();
    let acknowledged = 0;
    let refused = 0;
    for (let round = 0; round < 12; round++) {
      const attempt = await startQuiz(agent, csrf, 'test-kurs');
      const questions = await questionsOf(agent, attempt, 3);
      const delayed = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const saves = questions.map((q, i) =>
        delayed(i * 3 + (round % 4) * 2).then(() => saveJson(agent, csrf, attempt, q)),
      );
      const submit = delayed(round % 5).then(() =>
        agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: csrf }),
      );
      const [responses, submitted] = await Promise.all([Promise.all(saves), submit]);
      expect(submitted.status).toBe(303);

      const stored = await t
        .db('quiz_answers')
        .where({ attempt_id: attempt })
        .select('question_id', 'is_correct');
      const storedIds = stored.map((r: { question_id: string }) => r.question_id).sort();
      const acknowledgedIds = questions
        .filter((_q, i) => responses[i].status === 200 && responses[i].body.saved === true)
        .sort();
      for (const r of responses) expect([200, 409]).toContain(r.status);
      // Every "Sparat" was counted in the grading, and nothing refused was stored.
      expect(storedIds).toEqual(acknowledgedIds);
      await expectNoAnswerAfterGrading(attempt);
      acknowledged += acknowledgedIds.length;
      refused += responses.filter((r) => r.status === 409).length;
    }
    expect(acknowledged + refused).toBe(36);
  });

  it('answers a form posted after the submit with a Swedish page that leads to the result', async () => {
    const { agent, csrf, attempt, questions } = await learnerInQuiz();
    await agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: csrf }).expect(303);
    const res = await answer(agent, csrf, attempt, questions[0], WRONG[questions[0]], { go: 'next' });
    expect(res.status).toBe(409);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Testet är redan inlämnat');
    expect($(`main a[href="/quiz/${attempt}/resultat"]`).text()).toBe('Se ditt resultat');
    expect(await t.db('quiz_answers').where({ attempt_id: attempt })).toHaveLength(0);
  });

  it('gives the page script the result link and the words it shows when a save is refused', async () => {
    const { agent, attempt } = await learnerInQuiz();
    const $ = cheerio.load((await agent.get(`/quiz/${attempt}/fragor/1`)).text);
    expect($('[data-save-status]').attr('data-result-href')).toBe(`/quiz/${attempt}/resultat`);
    expect($('[data-save-status]').attr('data-result-label')).toBe('Se ditt resultat');
  });
});
