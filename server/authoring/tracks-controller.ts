/** Editing the role tracks in the browser: see the effect (who gets a new required course) before saving. */
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { JobRolesRepository } from '../organisations/job-roles-repository';
import { paths } from '../http/paths';
import type { Requirement, TrackPlan, TracksService } from './tracks-service';

export function tracksController(deps: { db: Knex; tracks: TracksService; jobRoles: JobRolesRepository }) {
  const { db, tracks, jobRoles } = deps;

  async function courseList() {
    return db('courses as c')
      .whereNull('c.retired_at')
      .whereExists(db('course_versions as v').whereRaw('v.course_id = c.id'))
      .orderBy('c.slug')
      .select(
        'c.id',
        'c.slug',
        db.raw(
          "(select content->'title'->>'standard' from course_versions v where v.course_id = c.id order by version desc limit 1) as title",
        ),
      );
  }

  /** Reads the form: `req-<role>-<courseId>` = required | recommended | none, `repeat-<role>` = months. */
  function planFromForm(
    body: Record<string, unknown>,
    roles: string[],
    courseIds: number[],
  ): { plan: TrackPlan; invalid: string[] } {
    const plan: TrackPlan = { requirements: new Map(), repeatMonths: new Map() };
    const invalid: string[] = [];
    for (const role of roles) {
      const map = new Map<number, Requirement>();
      for (const id of courseIds) {
        const value = body[`req-${role}-${id}`];
        map.set(id, value === 'required' || value === 'recommended' ? value : 'none');
      }
      plan.requirements.set(role, map);
      const months = Number(body[`repeat-${role}`]);
      if (!Number.isInteger(months) || months < 1 || months > 120) invalid.push(role);
      else plan.repeatMonths.set(role, months);
    }
    return { plan, invalid };
  }

  async function render(
    req: Request,
    res: Response,
    status: number,
    plan: TrackPlan,
    extra: Record<string, unknown> = {},
  ) {
    res.status(status).render('authoring/tracks', {
      title: req.t('authoring:tracks.title'),
      roles: await jobRoles.list(),
      courses: await courseList(),
      plan,
      effects: null,
      invalid: [],
      saved: req.query.sparat === '1',
      ...extra,
    });
  }

  return {
    async show(req: Request, res: Response) {
      await render(req, res, 200, await tracks.current());
    },

    async save(req: Request, res: Response) {
      const roles = (await jobRoles.list()).map((r) => r.id);
      const courses = await courseList();
      const { plan, invalid } = planFromForm(
        req.body ?? {},
        roles,
        courses.map((c: { id: number }) => c.id),
      );
      if (invalid.length) return render(req, res, 400, plan, { invalid });
      if (req.body?.action !== 'save') {
        // First the effect, then the choice to save it.
        return render(req, res, 200, plan, { effects: await tracks.effect(plan) });
      }
      await tracks.save(plan, req.user!.id);
      res.redirect(303, `${paths.authoringTracks}?sparat=1`);
    },
  };
}
