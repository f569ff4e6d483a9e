/**
 * Guests of a commissioned training. An orderer adds people by e-mail, but an address is matched to an
 * account only within the ordering organisation, and only when the account has verified it. Anyone else
 * with an account under that address (another employer, or an unverified address) gets a mail and
 * links the training to their account themselves, logged in; until then attendance writes nothing into
 * their record.
 */
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { accountPaths } from '../auth/account-service';
import type { CurrentUser } from '../auth/types';
import { forbidden, notFound } from '../http/errors';
import { idParam } from '../http/validation';
import type { MailService } from '../mail/mail-service';

export const guestConfirmPath = (id: number | string = ':id') => `/deltagande/${id}/bekrafta`;

/** The verified, active account with this address in the organisation, or null. */
export async function organisationAccount(
  trx: Knex | Knex.Transaction,
  email: string,
  organisationId: number,
): Promise<number | null> {
  const row = await trx('users as u')
    .join('units as un', 'un.id', 'u.unit_id')
    .whereRaw('lower(u.email) = lower(?)', [email])
    .where('un.organisation_id', organisationId)
    .whereNotNull('u.email_verified_at')
    .whereNull('u.disabled_at')
    .first('u.id');
  return row?.id ?? null;
}

/** Mails a guest who has an account outside the ordering organisation (or an unverified one) a link to confirm. */
export async function mailGuestConfirmation(
  trx: Knex.Transaction,
  deps: {
    mail: MailService;
    t: (key: string, vars: Record<string, unknown>) => string;
    publicBaseUrl: string;
  },
  guest: { id: number; name: string; email: string },
  order: { offeringTitle: string; organisationName: string },
): Promise<void> {
  if (!(await trx('users').whereRaw('lower(email) = lower(?)', [guest.email]).first('id'))) return;
  const vars = {
    name: guest.name,
    title: order.offeringTitle,
    organisation: order.organisationName,
    url: `${deps.publicBaseUrl}${guestConfirmPath(guest.id)}`,
  };
  await deps.mail.send(
    {
      to: guest.email,
      subject: deps.t('bookings:guest.mail.subject', vars),
      text: deps.t('bookings:guest.mail.text', vars),
    },
    { trx, eventKey: `training-guest-confirm:${guest.id}` },
  );
}

type Outcome = 'ask' | 'confirmed' | 'already' | 'unverified';

/** GET shows what is confirmed and a button; POST links the participant row to the logged-in person. */
export function guestConfirmationController(deps: { db: Knex }) {
  const { db } = deps;

  async function load(trx: Knex | Knex.Transaction, req: Request, lock = false) {
    const id = idParam(req.params.id);
    const q = trx('training_participants as p')
      .join('training_orders as t', 't.id', 'p.order_id')
      .join('training_offerings as o', 'o.id', 't.offering_id')
      .join('organisations as org', 'org.id', 't.organisation_id')
      .where('p.id', id ?? 0)
      .first(
        'p.id',
        'p.email',
        'p.user_id',
        't.starts_at',
        'o.title_standard as title',
        'org.name as organisation_name',
      );
    const row = await (lock ? q.forUpdate('p') : q);
    if (!row) throw notFound('bookings:errors.participantNotFound');
    const user = req.user as CurrentUser;
    // Only the person the invitation was sent to, and only for an address their account has proven.
    if (
      row.email.toLowerCase() !== user.email.toLowerCase() ||
      (row.user_id !== null && row.user_id !== user.id)
    )
      throw forbidden('bookings:guest.notYours');
    const verified = !!(await trx('users')
      .where({ id: user.id })
      .whereNotNull('email_verified_at')
      .first('id'));
    return { row, user, verified };
  }

  const render = (
    req: Request,
    res: Response,
    row: { id: number; title: string; organisation_name: string; starts_at: Date | null },
    outcome: Outcome,
  ) => {
    res.render('bookings/guest-confirm', {
      title: req.t('bookings:guest.title'),
      training: row.title,
      organisation: row.organisation_name,
      startsAt: row.starts_at,
      outcome,
      action: guestConfirmPath(row.id),
      verifyPath: accountPaths.verifyEmailSent,
    });
  };

  return {
    async show(req: Request, res: Response) {
      const { row, user, verified } = await load(db, req);
      render(req, res, row, row.user_id === user.id ? 'already' : verified ? 'ask' : 'unverified');
    },

    async confirm(req: Request, res: Response) {
      const outcome = await db.transaction(async (trx) => {
        const { row, user, verified } = await load(trx, req, true);
        if (row.user_id === user.id) return { row, outcome: 'already' as const };
        if (!verified) return { row, outcome: 'unverified' as const };
        await trx('training_participants')
          .where({ id: row.id })
          .whereNull('user_id')
          .update({ user_id: user.id, confirmed_at: trx.fn.now() });
        return { row, outcome: 'confirmed' as const };
      });
      res.status(outcome.outcome === 'unverified' ? 409 : 200);
      render(req, res, outcome.row, outcome.outcome);
    },
  };
}
