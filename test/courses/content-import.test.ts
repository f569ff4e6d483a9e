import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { importCourses } from '../../server/courses/courses-composition';
import { buildPerson, FIXTURE_COURSES, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { answer, completeLessons, startQuiz } from '../support/journey';

let t: TestApp;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-import-'));
  fs.cpSync(FIXTURE_COURSES, dir, { recursive: true });
  t = await startTestApp({ coursesDir: dir });
});
afterAll(async () => t.close());

const lessonFile = () => path.join(dir, 'test-kurs', 'lessons', 'bromsar.standard.md');

describe('importing courses/', () => {
  it('changes nothing when the content is unchanged', async () => {
    const report = await importCourses(t.db, dir);
    expect(report.unchanged).toEqual(['test-kurs']);
    expect(await t.db('course_versions').count('* as n').first()).toEqual({ n: 1 });
  });

  it('publishes changed content as a new version while a learner half-way keeps theirs, answers and all', async () => {
    const person = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, person.email);
    await completeLessons(agent, csrf, 'test-kurs', ['bromsar', 'fallet-ali']);
    const attempt = await startQuiz(agent, csrf, 'test-kurs');
    await answer(agent, csrf, attempt, 'bromsen', ['las']);

    fs.writeFileSync(
      lessonFile(),
      fs.readFileSync(lessonFile(), 'utf8').replace('Kontrollera alltid', 'Kontrollera noga'),
    );
    const report = await importCourses(t.db, dir);
    expect(report.updated).toEqual(['test-kurs']);
    expect(await t.db('course_versions').pluck('version')).toEqual([1, 2]);

    // The half-way learner still reads version 1 and keeps the saved answer.
    const page = cheerio.load((await agent.get('/kurser/test-kurs/lektioner/bromsar')).text);
    expect(page('.lesson__body').text()).toContain('Kontrollera alltid');
    expect(await t.db('quiz_answers').where({ attempt_id: attempt })).toHaveLength(1);

    // A new learner gets version 2.
    const newcomer = await buildPerson(t.db);
    const second = await loginAs(t.app, newcomer.email);
    const fresh = cheerio.load((await second.agent.get('/kurser/test-kurs/lektioner/bromsar')).text);
    expect(fresh('.lesson__body').text()).toContain('Kontrollera noga');
  });

  it('imports nothing when any file is broken', async () => {
    const before = await t.db('course_versions').count('* as n').first();
    fs.writeFileSync(
      lessonFile(),
      fs.readFileSync(lessonFile(), 'utf8').replace('Kontrollera noga', 'Kontrollera mycket noga'),
    );
    fs.writeFileSync(path.join(dir, 'test-kurs', 'quiz.yaml'), 'questions: [');
    await expect(importCourses(t.db, dir)).rejects.toThrow(/test-kurs\/quiz\.yaml:1/);
    expect(await t.db('course_versions').count('* as n').first()).toEqual(before);
  });
});
