/**
 * E-mail through an outbox table: `send` records the message (in the caller's transaction, so a mail
 * is queued exactly when the work that causes it commits); `deliverQueued` sends what is queued over
 * SMTP when SMTP_URL is configured, and otherwise keeps it in the local outbox that administrators read
 * in the app (embedded mode). An event key makes a message once-only, whatever retries happen.
 */
import nodemailer from 'nodemailer';
import type { InTransaction, Transaction } from '../db/transaction';
import type { Logger } from '../logger';
import type { MailAttachment, OutboxRepository } from './outbox-repository';

export type { MailAttachment, OutboxMessage } from './outbox-repository';

export interface MailMessage {
  to: string;
  /** The account the mail is sent to (it is then part of that person's data export); null for an address only. */
  userId?: number | null;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
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

export function mailService(deps: {
  outbox: OutboxRepository;
  transaction: InTransaction;
  logger: Logger;
  smtpUrl: string | undefined;
  from: string;
}) {
  const { outbox, transaction, logger, from } = deps;
  // One Message-ID per outbox row: if a node dies after the SMTP server took a message but before the row
  // was marked sent, another node sends it again (never lost), and the copy is recognisably the same mail.
  const idDomain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'hjalpmedelsskolan.invalid';
  const transport: Transport | null = deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : null;

  return {
    /** Queues a message; with an event key, a second send of the same event does nothing (returns false). */
    async send(
      message: MailMessage,
      options: { eventKey?: string; trx?: Transaction } = {},
    ): Promise<boolean> {
      return outbox.queue(
        {
          to: message.to,
          userId: message.userId ?? null,
          subject: message.subject,
          text: message.text,
          attachments: message.attachments ?? [],
          eventKey: options.eventKey ?? null,
        },
        options.trx,
      );
    },

    /** Sends queued messages over SMTP, or keeps them in the local outbox when no SMTP is configured. */
    async deliverQueued(limit = 50): Promise<number> {
      let handled = 0;
      for (;;) {
        const done = await transaction(async (trx) => {
          const message = await outbox.lockNextQueued(trx);
          if (!message) return false;
          if (!transport) {
            await outbox.recordAttempt(message.id, { status: 'kept' }, trx);
            return true;
          }
          const attempts = message.attempts + 1;
          try {
            await transport.sendMail({
              from,
              to: message.to,
              subject: message.subject,
              text: message.text,
              attachments: message.attachments,
              messageId: `<outbox-${message.id}@${idDomain}>`,
            });
            await outbox.recordAttempt(message.id, { status: 'sent', attempts, error: null }, trx);
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            logger.warn('Mail delivery failed', { id: message.id, attempts, error: reason });
            await outbox.recordAttempt(
              message.id,
              { status: attempts >= MAX_ATTEMPTS ? 'failed' : 'queued', attempts, error: reason },
              trx,
            );
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

    list: (limit?: number) => outbox.list(limit),
    find: (id: number) => outbox.find(id),
  };
}

export type MailService = ReturnType<typeof mailService>;
