/**
 * The film in a lesson, in real Chromium: captions are on by default in the learner's variant, a click
 * on a transcript line moves the film there and marks the line, and the pages pass axe (WCAG 2.1 A/AA).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../support/browser';
import { coursesWithFilm, eventually, makeClip, tempDir } from '../support/media';
import { buildPerson, FIXTURE_COURSES, PASSWORD, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
let videoId: number;
let media: string;
const violations: string[] = [];
const screenshots = path.join(__dirname, '..', '..', 'test-results');

const STANDARD =
  'WEBVTT\n\n00:00.000 --> 00:01.500\nFörsta raden: lås bromsarna.\n\n00:01.500 --> 00:03.000\nAndra raden: fäll upp fotstöden.\n\n00:03.000 --> 00:04.000\nTredje raden: fråga personen.\n';
const EASY =
  'WEBVTT\n\n00:00.000 --> 00:01.500\nLås bromsen.\n\n00:01.500 --> 00:03.000\nFäll upp fotstöden.\n\n00:03.000 --> 00:04.000\nFråga personen.\n';

beforeAll(async () => {
  media = tempDir('media');
  t = await startTestApp({
    coursesDir: coursesWithFilm(FIXTURE_COURSES, 'bromsar', 'webbfilm'),
    env: { MEDIA_DIR: media },
  });
  const { services } = t;
  await services.mediaStorage.ensureDirs();
  const upload = path.join(services.mediaStorage.uploadsDir, 'clip.upload');
  await makeClip(upload, { seconds: 4, width: 320, height: 240 });
  const created = await services.videosService.createFromUpload(
    null,
    { title: 'Bromsarna', slug: 'webbfilm', audience: null },
    { path: upload, originalName: 'bromsar.mp4', size: fs.statSync(upload).size },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  videoId = created.video.id;
  await services.transcodeQueue.startWorker({ pollingIntervalSeconds: 0.5 });
  await eventually(
    async () => (await services.videos.byId(videoId))?.state === 'ready',
    90_000,
    'the film to be transcoded',
  );
  await services.videosService.uploadCaptions(null, videoId, 'standard', Buffer.from(STANDARD));
  await services.videosService.uploadCaptions(null, videoId, 'easy', Buffer.from(EASY));
  await services.videos.setAudioDescription(videoId, 'in_soundtrack', null);
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  fs.mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser.close();
  await new Promise((r) => server.close(r));
  await t.services.transcodeQueue.stop();
  await t.close();
  if (media) fs.rmSync(media, { recursive: true, force: true });
});

async function visit(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  violations.push(...(await axeViolations(page)));
  await page.screenshot({ path: path.join(screenshots, `video-${name}.png`), fullPage: true });
}

async function login(page: Page, email: string): Promise<void> {
  await page.goto(`${base}/logga-in`);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/logga-in');
}

/** The label and mode of each caption track of the film, as the browser has them. */
const trackModes = (page: Page) =>
  page.locator('video[data-player]').evaluate((v: HTMLVideoElement) =>
    Array.from(v.textTracks).map((tr) => ({
      label: tr.label,
      kind: tr.kind,
      language: tr.language,
      mode: tr.mode,
    })),
  );

describe('a lesson film in Chromium', () => {
  it('shows captions by default and jumps the film from the transcript, and the pages pass axe', async () => {
    const person = await buildPerson(t.db);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'sv-SE' });
    const page = await context.newPage();
    await login(page, person.email);
    await page.goto(`${base}/kurser/test-kurs/lektioner/bromsar`);
    const video = page.locator('video[data-player]');
    await video.evaluate((v: HTMLVideoElement) =>
      v.readyState >= 1
        ? null
        : new Promise((r) => {
            v.addEventListener('loadedmetadata', r, { once: true });
          }),
    );
    await visit(page, 'lesson');

    // The learner's track is on; the page draws it below the film (mode "hidden" keeps its cues flowing
    // without the browser painting them over the picture), at least at body text size.
    expect(await trackModes(page)).toEqual([
      { label: 'Svenska', kind: 'captions', language: 'sv', mode: 'hidden' },
      { label: 'Lätt svenska', kind: 'captions', language: 'sv', mode: 'disabled' },
    ]);
    // The chosen track has loaded its cues from the server.
    await eventually(
      () => video.evaluate((v: HTMLVideoElement) => (v.textTracks[0].cues?.length ?? 0) === 3),
      10_000,
      'the cues to load',
    );
    const captions = page.locator('.film__captions');
    expect(await captions.isVisible()).toBe(true);
    const bodySize = await page
      .locator('#lesson-body')
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(await captions.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(
      bodySize,
    );
    // The caption box sits below the picture, never over it.
    const [videoBox, captionBox] = [await video.boundingBox(), await captions.boundingBox()];
    expect(captionBox!.y).toBeGreaterThanOrEqual(videoBox!.y + videoBox!.height - 1);
    // The learner can make the captions larger, and the choice is kept.
    await page.locator('select[data-caption-size]').selectOption('xl');
    expect(await captions.getAttribute('data-size')).toBe('xl');

    // The lesson text comes before the film, and the keyboard reaches "Klar – nästa" in a few steps
    // (the transcript's lines are tab stops only once the transcript is opened).
    expect(
      await page.evaluate(() => {
        const body = document.getElementById('lesson-body')!;
        const film = document.getElementById('lesson-film')!;
        return Boolean(body.compareDocumentPosition(film) & Node.DOCUMENT_POSITION_FOLLOWING);
      }),
    ).toBe(true);
    await page.locator('body').focus();
    let stops = 0;
    for (; stops < 60; stops++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => (document.activeElement?.textContent ?? '').includes('Klar – nästa')))
        break;
    }
    expect(stops).toBeLessThan(25);

    await page.locator('.transcript-wrap summary').click();
    const third = page.locator('.transcript li').nth(2);
    await third.getByRole('button', { name: /Tredje raden/ }).click();
    await eventually(
      () => video.evaluate((v: HTMLVideoElement) => v.currentTime >= 3 && v.currentTime < 4),
      10_000,
      'the film to move to the third line',
    );
    await video.evaluate((v: HTMLVideoElement) => {
      v.pause();
    });
    await eventually(
      async () => (await third.getAttribute('class'))?.includes('is-current'),
      5_000,
      'the third line to be marked',
    );
    expect(await third.getByRole('button').getAttribute('aria-current')).toBe('true');
    expect(await page.locator('.transcript li.is-current').count()).toBe(1);
    await page.locator('select[data-speed]').selectOption('1.5');
    expect(await video.evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(1.5);
    await context.close();
  });

  it('turns on the easy Swedish captions for a learner who reads easy Swedish', async () => {
    const person = await buildPerson(t.db);
    await t.db('users').where({ id: person.id }).update({ content_variant: 'easy' });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'sv-SE' });
    const page = await context.newPage();
    await login(page, person.email);
    await page.goto(`${base}/kurser/test-kurs/lektioner/bromsar`);
    await visit(page, 'lesson-easy');
    const modes = await trackModes(page);
    expect(modes.find((m) => m.mode !== 'disabled')?.label).toBe('Lätt svenska');
    await eventually(
      async () => (await page.locator('.film__captions').textContent()) !== null,
      5_000,
      'the caption box',
    );
    expect(await page.locator('.transcript li').first().textContent()).toContain('Lås bromsen.');
    await context.close();
  });

  it("gives the educator's film and caption pages without axe violations", async () => {
    const person = await buildPerson(t.db, {
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    await login(page, person.email);
    await page.goto(`${base}/filmer`);
    await visit(page, 'library');
    await page.goto(`${base}/filmer/${videoId}`);
    await visit(page, 'film');
    await page.goto(`${base}/filmer/${videoId}/textning/standard`);
    await visit(page, 'captions');
    await page.goto(`${base}/filmer/ny`);
    await visit(page, 'upload');
    await context.close();
    expect(violations).toEqual([]);
  });
});
