/** Editing the role tracks in the browser: see the effect (who gets a new required course) before saving. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import { paths } from '../http/paths';
import type { Requirement, TrackPlan, TracksService } from './tracks-service';

export function tracksController(deps: { tracks: TracksService }) {
  const { tracks } = deps;

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
      roles: await tracks.roles(),
      courses: await tracks.courses(),
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
      const body = (req.body ?? {}) as Record<string, unknown>;
      const roles = (await tracks.roles()).map((r) => r.id);
      const courses = await tracks.courses();
      const { plan, invalid } = planFromForm(
        body,
        roles,
        courses.map((c) => c.id),
      );
      if (invalid.length) return render(req, res, 400, plan, { invalid });
      if (body.action !== 'save') {
        // First the effect, then the choice to save it.
        return render(req, res, 200, plan, { effects: await tracks.effect(plan) });
      }
      await tracks.save(plan, signedInUser(req).id);
      res.redirect(303, `${paths.authoringTracks}?sparat=1`);
    },
  };
}
