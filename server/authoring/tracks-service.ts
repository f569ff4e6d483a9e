/** Role tracks edited in the browser, with the effect shown before saving. */
import type { Knex } from 'knex';

export type Requirement = 'required' | 'recommended' | 'none';

export interface TrackPlan {
  /** job role → course id → requirement */
  requirements: Map<string, Map<number, Requirement>>;
  /** job role → repetition interval in months */
  repeatMonths: Map<string, number>;
}

export interface TrackEffect {
  jobRole: string;
  newlyRequired: number[];
  noLongerRequired: number[];
  people: number;
}

export function tracksService(db: Knex) {
  async function current(): Promise<TrackPlan> {
    const rows = await db('track_courses').select('job_role', 'course_id', 'requirement', 'repeat_months');
    const plan: TrackPlan = { requirements: new Map(), repeatMonths: new Map() };
    for (const r of rows as {
      job_role: string;
      course_id: number;
      requirement: Requirement;
      repeat_months: number | null;
    }[]) {
      if (!plan.requirements.has(r.job_role)) plan.requirements.set(r.job_role, new Map());
      plan.requirements.get(r.job_role)!.set(r.course_id, r.requirement);
      if (r.repeat_months) plan.repeatMonths.set(r.job_role, r.repeat_months);
    }
    return plan;
  }

  return {
    current,

    /** For each role: which courses become required or stop being so, and how many active people hold the role. */
    async effect(plan: TrackPlan): Promise<TrackEffect[]> {
      const before = await current();
      const people = new Map(
        (
          await db('users')
            .whereNull('disabled_at')
            .whereNotNull('job_role')
            .groupBy('job_role')
            .select('job_role')
            .count('* as n')
        ).map((r) => [String(r.job_role), Number(r.n)]),
      );
      const effects: TrackEffect[] = [];
      for (const [role, courses] of plan.requirements) {
        const old = before.requirements.get(role) ?? new Map<number, Requirement>();
        const newlyRequired = [...courses]
          .filter(([id, req]) => req === 'required' && old.get(id) !== 'required')
          .map(([id]) => id);
        const noLongerRequired = [...old]
          .filter(([id, req]) => req === 'required' && courses.get(id) !== 'required')
          .map(([id]) => id);
        if (newlyRequired.length || noLongerRequired.length)
          effects.push({ jobRole: role, newlyRequired, noLongerRequired, people: people.get(role) ?? 0 });
      }
      return effects;
    },

    /** Replaces every track with the plan, in one transaction, and logs who did it. */
    async save(plan: TrackPlan, userId: number): Promise<void> {
      await db.transaction(async (trx) => {
        for (const [role, courses] of plan.requirements) {
          await trx('track_courses').where({ job_role: role }).delete();
          const rows = [...courses]
            .filter(([, req]) => req !== 'none')
            .sort(([, a], [, b]) => (a === b ? 0 : a === 'required' ? -1 : 1))
            .map(([courseId, req], position) => ({
              job_role: role,
              course_id: courseId,
              requirement: req,
              repeat_months: req === 'required' ? (plan.repeatMonths.get(role) ?? 12) : null,
              position,
            }));
          if (rows.length) await trx('track_courses').insert(rows);
        }
        await trx('audit_log').insert({
          actor_id: userId,
          action: 'tracks.update',
          subject: 'tracks',
          details: JSON.stringify({ roles: [...plan.requirements.keys()] }),
        });
      });
    },
  };
}

export type TracksService = ReturnType<typeof tracksService>;
