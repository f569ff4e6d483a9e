/**
 * An HMC educator in real Chromium writes a lesson in both variants, watches the LIX change while
 * typing, publishes, and a learner then finds the new text. axe-core checks every page visited.
 */
import { startBrowserSession, type BrowserSession } from '../support/browser';
import { buildPerson } from '../support/test-app';

let s: BrowserSession;
beforeAll(async () => {
  s = await startBrowserSession('authoring');
});
afterAll(async () => {
  // beforeAll may have failed before the browser started.
  await (s as BrowserSession | undefined)?.close();
});

describe('an educator in Chromium', () => {
  it('writes a lesson in both variants, sees the LIX, publishes, and a learner reads it', async () => {
    const educator = await buildPerson(s.t.db, {
      jobRole: null,
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    await s.logIn(page, educator.email);
    await page.getByRole('link', { name: 'Redigera kurser' }).click();
    await s.visit(page, 'index');
    await page.getByRole('link', { name: 'Testkursen om rullstolar' }).click();
    await s.visit(page, 'course');
    await page.getByRole('link', { name: 'Bromsarna på rullstolen' }).click();
    await s.visit(page, 'lesson');

    const standard =
      'Innan en förflyttning kontrollerar personalen alltid att rullstolens parkeringsbromsar är ordentligt åtdragna på båda sidor, eftersom en rullande stol annars kan orsaka allvarliga fallolyckor.';
    const easy = 'Lås bromsen på rullstolen. Gör det på båda sidor. Då rullar inte stolen. Då faller ingen.';
    const easyLix = page.locator('[data-readability="easy"] [data-field="lix"]');
    const before = await easyLix.textContent();
    await page.getByLabel('Text').first().fill(standard);
    await page.getByLabel('Text').nth(1).fill(easy);
    await page.waitForFunction(
      (b) => document.querySelector('[data-readability="easy"] [data-field="lix"]')?.textContent !== b,
      before,
    );
    const lixEasy = Number(await easyLix.textContent());
    const lixStandard = Number(
      await page.locator('[data-readability="standard"] [data-field="lix"]').textContent(),
    );
    expect(lixEasy).toBeLessThan(20);
    expect(lixStandard).toBeGreaterThan(lixEasy + 8);
    await page.waitForFunction(() =>
      document.querySelector('[data-preview="easy"]')?.textContent.includes('Då faller ingen.'),
    );
    await s.visit(page, 'lesson-typed');

    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await page.waitForURL(/sparat=1/);
    expect(await page.getByRole('status').first().textContent()).toContain('sparad');
    await page.goto(`${s.base}/redigera/kurser/test-kurs`);
    await page.getByLabel('Vad har ändrats?').fill('Tydligare om bromsen.');
    await page.getByRole('button', { name: 'Publicera ny version' }).click();
    await page.waitForURL(/publicerad=2/);
    await s.visit(page, 'published');

    const learner = await buildPerson(s.t.db);
    const learnerContext = await s.browser.newContext({ viewport: { width: 390, height: 844 } });
    const learnerPage = await learnerContext.newPage();
    await s.logIn(learnerPage, learner.email);
    await learnerPage.goto(`${s.base}/kurser/test-kurs/lektioner/bromsar`);
    expect(await learnerPage.locator('.lesson__body').textContent()).toContain(
      'parkeringsbromsar är ordentligt åtdragna',
    );
    await learnerPage.getByRole('button', { name: 'Lätt svenska' }).click();
    await learnerPage.waitForLoadState('load');
    expect(await learnerPage.locator('.lesson__body').textContent()).toContain('Då faller ingen.');
    await s.visit(learnerPage, 'learner-reads');

    expect(s.violations).toEqual([]);
  }, 240_000);
});
