/** The short evaluation after a completed course: two statements on a 4-step scale and a comment. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import type { Texts } from '../courses/types';
import { formBody } from '../http/body-parsing';
import { notFound } from '../http/errors';
import { paths } from '../http/paths';
import { parseForm, type FieldErrors } from '../http/validation';
import type { EvaluationsService } from './evaluations-service';
import { evaluationSchema } from './evaluations-validation';

/** The scale of the region's course follow-up (DOMAIN.md), 4 = agrees completely. */
export const SCALE = [4, 3, 2, 1] as const;

/** The submitted fields as strings, to show the form again as it was sent. */
function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (typeof body === 'object' && body !== null)
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') values[key] = value;
  return values;
}

export function evaluationsController(deps: { evaluationsService: EvaluationsService }) {
  const evaluations = deps.evaluationsService;

  async function context(req: Request) {
    const slug = req.params.slug;
    const found = await evaluations.awaiting(signedInUser(req).id, typeof slug === 'string' ? slug : '');
    if (!found) throw notFound('courses:errors.courseNotFound');
    return found;
  }

  const render = (
    req: Request,
    res: Response,
    status: number,
    course: { slug: string; title: Texts },
    values: Record<string, string>,
    errors: FieldErrors,
  ) => {
    res.status(status).render('evaluations/form', {
      title: req.t('evaluations:title'),
      slug: course.slug,
      courseTitle: course.title[signedInUser(req).contentVariant],
      scale: SCALE,
      values,
      errors,
    });
  };

  return {
    async show(req: Request, res: Response) {
      const { course, enrolmentId } = await context(req);
      if (enrolmentId === null) {
        res.redirect(paths.course(course.slug));
        return;
      }
      render(req, res, 200, course, {}, {});
    },

    async save(req: Request, res: Response) {
      const { course, enrolmentId } = await context(req);
      // Already answered (a double click, or a second tab): nothing to save twice.
      if (enrolmentId === null) {
        res.redirect(303, `${paths.course(course.slug)}?tack=1`);
        return;
      }
      const form = parseForm(evaluationSchema, req.body);
      if (!form.ok) {
        render(req, res, 400, course, formValues(formBody(req)), form.errors);
        return;
      }
      await evaluations.save(enrolmentId, {
        useful: form.data.useful,
        matchesDescription: form.data.matchesDescription,
        comment: form.data.comment || null,
      });
      res.redirect(303, `${paths.course(course.slug)}?tack=1`);
    },
  };
}
