/** Course drafts: read, create, lock for a change, and write with per-part edit counters. */
import type { Knex } from 'knex';
import type { CourseContent } from '../courses/types';
import type { Draft } from './types';

interface DraftRow {
  id: number;
  course_id: number;
  slug: string;
  based_on_version_id: number | null;
  content: CourseContent;
  revisions: Record<string, number>;
  updated_by: number | null;
  updated_by_name: string | null;
  updated_at: Date;
}

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  courseId: r.course_id,
  slug: r.slug,
  basedOnVersionId: r.based_on_version_id,
  content: r.content,
  revisions: r.revisions,
  updatedBy: r.updated_by,
  updatedByName: r.updated_by_name,
  updatedAt: r.updated_at,
});

type Db = Knex | Knex.Transaction;

/** The columns a new or replaced draft is written with. */
const draftRow = (
  courseId: number,
  content: CourseContent,
  basedOnVersionId: number | null,
  userId: number,
) => ({
  course_id: courseId,
  content: JSON.stringify(content),
  based_on_version_id: basedOnVersionId,
  updated_by: userId,
});

export function draftsRepository(db: Knex) {
  const select = (trx: Db) =>
    trx<DraftRow>('course_drafts as d')
      .join('courses as c', 'c.id', 'd.course_id')
      .leftJoin('users as u', 'u.id', 'd.updated_by')
      .select('d.*', 'c.slug', 'u.name as updated_by_name');

  return {
    async findByCourse(courseId: number, trx: Db = db): Promise<Draft | null> {
      const row = await select(trx).where('d.course_id', courseId).first<DraftRow | undefined>();
      return row ? toDraft(row) : null;
    },

    async listAll(): Promise<Draft[]> {
      return (await select(db).orderBy('c.slug').select<DraftRow[]>()).map(toDraft);
    },

    /** Creates the course's draft from `content` unless one exists; returns the draft. */
    async ensure(
      courseId: number,
      content: CourseContent,
      basedOnVersionId: number | null,
      userId: number,
      trx: Db = db,
    ): Promise<Draft> {
      await trx('course_drafts')
        .insert(draftRow(courseId, content, basedOnVersionId, userId))
        .onConflict('course_id')
        .ignore();
      const draft = await this.findByCourse(courseId, trx);
      if (!draft) throw new Error(`No draft for course ${courseId}`);
      return draft;
    },

    /** Replaces the draft's content (restoring a version), whatever it held. */
    async replace(
      courseId: number,
      content: CourseContent,
      basedOnVersionId: number | null,
      userId: number,
      trx: Db = db,
    ): Promise<void> {
      const row = draftRow(courseId, content, basedOnVersionId, userId);
      await trx('course_drafts')
        .insert({ ...row, revisions: '{}' })
        .onConflict('course_id')
        .merge({
          ...row,
          updated_at: trx.fn.now(),
          // Every part changed: editors who opened the old draft are told so when they save.
          revisions: trx.raw(
            `coalesce((select jsonb_object_agg(key, value::int + 1) from jsonb_each_text(course_drafts.revisions)), '{}'::jsonb)`,
          ),
        });
    },

    /** The course's draft, locked until the end of `trx` (one change at a time); null when there is none. */
    async lock(courseId: number, trx: Knex.Transaction): Promise<Draft | null> {
      const row = await trx('course_drafts')
        .where({ course_id: courseId })
        .forUpdate()
        .first<{ id: number } | undefined>('id');
      return row ? this.findByCourse(courseId, trx) : null;
    },

    /** Writes the draft's content and edit counters. */
    async update(
      courseId: number,
      content: CourseContent,
      revisions: Record<string, number>,
      userId: number,
      trx: Knex.Transaction,
    ): Promise<void> {
      await trx('course_drafts')
        .where({ course_id: courseId })
        .update({
          content: JSON.stringify(content),
          revisions: JSON.stringify(revisions),
          updated_by: userId,
          updated_at: trx.fn.now(),
        });
    },

    async remove(courseId: number, trx: Db = db): Promise<void> {
      await trx('course_drafts').where({ course_id: courseId }).delete();
    },
  };
}

export type DraftsRepository = ReturnType<typeof draftsRepository>;
