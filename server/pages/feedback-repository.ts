/** Accessibility feedback (the pages feature owns `accessibility_feedback`): the administrators' inbox. */
import type { Knex } from 'knex';

/** One message as the admin inbox lists it (the view reads these column names). */
export interface FeedbackItem {
  id: number;
  message: string;
  page: string | null;
  contact: string | null;
  user_id: number | null;
  created_at: Date;
  handled_at: Date | null;
  handled_by: number | null;
  handled_by_name: string | null;
}

export function feedbackRepository(db: Knex) {
  return {
    /** Stores one message (in the transaction that also queues its mail); returns its id. */
    async add(
      item: { message: string; page: string | null; contact: string | null; userId: number | null },
      trx: Knex = db,
    ): Promise<number> {
      const [row] = await trx('accessibility_feedback')
        .insert({ message: item.message, page: item.page, contact: item.contact, user_id: item.userId })
        .returning<{ id: number }[]>('id');
      return row.id;
    },

    /** The newest messages, unhandled ones first. */
    async list(limit = 200): Promise<FeedbackItem[]> {
      return db('accessibility_feedback as f')
        .leftJoin('users as u', 'u.id', 'f.handled_by')
        .orderBy([
          { column: 'f.handled_at', order: 'desc', nulls: 'first' },
          { column: 'f.id', order: 'desc' },
        ])
        .limit(limit)
        .select<FeedbackItem[]>('f.*', 'u.name as handled_by_name');
    },

    /** Marks a message handled by `userId` (the first one to do so is kept). */
    async markHandled(id: number, userId: number): Promise<void> {
      await db('accessibility_feedback')
        .where({ id })
        .whereNull('handled_at')
        .update({ handled_at: db.fn.now(), handled_by: userId });
    },
  };
}

export type FeedbackRepository = ReturnType<typeof feedbackRepository>;
