/** POST /filmer answering the upload page's script with JSON: Swedish messages per field, or where to go. */
import fs from 'node:fs';
import path from 'node:path';
import { makeClip, tempDir } from '../support/media';
import { buildPerson, FIXTURE_COURSES, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let media: string;
let clips: string;
let educator: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  media = tempDir('media');
  clips = tempDir('clips');
  t = await startTestApp({
    coursesDir: FIXTURE_COURSES,
    env: { MEDIA_DIR: media, MAX_UPLOAD_BYTES: String(1024 * 1024) },
  });
  educator = await loginAs(
    t.app,
    (await buildPerson(t.db, { permissions: [{ kind: 'educator', organisationId: null, unitId: null }] }))
      .email,
  );
});

afterAll(async () => {
  // The successful upload queued a transcoding job: stop the queue so the test run can end.
  await t.services.transcodeQueue.stop();
  await t.close();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(clips, { recursive: true, force: true });
});

const post = (fields: Record<string, string>, file?: string) => {
  let req = educator.agent
    .post(`/filmer?_csrf=${encodeURIComponent(educator.csrf)}`)
    .set('Accept', 'application/json');
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return file ? req.attach('film', file) : req;
};

describe('POST /filmer with Accept: application/json', () => {
  it('answers 400 with a Swedish message per field when fields and file are missing', async () => {
    const res = await post({ title: '', slug: 'Fel Namn' }).expect(400);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual({
      ok: false,
      message: 'Skriv filmens titel.',
      errors: {
        title: 'Skriv filmens titel.',
        slug: 'Kortnamnet får bara ha små bokstäver a–z, siffror och bindestreck (högst 80 tecken).',
        film: 'Välj en filmfil att ladda upp.',
      },
    });
  });

  it('answers 400 for a file that is not a film, and 413 with the limit for one too large, keeping nothing', async () => {
    const text = path.join(clips, 'text.mp4');
    fs.writeFileSync(text, 'ingen film\n'.repeat(100));
    const bad = await post({ title: 'Text', slug: 'text-film' }, text).expect(400);
    expect(bad.body.errors).toEqual({
      film: 'Filen är inte en film som går att spela upp. Kontrollera att det är en filmfil och att den inte är skadad.',
    });
    const big = path.join(clips, 'big.mp4');
    fs.writeFileSync(big, Buffer.alloc(1024 * 1024 + 10));
    const tooBig = await post({ title: 'Stor', slug: 'stor-film' }, big).expect(413);
    expect(tooBig.body.message).toBe('Filen är för stor. En film får vara högst 1 MB.');
    expect(await t.db('videos').whereIn('slug', ['text-film', 'stor-film'])).toEqual([]);
    expect(fs.readdirSync(path.join(media, 'uploads'))).toEqual([]);
  });

  it('answers 201 with the film page to go to, and still redirects a form posted without JavaScript', async () => {
    const clip = await makeClip(path.join(clips, 'clip.mp4'), { seconds: 1 });
    const res = await post({ title: 'Bromsar', slug: 'bromsar-json' }, clip).expect(201);
    const row = await t.db('videos').where({ slug: 'bromsar-json' }).first();
    expect(res.body).toEqual({ ok: true, location: `/filmer/${row.id}?uppladdad=1` });
    const plain = await educator.agent
      .post(`/filmer?_csrf=${encodeURIComponent(educator.csrf)}`)
      .field('title', 'Bromsar 2')
      .field('slug', 'bromsar-html')
      .attach('film', clip);
    expect(plain.status).toBe(303);
  });
});
