/**
 * Everything a learner's course page, lesson page or quiz intro needs to know about their progress in one
 * course, in one query: the course's newest version (its id; the content is kept in memory), the open
 * enrolment with its lessons done, the newest completion and the course's place in the person's role track.
 */
import type { Knex } from 'knex';
import { prepared } from '../db/prepared';
import type { TrackEntry } from './courses-repository';
import { toCompletion, type Completion, type Enrolment } from './enrolments-repository';

export interface ProgressFacts {
  latestVersionId: number;
  courseId: number;
  enrolment: Enrolment | null;
  done: Set<string>;
  latestCompletion: Completion | null;
  track: TrackEntry | null;
}

interface FactsRow {
  version_id: number;
  course_id: number;
  e_id: number | null;
  e_version_id: number;
  e_started_at: Date;
  e_done: string[];
  c_id: number | null;
  c_enrolment_id: number | null;
  c_kind: Completion['kind'];
  c_completed_at: Date;
  c_valid_until: Date;
  c_verification_code: string;
  t_requirement: TrackEntry['requirement'] | null;
  t_repeat_months: number | null;
}

export function progressRepository(db: Knex) {
  return {
    /** Null when no course that is not retired has the slug. */
    async factsFor(userId: number, jobRole: string | null, slug: string): Promise<ProgressFacts | null> {
      const { rows } = await prepared(
        'progress-facts',
        db.raw<{ rows: FactsRow[] }>(
          `select v.id as version_id, v.course_id,
           e.id as e_id, e.course_version_id as e_version_id, e.started_at as e_started_at,
           (select coalesce(array_agg(p.lesson_id), '{}') from lesson_progress p where p.enrolment_id = e.id) as e_done,
           cp.id as c_id, cp.enrolment_id as c_enrolment_id, cp.kind as c_kind, cp.completed_at as c_completed_at,
           cp.valid_until as c_valid_until, cp.verification_code as c_verification_code,
           t.requirement as t_requirement, t.repeat_months as t_repeat_months
         from courses c
         join course_versions v on v.course_id = c.id and v.version = (select max(version) from course_versions where course_id = c.id)
         left join enrolments e on e.user_id = ? and e.course_id = c.id and e.completed_at is null
         left join lateral (select * from completions where user_id = ? and course_id = c.id order by completed_at desc limit 1) cp on true
         left join track_courses t on t.job_role = ? and t.course_id = c.id
         where c.slug = ? and c.retired_at is null`,
          [userId, userId, jobRole, slug],
        ),
      );
      const r = rows.at(0);
      if (!r) return null;
      return {
        latestVersionId: r.version_id,
        courseId: r.course_id,
        enrolment:
          r.e_id === null
            ? null
            : {
                id: r.e_id,
                userId,
                courseId: r.course_id,
                courseVersionId: r.e_version_id,
                startedAt: r.e_started_at,
                completedAt: null,
              },
        done: new Set<string>(r.e_id === null ? [] : r.e_done),
        latestCompletion:
          r.c_id === null
            ? null
            : toCompletion({
                id: r.c_id,
                user_id: userId,
                course_id: r.course_id,
                enrolment_id: r.c_enrolment_id,
                kind: r.c_kind,
                completed_at: r.c_completed_at,
                valid_until: r.c_valid_until,
                verification_code: r.c_verification_code,
              }),
        track:
          r.t_requirement === null
            ? null
            : { courseId: r.course_id, slug, requirement: r.t_requirement, repeatMonths: r.t_repeat_months },
      };
    },
  };
}

export type ProgressRepository = ReturnType<typeof progressRepository>;
