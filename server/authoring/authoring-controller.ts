/** The authoring pages of a course: list, new course, overview, facts, publish, history, import/export, reviewers. */
import type { Request, Response } from 'express';
import { applyRegion, toTemplate } from '../courses/region';
import type { Knex } from 'knex';
import { canEditCourses, canReadDraft } from '../auth/types';
import type { CoursesRepository } from '../courses/courses-repository';
import { lessonReadability } from '../courses/content-import';
import type { CourseContent } from '../courses/types';
import { AREAS } from '../courses/types';
import { badRequest, forbidden, HttpError } from '../http/errors';
import { paths } from '../http/paths';
import { idParam, parseForm, type FieldErrors } from '../http/validation';
import type { AuthoringService } from './authoring-service';
import { factsSchema, newCourseSchema, publishSchema } from './authoring-validation';
import type { CommentsRepository } from './comments-repository';
import { CourseZipError } from './course-folder';
import { describeChanges } from './draft-checks';
import { editChanges, type AuditEdit } from './history-text';
import type { DraftsRepository } from './drafts-repository';
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

export function authoringController(deps: {
  db: Knex;
  authoring: AuthoringService;
  drafts: DraftsRepository;
  comments: CommentsRepository;
  courses: CoursesRepository;
}) {
  const { db, authoring, drafts, comments } = deps;
  const slugOf = (req: Request) => String(req.params.slug);

  async function renderCourse(
    req: Request,
    res: Response,
    status = 200,
    extra: Record<string, unknown> = {},
  ) {
    const view = await viewDraft(authoring, req, slugOf(req));
    const check = view.draft && canEditCourses(req.user) ? await authoring.publishProblems(view.draft) : null;
    const reviewers = await db('permissions as p')
      .join('users as u', 'u.id', 'p.user_id')
      .where({ 'p.kind': 'reviewer', 'p.course_id': view.courseId })
      .select('u.id', 'u.name', 'u.email');
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
      const courseRows = await db('courses as c')
        .leftJoin('course_drafts as d', 'd.course_id', 'c.id')
        .leftJoin('users as u', 'u.id', 'd.updated_by')
        .select('c.id', 'c.slug', 'd.updated_at as draft_updated_at', 'u.name as draft_updated_by')
        .select(db.raw('(select max(version) from course_versions v where v.course_id = c.id) as version'))
        .select(
          db.raw(
            "coalesce(d.content->'title'->>'standard', (select content->'title'->>'standard' from course_versions v where v.course_id = c.id order by version desc limit 1)) as title",
          ),
        )
        .orderBy('c.slug');
      const visible = courseRows.filter((c: { id: number }) => canReadDraft(req.user, c.id));
      res.render('authoring/index', {
        title: req.t('authoring:index.title'),
        courses: visible,
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
        const courseRows = await db('courses').select('id', 'slug').orderBy('slug');
        res.render('authoring/index', {
          title: req.t('authoring:index.title'),
          courses: courseRows,
          areas: AREAS,
          canEdit: true,
          values: req.body ?? {},
          errors,
        });
      };
      if (!form.ok) return renderIndex(400, form.errors);
      const outcome = await authoring.createCourse(
        form.data.slug,
        form.data.area,
        form.data.titleStandard,
        req.user!.id,
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
      const draft = await authoring.openDraft(slug, req.user!.id);
      const render = (status: number, errors: FieldErrors, conflict: Draft | null) => {
        res.status(status).render('authoring/facts', {
          title: req.t('authoring:facts.title'),
          slug,
          courseId: draft.courseId,
          draft,
          content: conflict?.content ?? draft.content,
          revisions: (conflict ?? draft).revisions,
          values: req.body,
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
        await authoring.saveFacts(draft, form.data, req.user!.id);
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
      if (!form.ok) return renderCourse(req, res, 400, { values: req.body, errors: form.errors });
      const draft = await authoring.findDraft(slug);
      if (!draft) throw badRequest('authoring:errors.noDraft');
      // The page showed the draft as of this time; publishing something else would surprise.
      const shownAt = Number(req.body?.draftUpdatedAt);
      if (shownAt !== draft.updatedAt.getTime())
        throw new HttpError(409, 'authoring:errors.changedSincePreview');
      const result = await authoring.publish(
        draft,
        form.data.changeNote,
        form.data.significant,
        req.user!.id,
      );
      if (!result.ok)
        return renderCourse(req, res, 400, {
          values: req.body,
          errors: { changeNote: 'authoring:errors.notReady' },
        });
      res.redirect(303, `${paths.authoringCourse(slug)}?publicerad=${result.version}`);
    },

    async discard(req: Request, res: Response) {
      await authoring.discard(slugOf(req), req.user!.id);
      res.redirect(303, paths.authoringCourse(slugOf(req)));
    },

    async history(req: Request, res: Response) {
      const view = await viewDraft(authoring, req, slugOf(req));
      const versions = await db('course_versions as v')
        .leftJoin('users as u', 'u.id', 'v.published_by')
        .where('v.course_id', view.courseId)
        .orderBy('v.version')
        .select(
          'v.version',
          'v.content',
          'v.published_at',
          'v.change_note',
          'v.significant',
          'v.source',
          'u.name as published_by',
        );
      const items = versions
        .map((v: { content: CourseContent }, i: number) => ({
          ...v,
          changes: describeChanges(i > 0 ? versions[i - 1].content : null, v.content),
        }))
        .reverse();
      const edits = await db('audit_log as a')
        .leftJoin('users as u', 'u.id', 'a.actor_id')
        .where('a.subject', `course:${view.courseId}`)
        .orderBy('a.id', 'desc')
        .limit(50)
        .select('a.action', 'a.details', 'a.at', 'u.name');
      const described = edits.map((e: AuditEdit & { at: Date; name: string | null }) => ({
        ...e,
        changes: editChanges(e, view.content),
      }));
      res.render('authoring/history', {
        title: req.t('authoring:history.title'),
        ...view,
        items,
        edits: described,
        canEdit: canEditCourses(req.user),
      });
    },

    async restore(req: Request, res: Response) {
      const version = idParam(req.body?.version);
      if (version === null) throw badRequest();
      await authoring.restore(slugOf(req), version, req.user!.id);
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
        const result = await authoring.importZip(file.buffer, req.user!.id);
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
      if (req.body?.action === 'remove') {
        const userId = idParam(req.body.userId);
        if (userId === null) throw badRequest();
        await db('permissions').where({ kind: 'reviewer', course_id: courseId, user_id: userId }).delete();
        res.redirect(303, `${paths.authoringCourse(slug)}#granskare`);
        return;
      }
      const email = String(req.body?.email ?? '').trim();
      const user = email
        ? await db('users').whereRaw('lower(email) = lower(?)', [email]).whereNull('disabled_at').first('id')
        : null;
      if (!user)
        return renderCourse(req, res, 400, {
          values: req.body,
          errors: { email: 'authoring:errors.reviewerUnknown' },
        });
      await db('permissions')
        .insert({ user_id: user.id, kind: 'reviewer', course_id: courseId })
        .onConflict(
          db.raw(
            '(user_id, kind, coalesce(organisation_id, 0), coalesce(unit_id, 0), coalesce(course_id, 0))',
          ),
        )
        .ignore();
      await db('audit_log').insert({
        actor_id: req.user!.id,
        action: 'reviewer.add',
        subject: `course:${courseId}`,
        details: JSON.stringify({ userId: user.id }),
      });
      res.redirect(303, `${paths.authoringCourse(slug)}#granskare`);
    },

    drafts,
  };
}
