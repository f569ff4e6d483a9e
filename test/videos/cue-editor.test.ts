/**
 * The cue editor over HTTP: adding a cue (times checked against each other, the film's length and the
 * other cues), deleting one after a confirmation page that works without JavaScript, on both tracks,
 * and the WebVTT served afterwards.
 */
import * as cheerio from 'cheerio';
import {
  buildPerson,
  buildUnit,
  FIXTURE_COURSES,
  loginAs,
  startTestApp,
  type TestApp,
} from '../support/test-app';

const EDUCATOR = [{ kind: 'educator' as const, organisationId: null, unitId: null }];
let t: TestApp;
let educator: Awaited<ReturnType<typeof loginAs>>;
let videoId: number;

beforeAll(async () => {
  t = await startTestApp({ coursesDir: FIXTURE_COURSES });
  educator = await loginAs(t.app, (await buildPerson(t.db, { permissions: EDUCATOR })).email);
  const [row] = await t
    .db('videos')
    .insert({
      slug: 'replikfilm',
      title: 'Replikfilm',
      original_name: 'a.mp4',
      original_bytes: 1,
      original_format: 'mp4',
      duration_ms: 10_000,
    })
    .returning('id');
  videoId = row.id;
});

afterAll(async () => {
  await t.close();
});

const add = (variant: string, fields: Record<string, string>, who = educator) =>
  who.agent
    .post(`/filmer/${videoId}/textning/${variant}/ny-replik`)
    .type('form')
    .send({ _csrf: who.csrf, ...fields });
const cues = (variant: string) =>
  t
    .db('video_cues')
    .where({ video_id: videoId, variant })
    .orderBy('start_ms')
    .select('id', 'start_ms', 'end_ms', 'text');
const vtt = async (variant: string) =>
  (await educator.agent.get(`/filmer/${videoId}/textning-${variant}.vtt`)).text;

describe('POST /filmer/:id/textning/:variant/ny-replik', () => {
  it('adds cues to an empty track and serves them in time order as WebVTT', async () => {
    expect(
      (await add('standard', { start: '00:04.000', end: '00:06.000', text: 'Lås bromsarna.' })).status,
    ).toBe(303);
    const res = await add('standard', { start: '00:01.000', end: '00:03,5', text: '[Ett larm piper]' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/\?sparat=\d+#cue-\d+$/);
    expect(await vtt('standard')).toBe(
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.500\n[Ett larm piper]\n\n2\n00:00:04.000 --> 00:00:06.000\nLås bromsarna.\n',
    );
    const page = cheerio.load((await educator.agent.get(res.headers.location)).text);
    expect(page('[role=status]').text()).toContain('Repliken är sparad.');
  });

  it('adds to the easy Swedish track without touching the standard one', async () => {
    expect((await add('easy', { start: '00:00.500', end: '00:02.000', text: 'Lås bromsen.' })).status).toBe(
      303,
    );
    expect(await vtt('easy')).toContain('00:00:00.500 --> 00:00:02.000\nLås bromsen.');
    expect(await cues('standard')).toHaveLength(2);
  });

  it.each([
    [
      { start: '00:05.000', end: '00:02.000', text: 'X' },
      'new-cue-end-error',
      'Sluttiden måste komma efter starttiden.',
    ],
    [{ start: '1 minut', end: '00:02.000', text: 'X' }, 'new-cue-start-error', 'Skriv tiden som mm:ss.ttt'],
    [
      { start: '00:08.000', end: '00:12.000', text: 'X' },
      'new-cue-end-error',
      'innan filmen tar slut (00:00:10.000)',
    ],
    [
      { start: '00:02.000', end: '00:04.500', text: 'X' },
      'new-cue-start-error',
      'går omlott med replik 1 (00:00:01.000 – 00:00:03.500)',
    ],
    [{ start: '00:07.000', end: '00:08.000', text: '  ' }, 'new-cue-text-error', 'Skriv repliken.'],
  ])(
    'refuses %j with 400, a Swedish message beside the field and nothing saved',
    async (fields, errorId, message) => {
      const res = await add('standard', fields);
      expect(res.status).toBe(400);
      const $ = cheerio.load(res.text);
      expect($(`#${errorId}`).text()).toContain(message);
      expect($('.error-summary').text()).toContain(message);
      expect($('#new-cue-start').val()).toBe(fields.start);
      expect(await cues('standard')).toHaveLength(2);
    },
  );

  it('lets a cue start where another ends', async () => {
    expect((await add('standard', { start: '00:03.500', end: '00:04.000', text: 'Sedan:' })).status).toBe(
      303,
    );
    expect(await cues('standard')).toHaveLength(3);
  });

  it('refuses people who are not educators (403) and unknown films (404), without a CSRF token too', async () => {
    const unit = await buildUnit(t.db);
    const manager = await loginAs(
      t.app,
      (
        await buildPerson(t.db, {
          unitId: unit.id,
          permissions: [{ kind: 'manager', organisationId: unit.organisationId, unitId: null }],
        })
      ).email,
    );
    expect((await add('standard', { start: '00:08.000', end: '00:09.000', text: 'X' }, manager)).status).toBe(
      403,
    );
    expect(
      (
        await educator.agent
          .post(`/filmer/999999/textning/standard/ny-replik`)
          .type('form')
          .send({ _csrf: educator.csrf, start: '00:08.000', end: '00:09.000', text: 'X' })
      ).status,
    ).toBe(404);
    expect(
      (
        await educator.agent
          .post(`/filmer/${videoId}/textning/standard/ny-replik`)
          .type('form')
          .send({ start: '00:08.000', end: '00:09.000', text: 'X' })
      ).status,
    ).toBe(403);
    expect(await cues('standard')).toHaveLength(3);
  });
});

describe('POST /filmer/:id/textning/:variant/:cue/ta-bort', () => {
  it('first shows what will happen, with a "Ja, ta bort" button, and deletes nothing', async () => {
    const [first] = await cues('standard');
    const res = await educator.agent
      .post(`/filmer/${videoId}/textning/standard/${first.id}/ta-bort`)
      .type('form')
      .send({ _csrf: educator.csrf });
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Ta bort repliken?');
    expect($('main, body').text()).toContain('[Ett larm piper]');
    const form = $('form:has(input[name=confirmed][value=ja])');
    expect(form.attr('action')).toBe(`/filmer/${videoId}/textning/standard/${first.id}/ta-bort`);
    expect(form.find('button').text().trim()).toBe('Ja, ta bort');
    expect(await cues('standard')).toHaveLength(3);
  });

  it('deletes the cue once confirmed, and the WebVTT is renumbered', async () => {
    const [first] = await cues('standard');
    const res = await educator.agent
      .post(`/filmer/${videoId}/textning/standard/${first.id}/ta-bort`)
      .type('form')
      .send({ _csrf: educator.csrf, confirmed: 'ja' });
    expect(res.status).toBe(303);
    expect(
      cheerio
        .load((await educator.agent.get(res.headers.location)).text)('[role=status]')
        .text(),
    ).toContain('Repliken är borttagen.');
    expect(await vtt('standard')).toBe(
      'WEBVTT\n\n1\n00:00:03.500 --> 00:00:04.000\nSedan:\n\n2\n00:00:04.000 --> 00:00:06.000\nLås bromsarna.\n',
    );
  });

  it('deletes from the easy track; the last cue gone leaves no track to serve', async () => {
    const [only] = await cues('easy');
    expect(
      (
        await educator.agent
          .post(`/filmer/${videoId}/textning/easy/${only.id}/ta-bort`)
          .type('form')
          .send({ _csrf: educator.csrf, confirmed: 'ja' })
      ).status,
    ).toBe(303);
    expect((await educator.agent.get(`/filmer/${videoId}/textning-easy.vtt`)).status).toBe(404);
    expect(await cues('standard')).toHaveLength(2);
  });

  it('answers 404 for a cue of another track or film, and 403 to a non-educator', async () => {
    const [cue] = await cues('standard');
    expect(
      (
        await educator.agent
          .post(`/filmer/${videoId}/textning/easy/${cue.id}/ta-bort`)
          .type('form')
          .send({ _csrf: educator.csrf, confirmed: 'ja' })
      ).status,
    ).toBe(404);
    const learner = await loginAs(t.app, (await buildPerson(t.db)).email);
    expect(
      (
        await learner.agent
          .post(`/filmer/${videoId}/textning/standard/${cue.id}/ta-bort`)
          .type('form')
          .send({ _csrf: learner.csrf, confirmed: 'ja' })
      ).status,
    ).toBe(403);
    expect(await cues('standard')).toHaveLength(2);
  });
});
