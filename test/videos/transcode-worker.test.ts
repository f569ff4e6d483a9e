/**
 * The transcoding job survives what happens to workers: a worker killed mid-job (with its ffmpeg) leaves
 * no served output, and the job runs again in another process; an app that stops hands its job back
 * to the queue and the next start finishes it. Real ffmpeg, real pg-boss on PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../server/logger';
import { mediaKeys } from '../../server/videos/media-keys';
import { createServices } from '../../server/services';
import { mp4TopLevelBoxes, probe } from '../../server/videos/ffmpeg';
import { eventually, makeClip, tempDir, tools } from '../support/media';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let media: string;
let clip: string;
let child: ChildProcess | null = null;
let educator: Awaited<ReturnType<typeof loginAs>>;
const ENV = { TRANSCODE_STALE_SECONDS: '3' };
/** Each test's own limit; every wait inside it ends well before, with a message saying what it waited for. */
const TEST_MS = 240_000;
const JOB_DONE_MS = 120_000;
/** The queues of the extra "apps" a test starts: stopped in afterAll even when the test fails half-way. */
const extraQueues: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  media = tempDir('media');
  t = await startTestApp({ env: { MEDIA_DIR: media, ...ENV } });
  const person = await buildPerson(t.db, {
    permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
  });
  educator = await loginAs(t.app, person.email);
  // Long enough that a run is still encoding a moment after it starts.
  clip = await makeClip(path.join(tempDir('clips'), 'lang.mp4'), { seconds: 30, width: 1280, height: 720 });
});

afterAll(async () => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  // A worker left running would take the next suite's jobs (and its database away): stop every one.
  for (const queue of extraQueues) await queue.stop().catch(() => undefined);
  await t.services.transcodeQueue.stop();
  await t.close();
  fs.rmSync(media, { recursive: true, force: true });
  if (clip) fs.rmSync(path.dirname(clip), { recursive: true, force: true });
});

async function uploadFilm(slug: string): Promise<number> {
  const res = await educator.agent
    .post(`/filmer?_csrf=${encodeURIComponent(educator.csrf)}`)
    .field('title', slug)
    .field('slug', slug)
    .field('audience', '')
    .attach('film', clip);
  expect(res.status).toBe(303);
  return Number(/\/filmer\/(\d+)/.exec(res.headers.location)![1]);
}

const row = (id: number) => t.db('videos').where({ id }).first();
/** What the store (local disk here) holds of a film. */
const filesOf = (id: number) => fs.readdirSync(path.join(media, mediaKeys.folder(id))).sort();
/** The scratch files of a film's runs in progress: `<run token>/web.mp4` while ffmpeg writes. */
const scratchOf = (id: number) =>
  fs.readdirSync(path.join(media, 'work', mediaKeys.folder(id)), { recursive: true, encoding: 'utf8' });
const encoding = (id: number) => {
  try {
    return scratchOf(id).some((f) => f.endsWith('web.mp4'));
  } catch {
    return false;
  }
};

/** Waits for the job to end (ready or failed, so a failure shows at once with its reason, not as a timeout). */
async function jobDone(id: number) {
  const done = await eventually(
    async () => {
      const r = await row(id);
      return r.state === 'ready' || r.state === 'failed' ? r : null;
    },
    JOB_DONE_MS,
    'the job to finish',
  );
  if (done.state === 'failed') throw new Error(`transcode failed: ${done.error_key} ${done.error_detail}`);
  return done;
}

async function expectOneCompleteOutput(id: number) {
  const ready = await jobDone(id);
  expect(filesOf(id)).toEqual(
    ['original', `poster-${ready.output_key}.jpg`, `web-${ready.output_key}.mp4`].sort(),
  );
  // Scratch folders of this run and of a dead one are gone.
  expect(scratchOf(id)).toEqual([]);
  const web = path.join(media, mediaKeys.web(id, ready.output_key));
  const info = await probe(tools, web);
  expect(info.durationMs).toBeGreaterThan(29_000);
  const boxes = await mp4TopLevelBoxes(web);
  expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  const served = await educator.agent.get(`/filmer/${id}/film.mp4`).set('Range', 'bytes=0-15');
  expect(served.status).toBe(206);
  return ready;
}

describe('a transcoding worker', () => {
  it(
    'killed mid-job (with its ffmpeg) serves nothing half-written, and the job runs again elsewhere',
    async () => {
      const id = await uploadFilm('dodad-arbetare');
      child = spawn(
        path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'),
        [path.join(__dirname, '..', 'support', 'video-worker-child.ts')],
        {
          env: { ...process.env, DATABASE_URL: t.url, MEDIA_DIR: media, ...ENV },
          stdio: ['ignore', 'pipe', 'inherit'],
          detached: true, // its own process group, so the kill takes ffmpeg with it, like a crashed machine
        },
      );
      await eventually(
        async () => (await row(id)).state === 'processing',
        45_000,
        'the other process to start the job',
      );
      await eventually(() => Promise.resolve(encoding(id)), 30_000, 'ffmpeg to start writing');
      process.kill(-child.pid!, 'SIGKILL');
      await new Promise((r) => child!.once('exit', r));

      // Mid-job: only a scratch file, nothing stored, nothing recorded, nothing served.
      const killed = await row(id);
      expect(killed.state).toBe('processing');
      expect(killed.output_key).toBeNull();
      expect(filesOf(id)).toEqual(['original']);
      expect((await educator.agent.get(`/filmer/${id}/film.mp4`)).status).toBe(404);

      // Another worker takes the dead run for lost once it stops reporting, and runs the job again.
      await t.services.transcodeQueue.startWorker({ pollingIntervalSeconds: 0.5 });
      const ready = await expectOneCompleteOutput(id);
      expect(ready.runs).toBe(2);
      const job = await t.services.transcodeQueue.job(ready.job_id);
      expect(job).toMatchObject({ state: 'completed', retryCount: 1 });
    },
    TEST_MS,
  );

  it(
    'stopping the app hands a running job back to the queue, and the next start finishes it',
    async () => {
      // The worker of the test app is running from the test above; a second "app" will restart.
      await t.services.transcodeQueue.stop();
      const first = createServices(t.services.config, t.db, createLogger('silent'));
      extraQueues.push(first.transcodeQueue);
      await first.transcodeQueue.startWorker({ pollingIntervalSeconds: 0.5 });
      const id = await uploadFilm('omstart');
      await eventually(() => Promise.resolve(encoding(id)), 45_000, 'the transcode to start');
      await first.transcodeQueue.stop();
      const stopped = await row(id);
      expect(stopped.state).toBe('queued');
      expect(stopped.error_key).toBe('interrupted');
      expect(filesOf(id)).toEqual(['original']);
      expect(scratchOf(id)).toEqual([]);

      const second = createServices(t.services.config, t.db, createLogger('silent'));
      extraQueues.push(second.transcodeQueue);
      await second.transcodeQueue.startWorker({ pollingIntervalSeconds: 0.5 });
      const ready = await expectOneCompleteOutput(id);
      expect(ready.runs).toBe(2);
    },
    TEST_MS,
  );
});
