/**
 * Everything the platform holds about one person (GDPR right of access): a free, self-service copy.
 *
 * This repository reads other features' tables on purpose, and only reads them. The export must be
 * complete, and one list of every table holding personal data is what makes that checkable (a reviewer,
 * or the data protection officer, reads one file; a feature that adds such a table adds its section here).
 * Spreading it as a "personal data of X" method over a dozen services would hide that list and add a
 * dozen methods used by nothing else. It never writes and none of its rows feed back into the app.
 */
import type { Knex } from 'knex';

type Section = (db: Knex, userId: number) => Promise<unknown>;

/** The person's rows of a table that refers to a course, oldest first, each with the course's slug as `course`. */
const withCourseSlug =
  (table: 'enrolments' | 'completions', columns: string[]): Section =>
  (db, id) =>
    db({ r: table })
      .join('courses as c', 'c.id', 'r.course_id')
      .where('r.user_id', id)
      .orderBy('r.id')
      .select('c.slug as course', ...columns.map((column) => `r.${column}`));

/** The person's rows of a table whose rows belong to an enrolment (`enrolmentId` names that column). */
const throughEnrolments = (db: Knex, from: string, enrolmentId: string, userId: number) =>
  db(from).join('enrolments as e', 'e.id', enrolmentId).where('e.user_id', userId);

export const PERSONAL_DATA_SECTIONS: Record<string, Section> = {
  person: (db, id) =>
    db('users as u')
      .leftJoin('units as un', 'un.id', 'u.unit_id')
      .leftJoin('organisations as o', 'o.id', 'un.organisation_id')
      .where('u.id', id)
      .first(
        'u.name',
        'u.email',
        'u.job_role',
        'u.content_variant',
        'u.ui_language',
        'u.created_at',
        'u.email_verified_at',
        'u.last_login_at',
        'un.name as unit',
        'o.name as organisation',
      ),
  permissions: (db, id) =>
    db('permissions')
      .where({ user_id: id })
      .select('kind', 'organisation_id', 'unit_id', 'course_id', 'created_at'),
  enrolments: withCourseSlug('enrolments', ['id', 'started_at', 'completed_at']),
  lessonProgress: (db, id) =>
    throughEnrolments(db, 'lesson_progress as p', 'p.enrolment_id', id)
      .orderBy(['p.enrolment_id', 'p.completed_at'])
      .select('p.enrolment_id', 'p.lesson_id', 'p.completed_at'),
  quizAttempts: (db, id) =>
    throughEnrolments(db, 'quiz_attempts as a', 'a.enrolment_id', id)
      .orderBy('a.id')
      .select(
        'a.id',
        'a.enrolment_id',
        'a.number',
        'a.started_at',
        'a.submitted_at',
        'a.correct_count',
        'a.question_count',
        'a.passed',
      ),
  quizAnswers: (db, id) =>
    db('quiz_answers as q')
      .join('quiz_attempts as a', 'a.id', 'q.attempt_id')
      .join('enrolments as e', 'e.id', 'a.enrolment_id')
      .where('e.user_id', id)
      .orderBy(['q.attempt_id', 'q.question_id'])
      .select('q.attempt_id', 'q.question_id', 'q.selected', 'q.answered_at', 'q.is_correct'),
  completions: withCourseSlug('completions', ['kind', 'completed_at', 'valid_until', 'verification_code']),
  evaluations: (db, id) =>
    throughEnrolments(db, 'evaluations as ev', 'ev.enrolment_id', id).select(
      'ev.enrolment_id',
      'ev.useful',
      'ev.matches_description',
      'ev.comment',
      'ev.created_at',
    ),
  lessonComments: (db, id) =>
    db('lesson_comments').where({ author_id: id }).select('course_id', 'lesson_id', 'body', 'created_at'),
  accessibilityFeedback: (db, id) =>
    db('accessibility_feedback').where({ user_id: id }).select('message', 'page', 'contact', 'created_at'),
  // Only what was sent to this account: an address can have belonged to someone else, or been claimed
  // by someone who never proved it was theirs (old mails without an account are not exported).
  emails: (db, id) =>
    db('outbox_messages')
      .where({ user_id: id })
      .orderBy('id')
      .select('to_address', 'subject', 'text_body', 'status', 'created_at'),
};

export function personalDataRepository(db: Knex) {
  return {
    /** Every section for one person, by section name. */
    async sectionsFor(userId: number): Promise<Record<string, unknown>> {
      const result: Record<string, unknown> = {};
      for (const [name, section] of Object.entries(PERSONAL_DATA_SECTIONS))
        result[name] = await section(db, userId);
      return result;
    },
  };
}

export type PersonalDataRepository = ReturnType<typeof personalDataRepository>;
