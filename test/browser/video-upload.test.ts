/**
 * Uploading a film in real Chromium: Swedish messages before anything is sent, progress in bytes and
 * percent while the file goes up (without reloading the page), the film page on success, and on a
 * refusal the server's Swedish message with the chosen file still chosen for another try.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBrowserSession, type BrowserSession } from '../support/browser';
import { makeClip, tempDir } from '../support/media';
import { buildPerson, FIXTURE_COURSES } from '../support/test-app';

let s: BrowserSession;
let dir: string;
let media: string;
let email: string;

beforeAll(async () => {
  dir = tempDir('upload');
  media = tempDir('media');
  s = await startBrowserSession('video-upload', { coursesDir: FIXTURE_COURSES, env: { MEDIA_DIR: media } });
  email = (
    await buildPerson(s.t.db, { permissions: [{ kind: 'educator', organisationId: null, unitId: null }] })
  ).email;
});

afterAll(async () => {
  // The upload queued a transcoding job: stop the queue so the test run can end.
  await s.t.services.transcodeQueue.stop();
  await s.close();
  for (const d of [dir, media]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** Every text the progress line shows, with the bar's value then, collected across page loads. */
async function recordProgress(page: Page): Promise<{ text: string; value: number; status: string }[]> {
  const seen: { text: string; value: number; status: string }[] = [];
  await page.exposeFunction('recordProgress', (text: string, value: number, status: string) =>
    seen.push({ text, value, status }),
  );
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const bytes = document.querySelector('[data-upload-bytes]');
      const bar = document.querySelector<HTMLProgressElement>('form[data-upload] progress');
      const status = document.querySelector('[data-upload-status]');
      if (!bytes || !bar || !status) return;
      const record = () => {
        (window as unknown as { recordProgress: (t: string, v: number, s: string) => void }).recordProgress(
          bytes.textContent,
          bar.value,
          status.textContent,
        );
      };
      new MutationObserver(record).observe(bytes, { childList: true, characterData: true, subtree: true });
    });
  });
  return seen;
}

describe('the film upload page', () => {
  it('says in Swedish what is missing before sending, uploads with progress, and lands on the film page', async () => {
    const context = await s.browser.newContext();
    const page = await context.newPage();
    await s.logIn(page, email);
    const seen = await recordProgress(page);
    await page.goto(`${s.base}/filmer/ny`);
    await s.visit(page, 'empty');
    expect(await page.locator('form[data-upload] [required], form[data-upload] [pattern]').count()).toBe(0);

    // Nothing chosen: our Swedish summary, focused, with each message beside its field; nothing sent.
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    await page.getByLabel('Kortnamn').fill('Fel Namn');
    await page.getByRole('button', { name: 'Ladda upp filmen' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.locator('a').allTextContents()).toEqual([
      'Skriv filmens titel.',
      'Kortnamnet får bara ha små bokstäver a–z, siffror och bindestreck (högst 80 tecken).',
      'Välj en filmfil att ladda upp.',
    ]);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    expect(await page.locator('#film-error').textContent()).toContain('Välj en filmfil att ladda upp.');
    expect(await page.locator('#film').getAttribute('aria-invalid')).toBe('true');
    await s.visit(page, 'client-errors');
    expect(posts).toEqual([]);

    const clip = await makeClip(path.join(dir, 'forflyttning.mp4'), { seconds: 6, width: 640, height: 480 });
    const size = fs.statSync(clip).size;
    await page.getByLabel('Filmens titel').fill('Förflyttning med glidlakan');
    await page.getByLabel('Kortnamn').fill('glidlakan-uppladdning');
    await page.getByLabel('Filmfil').setInputFiles(clip);
    await page.getByRole('button', { name: 'Ladda upp filmen' }).click();
    await page.waitForURL(/\/filmer\/\d+\?uppladdad=1$/);
    expect(await page.locator('h1').textContent()).toBe('Förflyttning med glidlakan');
    await s.visit(page, 'uploaded');

    const last = seen[seen.length - 1];
    // The clip is under a megabyte, so it is counted in kB (1 kB = 1024 bytes); the live region heard the same text.
    const kb = `${Math.round(size / 1024)} kB`;
    expect(last).toEqual({ text: `${kb} av ${kb} (100 %)`, value: 100, status: `${kb} av ${kb} (100 %)` });
    expect(await page.locator('[role=status]').first().textContent()).toContain('Filmen är uppladdad');
    const row = await s.t.db('videos').where({ slug: 'glidlakan-uppladdning' }).first();
    expect(row.original_bytes).toBe(size);
    await context.close();
  });

  it("shows the server's Swedish message for a file that is not a film, and keeps the file chosen", async () => {
    const context = await s.browser.newContext();
    const page = await context.newPage();
    await s.logIn(page, email);
    await page.goto(`${s.base}/filmer/ny`);
    const fake = path.join(dir, 'inte-en-film.mp4');
    fs.writeFileSync(fake, 'Det här är en textfil, ingen film.\n'.repeat(200));
    await page.getByLabel('Filmens titel').fill('Inte en film');
    await page.getByLabel('Kortnamn').fill('inte-en-film');
    await page.getByLabel('Filmfil').setInputFiles(fake);
    await page.getByRole('button', { name: 'Ladda upp filmen' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Filen är inte en film som går att spela upp.');
    expect(page.url()).toBe(`${s.base}/filmer/ny`);
    expect(
      await page
        .locator('#film')
        .evaluate((el: HTMLInputElement) => Array.from(el.files ?? []).map((f) => f.name)),
    ).toEqual(['inte-en-film.mp4']);
    expect(await page.getByLabel('Filmens titel').inputValue()).toBe('Inte en film');
    expect(await page.getByRole('button', { name: 'Ladda upp filmen' }).isEnabled()).toBe(true);
    await s.visit(page, 'server-error');
    expect(await s.t.db('videos').where({ slug: 'inte-en-film' }).first()).toBeUndefined();

    // The person fixes the name and tries again with the same page: the button works a second time.
    await page.getByRole('button', { name: 'Ladda upp filmen' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').textContent()).toContain('Filen är inte en film');
    await context.close();
  });

  it('keeps working without JavaScript: the form posts and the page re-renders with the message', async () => {
    const context = await s.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await s.logIn(page, email);
    await page.goto(`${s.base}/filmer/ny`);
    await page.getByRole('button', { name: 'Ladda upp filmen' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.error-summary').textContent()).toContain('Skriv filmens titel.');
    expect(await page.locator('.error-summary').textContent()).toContain('Välj en filmfil att ladda upp.');
    expect(s.violations).toEqual([]);
    await context.close();
  });
});
