/** Quiz attempts and their answers. */
import type { Knex } from 'knex';
import { prepared } from '../db/prepared';
import type { DrawnQuestion } from './grading';

export interface Attempt {
  id: number;
  enrolmentId: number;
  userId: number;
  courseId: number;
  courseVersionId: number;
  number: number;
  questions: DrawnQuestion[];
  questionCount: number;
  correctCount: number | null;
  passed: boolean | null;
  startedAt: Date;
  submittedAt: Date | null;
}

export interface SavedAnswer {
  questionId: string;
  selected: string[];
  answeredAt: Date;
  isCorrect: boolean | null;
}

type Db = Knex | Knex.Transaction;

interface AttemptRow {
  id: number;
  enrolment_id: number;
  user_id: number;
  course_id: number;
  course_version_id: number;
  number: number;
  questions: DrawnQuestion[];
  question_count: number;
  correct_count: number | null;
  passed: boolean | null;
  started_at: Date;
  submitted_at: Date | null;
}

/** The attempt's own columns, named (not `a.*`): the hot lookups are prepared statements. */
const ATTEMPT_COLUMNS = [
  'id',
  'enrolment_id',
  'number',
  'questions',
  'question_count',
  'correct_count',
  'passed',
  'started_at',
  'submitted_at',
] as const satisfies readonly (keyof AttemptRow)[];

const toAttempt = (r: AttemptRow): Attempt => ({
  id: r.id,
  enrolmentId: r.enrolment_id,
  userId: r.user_id,
  courseId: r.course_id,
  courseVersionId: r.course_version_id,
  number: r.number,
  questions: r.questions,
  questionCount: r.question_count,
  correctCount: r.correct_count,
  passed: r.passed,
  startedAt: r.started_at,
  submittedAt: r.submitted_at,
});

export function quizRepository(db: Knex) {
  const attempts = (trx: Db) =>
    trx<AttemptRow>('quiz_attempts as a')
      .join('enrolments as e', 'e.id', 'a.enrolment_id')
      .select(...ATTEMPT_COLUMNS.map((c) => `a.${c}`), 'e.user_id', 'e.course_id', 'e.course_version_id');

  return {
    async findAttempt(id: number, trx: Db = db, lock = false): Promise<Attempt | null> {
      const q = attempts(trx).where('a.id', id).first<AttemptRow | undefined>();
      // Every answer save and result page asks this: a named prepared statement (server/db/prepared.ts).
      const row = await (lock ? prepared('attempt-for-update', q.forUpdate()) : prepared('attempt', q));
      return row ? toAttempt(row) : null;
    },

    async openAttempt(enrolmentId: number, trx: Db = db): Promise<Attempt | null> {
      const row = await attempts(trx)
        .where('a.enrolment_id', enrolmentId)
        .whereNull('a.submitted_at')
        .first<AttemptRow | undefined>();
      return row ? toAttempt(row) : null;
    },

    async latestAttempt(enrolmentId: number): Promise<Attempt | null> {
      const row = await attempts(db)
        .where('a.enrolment_id', enrolmentId)
        .orderBy('a.number', 'desc')
        .first<AttemptRow | undefined>();
      return row ? toAttempt(row) : null;
    },

    /** Starts the enrolment's next attempt unless one is open (a double click starts one, not two). */
    async startAttempt(
      enrolmentId: number,
      questions: DrawnQuestion[],
      trx: Knex.Transaction,
    ): Promise<number> {
      await trx.raw('select id from enrolments where id = ? for update', [enrolmentId]);
      const open = await trx('quiz_attempts')
        .where({ enrolment_id: enrolmentId })
        .whereNull('submitted_at')
        .first<{ id: number } | undefined>('id');
      if (open) return open.id;
      const last = await trx('quiz_attempts')
        .where({ enrolment_id: enrolmentId })
        .max('number as max')
        .first<{ max: number | null } | undefined>();
      const max = last?.max ?? 0;
      const [row] = await trx('quiz_attempts')
        .insert({
          enrolment_id: enrolmentId,
          number: max + 1,
          questions: JSON.stringify(questions),
          question_count: questions.length,
        })
        .returning<{ id: number }[]>('id');
      return row.id;
    },

    async answers(attemptId: number, trx: Db = db): Promise<Map<string, SavedAnswer>> {
      const rows = await trx('quiz_answers')
        .where({ attempt_id: attemptId })
        .select<{ question_id: string; selected: string[]; answered_at: Date; is_correct: boolean | null }[]>(
          'question_id',
          'selected',
          'answered_at',
          'is_correct',
        );
      return new Map(
        rows.map((r) => [
          r.question_id,
          {
            questionId: r.question_id,
            selected: r.selected,
            answeredAt: r.answered_at,
            isCorrect: r.is_correct,
          },
        ]),
      );
    },

    /**
     * Saves an answer unless a newer one is stored: a late or repeated save never overwrites it.
     * Returns whether this save is now the stored answer; false also when the attempt is submitted.
     * The attempt row is share-locked in the same statement: a save racing a submit either commits
     * before the submit reads the answers (and is graded) or waits for it and then finds the attempt
     * submitted (and stores nothing). A plain `exists` check would read the attempt before the submit
     * commits and store the answer after grading.
     */
    async saveAnswer(
      attemptId: number,
      questionId: string,
      selected: string[],
      answeredAt: Date,
    ): Promise<boolean> {
      const result = await prepared(
        'save-answer',
        db.raw<{ rowCount: number | null }>(
          `with open_attempt as (select id from quiz_attempts where id = ? and submitted_at is null for share)
         insert into quiz_answers (attempt_id, question_id, selected, answered_at)
         select id, ?, ?::text[], ? from open_attempt
         on conflict (attempt_id, question_id) do update
           set selected = excluded.selected, answered_at = excluded.answered_at, saved_at = now()
           where quiz_answers.answered_at <= excluded.answered_at
         returning 1`,
          [attemptId, questionId, selected, answeredAt],
        ),
      );
      return (result.rowCount ?? 0) > 0;
    },

    /**
     * Records the grade and marks every answer right or wrong in one statement each; only the first of two
     * simultaneous submits gets through. Returns when it was graded, or null when it already was.
     */
    async grade(
      trx: Knex.Transaction,
      attemptId: number,
      results: Map<string, boolean>,
      correctCount: number,
      passed: boolean,
    ): Promise<Date | null> {
      const graded = await trx('quiz_attempts')
        .where({ id: attemptId })
        .whereNull('submitted_at')
        // The moment of grading, not the transaction's start: every answer it counted was saved before it.
        .update({ submitted_at: trx.raw('clock_timestamp()'), correct_count: correctCount, passed })
        .returning<{ submitted_at: Date }[]>('submitted_at');
      const updated = graded.at(0);
      if (!updated) return null;
      await trx.raw(
        `update quiz_answers a set is_correct = r.correct
         from unnest(?::text[], ?::boolean[]) as r(question_id, correct)
         where a.attempt_id = ? and a.question_id = r.question_id`,
        [[...results.keys()], [...results.values()], attemptId],
      );
      return updated.submitted_at;
    },
  };
}

export type QuizRepository = ReturnType<typeof quizRepository>;
