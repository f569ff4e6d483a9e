/**
 * The video library for HMC educators (upload, job state, captions, cue editor, WCAG 1.2.5 statement)
 * and media delivery for everyone allowed to watch (film with range requests, captions, poster, transcript).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { signedInUser } from '../auth/policy';
import type { Config } from '../config';
import type { CoursesService } from '../courses/courses-service';
import type { Variant } from '../courses/types';
import { isVariant } from '../courses/types';
import { formBody, formText } from '../http/body-parsing';
import { confirmedOrAsk } from '../http/confirm';
import { notFound } from '../http/errors';
import { paths } from '../http/paths';
import { errorMessage, idParam, parseForm, type FieldError, type FieldErrors } from '../http/validation';
import type { Logger } from '../logger';
import { sendStoredMedia } from '../media/media-delivery';
import type { MediaStore } from '../media/media-store';
import type { OrganisationsService } from '../organisations/organisations-service';
import type { CaptionsRepository } from './captions-repository';
import { formatTimestamp, toWebVtt, transcriptText, type CaptionProblem } from './captions-format';
import { mediaKeys } from './media-keys';
import type { TranscodeQueue } from './transcode-queue';
import type { Video } from './types';
import { audioDescriptionSchema, cueSchema, uploadSchema } from './videos-validation';
import type { VideosRepository } from './videos-repository';
import type { VideosService } from './videos-service';

const param = (req: Request, name: string) => req.params[name] ?? '';

/** Whether the page's script asked for a JSON answer (Accept: application/json) rather than a page. */
const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

type Messages = FieldErrors;

/** A caption problem names its line. */
const problemMessage = (p: CaptionProblem): FieldError => ({
  key: `videos:captions.errors.${p.key}`,
  params: { line: p.line, value: p.value ?? '' },
});

/** What the video library's pages and media delivery use. */
export interface VideosDeps {
  videos: VideosRepository;
  captions: CaptionsRepository;
  videosService: VideosService;
  mediaStorage: MediaStore;
  transcodeQueue: Pick<TranscodeQueue, 'job'>;
  organisationsService: Pick<OrganisationsService, 'listOrganisations'>;
  coursesService: Pick<CoursesService, 'latestBySlug'>;
  config: Pick<Config, 'maxUploadBytes'>;
  logger: Logger;
}

/** The cue editor's three text fields as posted, for re-rendering a refused form. */
const cueValues = (req: Request) => ({
  start: formText(req, 'start'),
  end: formText(req, 'end'),
  text: formText(req, 'text'),
});

export function videosController(deps: VideosDeps) {
  const { videos, captions, videosService, mediaStorage, config, organisationsService } = deps;

  const diskUpload = multer({
    storage: multer.diskStorage({
      destination: (_req, _file, cb) => {
        cb(null, mediaStorage.uploadsDir);
      },
      // The name on disk is ours; the person's file name is kept only as text for display.
      filename: (_req, _file, cb) => {
        cb(null, `${crypto.randomUUID()}.upload`);
      },
    }),
    limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
  }).single('film');

  const captionUpload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: 1024 * 1024, files: 1, fields: 5, parts: 6 },
  }).single('captions');

  /** Runs multer and keeps its error for the handler, which re-renders the form instead of an error page. */
  const receive =
    (upload: RequestHandler): RequestHandler =>
    (req, res, next) => {
      fs.promises.mkdir(mediaStorage.uploadsDir, { recursive: true }).then(() => {
        upload(req, res, (err?: unknown) => {
          res.locals.uploadError = err ?? null;
          next();
        });
      }, next);
    };

  async function videoFrom(req: Request): Promise<Video> {
    const id = idParam(req.params.id);
    const video = id ? await videos.byId(id) : null;
    if (!video) throw notFound('videos:errors.notFound');
    return video;
  }

  function variantFrom(req: Request): Variant {
    const v = param(req, 'variant');
    if (!isVariant(v)) throw notFound();
    return v;
  }

  /** The film, track and cue the URL names; 404 when the cue is not in that film's track. */
  async function cueFrom(req: Request) {
    const video = await videoFrom(req);
    const variant = variantFrom(req);
    const cueId = idParam(req.params.cue);
    const cue = cueId ? await captions.cue(video.id, variant, cueId) : null;
    if (!cue) throw notFound('videos:errors.cueNotFound');
    return { video, variant, cue };
  }

  async function renderUploadForm(
    req: Request,
    res: Response,
    status: number,
    values: Record<string, unknown>,
    errors: Messages,
  ) {
    res.status(status).render('videos/new', {
      title: req.t('videos:new.title'),
      values,
      errors,
      organisations: await organisationsService.listOrganisations(),
      maxUploadBytes: config.maxUploadBytes,
    });
  }

  async function renderFilm(
    req: Request,
    res: Response,
    video: Video,
    status = 200,
    errors: Messages = {},
    values: Record<string, unknown> = {},
  ) {
    const [tracks, problems, others, job] = await Promise.all([
      captions.tracks(video.id),
      videosService.problemsOf(video),
      videos.readyOthers(video.id),
      video.jobId ? deps.transcodeQueue.job(video.jobId).catch(() => null) : null,
    ]);
    const described = video.describedVideoId ? await videos.byId(video.describedVideoId) : null;
    const audience = video.audienceOrganisationId
      ? ((await organisationsService.listOrganisations()).find(
          (o) => o.id === video.audienceOrganisationId,
        ) ?? null)
      : null;
    const player =
      video.state === 'ready' ? await videosService.playerFor(video, signedInUser(req).contentVariant) : null;
    res.status(status).render('videos/film', {
      title: video.title,
      player,
      video,
      tracks,
      problems,
      others,
      described,
      audience,
      job,
      errors,
      values,
      uploaded: req.query.uppladdad === '1',
      saved: typeof req.query.sparat === 'string' ? req.query.sparat : null,
    });
  }

  async function renderCaptions(
    req: Request,
    res: Response,
    video: Video,
    variant: Variant,
    status = 200,
    errors: Messages = {},
    cueErrors: { id: number; errors: Messages; values: Record<string, string> } | null = null,
    newCue: { errors: Messages; values: Record<string, string> } = { errors: {}, values: {} },
  ) {
    const cues = await captions.cues(video.id, variant);
    res.status(status).render('videos/captions', {
      title: req.t(`videos:captions.title.${variant}`, { title: video.title }),
      video,
      variant,
      cues,
      errors,
      cueErrors,
      newCue,
      formatTimestamp,
      saved: idParam(req.query.sparat),
      deleted: req.query.borttagen === '1',
      count: typeof req.query.antal === 'string' ? Number(req.query.antal) : null,
    });
  }

  /** Sends a film's file from the media store with range support (206/416), ETag and private caching. */
  function sendMedia(req: Request, res: Response, key: string, type: string, immutable: boolean) {
    return sendStoredMedia(req, res, {
      store: mediaStorage,
      key,
      type,
      // Only for people allowed to watch: never in a shared cache. A URL naming the current version never changes.
      cacheControl: immutable ? 'private, max-age=31536000, immutable' : 'private, no-cache',
      unavailableKey: 'videos:errors.mediaUnavailable',
      logger: deps.logger,
    });
  }

  /** A film's file for everyone allowed to watch it, once it is ready. */
  async function sendFilmFile(req: Request, res: Response, file: 'web' | 'poster') {
    const id = idParam(req.params.id);
    if (!id) throw notFound();
    const video = await videosService.watchable(signedInUser(req), id);
    if (video.state !== 'ready' || !video.outputKey) throw notFound('videos:errors.notFound');
    await sendMedia(
      req,
      res,
      mediaKeys[file](video.id, video.outputKey),
      file === 'web' ? 'video/mp4' : 'image/jpeg',
      req.query.v === video.outputKey,
    );
  }

  /** The cues of a track of a film the person may watch; 404 when the track has none. */
  async function watchableCues(req: Request) {
    const id = idParam(req.params.id);
    const variant = param(req, 'variant');
    if (!id || !isVariant(variant)) throw notFound();
    const video = await videosService.watchable(signedInUser(req), id);
    const cues = await captions.cues(video.id, variant);
    if (!cues.length) throw notFound('videos:errors.noCaptions');
    return { video, variant, cues };
  }

  return {
    receiveFilm: receive(diskUpload),
    receiveCaptions: receive(captionUpload),

    async library(req: Request, res: Response) {
      const [list, variants, lessons] = await Promise.all([
        videos.list(),
        captions.variantsByVideo(),
        videos.lessonsNamingFilms(),
      ]);
      const rows = await Promise.all(
        list.map(async (v) => ({
          video: v,
          variants: variants.get(v.id) ?? new Set<Variant>(),
          problems: await videosService.problemsOf(v),
        })),
      );
      const bySlug = new Map(list.map((v) => [v.slug, v]));
      res.render('videos/library', {
        title: req.t('videos:library.title'),
        rows,
        lessons: lessons.map((l) => ({ ...l, video: bySlug.get(l.videoSlug) ?? null })),
      });
    },

    async newForm(req: Request, res: Response) {
      const course =
        typeof req.query.kurs === 'string' ? await deps.coursesService.latestBySlug(req.query.kurs) : null;
      const lesson = course?.content.lessons.find((l) => l.id === req.query.lektion) ?? null;
      const values =
        course && lesson
          ? { slug: lesson.video ?? `${course.content.slug}-${lesson.id}`, title: lesson.title.standard }
          : {};
      await renderUploadForm(req, res, 200, values, {});
    },

    /**
     * Receives a film. The page's script uploads with XMLHttpRequest and asks for JSON, so it can show
     * progress and keep the chosen file when the server refuses it; without JavaScript the form re-renders.
     */
    async create(req: Request, res: Response) {
      const uploadError = res.locals.uploadError as (Error & { code?: string }) | null;
      const file = req.file;
      const body = formBody(req);
      const refuse = async (status: number, errors: Messages) => {
        if (file) await fs.promises.rm(file.path, { force: true });
        if (!wantsJson(req)) return renderUploadForm(req, res, status, body, errors);
        const texts = Object.fromEntries(
          Object.entries(errors).map(([field, m]) => [
            field,
            req.t(errorMessage(m).key, errorMessage(m).params),
          ]),
        );
        res.status(status).json({ ok: false, message: Object.values(texts)[0], errors: texts });
      };
      if (uploadError) {
        const tooLarge = uploadError.code === 'LIMIT_FILE_SIZE';
        return refuse(tooLarge ? 413 : 400, {
          film: {
            key: tooLarge ? 'videos:errors.file.tooLarge' : 'videos:errors.file.badUpload',
            params: { max: formatBytes(config.maxUploadBytes) },
          },
        });
      }
      const form = parseForm(uploadSchema, body);
      const errors: Messages = form.ok ? {} : form.errors;
      if (!file || file.size === 0) errors.film = { key: 'videos:errors.file.missing' };
      if (!form.ok || !file || errors.film) return refuse(400, errors);
      const result = await videosService.createFromUpload(signedInUser(req).id, form.data, {
        path: file.path,
        originalName: file.originalname,
        size: file.size,
      });
      if (!result.ok) return refuse(result.status, result.errors);
      const location = `${paths.video(result.video.id)}?uppladdad=1`;
      if (wantsJson(req)) return res.status(201).json({ ok: true, location });
      res.redirect(303, location);
    },

    async show(req: Request, res: Response) {
      await renderFilm(req, res, await videoFrom(req));
    },

    /** The job's state for the page's script, which announces changes in a live region. */
    async status(req: Request, res: Response) {
      const video = await videoFrom(req);
      res.set('Cache-Control', 'no-store').json({
        state: video.state,
        progress: video.progress,
        text: req.t(`videos:state.${video.state}`, { progress: video.progress }),
        error: video.errorKey ? req.t(`videos:jobErrors.${video.errorKey}`) : null,
      });
    },

    async retry(req: Request, res: Response) {
      const video = await videoFrom(req);
      await videosService.retry(video.id);
      res.redirect(303, paths.video(video.id));
    },

    async audioDescription(req: Request, res: Response) {
      const video = await videoFrom(req);
      const form = parseForm(audioDescriptionSchema, formBody(req));
      if (!form.ok) return renderFilm(req, res, video, 400, form.errors, formBody(req));
      const result = await videosService.setAudioDescription(
        video,
        form.data.audioDescription,
        form.data.describedVideoId,
      );
      if (!result.ok)
        return renderFilm(
          req,
          res,
          video,
          400,
          { describedVideoId: { key: 'videos:errors.describedVideoRequired' } },
          formBody(req),
        );
      res.redirect(303, `${paths.video(video.id)}?sparat=syntolkning`);
    },

    async captionsEditor(req: Request, res: Response) {
      await renderCaptions(req, res, await videoFrom(req), variantFrom(req));
    },

    async uploadCaptions(req: Request, res: Response) {
      const video = await videoFrom(req);
      const variant = variantFrom(req);
      const uploadError = res.locals.uploadError as (Error & { code?: string }) | null;
      if (uploadError) {
        const tooLarge = uploadError.code === 'LIMIT_FILE_SIZE';
        return renderCaptions(req, res, video, variant, tooLarge ? 413 : 400, {
          captions: {
            key: tooLarge ? 'videos:captions.errors.fileTooLarge' : 'videos:errors.file.badUpload',
          },
        });
      }
      if (!req.file || req.file.size === 0)
        return renderCaptions(req, res, video, variant, 400, {
          captions: { key: 'videos:captions.errors.missing' },
        });
      const result = await videosService.uploadCaptions(
        signedInUser(req).id,
        video.id,
        variant,
        req.file.buffer,
      );
      if (!result.ok) {
        const [first, ...rest] = result.problems;
        return renderCaptions(req, res, video, variant, 400, {
          captions: problemMessage(first),
          ...Object.fromEntries(rest.map((p, i) => [`captions-${i + 2}`, problemMessage(p)])),
        });
      }
      res.redirect(303, `${paths.videoCaptions(video.id, variant)}?antal=${result.count}`);
    },

    async updateCue(req: Request, res: Response) {
      const { video, variant, cue } = await cueFrom(req);
      const form = parseForm(cueSchema, formBody(req));
      if (!form.ok)
        return renderCaptions(
          req,
          res,
          video,
          variant,
          400,
          {},
          {
            id: cue.id,
            errors: form.errors,
            values: cueValues(req),
          },
        );
      await videosService.updateCue(video.id, variant, cue.id, {
        startMs: form.data.start,
        endMs: form.data.end,
        text: form.data.text,
      });
      res.redirect(303, `${paths.videoCaptions(video.id, variant)}?sparat=${cue.id}#cue-${cue.id}`);
    },

    /** Adds a cue: times in order, within the film when its length is known, not overlapping another cue. */
    async addCue(req: Request, res: Response) {
      const video = await videoFrom(req);
      const variant = variantFrom(req);
      const refuse = (errors: Messages) =>
        renderCaptions(req, res, video, variant, 400, {}, null, { errors, values: cueValues(req) });
      const form = parseForm(cueSchema, formBody(req));
      if (!form.ok) return refuse(form.errors);
      if (video.durationMs !== null && form.data.end > video.durationMs) {
        return refuse({
          end: { key: 'videos:errors.cueAfterFilm', params: { duration: formatTimestamp(video.durationMs) } },
        });
      }
      const result = await captions.addCue(
        video.id,
        variant,
        { startMs: form.data.start, endMs: form.data.end, text: form.data.text },
        signedInUser(req).id,
      );
      if (!result.ok) {
        const { overlaps, position } = result;
        return refuse({
          start: {
            key: 'videos:errors.cueOverlaps',
            params: {
              n: position,
              start: formatTimestamp(overlaps.startMs),
              end: formatTimestamp(overlaps.endMs),
            },
          },
        });
      }
      res.redirect(303, `${paths.videoCaptions(video.id, variant)}?sparat=${result.id}#cue-${result.id}`);
    },

    /** Deletes a cue after a confirmation page (works without JavaScript: the page re-posts with confirmed=ja). */
    async deleteCue(req: Request, res: Response) {
      const { video, variant, cue } = await cueFrom(req);
      const confirmed = confirmedOrAsk(req, res, {
        title: req.t('videos:captions.deleteTitle'),
        consequence: req.t('videos:captions.deleteLead', { variant: req.t(`videos:variant.${variant}`) }),
        confirmLabel: req.t('videos:captions.deleteConfirm'),
        backHref: `${paths.videoCaptions(video.id, variant)}#cue-${cue.id}`,
        backLabel: req.t('videos:captions.deleteCancel'),
        breadcrumb: [
          { href: paths.videos, label: req.t('videos:library.title') },
          { href: paths.video(video.id), label: video.title },
        ],
        quote: [`${formatTimestamp(cue.startMs)} – ${formatTimestamp(cue.endMs)}`, cue.text],
      });
      if (!confirmed) return;
      await captions.deleteCue(video.id, variant, cue.id);
      res.redirect(303, `${paths.videoCaptions(video.id, variant)}?borttagen=1`);
    },

    // --- Delivery: everyone allowed to watch --------------------------------------------------

    async file(req: Request, res: Response) {
      await sendFilmFile(req, res, 'web');
    },

    async poster(req: Request, res: Response) {
      await sendFilmFile(req, res, 'poster');
    },

    async track(req: Request, res: Response) {
      const { cues } = await watchableCues(req);
      // Express answers 304 from the ETag of the body when nothing changed.
      res
        .set({
          'Content-Type': 'text/vtt; charset=utf-8',
          'Cache-Control': 'private, no-cache',
          'X-Content-Type-Options': 'nosniff',
        })
        .send(toWebVtt(cues));
    },

    async transcript(req: Request, res: Response) {
      const { video, variant, cues } = await watchableCues(req);
      res
        .set({
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Disposition': `attachment; filename="${video.slug}-${variant === 'easy' ? 'lattlast-' : ''}utskrift.txt"`,
          'Cache-Control': 'private, no-cache',
          'X-Content-Type-Options': 'nosniff',
        })
        .send(transcriptText(video.title, cues));
    },
  };
}

/** Bytes as people read them (2 GB, 500 MB). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${Number((bytes / 1024 ** 3).toFixed(1))} GB`;
  if (bytes >= 1024 ** 2) return `${Number((bytes / 1024 ** 2).toFixed(1))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}
