/**
 * Issue 15, several nodes: with a transcoding worker on two nodes (pg-boss on one PostgreSQL, media on a
 * folder both see), every film is transcoded exactly once: one run, no retry, one output, whichever node
 * takes it. Real ffmpeg, real pg-boss.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mediaKeys } from '../../server/videos/media-keys';
import { eventually, makeClip, tempDir } from '../support/media';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { secondNode, type Node } from './second-node';

let a: TestApp;
let b: Node;
let media: string;
let clips: string;

beforeAll(async () => {
  media = tempDir('media');
  clips = tempDir('clips');
  a = await startTestApp({ env: { MEDIA_DIR: media } });
  b = secondNode(a);
});
afterAll(async () => {
  await (b as Node | undefined)?.close();
  const app = a as TestApp | undefined;
  await app?.services.transcodeQueue.stop();
  await app?.close();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(clips, { recursive: true, force: true });
});

describe('transcoding with a worker on two nodes', () => {
  it('transcodes each film once: one run, no retry, one output', async () => {
    const clip = await makeClip(path.join(clips, 'kort.mp4'), { seconds: 2 });
    const educator = await buildPerson(a.db, {
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    // Uploaded through both nodes, so both queue jobs.
    const ids: number[] = [];
    for (const [i, node] of [a, b, a, b, a, b].entries()) {
      const { agent, csrf } = await loginAs(node.app, educator.email);
      const res = await agent
        .post(`/filmer?_csrf=${encodeURIComponent(csrf)}`)
        .field('title', `Film ${i}`)
        .field('slug', `film-${i}`)
        .field('audience', '')
        .attach('film', clip);
      expect(res.status).toBe(303);
      ids.push(Number(/\/filmer\/(\d+)/.exec(res.headers.location)?.[1]));
    }
    await Promise.all([
      a.services.transcodeQueue.startWorker({ pollingIntervalSeconds: 0.5 }),
      b.services.transcodeQueue.startWorker({ pollingIntervalSeconds: 0.5 }),
    ]);
    const rows = await eventually(
      async () => {
        const r = await a
          .db('videos')
          .whereIn('id', ids)
          .select('id', 'state', 'runs', 'job_id', 'output_key');
        return r.every((v) => v.state === 'ready') ? r : null;
      },
      180_000,
      'every film to be transcoded',
    );
    for (const v of rows) {
      expect(v.runs).toBe(1);
      expect(await a.services.transcodeQueue.job(v.job_id)).toMatchObject({
        state: 'completed',
        retryCount: 0,
      });
      expect((await a.services.mediaStorage.list(mediaKeys.folder(v.id))).sort()).toEqual(
        [
          mediaKeys.original(v.id),
          mediaKeys.poster(v.id, v.output_key),
          mediaKeys.web(v.id, v.output_key),
        ].sort(),
      );
    }
  });
});
