/** The short evaluation after a completed course: two statements on a 4-step scale and a comment. */
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { CoursesRepository } from '../courses/courses-repository';
import type { EnrolmentsRepository } from '../courses/enrolments-repository';
import { notFound } from '../http/errors';
import { paths } from '../http/paths';
import { parseForm, type FieldErrors } from '../http/validation';
import { evaluationSchema } from './evaluations-validation';

/** The scale of the region's course follow-up (DOMAIN.md), 4 = agrees completely. */
export const SCALE = [4, 3, 2, 1] as const;

export function evaluationsController(deps: {
  db: Knex;
  courses: CoursesRepository;
  enrolments: EnrolmentsRepository;
}) {
  const { db, courses, enrolments } = deps;

  async function context(req: Request) {
    const version = await courses.latestBySlug(String(req.params.slug));
    if (!version) throw notFound('courses:errors.courseNotFound');
    const enrolment = await enrolments.enrolmentAwaitingEvaluation(req.user!.id, version.courseId);
    return { version, enrolment };
  }

  const render = (
    req: Request,
    res: Response,
    status: number,
    version: { content: { slug: string; title: Record<string, string> } },
    values: Record<string, string>,
    errors: FieldErrors,
  ) => {
    res.status(status).render('evaluations/form', {
      title: req.t('evaluations:title'),
      slug: version.content.slug,
      courseTitle: version.content.title[req.user!.contentVariant],
      scale: SCALE,
      values,
      errors,
    });
  };

  return {
    async show(req: Request, res: Response) {
      const { version, enrolment } = await context(req);
      if (!enrolment) {
        res.redirect(paths.course(version.content.slug));
        return;
      }
      render(req, res, 200, version, {}, {});
    },

    async save(req: Request, res: Response) {
      const { version, enrolment } = await context(req);
      // Already answered (a double click, or a second tab): nothing to save twice.
      if (!enrolment) {
        res.redirect(303, `${paths.course(version.content.slug)}?tack=1`);
        return;
      }
      const form = parseForm(evaluationSchema, req.body);
      if (!form.ok) {
        render(req, res, 400, version, req.body ?? {}, form.errors);
        return;
      }
      await db('evaluations')
        .insert({
          enrolment_id: enrolment.id,
          useful: form.data.useful,
          matches_description: form.data.matchesDescription,
          comment: form.data.comment || null,
        })
        .onConflict('enrolment_id')
        .ignore();
      res.redirect(303, `${paths.course(version.content.slug)}?tack=1`);
    },
  };
}
