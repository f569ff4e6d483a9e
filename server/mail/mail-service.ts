/**
 * E-mail through an outbox table: `send` records the message (in the caller's transaction, so a mail
 * is queued exactly when the work that causes it commits); `deliverQueued` sends what is queued over
 * SMTP when SMTP_URL is configured, and otherwise keeps it in the local outbox that administrators read
 * in the app (embedded mode). An event key makes a message once-only, whatever retries happen.
 */
import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger';

export interface MailAttachment {
  filename: string;
  contentType: string;
  /** Text content (e.g. an .ics calendar file). */
  content: string;
}

export interface MailMessage {
  to: string;
  /** The account the mail is sent to (it is then part of that person's data export); null for an address only. */
  userId?: number | null;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
}

export interface OutboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  attachments: MailAttachment[];
  status: 'queued' | 'sent' | 'kept' | 'failed';
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

interface Transport {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    attachments?: MailAttachment[];
    messageId: string;
  }): Promise<unknown>;
}

const MAX_ATTEMPTS = 5;

export function mailService(deps: { db: Knex; logger: Logger; smtpUrl: string | undefined; from: string }) {
  const { db, logger, from } = deps;
  // One Message-ID per outbox row: if a node dies after the SMTP server took a message but before the row
  // was marked sent, another node sends it again (never lost), and the copy is recognisably the same mail.
  const idDomain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'hjalpmedelsskolan.invalid';
  const transport: Transport | null = deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : null;

  const toMessage = (r: Record<string, unknown>): OutboxMessage => ({
    id: Number(r.id),
    to: r.to_address as string,
    subject: r.subject as string,
    text: r.text_body as string,
    attachments: r.attachments as MailAttachment[],
    status: r.status as OutboxMessage['status'],
    error: (r.error as string | null) ?? null,
    createdAt: r.created_at as Date,
    sentAt: (r.sent_at as Date | null) ?? null,
  });

  return {
    /** Queues a message; with an event key, a second send of the same event does nothing (returns false). */
    async send(
      message: MailMessage,
      options: { eventKey?: string; trx?: Knex.Transaction } = {},
    ): Promise<boolean> {
      const rows = await (options.trx ?? db)('outbox_messages')
        .insert({
          to_address: message.to,
          user_id: message.userId ?? null,
          subject: message.subject,
          text_body: message.text,
          attachments: JSON.stringify(message.attachments ?? []),
          event_key: options.eventKey ?? null,
        })
        .onConflict('event_key')
        .ignore()
        .returning('id');
      return rows.length > 0;
    },

    /** Sends queued messages over SMTP, or keeps them in the local outbox when no SMTP is configured. */
    async deliverQueued(limit = 50): Promise<number> {
      let handled = 0;
      for (;;) {
        const done = await db.transaction(async (trx) => {
          const row = await trx('outbox_messages')
            .where({ status: 'queued' })
            .orderBy('id')
            .forUpdate()
            .skipLocked()
            .first();
          if (!row) return false;
          if (!transport) {
            await trx('outbox_messages')
              .where({ id: row.id })
              .update({ status: 'kept', sent_at: trx.fn.now() });
            return true;
          }
          try {
            await transport.sendMail({
              from,
              to: row.to_address,
              subject: row.subject,
              text: row.text_body,
              attachments: row.attachments,
              messageId: `<outbox-${row.id}@${idDomain}>`,
            });
            await trx('outbox_messages')
              .where({ id: row.id })
              .update({ status: 'sent', sent_at: trx.fn.now(), attempts: row.attempts + 1, error: null });
          } catch (error) {
            const attempts = row.attempts + 1;
            const message = error instanceof Error ? error.message : String(error);
            logger.warn('Mail delivery failed', { id: row.id, attempts, error: message });
            await trx('outbox_messages')
              .where({ id: row.id })
              .update({ status: attempts >= MAX_ATTEMPTS ? 'failed' : 'queued', attempts, error: message });
            return 'stop';
          }
          return true;
        });
        if (done !== true) break;
        handled += 1;
        if (handled >= limit) break;
      }
      return handled;
    },

    async list(limit = 100): Promise<OutboxMessage[]> {
      return (await db('outbox_messages').orderBy('id', 'desc').limit(limit)).map(toMessage);
    },

    async find(id: number): Promise<OutboxMessage | null> {
      const row = await db('outbox_messages').where({ id }).first();
      return row ? toMessage(row) : null;
    },
  };
}

export type MailService = ReturnType<typeof mailService>;
