/**
 * The transcoding queue: pg-boss jobs in PostgreSQL (schema `pgboss`), sharing the app's knex pool so a
 * job can be queued in the same transaction that creates the film. The worker runs one transcode at a
 * time; a watchdog hands a run whose worker stopped reporting back to the queue, so a killed worker's
 * job runs again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import PgBoss from 'pg-boss';
import type { Transaction } from '../db/transaction';
import type { Logger } from '../logger';
import { MediaStoreError, type MediaStore } from '../media/media-store';
import { MediaToolError, makePoster, probe, transcodeToWeb, webSize, type MediaTools } from './ffmpeg';
import { mediaKeys } from './media-keys';
import type { TranscodeJobData } from './types';
import type { VideosRepository } from './videos-repository';

export const TRANSCODE_QUEUE = 'video-transcode';
/** Runs of one job: the first and two retries. */
const RETRY_LIMIT = 2;
const HEARTBEAT_MS = 2000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A failure that another run would not fix (the original is gone or holds no video): no retry. */
class PermanentFailure extends Error {}

export interface TranscodeQueueDeps {
  /** pg-boss's connection: the app's pool, or a transaction's own connection when given one. */
  sql: (trx?: Transaction) => PgBoss.Db;
  logger: Logger;
  videos: VideosRepository;
  storage: MediaStore;
  tools: MediaTools;
  timeoutSeconds: number;
  staleSeconds: number;
}

export function transcodeQueue(deps: TranscodeQueueDeps) {
  const { sql, logger, videos, storage, tools } = deps;
  const boss = new PgBoss({
    db: sql(),
    schema: 'pgboss',
    supervise: true,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (error) => {
    logger.error(`job queue: ${error.message}`);
  });
  let started: Promise<void> | null = null;
  let watchdog: NodeJS.Timeout | null = null;
  let stopping = false;
  const running = new Set<AbortController>();

  const queueOptions = {
    name: TRANSCODE_QUEUE,
    retryLimit: RETRY_LIMIT,
    retryDelay: 2,
    expireInSeconds: deps.timeoutSeconds,
    retentionDays: 14,
  };

  function ensureStarted(): Promise<void> {
    started ??= (async () => {
      await boss.start();
      await boss.createQueue(TRANSCODE_QUEUE, queueOptions);
      // A changed TRANSCODE_TIMEOUT_MINUTES applies to an existing queue too.
      await boss.updateQueue(TRANSCODE_QUEUE, queueOptions);
    })();
    return started;
  }

  /** Local scratch space of one film's runs; a run works in its own folder under it. */
  const workOf = (videoId: number) => path.join(storage.workDir, mediaKeys.folder(videoId));

  /** Removes every output of a film except the current one (older versions, leftovers of dead runs). */
  async function removeStaleOutputs(videoId: number, keep: string): Promise<void> {
    for (const key of await storage.list(mediaKeys.folder(videoId))) {
      const name = key.slice(key.lastIndexOf('/') + 1);
      if (/^(web|poster)-/.test(name) && (!name.includes(keep) || name.endsWith('.part')))
        await storage.delete(key);
    }
  }

  /**
   * One run of a job: claim it, transcode in a local scratch folder, then store the poster and the web
   * version (each whole or not at all) and record them. A run killed on the way leaves only its scratch
   * folder on its own node and objects no row names; the next run clears both.
   */
  async function runJob(job: PgBoss.JobWithMetadata<TranscodeJobData>): Promise<void> {
    const videoId = job.data.videoId;
    const token = crypto.randomUUID();
    const video = await videos.claimRun(videoId, job.id, token);
    if (!video) return; // the film is gone: nothing to do
    const controller = new AbortController();
    running.add(controller);
    let progress = 0;
    const beat = setInterval(() => {
      videos.heartbeat(videoId, token, progress * 100).then(
        (alive) => {
          // Another run holds the film now (this one was taken for dead): stop, write nothing.
          if (!alive) controller.abort();
        },
        (error: unknown) => {
          logger.warn(`heartbeat failed: ${messageOf(error)}`, { videoId });
        },
      );
    }, HEARTBEAT_MS);
    const filmWork = workOf(videoId);
    const work = path.join(filmWork, token);
    const webKey = mediaKeys.web(videoId, token);
    const posterKey = mediaKeys.poster(videoId, token);
    let recorded = false;
    try {
      // Scratch folders of dead runs of this film (on this node) are never used again.
      for (const name of await fs.readdir(filmWork).catch(() => [] as string[]))
        await fs.rm(path.join(filmWork, name), { recursive: true, force: true });
      await fs.mkdir(work, { recursive: true });
      const original = await storage.localCopy(mediaKeys.original(videoId), work);
      if (!original) throw new PermanentFailure('originalMissing');
      const info = await probe(tools, original).catch((error: unknown) => {
        throw error instanceof MediaToolError && /No such file/.test(error.stderr)
          ? new PermanentFailure('originalMissing')
          : error;
      });
      if (!info.video) throw new PermanentFailure('noVideo');
      const size = webSize(info.video.width, info.video.height, info.video.rotation);
      const webFile = path.join(work, 'web.mp4');
      await transcodeToWeb(tools, original, webFile, {
        ...size,
        durationMs: info.durationMs,
        hasAudio: info.hasAudio,
        signal: controller.signal,
        onProgress: (f) => (progress = f),
      });
      const web = await probe(tools, webFile);
      const posterFile = path.join(work, 'poster.jpg');
      await makePoster(tools, webFile, posterFile, web.durationMs, controller.signal);
      const stat = await fs.stat(webFile);
      if (controller.signal.aborted) throw new Error('superseded');
      // Each put is atomic (a rename on disk, a PUT in a bucket): a reader sees all of a file or none.
      // Nothing names them until finish() records the output key.
      await storage.putFile(posterKey, posterFile, 'image/jpeg');
      await storage.putFile(webKey, webFile, 'video/mp4');
      // Scratch is cleared before the film is shown as ready (the finally below is the safety net).
      await fs.rm(work, { recursive: true, force: true });
      recorded = await videos.finish(videoId, token, {
        outputKey: token,
        durationMs: web.durationMs,
        width: size.width,
        height: size.height,
        webBytes: stat.size,
      });
      if (recorded)
        await removeStaleOutputs(videoId, token).catch((error: unknown) => {
          logger.warn(`old versions of a film not removed: ${String(error)}`, { videoId });
        });
      else for (const key of [posterKey, webKey]) await storage.delete(key);
      logger.info('video transcoded', { videoId, run: video.runs, recorded });
    } catch (error) {
      const permanent = error instanceof PermanentFailure;
      const willRetry = !permanent && !stopping && job.retryCount < job.retryLimit;
      const errorKey = permanent
        ? error.message
        : stopping
          ? 'interrupted'
          : controller.signal.aborted
            ? 'superseded'
            : error instanceof MediaStoreError
              ? 'storeUnavailable'
              : 'transcodeFailed';
      const detail =
        error instanceof MediaToolError
          ? error.stderr || error.message
          : error instanceof Error
            ? error.message
            : String(error);
      // An app stopping hands its job back to the queue (pg-boss fails work in progress for a retry).
      await videos.runFailed(videoId, token, {
        willRetry: willRetry || stopping,
        errorKey,
        errorDetail: detail,
      });
      logger.warn('video transcode failed', { videoId, errorKey, willRetry, detail: detail.slice(-300) });
      // A poster stored before the film failed is named by no row: remove it (the next run would too).
      if (!recorded) for (const key of [posterKey, webKey]) await storage.delete(key).catch(() => undefined);
      if (!permanent) throw error;
    } finally {
      clearInterval(beat);
      running.delete(controller);
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** Hands runs whose worker stopped reporting (killed, machine restarted) back to the queue. */
  async function reclaimStaleRuns(): Promise<number> {
    const stale = await videos.staleRuns(deps.staleSeconds);
    for (const run of stale) {
      let willRetry = false;
      if (run.jobId) {
        await boss.fail(TRANSCODE_QUEUE, run.jobId, { message: 'worker stopped reporting' });
        const job = await boss.getJobById(TRANSCODE_QUEUE, run.jobId);
        willRetry = job?.state === 'retry' || job?.state === 'created';
      }
      await videos.runFailed(run.id, run.runToken, { willRetry, errorKey: 'workerLost', errorDetail: null });
      logger.warn('video transcode taken for dead and handed back to the queue', {
        videoId: run.id,
        willRetry,
      });
    }
    return stale.length;
  }

  return {
    /** Queues a transcode; with `trx`, in that transaction (the job exists exactly when the film does). */
    async enqueue(videoId: number, trx?: Transaction): Promise<string> {
      await ensureStarted();
      const id = await boss.send(
        TRANSCODE_QUEUE,
        { videoId } satisfies TranscodeJobData,
        trx ? { db: sql(trx) } : {},
      );
      if (!id) throw new Error('the job queue refused the job');
      return id;
    },

    /** Starts taking jobs (one at a time) and the watchdog for dead runs. */
    async startWorker(options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
      await ensureStarted();
      await storage.ensureDirs();
      await reclaimStaleRuns();
      await boss.work<TranscodeJobData>(
        TRANSCODE_QUEUE,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
        async (jobs) => {
          for (const job of jobs) await runJob(job);
        },
      );
      const every = Math.max(1, Math.floor(deps.staleSeconds / 3)) * 1000;
      watchdog = setInterval(
        () =>
          void reclaimStaleRuns().catch((e: unknown) => {
            logger.error(`watchdog: ${messageOf(e)}`);
          }),
        every,
      );
      watchdog.unref();
    },

    reclaimStaleRuns,

    /** The queue's view of a job (state, retries), for the educator's page. */
    async job(jobId: string): Promise<{ state: string; retryCount: number; retryLimit: number } | null> {
      await ensureStarted();
      const job = await boss.getJobById(TRANSCODE_QUEUE, jobId);
      return job ? { state: job.state, retryCount: job.retryCount, retryLimit: job.retryLimit } : null;
    },

    /** Stops the worker: a transcode in progress is stopped and its job handed back to the queue. */
    async stop(): Promise<void> {
      stopping = true;
      if (watchdog) clearInterval(watchdog);
      for (const c of running) c.abort();
      if (started) {
        await started.catch(() => undefined);
        await boss.stop({ graceful: true, wait: true, timeout: 10_000, close: false });
      }
    },
  };
}

export type TranscodeQueue = ReturnType<typeof transcodeQueue>;
