/**
 * The quiz page's script when a save is refused because the test was handed in (in another tab): the
 * learner reads why and gets a link to the result, instead of "Svaret är sparat".
 */
import { startBrowserSession, type BrowserSession } from '../support/browser';
import { completeLessons, questionsOf, startQuiz } from '../support/journey';
import { buildPerson, loginAs } from '../support/test-app';

let s: BrowserSession;
beforeAll(async () => {
  s = await startBrowserSession('quiz-late-save');
});
afterAll(async () => {
  // beforeAll may have failed before the browser started.
  await (s as BrowserSession | undefined)?.close();
});

describe('the quiz page after the test was handed in elsewhere', () => {
  it('shows the refusal and a link to the result when an answer is chosen', async () => {
    const person = await buildPerson(s.t.db);
    const other = await loginAs(s.t.app, person.email);
    await completeLessons(other.agent, other.csrf, 'test-kurs', ['bromsar', 'fallet-ali']);
    const attempt = await startQuiz(other.agent, other.csrf, 'test-kurs');
    await questionsOf(other.agent, attempt, 1);

    const page = await (await s.browser.newContext()).newPage();
    await s.logIn(page, person.email);
    await page.goto(`${s.base}/quiz/${attempt}/fragor/1`);
    await other.agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: other.csrf }).expect(303);

    await page.locator('input[name="selected"]').first().check();
    const status = page.locator('[data-save-status]');
    await status.getByRole('link', { name: 'Se ditt resultat' }).waitFor();
    await s.visit(page, 'refused');
    expect(await status.textContent()).toContain('Testet är redan inlämnat. Du kan inte ändra svaren nu.');
    expect(await page.locator('input[name="selected"]').first().isDisabled()).toBe(true);
    expect(await s.t.db('quiz_answers').where({ attempt_id: attempt })).toHaveLength(0);
    await status.getByRole('link', { name: 'Se ditt resultat' }).click();
    await page.waitForURL(new RegExp(`/quiz/${attempt}/resultat$`));
    expect(s.violations).toEqual([]);
  });
});
