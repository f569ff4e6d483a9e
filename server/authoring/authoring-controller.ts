/** The authoring pages of a course: list, new course, overview, facts, publish, history, import/export, reviewers. */
import type { Request, Response } from 'express';
import { applyRegion, toTemplate } from '../courses/region';
import { signedInUser } from '../auth/policy';
import { canEditCourses, canReadDraft } from '../auth/types';
import { lessonReadability } from '../courses/content-import';
import type { CourseContent } from '../courses/types';
import { AREAS } from '../courses/types';
import { badRequest, forbidden, HttpError } from '../http/errors';
import { paths } from '../http/paths';
import { idParam, parseForm, type FieldErrors } from '../http/validation';
import type { AuthoringCourse, AuthoringService } from './authoring-service';
import { factsSchema, newCourseSchema, publishSchema } from './authoring-validation';
import type { CommentsRepository } from './comments-repository';
import { CourseZipError } from './course-folder';
import { DraftConflictError, type Draft } from './types';

export interface DraftView {
  slug: string;
  courseId: number;
  draft: Draft | null;
  content: CourseContent;
  revisions: Record<string, number>;
  latestVersion: number | null;
}

/** What an authoring page shows: the draft if there is one, else the newest published version. */
export async function viewDraft(authoring: AuthoringService, req: Request, slug: string): Promise<DraftView> {
  const courseId = await authoring.courseId(slug);
  if (!canReadDraft(req.user, courseId)) throw forbidden('authoring:errors.notAllowed');
  const draft = await authoring.findDraft(slug);
  const latest = await authoring.latestVersion(courseId);
  // Without a draft the editors show the newest version as written: {{region:KEY}}, not the region's value.
  const content = draft?.content ?? (latest ? toTemplate(latest.content) : undefined);
  if (!content) throw new HttpError(404, 'courses:errors.courseNotFound');
  return {
    slug,
    courseId,
    draft,
    content,
    revisions: draft?.revisions ?? {},
    latestVersion: latest?.version ?? null,
  };
}

/** The posted form's fields (urlencoded: strings and arrays of strings). */
export const bodyOf = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/** A text field of the form, '' when missing or not text. */
export const textField = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A course of the authoring list as the page names its fields. */
const listed = (c: AuthoringCourse) => ({
  id: c.id,
  slug: c.slug,
  title: c.title,
  version: c.version,
  draft_updated_at: c.draftUpdatedAt,
  draft_updated_by: c.draftUpdatedBy,
});

export function authoringController(deps: {
  authoring: AuthoringService;
  comments: Pick<CommentsRepository, 'openCounts'>;
}) {
  const { authoring, comments } = deps;
  const slugOf = (req: Request) => String(req.params.slug);

  async function renderCourse(
    req: Request,
    res: Response,
    status = 200,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewDraft(authoring, req, slugOf(req));
    const check = view.draft && canEditCourses(req.user) ? await authoring.publishProblems(view.draft) : null;
    const reviewers = await authoring.reviewers(view.courseId);
    res.status(status).render('authoring/course', {
      title: view.content.title.standard || view.slug,
      ...view,
      // LIX as learners will read it: with the region's values in place of {{region:KEY}}.
      readability: lessonReadability(applyRegion(view.content, authoring.region())),
      openComments: await comments.openCounts(view.courseId),
      check,
      reviewers,
      canEdit: canEditCourses(req.user),
      values: {},
      errors: {},
      ...extra,
    });
  }

  return {
    renderCourse,

    async index(req: Request, res: Response) {
      const visible = (await authoring.courseList()).filter((c) => canReadDraft(req.user, c.id));
      res.render('authoring/index', {
        title: req.t('authoring:index.title'),
        courses: visible.map(listed),
        areas: AREAS,
        canEdit: canEditCourses(req.user),
        values: {},
        errors: {},
      });
    },

    async createCourse(req: Request, res: Response) {
      const form = parseForm(newCourseSchema, req.body);
      const renderIndex = async (status: number, errors: FieldErrors) => {
        res.status(status);
        const courseList = await authoring.courseList();
        res.render('authoring/index', {
          title: req.t('authoring:index.title'),
          courses: courseList.map(listed),
          areas: AREAS,
          canEdit: true,
          values: bodyOf(req),
          errors,
        });
      };
      if (!form.ok) return renderIndex(400, form.errors);
      const outcome = await authoring.createCourse(
        form.data.slug,
        form.data.area,
        form.data.titleStandard,
        signedInUser(req).id,
      );
      if (outcome === 'taken') return renderIndex(409, { slug: 'authoring:errors.slugTaken' });
      res.redirect(303, paths.authoringCourse(form.data.slug));
    },

    course: (req: Request, res: Response) => renderCourse(req, res),

    async facts(req: Request, res: Response) {
      const view = await viewDraft(authoring, req, slugOf(req));
      res.render('authoring/facts', {
        title: req.t('authoring:facts.title'),
        ...view,
        values: null,
        errors: {},
        conflict: null,
        areas: AREAS,
      });
    },

    async saveFacts(req: Request, res: Response) {
      const slug = slugOf(req);
      const form = parseForm(factsSchema, req.body);
      const draft = await authoring.openDraft(slug, signedInUser(req).id);
      const render = (status: number, errors: FieldErrors, conflict: Draft | null) => {
        res.status(status).render('authoring/facts', {
          title: req.t('authoring:facts.title'),
          slug,
          courseId: draft.courseId,
          draft,
          content: conflict?.content ?? draft.content,
          revisions: (conflict ?? draft).revisions,
          values: bodyOf(req),
          errors,
          conflict,
          areas: AREAS,
        });
      };
      if (!form.ok) {
        render(400, form.errors, null);
        return;
      }
      try {
        await authoring.saveFacts(draft, form.data, signedInUser(req).id);
      } catch (error) {
        if (error instanceof DraftConflictError) {
          render(409, {}, error.current);
          return;
        }
        throw error;
      }
      res.redirect(303, `${paths.authoringCourse(slug)}?sparat=1`);
    },

    async publish(req: Request, res: Response) {
      const slug = slugOf(req);
      const form = parseForm(publishSchema, req.body);
      if (!form.ok) return renderCourse(req, res, 400, { values: bodyOf(req), errors: form.errors });
      const draft = await authoring.findDraft(slug);
      if (!draft) throw badRequest('authoring:errors.noDraft');
      // The page showed the draft as of this time; publishing something else would surprise.
      const shownAt = Number(textField(bodyOf(req).draftUpdatedAt));
      if (shownAt !== draft.updatedAt.getTime())
        throw new HttpError(409, 'authoring:errors.changedSincePreview');
      const result = await authoring.publish(
        draft,
        form.data.changeNote,
        form.data.significant,
        signedInUser(req).id,
      );
      if (!result.ok)
        return renderCourse(req, res, 400, {
          values: bodyOf(req),
          errors: { changeNote: 'authoring:errors.notReady' },
        });
      res.redirect(303, `${paths.authoringCourse(slug)}?publicerad=${result.version}`);
    },

    async discard(req: Request, res: Response) {
      await authoring.discard(slugOf(req), signedInUser(req).id);
      res.redirect(303, paths.authoringCourse(slugOf(req)));
    },

    async history(req: Request, res: Response) {
      const view = await viewDraft(authoring, req, slugOf(req));
      const history = await authoring.history(view.courseId, view.content);
      // The page's names for the fields.
      const items = history.versions.map((v) => ({
        version: v.version,
        content: v.content,
        published_at: v.publishedAt,
        change_note: v.changeNote,
        significant: v.significant,
        source: v.source,
        published_by: v.publishedByName,
        changes: v.changes,
      }));
      const described = history.edits.map((e) => ({ ...e, name: e.actorName }));
      res.render('authoring/history', {
        title: req.t('authoring:history.title'),
        ...view,
        items,
        edits: described,
        canEdit: canEditCourses(req.user),
      });
    },

    async restore(req: Request, res: Response) {
      const version = idParam(bodyOf(req).version);
      if (version === null) throw badRequest();
      await authoring.restore(slugOf(req), version, signedInUser(req).id);
      res.redirect(303, `${paths.authoringCourse(slugOf(req))}?aterstalld=${version}`);
    },

    async exportZip(req: Request, res: Response) {
      const slug = slugOf(req);
      await viewDraft(authoring, req, slug);
      const zip = await authoring.exportZip(slug);
      res.set({
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${slug}.zip"`,
        'Cache-Control': 'no-store',
      });
      res.send(zip);
    },

    async importZip(req: Request, res: Response) {
      const file = req.file;
      const renderProblems = (status: number, problems: string[]) => {
        res
          .status(status)
          .render('authoring/import-result', { title: req.t('authoring:import.title'), problems });
      };
      if (!file) {
        renderProblems(400, [req.t('authoring:import.noFile')]);
        return;
      }
      try {
        const result = await authoring.importZip(file.buffer, signedInUser(req).id);
        if (!result.ok) {
          renderProblems(422, result.problems);
          return;
        }
        res.redirect(303, `${paths.authoringCourse(result.slug)}?importerad=1`);
      } catch (error) {
        if (error instanceof CourseZipError) {
          renderProblems(error.status, [req.t(error.key, error.params)]);
          return;
        }
        throw error;
      }
    },

    async reviewers(req: Request, res: Response) {
      const slug = slugOf(req);
      const courseId = await authoring.courseId(slug);
      const body = bodyOf(req);
      if (body.action === 'remove') {
        const userId = idParam(body.userId);
        if (userId === null) throw badRequest();
        await authoring.removeReviewer(courseId, userId, signedInUser(req).id);
        res.redirect(303, `${paths.authoringCourse(slug)}#granskare`);
        return;
      }
      const email = typeof body.email === 'string' ? body.email.trim() : '';
      if ((await authoring.addReviewer(courseId, email, signedInUser(req).id)) === 'unknown')
        return renderCourse(req, res, 400, {
          values: body,
          errors: { email: 'authoring:errors.reviewerUnknown' },
        });
      res.redirect(303, `${paths.authoringCourse(slug)}#granskare`);
    },
  };
}
