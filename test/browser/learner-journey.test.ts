/**
 * A learner's whole journey in real Chromium on the shipped course "Hjälpmedel – grunden":
 * log in → lesson → easy Swedish → quiz with a wrong answer, fail → retry, pass → certificate →
 * public verification. axe-core checks every page visited for WCAG 2.1 A/AA.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { loadCourse } from '../../server/courses/content-loader';
import type { CourseContent } from '../../server/courses/types';
import { axeViolations, launchBrowser } from '../support/browser';
import { buildPerson, PASSWORD, SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';

const SLUG = 'hjalpmedel-grunden';
let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
let course: CourseContent;
const violations: string[] = [];
const screenshots = path.join(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  const loaded = loadCourse(path.join(SHIPPED_COURSES, SLUG), SHIPPED_COURSES);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  course = loaded.value.content;
  t = await startTestApp({ coursesDir: SHIPPED_COURSES });
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  fs.mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

async function visit(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  violations.push(...(await axeViolations(page)));
  await page.screenshot({ path: path.join(screenshots, `journey-${name}.png`), fullPage: true });
}

/** Answers the current attempt, getting `wrong` answers wrong on purpose; ends on the result page. */
async function answerQuiz(page: Page, wrong: number): Promise<void> {
  let wrongLeft = wrong;
  for (;;) {
    const questionId = await page.locator('input[name="questionId"]').inputValue();
    const question = course.questions.find((q) => q.id === questionId)!;
    const right = question.options.filter((o) => o.correct).map((o) => o.id);
    const choose = wrongLeft > 0 ? [question.options.find((o) => !o.correct)!.id] : right;
    if (wrongLeft > 0) wrongLeft--;
    for (const id of choose) await page.locator(`input[name="selected"][value="${id}"]`).check();
    await page.getByRole('button', { name: /Nästa fråga|se över svaren/ }).click();
    await page.waitForLoadState('load');
    if (page.url().endsWith('/lamna-in')) break;
  }
  await visit(page, `review-${wrong}`);
  await page.getByRole('button', { name: 'Lämna in testet' }).click();
  await page.waitForURL(/\/resultat$/);
}

describe('a learner in Chromium', () => {
  it('goes from login to a publicly verified certificate, and every page passes axe', async () => {
    const person = await buildPerson(t.db, { name: 'Amina Yusuf', jobRole: 'personlig-assistent' });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true, locale: 'sv-SE' });
    const page = await context.newPage();

    await page.goto(`${base}/logga-in`);
    await visit(page, 'login');
    await page.getByLabel('E-postadress').fill(person.email);
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(/\/mina-kurser$/);
    await visit(page, 'my-courses');
    await page.getByRole('link', { name: course.title.standard }).click();
    await visit(page, 'course');
    await page.getByRole('button', { name: 'Börja kursen' }).click();
    await page.waitForURL(/\/lektioner\//);
    await visit(page, 'lesson-standard');

    await page.getByRole('button', { name: 'Lätt svenska' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe(course.lessons[0].title.easy);
    expect(await page.getByRole('button', { name: 'Lätt svenska' }).getAttribute('aria-pressed')).toBe('true');
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

    // The smallest number of wrong answers that fails this course's pass mark (one, at 100 %).
    const n = course.questionsPerAttempt;
    const wrong = [...Array(n + 1).keys()].find((k) => (n - k) * 100 < course.passMark * n)!;
    await answerQuiz(page, wrong);
    expect(await page.locator('h1').textContent()).toContain('Du klarade inte testet');
    await visit(page, 'result-failed');

    await page.getByRole('button', { name: 'Gör testet igen' }).click();
    await page.waitForURL(/\/fragor\/1$/);
    await answerQuiz(page, 0);
    expect(await page.locator('h1').textContent()).toContain('Du klarade testet');
    await visit(page, 'result-passed');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Ladda ner intyget (PDF)' }).first().click()]);
    const pdf = fs.readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const completion = await t.db('completions').where({ user_id: person.id }).first();
    const anonymous = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const publicPage = await anonymous.newPage();
    await publicPage.goto(`${base}/verifiera`);
    await visit(publicPage, 'verify-form');
    await publicPage.getByLabel('Kontrollkod').fill(completion.verification_code.toLowerCase().replace(/-/g, ' '));
    await publicPage.getByRole('button', { name: 'Kontrollera' }).click();
    await publicPage.waitForURL(/\/verifiera\/[A-Z0-9-]+$/);
    expect(await publicPage.locator('.verify-verdict').textContent()).toContain('Intyget gäller');
    expect(await publicPage.locator('dl.facts').textContent()).toContain('Amina Yusuf');
    await visit(publicPage, 'verify-result');

    expect(violations).toEqual([]);
  });
});
