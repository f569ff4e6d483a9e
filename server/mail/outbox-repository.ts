/** The outbox table: messages queued in the caller's transaction, then delivered or kept. */
import type { Knex } from 'knex';

export interface MailAttachment {
  filename: string;
  contentType: string;
  /** Text content (e.g. an .ics calendar file). */
  content: string;
}

export type OutboxStatus = 'queued' | 'sent' | 'kept' | 'failed';

export interface OutboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  attachments: MailAttachment[];
  status: OutboxStatus;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
}

export interface NewOutboxMessage {
  to: string;
  userId: number | null;
  subject: string;
  text: string;
  attachments: MailAttachment[];
  eventKey: string | null;
}

interface OutboxRow {
  /** bigint: pg returns it as a string. */
  id: string | number;
  to_address: string;
  subject: string;
  text_body: string;
  attachments: MailAttachment[];
  status: OutboxStatus;
  error: string | null;
  created_at: Date;
  sent_at: Date | null;
  attempts: number;
}

const toMessage = (r: OutboxRow): OutboxMessage => ({
  id: Number(r.id),
  to: r.to_address,
  subject: r.subject,
  text: r.text_body,
  attachments: r.attachments,
  status: r.status,
  error: r.error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  attempts: r.attempts,
});

export function outboxRepository(db: Knex) {
  return {
    /** Queues a message; false when a message with the same event key is already there. */
    async queue(message: NewOutboxMessage, trx: Knex = db): Promise<boolean> {
      const rows = await trx('outbox_messages')
        .insert({
          to_address: message.to,
          user_id: message.userId,
          subject: message.subject,
          text_body: message.text,
          attachments: JSON.stringify(message.attachments),
          event_key: message.eventKey,
        })
        .onConflict('event_key')
        .ignore()
        .returning<{ id: string }[]>('id');
      return rows.length > 0;
    },

    /** The oldest queued message, locked for this transaction (others skip it), or null. */
    async lockNextQueued(trx: Knex): Promise<OutboxMessage | null> {
      const row = await trx('outbox_messages')
        .where({ status: 'queued' })
        .orderBy('id')
        .forUpdate()
        .skipLocked()
        .first<OutboxRow | undefined>();
      return row ? toMessage(row) : null;
    },

    /** Records the outcome of one delivery attempt (`kept`: no SMTP, it stays in the local outbox). */
    async recordAttempt(
      id: number,
      outcome: { status: OutboxStatus; attempts?: number; error?: string | null },
      trx: Knex = db,
    ): Promise<void> {
      const done = outcome.status === 'sent' || outcome.status === 'kept';
      await trx('outbox_messages')
        .where({ id })
        .update({
          status: outcome.status,
          ...(done ? { sent_at: trx.fn.now() } : {}),
          ...(outcome.attempts === undefined ? {} : { attempts: outcome.attempts }),
          ...(outcome.error === undefined ? {} : { error: outcome.error }),
        });
    },

    async list(limit = 100): Promise<OutboxMessage[]> {
      const rows = await db('outbox_messages').orderBy('id', 'desc').limit(limit).select<OutboxRow[]>();
      return rows.map(toMessage);
    },

    async find(id: number): Promise<OutboxMessage | null> {
      const row = await db('outbox_messages').where({ id }).first<OutboxRow | undefined>();
      return row ? toMessage(row) : null;
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
