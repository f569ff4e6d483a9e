import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { buildPerson, FIXTURE_COURSES, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { answer, completeLessons, FIXTURE_RIGHT, questionsOf, startQuiz } from '../support/journey';

// The fixture course with a pass mark of 60 % and `bromsen` (always drawn: the only question on its
// lesson) marked critical, so one wrong answer there still reaches the pass mark.
let t: TestApp;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-critical-'));
  fs.cpSync(FIXTURE_COURSES, dir, { recursive: true });
  const course = path.join(dir, 'test-kurs', 'course.yaml');
  fs.writeFileSync(course, fs.readFileSync(course, 'utf8').replace('passMark: 100', 'passMark: 60'));
  const quiz = path.join(dir, 'test-kurs', 'quiz.yaml');
  fs.writeFileSync(
    quiz,
    fs
      .readFileSync(quiz, 'utf8')
      .replace(
        '  - id: bromsen\n    lesson: bromsar\n',
        '  - id: bromsen\n    lesson: bromsar\n    critical: true\n',
      )
      .replace('    critical: true\n    text: { standard: Alis broms', '    text: { standard: Alis broms'),
  );
  t = await startTestApp({ coursesDir: dir });
});
afterAll(async () => t.close());

async function attemptWith(bromsen: string[]) {
  const person = await buildPerson(t.db);
  const { agent, csrf } = await loginAs(t.app, person.email);
  await completeLessons(agent, csrf, 'test-kurs', ['bromsar', 'fallet-ali']);
  const intro = cheerio.load((await agent.get('/kurser/test-kurs/quiz')).text);
  const attempt = await startQuiz(agent, csrf, 'test-kurs');
  const questions = await questionsOf(agent, attempt, 3);
  expect(questions).toContain('bromsen');
  for (const q of questions)
    await answer(agent, csrf, attempt, q, q === 'bromsen' ? bromsen : FIXTURE_RIGHT[q]);
  await agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: csrf });
  return { intro, result: cheerio.load((await agent.get(`/quiz/${attempt}/resultat`)).text), attempt };
}

describe('critical (safety) questions', () => {
  it('fails an attempt that reaches the pass mark with a critical question wrong, and says why', async () => {
    const { intro, result, attempt } = await attemptWith(['inget']);
    expect(intro('.checklist').text()).toContain(
      'Några frågor handlar om säkerhet. Dem måste du svara rätt på för att klara testet.',
    );
    expect(result('h1').text()).toContain('Du klarade inte testet');
    expect(result('.lead').text()).toContain('2 rätt av 3');
    expect(result('[role="alert"]').text()).toContain(
      'Du behöver svara rätt på säkerhetsfrågorna för att klara testet',
    );
    expect(result('.result--wrong .tag--critical').text()).toBe('säkerhetsfråga');
    expect(await t.db('quiz_attempts').where({ id: attempt }).first('passed')).toEqual({ passed: false });
  });

  it('passes with the critical question right', async () => {
    const { result } = await attemptWith(['las']);
    expect(result('h1').text()).toContain('Du klarade testet');
    expect(result('[role="alert"]').length).toBe(0);
  });
});
