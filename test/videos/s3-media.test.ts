/**
 * Media in S3-compatible object storage (MEDIA_STORE=s3://…, issue 15) against a real S3 server (s3rver)
 * on loopback: upload → transcode (real ffmpeg) → film and captions served from the bucket with ranges
 * and the same access checks; the store stopping in the middle of an upload leaves nothing half saved and
 * tells the educator in Swedish; a missing bucket, wrong key or dead endpoint stops the start.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import request from 'supertest';
import S3rver from 's3rver';
import { loadConfig } from '../../server/config';
import { mediaKeys } from '../../server/videos/media-keys';
import { coursesWithFilm, eventually, makeClip, tempDir } from '../support/media';
import {
  buildPerson,
  buildUnit,
  FIXTURE_COURSES,
  loginAs,
  startTestApp,
  type TestApp,
} from '../support/test-app';

const BUCKET = 'hms-media';
const PREFIX = 'skolan';
const KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const root = path.join(__dirname, '..', '..');

/**
 * A TCP proxy in front of the S3 server, so a test can stop "S3" at an exact moment: once armed, the first
 * PUT whose body is flowing (more than 2 kB sent since its request line) makes it cut every connection and
 * stop listening, as a crashed store would. listen(port) starts it again on the same port.
 */
function s3Proxy(target: number) {
  const sockets = new Set<net.Socket>();
  let armed = false;
  const state = { stoppedMidUpload: false };
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    let putBytes = -1; // bytes of the PUT request in progress on this connection; -1: another request
    client.on('data', (chunk: Buffer) => {
      const start = chunk.subarray(0, 8).toString('latin1');
      if (/^(PUT|GET|HEAD|POST|DELETE) /.test(start)) putBytes = start.startsWith('PUT ') ? 0 : -1;
      if (putBytes >= 0) putBytes += chunk.length;
      if (armed && putBytes > 2048) {
        armed = false;
        state.stoppedMidUpload = true;
        stop();
      }
    });
    client.pipe(upstream).pipe(client);
    for (const s of [client, upstream])
      s.on('error', () => undefined).on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(s);
      });
  });
  function stop() {
    server.close();
    for (const s of sockets) s.destroy();
  }
  const listen = (port = 0) =>
    new Promise<number>((resolve) =>
      server.listen(port, '127.0.0.1', () => {
        resolve((server.address() as net.AddressInfo).port);
      }),
    );
  return {
    state,
    listen,
    stopDuringNextUpload: () => {
      armed = true;
      state.stoppedMidUpload = false;
    },
    stop,
  };
}

let s3: S3rver;
let s3Port: number;
let s3Dir: string;
let proxy: ReturnType<typeof s3Proxy>;
let proxyPort: number;
let bucket: S3Client;
let t: TestApp;
let scratch: string;
let clips: string;
let clip: string;
let educator: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  s3Dir = tempDir('s3');
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: s3Dir,
    silent: true,
    configureBuckets: [{ name: BUCKET }],
  });
  s3Port = (await s3.run()).port;
  proxy = s3Proxy(s3Port);
  proxyPort = await proxy.listen();
  bucket = new S3Client({
    endpoint: `http://127.0.0.1:${s3Port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  scratch = tempDir('media-scratch');
  clips = tempDir('clips');
  t = await startTestApp({
    coursesDir: coursesWithFilm(FIXTURE_COURSES, 'bromsar', 's3-bromsfilm'),
    env: {
      MEDIA_DIR: scratch,
      MEDIA_STORE: `s3://${BUCKET}/${PREFIX}`,
      S3_ENDPOINT: `http://127.0.0.1:${proxyPort}`,
      ...KEYS,
    },
  });
  await t.services.mediaStorage.check();
  await t.services.transcodeQueue.startWorker({ pollingIntervalSeconds: 0.5 });
  educator = await loginAs(
    t.app,
    (await buildPerson(t.db, { permissions: [{ kind: 'educator', organisationId: null, unitId: null }] }))
      .email,
  );
  clip = await makeClip(path.join(clips, 'klipp.mp4'), { seconds: 2 });
});

afterAll(async () => {
  await t.services.transcodeQueue.stop();
  t.services.mediaStorage.close();
  await t.close();
  bucket.destroy();
  proxy.stop();
  await s3.close().catch(() => undefined);
  for (const dir of [s3Dir, scratch, clips]) fs.rmSync(dir, { recursive: true, force: true });
});

/** The keys in the bucket under the app's prefix, as the app names them. */
async function stored(prefix = 'videos/'): Promise<string[]> {
  const out = await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${PREFIX}/${prefix}` }));
  return (out.Contents ?? []).map((o) => (o.Key ?? '').slice(PREFIX.length + 1)).sort();
}

async function object(key: string): Promise<Buffer> {
  const out = await bucket.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${key}` }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

const binary = (req: request.Test) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => {
      chunks.push(c);
    });
    res.on('end', () => {
      cb(null, Buffer.concat(chunks));
    });
  });

const upload = (slug: string, json = false) => {
  const req = educator.agent.post(`/filmer?_csrf=${encodeURIComponent(educator.csrf)}`);
  if (json) req.set('Accept', 'application/json');
  return req.field('title', 'Bromsarna').field('slug', slug).field('audience', '').attach('film', clip);
};

describe('MEDIA_STORE=s3://bucket/prefix', () => {
  let id: number;

  it('stores the upload and the transcode in the bucket only, and serves the film from it with ranges', async () => {
    const res = await upload('s3-bromsfilm');
    expect(res.status).toBe(303);
    id = Number(/\/filmer\/(\d+)/.exec(res.headers.location)![1]);
    const ready = await eventually(
      async () => {
        const row = await t.db('videos').where({ id }).first();
        if (row?.state === 'failed') throw new Error(`transcode failed: ${row.error_detail}`);
        return row?.state === 'ready' ? row : null;
      },
      90_000,
      'the transcode',
    );
    const key: string = ready.output_key;
    expect(await stored(mediaKeys.folder(id))).toEqual(
      [mediaKeys.original(id), mediaKeys.poster(id, key), mediaKeys.web(id, key)].sort(),
    );
    // Local disk held only scratch: nothing of the film is left there.
    expect(fs.existsSync(path.join(scratch, 'videos'))).toBe(false);
    expect(fs.readdirSync(path.join(scratch, 'uploads'))).toEqual([]);
    expect(fs.readdirSync(path.join(scratch, 'work', mediaKeys.folder(id)))).toEqual([]);

    // Published: Swedish captions and the audio-description statement.
    const vtt = 'WEBVTT\n\n00:00.000 --> 00:01.500\nLås bromsarna innan du flyttar personen.\n';
    await educator.agent
      .post(`/filmer/${id}/textning/standard?_csrf=${encodeURIComponent(educator.csrf)}`)
      .attach('captions', Buffer.from(vtt), 'film.vtt')
      .expect(303);
    await educator.agent
      .post(`/filmer/${id}/syntolkning`)
      .type('form')
      .send({ _csrf: educator.csrf, audioDescription: 'in_soundtrack' })
      .expect(303);

    const film = await object(mediaKeys.web(id, key));
    const learner = await loginAs(t.app, (await buildPerson(t.db)).email);
    const full = await binary(learner.agent.get(`/filmer/${id}/film.mp4`));
    expect(full.status).toBe(200);
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect((full.body as Buffer).equals(film)).toBe(true);
    const part = await binary(learner.agent.get(`/filmer/${id}/film.mp4`).set('Range', 'bytes=100-1099'));
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-1099/${film.length}`);
    expect(part.headers['content-length']).toBe('1000');
    expect((part.body as Buffer).equals(film.subarray(100, 1100))).toBe(true);
    const tail = await binary(learner.agent.get(`/filmer/${id}/film.mp4`).set('Range', 'bytes=-16'));
    expect(tail.status).toBe(206);
    expect((tail.body as Buffer).equals(film.subarray(film.length - 16))).toBe(true);
    const past = await learner.agent.get(`/filmer/${id}/film.mp4`).set('Range', `bytes=${film.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${film.length}`);
    const again = await learner.agent.get(`/filmer/${id}/film.mp4`).set('If-None-Match', full.headers.etag);
    expect(again.status).toBe(304);
    const poster = await binary(learner.agent.get(`/filmer/${id}/affisch.jpg`));
    expect(poster.headers['content-type']).toBe('image/jpeg');
    expect((poster.body as Buffer).equals(await object(mediaKeys.poster(id, key)))).toBe(true);
    const track = await learner.agent.get(`/filmer/${id}/textning-standard.vtt`);
    expect(track.status).toBe(200);
    expect(track.text).toContain('Lås bromsarna innan du flyttar personen.');
  });

  it('still refuses the media to people not logged in and to another organisation', async () => {
    for (const url of [`/filmer/${id}/film.mp4`, `/filmer/${id}/affisch.jpg`]) {
      const res = await request(t.app).get(url).set('Range', 'bytes=0-99');
      expect([302, 401]).toContain(res.status);
      expect(res.headers['content-range']).toBeUndefined();
    }
    const home = await buildUnit(t.db);
    const other = await buildUnit(t.db);
    await t.db('videos').where({ id }).update({ audience_organisation_id: home.organisationId });
    const insider = await loginAs(t.app, (await buildPerson(t.db, { unitId: home.id })).email);
    const outsider = await loginAs(t.app, (await buildPerson(t.db, { unitId: other.id })).email);
    expect((await insider.agent.get(`/filmer/${id}/film.mp4`).set('Range', 'bytes=0-99')).status).toBe(206);
    for (const url of [
      `/filmer/${id}/film.mp4`,
      `/filmer/${id}/affisch.jpg`,
      `/filmer/${id}/textning-standard.vtt`,
    ])
      expect((await outsider.agent.get(url).set('Range', 'bytes=0-99')).status).toBe(404);
  });

  it('runs a transcode again when the store fails while it stores the result, keeping no partial output', async () => {
    const res = await upload('s3-omkorning', true);
    expect(res.status).toBe(201);
    const newId = Number(/\/filmer\/(\d+)/.exec(String(res.body.location))![1]);
    // The run's first PUT is its poster: the store stops in the middle of it.
    proxy.stopDuringNextUpload();
    const failed = await eventually(
      async () => {
        const row = await t.db('videos').where({ id: newId }).first();
        return row.error_key === 'storeUnavailable' ? row : null;
      },
      90_000,
      'the run to fail on the store',
    );
    expect(proxy.state.stoppedMidUpload).toBe(true);
    expect(failed.output_key).toBeNull();
    expect(await stored(mediaKeys.folder(newId))).toEqual([mediaKeys.original(newId)]);
    // The store is back before the queue's retry: the next run finishes the film, once.
    await proxy.listen(proxyPort);
    const ready = await eventually(
      async () => {
        const row = await t.db('videos').where({ id: newId }).first();
        return row.state === 'ready' ? row : null;
      },
      90_000,
      'the retried run',
    );
    expect(ready.runs).toBeGreaterThanOrEqual(2);
    expect(await stored(mediaKeys.folder(newId))).toEqual(
      [
        mediaKeys.original(newId),
        mediaKeys.poster(newId, ready.output_key),
        mediaKeys.web(newId, ready.output_key),
      ].sort(),
    );
    expect(fs.readdirSync(path.join(scratch, 'work', mediaKeys.folder(newId)))).toEqual([]);
  });

  it('answers 503 in Swedish when the store stops during an upload, and keeps nothing of it', async () => {
    const before = await stored();
    proxy.stopDuringNextUpload();
    const res = await upload('s3-avbruten', true);
    expect(proxy.state.stoppedMidUpload).toBe(true);
    expect(res.status).toBe(503);
    expect(res.body.errors.film).toBe(
      'Filmen kunde inte sparas just nu, eftersom lagringen för filmer inte svarar. Inget har sparats. Försök igen om en stund.',
    );
    expect(await t.db('videos').where({ slug: 's3-avbruten' }).first()).toBeUndefined();
    expect(fs.readdirSync(path.join(scratch, 'uploads'))).toEqual([]);
    // The store is back: no object of the failed upload in the bucket, and the same file goes in now.
    await proxy.listen(proxyPort);
    expect(await stored()).toEqual(before);
    expect((await upload('s3-avbruten', true)).status).toBe(201);
  });
});

describe('the start with MEDIA_STORE=s3://…', () => {
  /** server/main.ts in a child process; the store is checked before the database is touched. */
  function start(env: Record<string, string>) {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'server', 'main.ts')],
      {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          // Never reached: the start stops at the store check (a database here would be a mistake).
          DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
          MEDIA_DIR: scratch,
          LOG_LEVEL: 'info',
          S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
          ...KEYS,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    return new Promise<{ code: number | null; output: string }>((resolve) => {
      child.once('exit', (code) => {
        resolve({ code, output });
      });
    });
  }

  it('stops with a clear message for a missing bucket, a wrong key and an endpoint that does not answer', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const [missing, wrongKey, dead] = await Promise.all([
      start({ MEDIA_STORE: 's3://finns-inte' }),
      start({ MEDIA_STORE: `s3://${BUCKET}`, AWS_ACCESS_KEY_ID: 'FEL-NYCKEL' }),
      start({ MEDIA_STORE: `s3://${BUCKET}`, S3_ENDPOINT: `http://127.0.0.1:${deadPort}` }),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('the bucket \\"finns-inte\\" does not exist');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.output).toContain('access refused (HTTP 403');
    expect(wrongKey.output).toContain('Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    expect(dead.code).toBe(1);
    expect(dead.output).toContain('no answer from the store (ECONNREFUSED)');
    for (const r of [missing, wrongKey, dead]) expect(r.output).not.toContain('Migrations');
  });

  it('refuses an S3 configuration that cannot work, before any connection', () => {
    const base = { NODE_ENV: 'test' };
    expect(() => loadConfig({ ...base, MEDIA_STORE: 's3://' })).toThrow(/MEDIA_STORE: s3:\/\/bucket/);
    expect(() => loadConfig({ ...base, MEDIA_STORE: 's3://Stora_Bokstaver' })).toThrow(/MEDIA_STORE/);
    expect(() => loadConfig({ ...base, MEDIA_STORE: 's3://filmer' })).toThrow(
      'MEDIA_STORE=s3://filmer needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
    expect(() => loadConfig({ ...base, S3_ENDPOINT: 'http://minio:9000' })).toThrow(/MEDIA_STORE is not/);
    expect(() =>
      loadConfig({ ...base, MEDIA_STORE: 's3://filmer', S3_ENDPOINT: 'ftp://x', ...KEYS }),
    ).toThrow(/S3_ENDPOINT/);
    expect(
      loadConfig({
        ...base,
        MEDIA_STORE: 's3://filmer/hmc/media/',
        S3_ENDPOINT: 'http://minio:9000',
        ...KEYS,
      }).mediaStore,
    ).toEqual({
      kind: 's3',
      bucket: 'filmer',
      prefix: 'hmc/media',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    expect(loadConfig(base).mediaStore).toEqual({ kind: 'local' });
  });
});
