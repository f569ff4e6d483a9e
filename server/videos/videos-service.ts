/**
 * The video library's commands and queries: create a film from an upload and queue its transcode,
 * retry, captions (upload and cue edits), the WCAG 1.2.5 statement, and what a person may watch.
 */
import fs from 'node:fs/promises';
import type { CurrentUser } from '../auth/types';
import type { Variant } from '../courses/types';
import type { InTransaction } from '../db/transaction';
import { conflict, notFound } from '../http/errors';
import type { Logger } from '../logger';
import { MediaStoreError, type MediaStore } from '../media/media-store';
import type { OrganisationsService } from '../organisations/organisations-service';
import type { CaptionsRepository } from './captions-repository';
import { cuePlainText, parseCaptions, type CaptionProblem } from './captions-format';
import { checkVideo, type MediaTools } from './ffmpeg';
import { mediaKeys } from './media-keys';
import type { TranscodeQueue } from './transcode-queue';
import type { AudioDescription, Cue, PublishProblem, Video } from './types';
import { inAudience, managesVideos, publishProblems } from './videos-policy';
import type { VideosRepository } from './videos-repository';

export interface UploadedFile {
  path: string;
  originalName: string;
  size: number;
}

/** A refusal carries its status: 400 for the educator's input, 503 when the media store failed. */
export type CreateResult =
  { ok: true; video: Video } | { ok: false; status: 400 | 503; errors: Record<string, string> };

/** Everything the player and transcript need for one film. */
export interface PlayerView {
  video: Video;
  variant: Variant;
  tracks: { variant: Variant; isDefault: boolean }[];
  transcript: { startMs: number; endMs: number; text: string }[];
  described: { available: boolean; active: boolean };
}

export function videosService(deps: {
  transaction: InTransaction;
  organisations: Pick<OrganisationsService, 'organisationExists'>;
  videos: VideosRepository;
  captions: CaptionsRepository;
  storage: MediaStore;
  tools: MediaTools;
  queue: TranscodeQueue;
  logger: Logger;
}) {
  const { transaction, organisations, videos, captions, storage, tools, queue, logger } = deps;

  async function captionVariants(videoId: number): Promise<Set<Variant>> {
    return new Set((await captions.tracks(videoId)).filter((t) => t.cueCount > 0).map((t) => t.variant));
  }

  async function problemsOf(video: Video): Promise<PublishProblem[]> {
    const described = video.describedVideoId ? await videos.byId(video.describedVideoId) : null;
    return publishProblems(
      video,
      await captionVariants(video.id),
      described ? { video: described, captionVariants: await captionVariants(described.id) } : null,
    );
  }

  /** Whether a person may watch a film (and fetch its captions, poster and transcript). */
  async function canWatch(user: CurrentUser, video: Video): Promise<boolean> {
    if (managesVideos(user)) return true;
    if (!inAudience(user, video)) return false;
    if (video.state !== 'ready') return false;
    if ((await problemsOf(video)).length === 0 && (await videos.usedByCourse(video.slug))) return true;
    // An audio-described version is for whoever may watch the film it describes.
    for (const main of await videos.describing(video.id)) {
      if (
        inAudience(user, main) &&
        (await problemsOf(main)).length === 0 &&
        (await videos.usedByCourse(main.slug))
      )
        return true;
    }
    return false;
  }

  /** The player and transcript of a ready film, captions in the preferred variant when it has them. */
  async function playerFor(
    video: Video,
    preferred: Variant,
    described: PlayerView['described'] = { available: false, active: false },
  ): Promise<PlayerView> {
    const variants = await captionVariants(video.id);
    const variant: Variant = variants.has(preferred) ? preferred : 'standard';
    const cues = variants.has(variant) ? await captions.cues(video.id, variant) : [];
    return {
      video,
      variant,
      tracks: (['standard', 'easy'] as const)
        .filter((v) => variants.has(v))
        .map((v) => ({ variant: v, isDefault: v === variant })),
      transcript: cues.map((c) => ({ startMs: c.startMs, endMs: c.endMs, text: cuePlainText(c.text) })),
      described,
    };
  }

  return {
    problemsOf,
    canWatch,
    captionVariants,

    /** Every film in the library by title (the lesson editor attaches one of them to a lesson). */
    list: (): Promise<Video[]> => videos.list(),

    /** A film that exists and that the person may watch; 404 otherwise (others' films are not revealed). */
    async watchable(user: CurrentUser, id: number): Promise<Video> {
      const video = await videos.byId(id);
      if (!video || !(await canWatch(user, video))) throw notFound('videos:errors.notFound');
      return video;
    },

    /**
     * Creates a film from an uploaded file: checked by content (ffprobe + a test decode), the original
     * stored under a reserved id, then in one transaction the row and its transcoding job. Whatever
     * fails, nothing is left half saved: no row without its original, no original without its row, no
     * upload file (a failed store answers 503, and the educator can send the same file again).
     */
    async createFromUpload(
      createdBy: number | null,
      form: { title: string; slug: string; audience: number | null; placeholder?: boolean },
      file: UploadedFile,
    ): Promise<CreateResult> {
      const discard = () => fs.rm(file.path, { force: true });
      const refuse = async (field: string, key: string, status: 400 | 503 = 400): Promise<CreateResult> => {
        await discard();
        return { ok: false, status, errors: { [field]: key } };
      };
      if (await videos.slugTaken(form.slug)) return refuse('slug', 'videos:errors.slugTaken');
      if (form.audience !== null && !(await organisations.organisationExists(form.audience)))
        return refuse('audience', 'videos:errors.audienceInvalid');
      const check = await checkVideo(tools, file.path);
      if (!check.ok) return refuse('film', `videos:errors.file.${check.reason}`);
      const id = await videos.reserveId();
      const originalKey = mediaKeys.original(id);
      // Removes the stored original again; a store that is down now leaves an object no row names.
      const unstore = () =>
        storage.delete(originalKey).catch((error: unknown) => {
          logger.warn(`an unused original was not removed: ${String(error)}`, { key: originalKey });
        });
      try {
        // Outside the transaction: a large film may take minutes to reach a bucket.
        await storage.putFile(originalKey, file.path, 'application/octet-stream');
      } catch (error) {
        if (!(error instanceof MediaStoreError)) throw error;
        logger.error(`film upload not stored: ${error.message}`);
        await unstore();
        return refuse('film', 'videos:errors.storeUnavailable', 503);
      }
      try {
        const video = await transaction(async (trx) => {
          const created = await videos.create(trx, {
            id,
            slug: form.slug,
            title: form.title,
            audienceOrganisationId: form.audience,
            placeholder: form.placeholder ?? false,
            originalName: file.originalName.slice(0, 255),
            originalBytes: file.size,
            originalFormat: check.probe.formatName,
            createdBy,
          });
          const jobId = await queue.enqueue(created.id, trx);
          await videos.setJob(trx, created.id, jobId);
          return created;
        });
        return { ok: true, video };
      } catch (error) {
        await unstore();
        // Two uploads with the same slug at once: the unique index lets one through.
        if ((error as { code?: string }).code === '23505') return refuse('slug', 'videos:errors.slugTaken');
        await discard();
        throw error;
      }
    },

    /** Queues a failed film again; a second click (or a film not failed) changes nothing. */
    async retry(id: number): Promise<void> {
      await transaction(async (trx) => {
        const state = await videos.lockedState(id, trx);
        if (!state) throw notFound('videos:errors.notFound');
        if (state !== 'failed') return;
        const jobId = await queue.enqueue(id, trx);
        await videos.setJob(trx, id, jobId);
      });
    },

    /** Replaces a caption track from an uploaded WebVTT or SRT file; problems name their line. */
    async uploadCaptions(
      userId: number | null,
      videoId: number,
      variant: Variant,
      bytes: Buffer,
    ): Promise<{ ok: true; count: number } | { ok: false; problems: CaptionProblem[] }> {
      const parsed = parseCaptions(bytes);
      if (!parsed.ok) return parsed;
      await captions.replace(videoId, variant, parsed.format, parsed.cues, userId);
      return { ok: true, count: parsed.cues.length };
    },

    async updateCue(videoId: number, variant: Variant, cueId: number, cue: Omit<Cue, 'id'>): Promise<void> {
      if (!(await captions.updateCue(videoId, variant, cueId, cue)))
        throw notFound('videos:errors.cueNotFound');
    },

    /** Records the WCAG 1.2.5 statement; a described version must be another film in the library. */
    async setAudioDescription(
      video: Video,
      value: AudioDescription,
      describedVideoId: number | null,
    ): Promise<{ ok: boolean }> {
      if (value === 'in_soundtrack') {
        await videos.setAudioDescription(video.id, value, null);
        return { ok: true };
      }
      const described = describedVideoId ? await videos.byId(describedVideoId) : null;
      if (!described || described.id === video.id) return { ok: false };
      if (described.describedVideoId === video.id) throw conflict('videos:errors.describedLoop');
      await videos.setAudioDescription(video.id, value, described.id);
      return { ok: true };
    },

    /**
     * The player for a lesson's film: null when learners may not see it (no such film, not publishable,
     * not for the person's organisation); educators see unpublished films with their problems.
     */
    async lessonFilm(
      user: CurrentUser,
      slug: string | null,
      preferred: Variant,
      wantDescribed: boolean,
    ): Promise<{ player: PlayerView | null; problems: PublishProblem[] | null; missing: boolean }> {
      if (!slug) return { player: null, problems: null, missing: false };
      const main = await videos.bySlug(slug);
      const manager = managesVideos(user);
      if (!main) return { player: null, problems: null, missing: manager };
      const problems = await problemsOf(main);
      if (!inAudience(user, main) && !manager) return { player: null, problems: null, missing: false };
      if (problems.length && !manager) return { player: null, problems: null, missing: false };
      if (main.state !== 'ready') return { player: null, problems, missing: false };
      const describedVideo =
        main.audioDescription === 'described_version' && main.describedVideoId
          ? await videos.byId(main.describedVideoId)
          : null;
      const describedAvailable = !!describedVideo && describedVideo.state === 'ready';
      const video = wantDescribed && describedAvailable ? describedVideo : main;
      return {
        player: await playerFor(video, preferred, { available: describedAvailable, active: video !== main }),
        problems: problems.length ? problems : null,
        missing: false,
      };
    },

    playerFor,
  };
}

export type VideosService = ReturnType<typeof videosService>;
