/**
 * The whole video path over HTTP with real ffmpeg/ffprobe and a real PostgreSQL job queue: upload →
 * job → web MP4 (moov before mdat), refusals by content, captions and the cue editor, publishing rules,
 * range requests and who gets media.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { mp4TopLevelBoxes, probe, run } from '../../server/videos/ffmpeg';
import { mediaKeys } from '../../server/videos/media-keys';
import { coursesWithFilm, eventually, makeClip, tempDir, tools } from '../support/media';
import {
  buildPerson,
  buildUnit,
  csrfFrom,
  FIXTURE_COURSES,
  loginAs,
  startTestApp,
  type TestApp,
} from '../support/test-app';

const EDUCATOR = [{ kind: 'educator' as const, organisationId: null, unitId: null }];
let t: TestApp;
let media: string;
let clips: string;
let educator: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  media = tempDir('media');
  clips = tempDir('clips');
  t = await startTestApp({
    coursesDir: coursesWithFilm(FIXTURE_COURSES, 'bromsar', 'bromsfilm'),
    env: { MEDIA_DIR: media, MAX_UPLOAD_BYTES: String(3 * 1024 * 1024) },
  });
  await t.services.transcodeQueue.startWorker({ pollingIntervalSeconds: 0.5 });
  const person = await buildPerson(t.db, { permissions: EDUCATOR });
  educator = await loginAs(t.app, person.email);
});

/** Where the default store (local disk) keeps an object. */
const onDisk = (key: string) => path.join(media, key);

afterAll(async () => {
  await t.services.transcodeQueue.stop();
  await t.close();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(clips, { recursive: true, force: true });
});

/** Uploads a file as the educator (the CSRF token rides in the action URL of the multipart form). */
async function upload(file: string, fields: Record<string, string>, agent = educator) {
  let req = agent.agent.post(`/filmer?_csrf=${encodeURIComponent(agent.csrf)}`);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('film', file);
}

async function uploadCaptions(videoId: number, variant: string, name: string, content: string) {
  return educator.agent
    .post(`/filmer/${videoId}/textning/${variant}?_csrf=${encodeURIComponent(educator.csrf)}`)
    .attach('captions', Buffer.from(content, 'utf8'), name);
}

const readyVideo = (slug: string) =>
  eventually(
    async () => {
      const row = await t.db('videos').where({ slug }).first();
      if (row?.state === 'failed') throw new Error(`transcode failed: ${row.error_key} ${row.error_detail}`);
      return row?.state === 'ready' ? row : null;
    },
    90_000,
    `${slug} to be transcoded`,
  );

const VTT = `WEBVTT

1
00:00:00.000 --> 00:00:01.000
Lås bromsarna innan du flyttar personen.

2
00:00:01.000 --> 00:00:02.000
[En signal hörs] Kontrollera att båda bromsarna tar.
`;

const EASY_VTT = `WEBVTT

00:00.000 --> 00:01.000
Lås bromsen.

00:01.000 --> 00:02.000
Titta att bromsen håller.
`;

describe('POST /filmer (upload) and the transcoding job', () => {
  let videoId: number;

  it('takes a real clip, queues a job in PostgreSQL and makes a fast-start H.264/AAC MP4 at most 720p with a poster', async () => {
    const clip = await makeClip(path.join(clips, 'hd.mp4'), { seconds: 2, width: 1920, height: 1080 });
    expect((await mp4TopLevelBoxes(clip)).indexOf('moov')).toBeGreaterThan(
      (await mp4TopLevelBoxes(clip)).indexOf('mdat'),
    );
    const res = await upload(clip, { title: 'Bromsarna på rullstolen', slug: 'bromsfilm', audience: '' });
    expect(res.status).toBe(303);
    const row = await t.db('videos').where({ slug: 'bromsfilm' }).first();
    videoId = row.id;
    expect(res.headers.location).toBe(`/filmer/${videoId}?uppladdad=1`);
    expect(row.job_id).toMatch(/^[0-9a-f-]{36}$/);
    const queued = await t.db.raw('select state from pgboss.job where id = ?', [row.job_id]);
    expect(queued.rows).toHaveLength(1);

    const ready = await readyVideo('bromsfilm');
    const web = onDisk(mediaKeys.web(videoId, ready.output_key));
    const boxes = await mp4TopLevelBoxes(web);
    expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    const info = await probe(tools, web);
    expect(info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(info.hasAudio).toBe(true);
    expect(ready.duration_ms).toBeGreaterThan(1800);
    expect(ready.duration_ms).toBeLessThan(2300);
    expect(fs.existsSync(onDisk(mediaKeys.poster(videoId, ready.output_key)))).toBe(true);
    expect(fs.existsSync(onDisk(mediaKeys.original(videoId)))).toBe(true);
    // Only the finished files remain: no scratch files of the run, nothing left in the upload folder.
    expect(fs.readdirSync(onDisk(mediaKeys.folder(videoId))).sort()).toEqual(
      ['original', `poster-${ready.output_key}.jpg`, `web-${ready.output_key}.mp4`].sort(),
    );
    expect(fs.readdirSync(t.services.mediaStorage.uploadsDir)).toEqual([]);
    expect(fs.readdirSync(path.join(t.services.mediaStorage.workDir, mediaKeys.folder(videoId)))).toEqual([]);
    const audio = await run(tools.ffprobe, [
      '-v',
      'error',
      '-select_streams',
      'a:0',
      '-show_entries',
      'stream=codec_name',
      '-of',
      'csv=p=0',
      web,
    ]);
    expect(audio.trim()).toBe('aac');

    const page = cheerio.load((await educator.agent.get(`/filmer/${videoId}`)).text);
    expect(page('[data-status-text]').text()).toContain('Klar');
  });

  it('refuses a second film with the same short name', async () => {
    const clip = await makeClip(path.join(clips, 'small.mp4'), { seconds: 1 });
    const res = await upload(clip, { title: 'Samma namn', slug: 'bromsfilm', audience: '' });
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#slug-error').text()).toContain(
      'Det finns redan en film med det kortnamnet',
    );
    expect(fs.readdirSync(t.services.mediaStorage.uploadsDir)).toEqual([]);
  });

  it('refuses a corrupt film by its content, with a clear Swedish message and nothing saved', async () => {
    const good = await makeClip(path.join(clips, 'whole.mp4'), { seconds: 2 });
    const corrupt = path.join(clips, 'trasig.mp4');
    // The first half of a film whose index is at the end: the index never arrives.
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(corrupt, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const res = await upload(corrupt, { title: 'Trasig', slug: 'trasig', audience: '' });
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#film-error').text()).toContain(
      'Filen är inte en film som går att spela upp',
    );
    expect(await t.db('videos').where({ slug: 'trasig' }).first()).toBeUndefined();
    expect(fs.readdirSync(t.services.mediaStorage.uploadsDir)).toEqual([]);
  });

  it('refuses a text file renamed .mp4', async () => {
    const fake = path.join(clips, 'inte-en-film.mp4');
    fs.writeFileSync(fake, 'Det här är bara text, ingen film.\n'.repeat(200));
    const res = await upload(fake, { title: 'Text', slug: 'textfil', audience: '' });
    expect(res.status).toBe(400);
    const $ = cheerio.load(res.text);
    expect($('.error-summary').text()).toContain('Filen är inte en film som går att spela upp');
    expect($('#title').val()).toBe('Text');
    expect(await t.db('videos').where({ slug: 'textfil' }).first()).toBeUndefined();
  });

  it('refuses a still picture: a film must have moving pictures', async () => {
    const picture = path.join(clips, 'bild.mp4');
    await run(tools.ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240:duration=1',
      '-frames:v',
      '1',
      '-f',
      'image2',
      '-c:v',
      'png',
      picture,
    ]);
    const res = await upload(picture, { title: 'Bild', slug: 'bild', audience: '' });
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#film-error').text()).toContain('ingen rörlig bild');
  });

  it('answers 413 with the limit in Swedish for a file above MAX_UPLOAD_BYTES, and keeps nothing of it', async () => {
    const big = path.join(clips, 'stor.mp4');
    fs.writeFileSync(big, Buffer.alloc(4 * 1024 * 1024, 7));
    const res = await upload(big, { title: 'Stor', slug: 'stor', audience: '' });
    expect(res.status).toBe(413);
    expect(cheerio.load(res.text)('#film-error').text()).toContain('högst 3 MB');
    expect(fs.readdirSync(t.services.mediaStorage.uploadsDir)).toEqual([]);
  });

  it('refuses the upload without a CSRF token, and to people who are not educators', async () => {
    const clip = path.join(clips, 'small.mp4');
    const noToken = await educator.agent
      .post('/filmer')
      .field('title', 'X')
      .field('slug', 'utan-token')
      .attach('film', clip);
    expect(noToken.status).toBe(403);
    const learner = await loginAs(t.app, (await buildPerson(t.db)).email);
    const res = await upload(clip, { title: 'X', slug: 'av-deltagare', audience: '' }, learner);
    expect(res.status).toBe(403);
    expect(await t.db('videos').whereIn('slug', ['utan-token', 'av-deltagare'])).toHaveLength(0);
  });

  it('shows a failed job with its reason, and runs it again on "Försök igen"', async () => {
    const clip = await makeClip(path.join(clips, 'retry.mp4'), { seconds: 1 });
    const res = await upload(clip, { title: 'Omförsök', slug: 'omforsok', audience: '' });
    const id = Number(/\/filmer\/(\d+)/.exec(res.headers.location)![1]);
    await readyVideo('omforsok');
    // Break the job for real: the original disappears, the next run fails for good.
    const original = onDisk(mediaKeys.original(id));
    const kept = `${original}.kept`;
    fs.renameSync(original, kept);
    await t.db('videos').where({ id }).update({ state: 'failed' });
    await educator.agent
      .post(`/filmer/${id}/forsok-igen`)
      .type('form')
      .send({ _csrf: educator.csrf })
      .expect(303);
    const failed = await eventually(async () => {
      const row = await t.db('videos').where({ id }).first();
      return row.state === 'failed' && row.error_key ? row : null;
    });
    expect(failed.error_key).toBe('originalMissing');
    const $ = cheerio.load((await educator.agent.get(`/filmer/${id}`)).text);
    expect($('.notice').text()).toContain('Originalfilen finns inte längre');
    expect($(`form[action="/filmer/${id}/forsok-igen"] button`).text()).toContain('Försök bearbeta igen');

    fs.renameSync(kept, original);
    // A double click queues one run, not two.
    await Promise.all(
      [1, 2].map(() =>
        educator.agent.post(`/filmer/${id}/forsok-igen`).type('form').send({ _csrf: educator.csrf }),
      ),
    );
    const again = await readyVideo('omforsok');
    expect(again.runs).toBe(3);
    const jobs = await t.db.raw(
      `select count(*)::int as n from pgboss.job where name = 'video-transcode' and data->>'videoId' = ?`,
      [String(id)],
    );
    expect(jobs.rows[0].n).toBe(3);
  });

  describe('captions', () => {
    it('refuses a WebVTT file with a broken timestamp, naming its line', async () => {
      const broken = VTT.replace('00:00:01.000 --> 00:00:02.000', '00:00:01,000 --> 00:00:02.000');
      const res = await uploadCaptions(videoId, 'standard', 'film.vtt', broken);
      expect(res.status).toBe(400);
      const $ = cheerio.load(res.text);
      expect($('.error-summary').text()).toContain('Rad 8: tiden ”00:00:01,000” är fel skriven');
      expect(await t.db('video_cues').where({ video_id: videoId })).toHaveLength(0);
    });

    it('takes SRT and stores it as WebVTT', async () => {
      const srt =
        '1\r\n00:00:00,000 --> 00:00:01,000\r\n<font color="#ffff00">Lås bromsarna</font> &amp; titta.\r\n\r\n2\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Klart.</i>\r\n';
      const res = await uploadCaptions(videoId, 'easy', 'film.srt', srt);
      expect(res.status).toBe(303);
      const vtt = await educator.agent.get(`/filmer/${videoId}/textning-easy.vtt`);
      expect(vtt.headers['content-type']).toContain('text/vtt');
      expect(vtt.text).toBe(
        'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nLås bromsarna &amp; titta.\n\n2\n00:00:01.000 --> 00:00:02.000\n<i>Klart.</i>\n',
      );
    });

    it('replaces a track with a new WebVTT upload', async () => {
      expect((await uploadCaptions(videoId, 'standard', 'film.vtt', VTT)).status).toBe(303);
      expect((await uploadCaptions(videoId, 'easy', 'latt.vtt', EASY_VTT)).status).toBe(303);
      expect(await t.db('video_cues').where({ video_id: videoId, variant: 'easy' })).toHaveLength(2);
    });

    it('lets the educator fix a cue text or time, and re-renders with 400 beside the field for a bad time', async () => {
      const [cue] = await t
        .db('video_cues')
        .where({ video_id: videoId, variant: 'standard' })
        .orderBy('start_ms');
      const bad = await educator.agent
        .post(`/filmer/${videoId}/textning/standard/${cue.id}`)
        .type('form')
        .send({ _csrf: educator.csrf, start: '00:00.5x', end: '00:01.000', text: 'X' });
      expect(bad.status).toBe(400);
      expect(cheerio.load(bad.text)(`#cue-${cue.id}-start-error`).text()).toContain(
        'Skriv tiden som mm:ss.ttt',
      );
      const ok = await educator.agent
        .post(`/filmer/${videoId}/textning/standard/${cue.id}`)
        .type('form')
        .send({
          _csrf: educator.csrf,
          start: '00:00.200',
          end: '00:01.000',
          text: 'Lås alltid bromsarna innan du flyttar personen.',
        });
      expect(ok.status).toBe(303);
      const vtt = await educator.agent.get(`/filmer/${videoId}/textning-standard.vtt`);
      expect(vtt.text).toContain(
        '00:00:00.200 --> 00:00:01.000\nLås alltid bromsarna innan du flyttar personen.',
      );
      // Another film's cue id in this film's URL is not found.
      const other = await t.db('video_cues').where({ variant: 'easy', video_id: videoId }).first();
      expect(
        (
          await educator.agent
            .post(`/filmer/${videoId}/textning/standard/${other.id}`)
            .type('form')
            .send({ _csrf: educator.csrf, start: '00:00.000', end: '00:01.000', text: 'X' })
        ).status,
      ).toBe(404);
    });
  });

  describe('publishing and watching', () => {
    it('shows learners no film until it has Swedish captions and an audio-description statement', async () => {
      const learner = await loginAs(t.app, (await buildPerson(t.db)).email);
      // Captions exist, the WCAG 1.2.5 statement does not.
      let $ = cheerio.load((await learner.agent.get('/kurser/test-kurs/lektioner/bromsar')).text);
      expect($('video').length).toBe(0);
      expect((await learner.agent.get(`/filmer/${videoId}/film.mp4`)).status).toBe(404);
      const missing = await educator.agent
        .post(`/filmer/${videoId}/syntolkning`)
        .type('form')
        .send({ _csrf: educator.csrf });
      expect(missing.status).toBe(400);
      expect(cheerio.load(missing.text)('#audioDescription-error').text()).toContain('Välj hur det som syns');
      await educator.agent
        .post(`/filmer/${videoId}/syntolkning`)
        .type('form')
        .send({ _csrf: educator.csrf, audioDescription: 'in_soundtrack' })
        .expect(303);

      $ = cheerio.load((await learner.agent.get('/kurser/test-kurs/lektioner/bromsar')).text);
      const video = $('video[data-player]');
      expect(video.attr('controls')).toBeDefined();
      expect(video.find('source').attr('type')).toBe('video/mp4');
      const tracks = video.find('track');
      expect(tracks.length).toBe(2);
      expect(tracks.first().attr('kind')).toBe('captions');
      expect(tracks.first().attr('srclang')).toBe('sv');
      expect(tracks.first().attr('default')).toBeDefined();
      expect($('.transcript li').first().text()).toContain('Lås alltid bromsarna');
      expect($('select[data-speed] option').length).toBeGreaterThan(3);
    });

    it('turns on the easy Swedish captions by default for a learner who chose easy Swedish', async () => {
      const person = await buildPerson(t.db);
      await t.db('users').where({ id: person.id }).update({ content_variant: 'easy' });
      const learner = await loginAs(t.app, person.email);
      const $ = cheerio.load((await learner.agent.get('/kurser/test-kurs/lektioner/bromsar')).text);
      expect($('track[default]').attr('src')).toBe(`/filmer/${videoId}/textning-easy.vtt`);
      expect($('track[default]').attr('label')).toBe('Lätt svenska');
      expect($('.transcript li').first().text()).toContain('Lås bromsen.');
      const txt = await learner.agent.get(`/filmer/${videoId}/utskrift-easy.txt`);
      expect(txt.headers['content-disposition']).toContain('attachment');
      expect(txt.text).toBe(
        'Bromsarna på rullstolen\n\n[00:00:00] Lås bromsen.\n[00:00:01] Titta att bromsen håller.\n',
      );
    });

    it('answers range requests: 206 with Content-Range, Accept-Ranges and an ETag; 416 for a range past the end', async () => {
      const learner = await loginAs(t.app, (await buildPerson(t.db)).email);
      const row = await t.db('videos').where({ id: videoId }).first();
      const size = fs.statSync(onDisk(mediaKeys.web(videoId, row.output_key))).size;
      const full = await learner.agent
        .get(`/filmer/${videoId}/film.mp4`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            cb(null, Buffer.concat(chunks));
          });
        });
      expect(full.status).toBe(200);
      expect(full.headers['accept-ranges']).toBe('bytes');
      expect(full.headers['content-type']).toBe('video/mp4');
      expect(full.headers['cache-control']).toBe('private, no-cache');
      expect(Number(full.headers['content-length'])).toBe(size);
      const etag = full.headers.etag;
      expect(etag).toBeTruthy();

      const part = await learner.agent
        .get(`/filmer/${videoId}/film.mp4`)
        .set('Range', 'bytes=100-199')
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            cb(null, Buffer.concat(chunks));
          });
        });
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 100-199/${size}`);
      expect((part.body as Buffer).equals((full.body as Buffer).subarray(100, 200))).toBe(true);

      const open = await learner.agent.get(`/filmer/${videoId}/film.mp4`).set('Range', `bytes=${size - 10}-`);
      expect(open.status).toBe(206);
      expect(open.headers['content-range']).toBe(`bytes ${size - 10}-${size - 1}/${size}`);

      const past = await learner.agent
        .get(`/filmer/${videoId}/film.mp4`)
        .set('Range', `bytes=${size + 10}-${size + 20}`);
      expect(past.status).toBe(416);
      expect(past.headers['content-range']).toBe(`bytes */${size}`);

      expect((await learner.agent.get(`/filmer/${videoId}/film.mp4`).set('If-None-Match', etag)).status).toBe(
        304,
      );
      const versioned = await learner.agent
        .get(`/filmer/${videoId}/film.mp4?v=${row.output_key}`)
        .set('Range', 'bytes=0-0');
      expect(versioned.headers['cache-control']).toBe('private, max-age=31536000, immutable');
      expect((await learner.agent.get(`/filmer/${videoId}/affisch.jpg`)).headers['content-type']).toBe(
        'image/jpeg',
      );
    });

    it('gives no media to anyone not logged in', async () => {
      for (const url of [
        `/filmer/${videoId}/film.mp4`,
        `/filmer/${videoId}/affisch.jpg`,
        `/filmer/${videoId}/textning-standard.vtt`,
        `/filmer/${videoId}/utskrift-standard.txt`,
      ]) {
        const res = await request(t.app).get(url).set('Range', 'bytes=0-99');
        expect([302, 401]).toContain(res.status);
        expect(res.headers['content-type'] ?? '').not.toContain('video');
        expect(res.headers['content-range']).toBeUndefined();
      }
    });

    it('gives a learner of another organisation no media of a film restricted to one organisation', async () => {
      const home = await buildUnit(t.db);
      const other = await buildUnit(t.db);
      await t.db('videos').where({ id: videoId }).update({ audience_organisation_id: home.organisationId });
      try {
        const insider = await loginAs(t.app, (await buildPerson(t.db, { unitId: home.id })).email);
        const outsider = await loginAs(t.app, (await buildPerson(t.db, { unitId: other.id })).email);
        expect(
          (await insider.agent.get(`/filmer/${videoId}/film.mp4`).set('Range', 'bytes=0-99')).status,
        ).toBe(206);
        for (const url of [
          `/filmer/${videoId}/film.mp4`,
          `/filmer/${videoId}/affisch.jpg`,
          `/filmer/${videoId}/textning-standard.vtt`,
          `/filmer/${videoId}/utskrift-standard.txt`,
        ]) {
          const res = await outsider.agent.get(url).set('Range', 'bytes=0-99');
          expect(res.status).toBe(404);
        }
        const $ = cheerio.load((await outsider.agent.get('/kurser/test-kurs/lektioner/bromsar')).text);
        expect($('video').length).toBe(0);
      } finally {
        await t.db('videos').where({ id: videoId }).update({ audience_organisation_id: null });
      }
    });

    it('keeps the educator pages and unpublished films from learners', async () => {
      const learner = await loginAs(t.app, (await buildPerson(t.db)).email);
      expect((await learner.agent.get('/filmer')).status).toBe(403);
      expect((await learner.agent.get(`/filmer/${videoId}`)).status).toBe(403);
      // A ready film that no course shows is for educators only.
      const unused = await t.db('videos').where({ slug: 'omforsok' }).first();
      expect((await learner.agent.get(`/filmer/${unused.id}/film.mp4`)).status).toBe(404);
      expect(
        (await educator.agent.get(`/filmer/${unused.id}/film.mp4`).set('Range', 'bytes=0-9')).status,
      ).toBe(206);
      expect((await learner.agent.get('/filmer/999999/film.mp4')).status).toBe(404);
      expect((await learner.agent.get('/filmer/..%2F..%2Fetc/film.mp4')).status).toBe(404);
    });

    it('lists films and the lessons that name them for educators, with a form that works without JavaScript', async () => {
      const $ = cheerio.load((await educator.agent.get('/filmer')).text);
      expect($('table').text()).toContain('Bromsarna på rullstolen');
      expect($('table').text()).toContain('Visas');
      const form = cheerio.load(
        (await educator.agent.get('/filmer/ny?kurs=test-kurs&lektion=fallet-ali')).text,
      );
      expect(form('#slug').val()).toBe('test-kurs-fallet-ali');
      expect(form('form[enctype="multipart/form-data"]').attr('action')).toMatch(/^\/filmer\?_csrf=/);
      expect(await csrfFrom(educator.agent, '/filmer/ny')).toBeTruthy();
    });
  });
});
