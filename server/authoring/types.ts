/** Drafts of courses being written in the browser. */
import type { CourseContent } from '../courses/types';

export interface Draft {
  id: number;
  courseId: number;
  slug: string;
  basedOnVersionId: number | null;
  content: CourseContent;
  /** Edit counters per part: `facts`, `structure`, `lesson:<id>`, `question:<id>`. */
  revisions: Record<string, number>;
  updatedBy: number | null;
  updatedByName: string | null;
  updatedAt: Date;
}

/** A text that still lacks one of its variants, with where to fix it. */
export interface MissingText {
  where: string;
  variant: 'standard' | 'easy';
  href: string;
}

export class DraftConflictError extends Error {
  constructor(readonly current: Draft) {
    super('draft conflict');
  }
}
