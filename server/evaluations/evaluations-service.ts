/**
 * The evaluation after a completed course. Courses and enrolments belong to the courses feature: this
 * service names the two reads it needs, and the composition root hands it the owner's methods.
 */
import type { Texts } from '../courses/types';
import type { EvaluationAnswers, EvaluationsRepository } from './evaluations-repository';

export type { EvaluationAnswers } from './evaluations-repository';

/** What the courses feature offers for evaluations. */
export interface EvaluatedCourses {
  latestBySlug(slug: string): Promise<{ courseId: number; content: { slug: string; title: Texts } } | null>;
  enrolmentAwaitingEvaluation(userId: number, courseId: number): Promise<{ id: number } | null>;
}

export function evaluationsService(deps: { courses: EvaluatedCourses; evaluations: EvaluationsRepository }) {
  const { courses, evaluations } = deps;
  return {
    /**
     * The course by slug and the person's newest completed enrolment in it that has no evaluation yet
     * (null when there is none); null when the course is unknown.
     */
    async awaiting(userId: number, slug: string) {
      const version = await courses.latestBySlug(slug);
      if (!version) return null;
      const enrolment = await courses.enrolmentAwaitingEvaluation(userId, version.courseId);
      return { course: version.content, enrolmentId: enrolment?.id ?? null };
    },

    save: (enrolmentId: number, answers: EvaluationAnswers) => evaluations.record(enrolmentId, answers),
  };
}

export type EvaluationsService = ReturnType<typeof evaluationsService>;
