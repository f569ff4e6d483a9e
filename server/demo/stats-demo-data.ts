/**
 * Demo figures for the statistics (embedded mode only): staff in two Västerås units in every state of
 * their required courses, with quiz answers and evaluations, so manager@demo.test and educator@demo.test
 * see a dashboard. Runs once (marked by its first account); the regional views are refreshed by the job.
 */
import type { Knex } from 'knex';
import type { Logger } from '../logger';

const DAY = 86_400_000;

interface Plan {
  email: string;
  name: string;
  unit: string;
  jobRole: string;
  /** Rounds of courses: open unless completedDaysAgo; validDays makes the completion expire that many days from now. */
  rounds: {
    slug: string;
    completedDaysAgo?: number;
    startedDaysAgo: number;
    validDays?: number;
    evaluation?: [number, number, string | null];
  }[];
}

const PA = 'Personlig assistans Västerås';
const KARLSDAL = 'Vård- och omsorgsboende Karlsdal';

const PLANS: Plan[] = [
  {
    email: 'staff1@demo.test',
    name: 'Hanna Sjöberg',
    unit: PA,
    jobRole: 'personlig-assistent',
    rounds: [
      {
        slug: 'hjalpmedel-grunden',
        startedDaysAgo: 90,
        completedDaysAgo: 88,
        evaluation: [4, 4, 'Bra exempel från verkligheten.'],
      },
      { slug: 'forflyttning', startedDaysAgo: 80, completedDaysAgo: 79, evaluation: [4, 3, null] },
    ],
  },
  {
    email: 'staff2@demo.test',
    name: 'Yusuf Abdi',
    unit: PA,
    jobRole: 'personlig-assistent',
    rounds: [
      {
        slug: 'hjalpmedel-grunden',
        startedDaysAgo: 330,
        completedDaysAgo: 325,
        evaluation: [3, 4, 'Mer film hade varit bra.'],
      },
      { slug: 'forflyttning', startedDaysAgo: 6 },
    ],
  },
  {
    email: 'staff3@demo.test',
    name: 'Linnea Berg',
    unit: PA,
    jobRole: 'personlig-assistent',
    rounds: [{ slug: 'hjalpmedel-grunden', startedDaysAgo: 420, completedDaysAgo: 400 }],
  },
  { email: 'staff4@demo.test', name: 'Goran Petrović', unit: PA, jobRole: 'personlig-assistent', rounds: [] },
  {
    email: 'staff5@demo.test',
    name: 'Ebba Lund',
    unit: KARLSDAL,
    jobRole: 'underskoterska',
    rounds: [
      {
        slug: 'hjalpmedel-grunden',
        startedDaysAgo: 40,
        completedDaysAgo: 39,
        evaluation: [2, 3, 'Lite mycket text.'],
      },
      { slug: 'trycksar', startedDaysAgo: 12 },
    ],
  },
  {
    email: 'staff6@demo.test',
    name: 'Ahmed Said',
    unit: KARLSDAL,
    jobRole: 'underskoterska',
    rounds: [
      { slug: 'hjalpmedel-grunden', startedDaysAgo: 200, completedDaysAgo: 199, validDays: 20 },
      { slug: 'inkontinens', startedDaysAgo: 150, completedDaysAgo: 149, evaluation: [4, 4, null] },
    ],
  },
];

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
  await db.transaction(async (trx) => {
    for (const plan of PLANS) {
      const unit = await trx('units').where({ name: plan.unit }).first<IdRow | undefined>('id');
      if (!unit) continue;
      const [user] = await trx('users')
        .insert({
          email: plan.email,
          name: plan.name,
          password_hash: hash,
          unit_id: unit.id,
          job_role: plan.jobRole,
        })
        .returning<IdRow[]>('id');
      await trx('permissions').insert({ user_id: user.id, kind: 'learner' });
      for (const [i, r] of plan.rounds.entries()) {
        const course = bySlug.get(r.slug);
        if (!course) continue;
        const startedAt = new Date(now - r.startedDaysAgo * DAY);
        const completedAt =
          r.completedDaysAgo === undefined ? null : new Date(now - r.completedDaysAgo * DAY);
        const [e] = await trx('enrolments')
          .insert({
            user_id: user.id,
            course_id: course.id,
            course_version_id: course.version_id,
            started_at: startedAt,
            completed_at: completedAt,
          })
          .returning<IdRow[]>('id');
        if (!completedAt) continue;
        await trx('completions').insert({
          user_id: user.id,
          course_id: course.id,
          course_version_id: course.version_id,
          enrolment_id: e.id,
          kind: 'elearning',
          completed_at: completedAt,
          valid_until: r.validDays
            ? new Date(now + r.validDays * DAY)
            : new Date(completedAt.getTime() + 365 * DAY),
          verification_code: `DEMO-${user.id}-${i}`,
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
