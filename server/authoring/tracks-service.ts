/** Role tracks edited in the browser, with the effect shown before saving. */
import type { AuditService } from '../audit/audit-service';
import type { AuthService } from '../auth/auth-service';
import type { PublishingService } from '../courses/publishing-service';
import type { InTransaction } from '../db/transaction';

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

/** A job role as the organisations feature lists it. */
export interface JobRoleName {
  id: string;
  name: { sv: string; en: string };
}

export function tracksService(deps: {
  transaction: InTransaction;
  audit: AuditService;
  /** The courses feature owns the tracks (track_courses) and the courses in them. */
  publishing: Pick<PublishingService, 'trackRows' | 'replaceTrack' | 'listPublished'>;
  people: Pick<AuthService, 'countActiveByJobRole'>;
  jobRoles: { list(): Promise<JobRoleName[]> };
}) {
  const { transaction, audit, publishing, people } = deps;

  async function current(): Promise<TrackPlan> {
    const plan: TrackPlan = { requirements: new Map(), repeatMonths: new Map() };
    for (const r of await publishing.trackRows()) {
      const role = plan.requirements.get(r.jobRole) ?? new Map<number, Requirement>();
      plan.requirements.set(r.jobRole, role.set(r.courseId, r.requirement));
      if (r.repeatMonths) plan.repeatMonths.set(r.jobRole, r.repeatMonths);
    }
    return plan;
  }

  return {
    current,

    roles: () => deps.jobRoles.list(),

    /** The courses a track can hold: every published course that is not retired, with its title. */
    async courses(): Promise<{ id: number; slug: string; title: string }[]> {
      return (await publishing.listPublished()).map((v) => ({
        id: v.courseId,
        slug: v.content.slug,
        title: v.content.title.standard,
      }));
    },

    /** For each role: which courses become required or stop being so, and how many active people hold the role. */
    async effect(plan: TrackPlan): Promise<TrackEffect[]> {
      const before = await current();
      const counts = await people.countActiveByJobRole();
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
          effects.push({ jobRole: role, newlyRequired, noLongerRequired, people: counts.get(role) ?? 0 });
      }
      return effects;
    },

    /** Replaces every track with the plan, in one transaction, and logs who did it. */
    async save(plan: TrackPlan, userId: number): Promise<void> {
      await transaction(async (trx) => {
        for (const [role, courses] of plan.requirements) {
          const rows = [...courses]
            .filter((entry): entry is [number, 'required' | 'recommended'] => entry[1] !== 'none')
            .sort(([, a], [, b]) => (a === b ? 0 : a === 'required' ? -1 : 1))
            .map(([courseId, requirement], position) => ({
              courseId,
              requirement,
              repeatMonths: requirement === 'required' ? (plan.repeatMonths.get(role) ?? 12) : null,
              position,
            }));
          await publishing.replaceTrack(role, rows, trx);
        }
        await audit.record(
          {
            actorId: userId,
            action: 'tracks.update',
            subject: 'tracks',
            details: { roles: [...plan.requirements.keys()] },
          },
          trx,
        );
      });
    },
  };
}

export type TracksService = ReturnType<typeof tracksService>;
