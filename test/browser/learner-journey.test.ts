/**
 * A learner's whole journey in real Chromium on the shipped course "Hjälpmedel – grunden":
 * log in → lesson → easy Swedish → quiz with wrong answers (the course's pass mark missed, and every
 * critical question drawn answered wrong), fail → retry, pass → certificate →
 * public verification. axe-core checks every page visited for WCAG 2.1 A/AA.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadCourse } from '../../server/courses/content-loader';
import type { CourseContent, QuestionContent } from '../../server/courses/types';
import { startBrowserSession, type BrowserSession } from '../support/browser';
import { buildPerson, SHIPPED_COURSES } from '../support/test-app';

const SLUG = 'hjalpmedel-grunden';
let s: BrowserSession;
let course: CourseContent;

beforeAll(async () => {
  const loaded = loadCourse(path.join(SHIPPED_COURSES, SLUG), SHIPPED_COURSES);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  course = loaded.value.content;
  s = await startBrowserSession('journey', { coursesDir: SHIPPED_COURSES });
});

afterAll(async () => {
  // beforeAll may have failed before the browser started.
  await (s as BrowserSession | undefined)?.close();
});

const visit = (page: Page, name: string) => s.visit(page, name);

/**
 * Answers the current attempt, ending on the result page. `wrongFor` decides per question whether to
 * answer it wrong on purpose; returns the ids answered wrong.
 */
async function answerQuiz(
  page: Page,
  name: string,
  wrongFor: (question: QuestionContent, index: number) => boolean,
): Promise<QuestionContent[]> {
  const wrong: QuestionContent[] = [];
  for (let index = 0; ; index++) {
    const questionId = await page.locator('input[name="questionId"]').inputValue();
    const question = course.questions.find((q) => q.id === questionId)!;
    const right = question.options.filter((o) => o.correct).map((o) => o.id);
    const answerWrong = wrongFor(question, index);
    if (answerWrong) wrong.push(question);
    const choose = answerWrong ? [question.options.find((o) => !o.correct)!.id] : right;
    for (const id of choose) await page.locator(`input[name="selected"][value="${id}"]`).check();
    await page.getByRole('button', { name: /Nästa fråga|se över svaren/ }).click();
    await page.waitForLoadState('load');
    if (page.url().endsWith('/lamna-in')) break;
  }
  await visit(page, `review-${name}`);
  await page.getByRole('button', { name: 'Lämna in testet' }).click();
  await page.waitForURL(/\/resultat$/);
  return wrong;
}

describe('a learner in Chromium', () => {
  it('goes from login to a publicly verified certificate, and every page passes axe', async () => {
    const person = await buildPerson(s.t.db, { name: 'Amina Yusuf', jobRole: 'personlig-assistent' });
    const context = await s.browser.newContext({
      viewport: { width: 390, height: 844 },
      acceptDownloads: true,
      locale: 'sv-SE',
    });
    const page = await context.newPage();

    await page.goto(`${s.base}/logga-in`);
    await visit(page, 'login');
    await s.logIn(page, person.email);
    await visit(page, 'my-courses');
    await page.getByRole('link', { name: course.title.standard }).click();
    await visit(page, 'course');
    await page.getByRole('button', { name: 'Börja kursen' }).click();
    await page.waitForURL(/\/lektioner\//);
    await visit(page, 'lesson-standard');

    await page.getByRole('button', { name: 'Lätt svenska' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe(course.lessons[0].title.easy);
    expect(await page.getByRole('button', { name: 'Lätt svenska' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await visit(page, 'lesson-easy');

    for (let i = 0; i < course.lessons.length; i++) {
      await page.getByRole('button', { name: /^Klar – / }).click();
      await page.waitForLoadState('load');
    }
    expect(page.url()).toMatch(/\/quiz$/);
    await visit(page, 'quiz-intro');
    await page.getByRole('button', { name: 'Börja testet' }).click();
    await page.waitForURL(/\/fragor\/1$/);
    await visit(page, 'question');

    // Fails whatever the course's pass mark and critical questions: the smallest number of wrong answers
    // that misses the pass mark, and every critical (safety) question drawn wrong as well.
    const n = course.questionsPerAttempt;
    const misses = [...Array(n + 1).keys()].find((k) => (n - k) * 100 < course.passMark * n)!;
    const wrong = await answerQuiz(page, 'failing', (q, index) => index < misses || !!q.critical);
    expect(await page.locator('h1').textContent()).toContain('Du klarade inte testet');
    const criticalAlert = page
      .getByRole('alert')
      .filter({ hasText: 'Du behöver svara rätt på säkerhetsfrågorna' });
    expect(await criticalAlert.count()).toBe(wrong.some((q) => q.critical) ? 1 : 0);
    await visit(page, 'result-failed');

    await page.getByRole('button', { name: 'Gör testet igen' }).click();
    await page.waitForURL(/\/fragor\/1$/);
    expect(await answerQuiz(page, 'passing', () => false)).toEqual([]);
    expect(await page.locator('h1').textContent()).toContain('Du klarade testet');
    await visit(page, 'result-passed');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Ladda ner intyget (PDF)' }).first().click(),
    ]);
    const pdf = fs.readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const completion = await s.t.db('completions').where({ user_id: person.id }).first();
    const anonymous = await s.browser.newContext({ viewport: { width: 390, height: 844 } });
    const publicPage = await anonymous.newPage();
    await publicPage.goto(`${s.base}/verifiera`);
    await visit(publicPage, 'verify-form');
    await publicPage
      .getByLabel('Kontrollkod')
      .fill(completion.verification_code.toLowerCase().replace(/-/g, ' '));
    await publicPage.getByRole('button', { name: 'Kontrollera' }).click();
    await publicPage.waitForURL(/\/verifiera\/[A-Z0-9-]+$/);
    expect(await publicPage.locator('.verify-verdict').textContent()).toContain('Intyget gäller');
    expect(await publicPage.locator('dl.facts').textContent()).toContain('Amina Yusuf');
    await visit(publicPage, 'verify-result');

    expect(s.violations).toEqual([]);
  }, 240_000);
});
