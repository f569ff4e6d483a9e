/** The side-by-side lesson editor: both variants, live preview as learners see it, readability, images, comments. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import { canEditCourses } from '../auth/types';
import { renderLesson } from '../courses/markdown';
import { substitute } from '../courses/region';
import type { LessonContent, Variant } from '../courses/types';
import type { VideosService } from '../videos/videos-service';
import { badRequest, notFound, payloadTooLarge } from '../http/errors';
import { paths } from '../http/paths';
import { idParam, parseForm, type FieldErrors } from '../http/validation';
import { IMAGE_TYPES, type AuthoringService } from './authoring-service';
import { commentSchema, lessonSchema, newLessonSchema } from './authoring-validation';
import { bodyOf, textField, viewDraft } from './authoring-controller';
import type { CommentsRepository } from './comments-repository';
import { readabilityReport } from './readability-report';
import { DraftConflictError, type Draft } from './types';
import { unsafeSvg } from '../courses/svg-safety';
import { confirmedOrAsk } from '../http/confirm';
import { looksLikeImage } from '../courses/image-content';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export interface FilmChoice {
  id: number;
  slug: string;
  title: string;
  captions: Variant[];
  problems: string[];
}

export interface LessonEditorDeps {
  authoring: AuthoringService;
  comments: Pick<CommentsRepository, 'forLesson' | 'add' | 'resolve'>;
  /** The video library's films come from its service (list), to attach one to a lesson. */
  videosService: Pick<VideosService, 'list' | 'captionVariants' | 'problemsOf'>;
}

export function lessonEditorController(deps: LessonEditorDeps) {
  const { authoring, comments, videosService } = deps;

  /** Every film in the library with its caption status, for attaching one to the lesson. */
  async function filmChoices(): Promise<FilmChoice[]> {
    const films = await videosService.list();
    return Promise.all(
      films.map(async (v) => ({
        id: v.id,
        slug: v.slug,
        title: v.title,
        captions: [...(await videosService.captionVariants(v.id))],
        problems: await videosService.problemsOf(v),
      })),
    );
  }
  /** Preview and readability as learners will see the lesson: with the region's values in place. */
  function asLearnersSee(
    standard: string,
    easy: string,
    images: Record<string, { sha256: string; contentType: string }>,
  ) {
    const region = authoring.region();
    const s = substitute(standard, 'standard', region);
    const e = substitute(easy, 'easy', region);
    return {
      preview: { standard: renderLesson(s, images), easy: renderLesson(e, images) },
      readability: readabilityReport(s, e),
    };
  }
  const slugOf = (req: Request) => String(req.params.slug);
  const lessonOf = (req: Request) => String(req.params.lesson);

  async function render(
    req: Request,
    res: Response,
    options: {
      status?: number;
      lesson?: LessonContent;
      errors?: FieldErrors;
      conflict?: Draft | null;
      notice?: string;
      draftOverride?: Draft;
      svgProblem?: string | null;
    } = {},
  ) {
    const view = await viewDraft(authoring, req, slugOf(req));
    const content = options.draftOverride?.content ?? view.content;
    const stored = content.lessons.find((l) => l.id === lessonOf(req));
    if (!stored) throw notFound('courses:errors.lessonNotFound');
    const lesson = options.lesson ?? stored;
    const revisions = options.draftOverride?.revisions ?? view.revisions;
    res.status(options.status ?? 200).render('authoring/lesson', {
      title: req.t('authoring:lesson.title', { title: lesson.title.standard || lesson.id }),
      ...view,
      lesson,
      revision: revisions[`lesson:${lesson.id}`] ?? 0,
      ...asLearnersSee(lesson.body.standard, lesson.body.easy, content.images),
      comments: await comments.forLesson(view.courseId, lesson.id),
      canEdit: canEditCourses(req.user),
      svgProblem: options.svgProblem ?? null,
      errors: options.errors ?? {},
      conflict: options.conflict
        ? (options.conflict.content.lessons.find((l) => l.id === lesson.id) ?? null)
        : null,
      notice: options.notice ?? (req.query.sparat ? 'authoring:lesson.saved' : null),
      maxImageMb: MAX_IMAGE_BYTES / 1024 / 1024,
      films: canEditCourses(req.user) ? await filmChoices() : [],
    });
  }

  /** The lesson as typed in the form (kept on errors and conflicts, so nothing typed is lost). */
  function typed(req: Request, base: LessonContent): LessonContent {
    const b = bodyOf(req);
    const str = (v: unknown, fallback: string) =>
      typeof v === 'string' ? v.replace(/\r\n/g, '\n') : fallback;
    return {
      ...base,
      kind: b.kind === 'case' ? 'case' : 'lesson',
      minutes: Number(b.minutes) || base.minutes,
      video: typeof b.video === 'string' && b.video.trim() ? b.video.trim() : null,
      title: { standard: str(b.titleStandard, base.title.standard), easy: str(b.titleEasy, base.title.easy) },
      body: { standard: str(b.bodyStandard, base.body.standard), easy: str(b.bodyEasy, base.body.easy) },
    };
  }

  return {
    show: (req: Request, res: Response) => render(req, res),

    async add(req: Request, res: Response) {
      const slug = slugOf(req);
      const form = parseForm(newLessonSchema, req.body);
      if (!form.ok) throw badRequest('authoring:errors.titleRequired');
      const draft = await authoring.openDraft(slug, signedInUser(req).id);
      const id = await authoring.addLesson(draft, form.data.titleStandard, signedInUser(req).id);
      res.redirect(303, paths.authoringLesson(slug, id));
    },

    async save(req: Request, res: Response) {
      const slug = slugOf(req);
      const draft = await authoring.openDraft(slug, signedInUser(req).id);
      const stored = draft.content.lessons.find((l) => l.id === lessonOf(req));
      if (!stored) throw notFound('courses:errors.lessonNotFound');
      const lesson = typed(req, stored);
      // "Förhandsgranska" without JavaScript: show the typed text rendered, save nothing.
      if (bodyOf(req).action === 'preview')
        return render(req, res, { lesson, notice: 'authoring:lesson.previewNotSaved' });
      const form = parseForm(lessonSchema, req.body);
      if (!form.ok) return render(req, res, { status: 400, lesson, errors: form.errors });
      try {
        await authoring.saveLesson(draft, stored.id, form.data, signedInUser(req).id);
      } catch (error) {
        if (error instanceof DraftConflictError)
          return render(req, res, {
            status: 409,
            lesson,
            conflict: error.current,
            draftOverride: error.current,
          });
        throw error;
      }
      res.redirect(303, `${paths.authoringLesson(slug, stored.id)}?sparat=1`);
    },

    async move(req: Request, res: Response) {
      const draft = await authoring.openDraft(slugOf(req), signedInUser(req).id);
      if (bodyOf(req).action === 'remove') {
        const lesson = draft.content.lessons.find((l) => l.id === lessonOf(req));
        if (!lesson) throw notFound('courses:errors.lessonNotFound');
        const confirmed = confirmedOrAsk(req, res, {
          title: req.t('authoring:lesson.confirmRemoveTitle', { title: lesson.title.standard }),
          consequence: req.t('authoring:lesson.confirmRemove'),
          confirmLabel: req.t('authoring:lesson.confirmRemoveButton'),
          backHref: `${paths.authoringCourse(slugOf(req))}#lektioner`,
        });
        if (!confirmed) return;
        await authoring.removeLesson(draft, lessonOf(req), signedInUser(req).id);
      } else
        await authoring.moveLesson(
          draft,
          lessonOf(req),
          bodyOf(req).direction === 'up' ? 'up' : 'down',
          signedInUser(req).id,
        );
      res.redirect(303, `${paths.authoringCourse(slugOf(req))}#lektioner`);
    },

    async addImage(req: Request, res: Response) {
      const slug = slugOf(req);
      const draft = await authoring.openDraft(slug, signedInUser(req).id);
      const lesson = draft.content.lessons.find((l) => l.id === lessonOf(req));
      if (!lesson) throw notFound('courses:errors.lessonNotFound');
      const errors: FieldErrors = {};
      const altStandard = textField(bodyOf(req).altStandard).trim();
      const altEasy = textField(bodyOf(req).altEasy).trim();
      if (!altStandard) errors.altStandard = 'authoring:image.altRequired';
      if (!altEasy) errors.altEasy = 'authoring:image.altRequired';
      const file = req.file;
      if (!file) errors.image = 'authoring:image.fileRequired';
      else if (!IMAGE_TYPES[file.mimetype] || !looksLikeImage(file.mimetype, file.buffer))
        errors.image = 'authoring:image.wrongType';
      const svgProblem =
        file?.mimetype === 'image/svg+xml' && !errors.image ? unsafeSvg(file.buffer.toString('utf8')) : null;
      if (svgProblem) errors.image = 'authoring:image.unsafeSvg';
      if (!file || Object.keys(errors).length) return render(req, res, { status: 400, errors, svgProblem });
      await authoring.addImage(
        draft,
        lesson.id,
        { bytes: file.buffer, contentType: file.mimetype },
        { standard: altStandard, easy: altEasy },
        signedInUser(req).id,
      );
      res.redirect(303, `${paths.authoringLesson(slug, lesson.id)}?sparat=1`);
    },

    async comment(req: Request, res: Response) {
      const view = await viewDraft(authoring, req, slugOf(req));
      if (bodyOf(req).action === 'resolve') {
        if (!canEditCourses(req.user)) throw badRequest();
        const id = idParam(textField(bodyOf(req).commentId));
        if (!id || !(await comments.resolve(view.courseId, id, signedInUser(req).id))) throw notFound();
      } else {
        const form = parseForm(commentSchema, req.body);
        if (!form.ok) return render(req, res, { status: 400, errors: form.errors });
        if (!view.content.lessons.some((l) => l.id === lessonOf(req)))
          throw notFound('courses:errors.lessonNotFound');
        await comments.add(view.courseId, lessonOf(req), signedInUser(req).id, form.data.body);
      }
      res.redirect(303, `${paths.authoringLesson(slugOf(req), lessonOf(req))}#kommentarer`);
    },

    /** Live preview for the editor's script: the Markdown rendered as learners see it, and its readability. */
    async preview(req: Request, res: Response) {
      const slug = textField(bodyOf(req).slug);
      const view = await viewDraft(authoring, req, slug);
      const standard = textField(bodyOf(req).standard);
      const easy = textField(bodyOf(req).easy);
      const seen = asLearnersSee(standard, easy, view.content.images);
      res.json({ ...seen.preview, readability: seen.readability });
    },

    tooLarge() {
      throw payloadTooLarge('authoring:image.tooLarge');
    },
  };
}
