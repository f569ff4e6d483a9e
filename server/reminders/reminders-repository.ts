/** Who is due a reminder, and which managers want a monthly summary. */
import type { Knex } from 'knex';

export const REMINDER_STAGES = ['60', '30', '7', 'expired'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];
/** An expiry older than this gets no "has expired" mail (e.g. when reminders are first switched on). */
export const EXPIRED_GRACE_DAYS = 30;

export interface DueReminder {
  userId: number;
  email: string;
  name: string;
  language: 'sv' | 'en';
  courseId: number;
  slug: string;
  validUntil: Date;
  stage: ReminderStage;
}

interface DueRow {
  user_id: number;
  email: string;
  name: string;
  ui_language: string;
  course_id: number;
  slug: string;
  valid_until: Date;
  stage: ReminderStage;
}

export function remindersRepository(db: Knex) {
  return {
    /** Waits for, then holds until `trx` ends, a lock on `key` (two clicks on one reminder send one). */
    async lock(key: string, trx: Knex.Transaction): Promise<void> {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [key]);
    },

    /** Takes the scheduled job's lock until `trx` ends, unless another process holds it: false then. */
    async tryJobLock(key: number, trx: Knex.Transaction): Promise<boolean> {
      const lock = await trx.raw<{ rows: { ok: boolean }[] }>('select pg_try_advisory_xact_lock(?) as ok', [
        key,
      ]);
      return lock.rows[0]?.ok ?? false;
    },

    /** Whether a mail with this event key is in the outbox already (queued or sent). */
    async queued(eventKey: string): Promise<boolean> {
      return !!(await db('outbox_messages')
        .where({ event_key: eventKey })
        .first<{ id: number } | undefined>('id'));
    },

    /**
     * Every required completion that expires within 60 days or expired within the grace period, with
     * the stage it is in now (the most urgent one reached). The validity is the one the learner sees:
     * the earlier of the completion's own and the role track's repetition interval.
     */
    async due(now: Date): Promise<DueReminder[]> {
      const rows = await db.raw<{ rows: DueRow[] }>(
        `with r as (
           select u.id as user_id, u.email, u.name, u.ui_language, c.id as course_id, c.slug,
                  least(f.valid_until, (f.completed_at at time zone 'UTC' + make_interval(months => tc.repeat_months)) at time zone 'UTC') as valid_until
           from person_course_facts f
           join users u on u.id = f.user_id and u.disabled_at is null
           join track_courses tc on tc.job_role = u.job_role and tc.course_id = f.course_id and tc.requirement = 'required'
           join courses c on c.id = f.course_id and c.retired_at is null
           where f.completed_at is not null and f.valid_until > ?::timestamptz - make_interval(days => ?)
         )
         select *, case
             when valid_until <= ?::timestamptz then 'expired'
             when valid_until - ?::timestamptz <= make_interval(days => 7) then '7'
             when valid_until - ?::timestamptz <= make_interval(days => 30) then '30'
             else '60' end as stage
         from r
         where valid_until > ?::timestamptz - make_interval(days => ?) and valid_until <= ?::timestamptz + make_interval(days => 60)
         order by user_id, course_id`,
        [now, EXPIRED_GRACE_DAYS, now, now, now, now, EXPIRED_GRACE_DAYS, now],
      );
      return rows.rows.map((r) => ({
        userId: r.user_id,
        email: r.email,
        name: r.name,
        language: r.ui_language === 'en' ? 'en' : 'sv',
        courseId: r.course_id,
        slug: r.slug,
        validUntil: r.valid_until,
        stage: r.stage,
      }));
    },

    /** Managers who chose the monthly summary before `monthStart` and are still managers. */
    async summaryRecipients(
      monthStart: Date,
    ): Promise<{ userId: number; email: string; name: string; language: 'sv' | 'en' }[]> {
      const rows = await db('manager_summary_subscriptions as s')
        .join('users as u', 'u.id', 's.user_id')
        .whereNull('u.disabled_at')
        .where('s.created_at', '<', monthStart)
        .whereExists(db('permissions as p').whereRaw('p.user_id = u.id').where('p.kind', 'manager'))
        .orderBy('u.id')
        .select<{ id: number; email: string; name: string; ui_language: string }[]>(
          'u.id',
          'u.email',
          'u.name',
          'u.ui_language',
        );
      return rows.map((r) => ({
        userId: r.id,
        email: r.email,
        name: r.name,
        language: r.ui_language === 'en' ? 'en' : 'sv',
      }));
    },
  };
}

export type RemindersRepository = ReturnType<typeof remindersRepository>;
