/** The audit log: who did what to which subject, written in the same transaction as the change it records. */
import type { Knex } from 'knex';

export interface AuditEntry {
  /** The person who acted; null for the system (a scheduled job, a provider's login before an account exists). */
  actorId: number | null;
  /** What happened, `noun.verb` (e.g. `person.create`, `draft.publish`). */
  action: string;
  /** What it happened to, `kind:id` (e.g. `user:12`, `course:3`). */
  subject: string;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'details'>> {
  id: number;
  details: Record<string, unknown>;
  actorName: string | null;
  at: Date;
}

interface AuditRow {
  /** bigint: pg returns it as a string. */
  id: string;
  actor_id: number | null;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  at: Date;
  actor_name?: string | null;
}

export function auditRepository(db: Knex) {
  return {
    /** Records one entry, inside `trx` when the change it records is in a transaction. */
    async record(entry: AuditEntry, trx: Knex = db): Promise<void> {
      await trx('audit_log').insert({
        actor_id: entry.actorId,
        action: entry.action,
        subject: entry.subject,
        details: JSON.stringify(entry.details ?? {}),
      });
    },

    /** The newest entries about the given subjects (and actions, if named), with the actor's name. */
    async forSubjects(
      subjects: string[],
      options: { actions?: string[]; limit?: number } = {},
    ): Promise<AuditRecord[]> {
      if (subjects.length === 0) return [];
      const q = db<AuditRow>('audit_log as a')
        .leftJoin('users as u', 'u.id', 'a.actor_id')
        .whereIn('a.subject', subjects)
        .orderBy('a.at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(options.limit ?? 100)
        .select<AuditRow[]>(
          'a.id',
          'a.actor_id',
          'a.action',
          'a.subject',
          'a.details',
          'a.at',
          'u.name as actor_name',
        );
      if (options.actions) void q.whereIn('a.action', options.actions);
      return (await q).map(toRecord);
    },

    /** When `action` on `subject` was last recorded (optionally by one actor), or null. */
    async lastAt(action: string, subject: string, trx: Knex = db): Promise<Date | null> {
      const row = await trx<AuditRow>('audit_log')
        .where({ action, subject })
        .orderBy('at', 'desc')
        .first<Pick<AuditRow, 'at'> | undefined>('at');
      return row?.at ?? null;
    },
  };
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: Number(row.id),
    actorId: row.actor_id,
    action: row.action,
    subject: row.subject,
    details: row.details,
    actorName: row.actor_name ?? null,
    at: row.at,
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
