/**
 * Demo figures for the statistics (embedded mode only): staff in two Västerås units in every state of
 * their required courses, with quiz answers and evaluations, so manager@demo.test and educator@demo.test
 * see a dashboard. Runs once (marked by its first account); the regional views are refreshed by the job.
 */
import type { Knex } from 'knex';
import { usersFeature } from '../auth/auth-composition';
import type { Logger } from '../logger';

const DAY = 86_400_000;

interface Round {
  slug: string;
  completedDaysAgo?: number;
  startedDaysAgo: number;
  /** The completion expires this many days from now (instead of the course's validity). */
  validDays?: number;
  evaluation?: [number, number, string | null];
}

/** A demo person and their rounds of courses. */
interface Plan {
  email: string;
  name: string;
  unit: string;
  jobRole: string;
  rounds: Round[];
}

/** A round still open, started that many days ago. */
const open = (slug: string, startedDaysAgo: number): Round => ({ slug, startedDaysAgo });

/** A completed round, with its evaluation or an early expiry when the plan has one. */
const completed = (
  slug: string,
  startedDaysAgo: number,
  completedDaysAgo: number,
  more: Pick<Round, 'evaluation' | 'validDays'> = {},
): Round => ({ slug, startedDaysAgo, completedDaysAgo, ...more });

/** The demo staff of two units; everyone in a unit has its usual job role. */
const STAFF_BY_UNIT: { unit: string; jobRole: string; staff: Omit<Plan, 'unit' | 'jobRole'>[] }[] = [
  {
    unit: 'Personlig assistans Västerås',
    jobRole: 'personlig-assistent',
    staff: [
      {
        email: 'staff1@demo.test',
        name: 'Hanna Sjöberg',
        rounds: [
          completed('hjalpmedel-grunden', 90, 88, { evaluation: [4, 4, 'Bra exempel från verkligheten.'] }),
          completed('forflyttning', 80, 79, { evaluation: [4, 3, null] }),
        ],
      },
      {
        email: 'staff2@demo.test',
        name: 'Yusuf Abdi',
        rounds: [
          completed('hjalpmedel-grunden', 330, 325, { evaluation: [3, 4, 'Mer film hade varit bra.'] }),
          open('forflyttning', 6),
        ],
      },
      { email: 'staff3@demo.test', name: 'Linnea Berg', rounds: [completed('hjalpmedel-grunden', 420, 400)] },
      { email: 'staff4@demo.test', name: 'Goran Petrović', rounds: [] },
    ],
  },
  {
    unit: 'Vård- och omsorgsboende Karlsdal',
    jobRole: 'underskoterska',
    staff: [
      {
        email: 'staff5@demo.test',
        name: 'Ebba Lund',
        rounds: [
          completed('hjalpmedel-grunden', 40, 39, { evaluation: [2, 3, 'Lite mycket text.'] }),
          open('trycksar', 12),
        ],
      },
      {
        email: 'staff6@demo.test',
        name: 'Ahmed Said',
        rounds: [
          completed('hjalpmedel-grunden', 200, 199, { validDays: 20 }),
          completed('inkontinens', 150, 149, { evaluation: [4, 4, null] }),
        ],
      },
    ],
  },
];

const PLANS: Plan[] = STAFF_BY_UNIT.flatMap(({ unit, jobRole, staff }) =>
  staff.map((person) => ({ ...person, unit, jobRole })),
);

type IdRow = { id: number };

interface LatestVersionRow {
  id: number;
  slug: string;
  version_id: number;
  content: { questions: { id: string }[]; questionsPerAttempt: number };
}

export async function seedStatsDemoData(db: Knex, logger: Logger): Promise<void> {
  if (await db('users').where({ email: PLANS[0].email }).first<IdRow | undefined>('id')) return;
  const hash = (
    await db('users')
      .where({ email: 'learner@demo.test' })
      .first<{ password_hash: string | null } | undefined>('password_hash')
  )?.password_hash;
  if (!hash) return;
  const versions = await db('course_versions as v')
    .join('courses as c', 'c.id', 'v.course_id')
    .distinctOn('c.id')
    .orderBy([{ column: 'c.id' }, { column: 'v.version', order: 'desc' }])
    .select<LatestVersionRow[]>('c.id', 'c.slug', 'v.id as version_id', 'v.content');
  const bySlug = new Map(versions.map((v) => [v.slug, v]));
  const now = Date.now();
  const users = usersFeature(db);
  await db.transaction(async (trx) => {
    for (const plan of PLANS) {
      const unit = await trx('units').where({ name: plan.unit }).first<IdRow | undefined>('id');
      if (!unit) continue;
      const userId = await users.create(
        {
          email: plan.email,
          name: plan.name,
          passwordHash: hash,
          unitId: unit.id,
          jobRole: plan.jobRole,
          permissions: [{ kind: 'learner', organisationId: null, unitId: null }],
        },
        trx,
      );
      for (const [i, r] of plan.rounds.entries()) {
        const course = bySlug.get(r.slug);
        if (!course) continue;
        const startedAt = new Date(now - r.startedDaysAgo * DAY);
        const completedAt =
          r.completedDaysAgo === undefined ? null : new Date(now - r.completedDaysAgo * DAY);
        const [e] = await trx('enrolments')
          .insert({
            user_id: userId,
            course_id: course.id,
            course_version_id: course.version_id,
            started_at: startedAt,
            completed_at: completedAt,
          })
          .returning<IdRow[]>('id');
        if (!completedAt) continue;
        await trx('completions').insert({
          user_id: userId,
          course_id: course.id,
          course_version_id: course.version_id,
          enrolment_id: e.id,
          kind: 'elearning',
          completed_at: completedAt,
          valid_until: r.validDays
            ? new Date(now + r.validDays * DAY)
            : new Date(completedAt.getTime() + 365 * DAY),
          verification_code: `DEMO-${userId}-${i}`,
        });
        // One passed quiz attempt with every answer right but the first (which is why demo figures show a weak question).
        const questions = course.content.questions.slice(0, course.content.questionsPerAttempt);
        const [a] = await trx('quiz_attempts')
          .insert({
            enrolment_id: e.id,
            number: 1,
            questions: JSON.stringify(questions.map((q) => ({ id: q.id, options: [] }))),
            question_count: questions.length,
            correct_count: questions.length - (plan.jobRole === 'underskoterska' ? 0 : 1),
            passed: true,
            started_at: completedAt,
            submitted_at: completedAt,
          })
          .returning<IdRow[]>('id');
        await trx('quiz_answers').insert(
          questions.map((q, j) => ({
            attempt_id: a.id,
            question_id: q.id,
            selected: ['demo'],
            answered_at: completedAt,
            is_correct: !(j === 0 && plan.jobRole !== 'underskoterska'),
          })),
        );
        if (r.evaluation)
          await trx('evaluations').insert({
            enrolment_id: e.id,
            useful: r.evaluation[0],
            matches_description: r.evaluation[1],
            comment: r.evaluation[2],
            created_at: completedAt,
          });
      }
    }
  });
  logger.info('Demo statistics created', { people: PLANS.length });
}
