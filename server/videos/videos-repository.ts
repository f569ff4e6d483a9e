/** Films in the video library and the state of their transcoding runs. */
import type { Knex } from 'knex';
import { insertReturningRow } from '../db/rows';
import type { Transaction } from '../db/transaction';
import type { AudioDescription, Video, VideoState } from './types';

interface VideoRow {
  id: number;
  slug: string;
  title: string;
  audience_organisation_id: number | null;
  placeholder: boolean;
  original_name: string;
  original_bytes: number | string;
  original_format: string;
  state: VideoState;
  progress: number;
  job_id: string | null;
  run_token: string | null;
  runs: number;
  heartbeat_at: Date | null;
  error_key: string | null;
  error_detail: string | null;
  output_key: string | null;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  web_bytes: number | string | null;
  transcoded_at: Date | null;
  audio_description: AudioDescription | null;
  described_video_id: number | null;
  created_at: Date;
  updated_at: Date;
}

const toVideo = (r: VideoRow): Video => ({
  id: r.id,
  slug: r.slug,
  title: r.title,
  audienceOrganisationId: r.audience_organisation_id,
  placeholder: r.placeholder,
  originalName: r.original_name,
  originalBytes: Number(r.original_bytes),
  originalFormat: r.original_format,
  state: r.state,
  progress: r.progress,
  jobId: r.job_id,
  runToken: r.run_token,
  runs: r.runs,
  heartbeatAt: r.heartbeat_at,
  errorKey: r.error_key,
  errorDetail: r.error_detail,
  outputKey: r.output_key,
  durationMs: r.duration_ms,
  width: r.width,
  height: r.height,
  webBytes: r.web_bytes === null ? null : Number(r.web_bytes),
  transcodedAt: r.transcoded_at,
  audioDescription: r.audio_description,
  describedVideoId: r.described_video_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type NewVideo = Pick<
  Video,
  | 'slug'
  | 'title'
  | 'audienceOrganisationId'
  | 'placeholder'
  | 'originalName'
  | 'originalBytes'
  | 'originalFormat'
> & { createdBy: number | null };

/** A lesson of a course version's content that names a film. */
interface LessonContent {
  id: string;
  video?: string | null;
  title: { standard: string };
}

export interface FinishedOutput {
  outputKey: string;
  durationMs: number;
  width: number;
  height: number;
  webBytes: number;
}

export function videosRepository(db: Knex) {
  return {
    /** A new film's id, taken before its row exists so its original can be stored under it first. */
    async reserveId(): Promise<number> {
      const { rows } = await db.raw<{ rows: { id: string }[] }>(
        `select nextval(pg_get_serial_sequence('videos', 'id')) as id`,
      );
      return Number(rows[0]?.id);
    },

    async create(trx: Transaction, v: NewVideo & { id?: number }): Promise<Video> {
      return toVideo(
        await insertReturningRow<VideoRow>(trx, 'videos', {
          id: v.id,
          slug: v.slug,
          title: v.title,
          audience_organisation_id: v.audienceOrganisationId,
          placeholder: v.placeholder,
          original_name: v.originalName,
          original_bytes: v.originalBytes,
          original_format: v.originalFormat,
          created_by: v.createdBy,
        }),
      );
    },

    /** A film's state, its row locked until the transaction ends (null: no such film). */
    async lockedState(id: number, trx: Transaction): Promise<VideoState | null> {
      const row = await trx('videos')
        .where({ id })
        .forUpdate()
        .first<Pick<VideoRow, 'state'> | undefined>('state');
      return row?.state ?? null;
    },

    async setJob(trx: Knex, id: number, jobId: string): Promise<void> {
      await trx('videos').where({ id }).update({
        job_id: jobId,
        state: 'queued',
        progress: 0,
        error_key: null,
        error_detail: null,
        updated_at: db.fn.now(),
      });
    },

    async byId(id: number, trx: Knex = db): Promise<Video | null> {
      const row = await trx('videos').where({ id }).first<VideoRow | undefined>();
      return row ? toVideo(row) : null;
    },

    async bySlug(slug: string): Promise<Video | null> {
      const row = await db('videos').where({ slug }).first<VideoRow | undefined>();
      return row ? toVideo(row) : null;
    },

    async slugTaken(slug: string): Promise<boolean> {
      return !!(await db('videos').where({ slug }).first('id'));
    },

    async list(): Promise<Video[]> {
      return (await db('videos').orderBy('title').orderBy('id').select<VideoRow[]>()).map(toVideo);
    },

    /** Ready films other than `exceptId`, for choosing an audio-described version. */
    async readyOthers(exceptId: number): Promise<Video[]> {
      return (
        await db('videos')
          .where({ state: 'ready' })
          .whereNot({ id: exceptId })
          .orderBy('title')
          .select<VideoRow[]>()
      ).map(toVideo);
    },

    /** Films that name `id` as their audio-described version. */
    async describing(id: number): Promise<Video[]> {
      return (await db('videos').where({ described_video_id: id }).select<VideoRow[]>()).map(toVideo);
    },

    /** Starts a run of the job: a new token, so that only this run may report progress or write the result. */
    async claimRun(id: number, jobId: string, token: string): Promise<Video | null> {
      const rows = await db('videos')
        .where({ id })
        .update({
          state: 'processing',
          progress: 0,
          job_id: jobId,
          run_token: token,
          runs: db.raw('runs + 1'),
          heartbeat_at: db.fn.now(),
          error_key: null,
          error_detail: null,
          updated_at: db.fn.now(),
        })
        .returning<VideoRow[]>('*');
      const row = rows.at(0);
      return row ? toVideo(row) : null;
    },

    /** Progress and proof of life from a run; false when another run has taken over (this one must stop). */
    async heartbeat(id: number, token: string, progress: number): Promise<boolean> {
      const n = await db('videos')
        .where({ id, run_token: token, state: 'processing' })
        .update({ progress: Math.max(0, Math.min(99, Math.floor(progress))), heartbeat_at: db.fn.now() });
      return n === 1;
    },

    /** Records the finished output, only for the run holding the token; false when superseded. */
    async finish(id: number, token: string, o: FinishedOutput): Promise<boolean> {
      const n = await db('videos').where({ id, run_token: token }).update({
        state: 'ready',
        progress: 100,
        output_key: o.outputKey,
        duration_ms: o.durationMs,
        width: o.width,
        height: o.height,
        web_bytes: o.webBytes,
        transcoded_at: db.fn.now(),
        run_token: null,
        heartbeat_at: null,
        error_key: null,
        error_detail: null,
        updated_at: db.fn.now(),
      });
      return n === 1;
    },

    /** A run that failed: queued again when the queue will retry it, else failed with the reason. */
    async runFailed(
      id: number,
      token: string | null,
      o: { willRetry: boolean; errorKey: string; errorDetail: string | null },
    ): Promise<void> {
      const q = db('videos').where({ id });
      if (token) q.where({ run_token: token });
      await q.update({
        state: o.willRetry ? 'queued' : 'failed',
        progress: 0,
        run_token: null,
        heartbeat_at: null,
        error_key: o.errorKey,
        error_detail: o.errorDetail ? o.errorDetail.slice(-2000) : null,
        updated_at: db.fn.now(),
      });
    },

    /** Runs whose worker has not reported for `seconds`: the worker died (killed, machine restarted). */
    async staleRuns(seconds: number): Promise<{ id: number; jobId: string | null; runToken: string }[]> {
      const rows = await db('videos')
        .where({ state: 'processing' })
        .where('heartbeat_at', '<', db.raw(`now() - make_interval(secs => ?)`, [seconds]))
        .select<{ id: number; job_id: string | null; run_token: string }[]>('id', 'job_id', 'run_token');
      return rows.map((r) => ({
        id: r.id,
        jobId: r.job_id,
        runToken: r.run_token,
      }));
    },

    async setAudioDescription(
      id: number,
      value: AudioDescription,
      describedVideoId: number | null,
    ): Promise<void> {
      await db('videos')
        .where({ id })
        .update({ audio_description: value, described_video_id: describedVideoId, updated_at: db.fn.now() });
    },

    /**
     * Whether a non-retired course has a lesson that names the film (in any of its versions, so a learner
     * pinned to an older version keeps the film).
     */
    async usedByCourse(slug: string): Promise<boolean> {
      const row = await db('course_versions as v')
        .join('courses as c', 'c.id', 'v.course_id')
        .whereNull('c.retired_at')
        .whereRaw(`v.content -> 'lessons' @> ?::jsonb`, [JSON.stringify([{ video: slug }])])
        .first<{ id: number } | undefined>('v.id');
      return !!row;
    },

    /** Lessons of the newest course versions that name a film, with the film's slug. */
    async lessonsNamingFilms(): Promise<
      { courseSlug: string; courseTitle: string; lessonId: string; lessonTitle: string; videoSlug: string }[]
    > {
      const rows = await db('course_versions as v')
        .join('courses as c', 'c.id', 'v.course_id')
        .whereNull('c.retired_at')
        .whereRaw('v.version = (select max(version) from course_versions where course_id = v.course_id)')
        .select<{ slug: string; content: { title: { standard: string }; lessons: LessonContent[] } }[]>(
          'c.slug',
          'v.content',
        )
        .orderBy('c.slug');
      return rows.flatMap((r) =>
        r.content.lessons.flatMap((l) =>
          l.video
            ? [
                {
                  courseSlug: r.slug,
                  courseTitle: r.content.title.standard,
                  lessonId: l.id,
                  lessonTitle: l.title.standard,
                  videoSlug: l.video,
                },
              ]
            : [],
        ),
      );
    },
  };
}

export type VideosRepository = ReturnType<typeof videosRepository>;
