/** Reviewers' comments on the lessons of a draft; educators resolve them. */
import type { Knex } from 'knex';

export interface LessonComment {
  id: number;
  lessonId: string;
  authorName: string | null;
  body: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedByName: string | null;
}

export function commentsRepository(db: Knex) {
  return {
    async forLesson(courseId: number, lessonId: string): Promise<LessonComment[]> {
      const rows = await db('lesson_comments as c')
        .leftJoin('users as a', 'a.id', 'c.author_id')
        .leftJoin('users as r', 'r.id', 'c.resolved_by')
        .where({ 'c.course_id': courseId, 'c.lesson_id': lessonId })
        .orderBy('c.id')
        .select('c.*', 'a.name as author_name', 'r.name as resolved_by_name');
      return rows.map((r: Record<string, unknown>) => ({
        id: r.id as number,
        lessonId: r.lesson_id as string,
        authorName: r.author_name as string | null,
        body: r.body as string,
        createdAt: r.created_at as Date,
        resolvedAt: r.resolved_at as Date | null,
        resolvedByName: r.resolved_by_name as string | null,
      }));
    },

    /** Open comments per lesson of a course. */
    async openCounts(courseId: number): Promise<Map<string, number>> {
      const rows = await db('lesson_comments')
        .where({ course_id: courseId })
        .whereNull('resolved_at')
        .groupBy('lesson_id')
        .select('lesson_id')
        .count('* as n');
      return new Map(rows.map((r) => [String(r.lesson_id), Number(r.n)]));
    },

    async add(courseId: number, lessonId: string, authorId: number, body: string): Promise<void> {
      await db('lesson_comments').insert({
        course_id: courseId,
        lesson_id: lessonId,
        author_id: authorId,
        body,
      });
    },

    /** Resolves a comment of this course; false when there is no such comment. */
    async resolve(courseId: number, commentId: number, userId: number): Promise<boolean> {
      const n = await db('lesson_comments')
        .where({ id: commentId, course_id: courseId })
        .whereNull('resolved_at')
        .update({ resolved_at: db.fn.now(), resolved_by: userId });
      return n > 0;
    },
  };
}

export type CommentsRepository = ReturnType<typeof commentsRepository>;
