/** Course evaluations (the evaluations feature owns `evaluations`): one per completed enrolment. */
import type { Knex } from 'knex';

export interface EvaluationAnswers {
  useful: number;
  matchesDescription: number;
  comment: string | null;
}

export function evaluationsRepository(db: Knex) {
  return {
    /** Saves the answers; a second save for the same enrolment (a double click) is ignored. */
    async record(enrolmentId: number, answers: EvaluationAnswers): Promise<void> {
      await db('evaluations')
        .insert({
          enrolment_id: enrolmentId,
          useful: answers.useful,
          matches_description: answers.matchesDescription,
          comment: answers.comment,
        })
        .onConflict('enrolment_id')
        .ignore();
    },
  };
}

export type EvaluationsRepository = ReturnType<typeof evaluationsRepository>;
