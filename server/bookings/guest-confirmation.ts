/**
 * Guests of a commissioned training. An orderer adds people by e-mail, but an address is matched to an
 * account only within the ordering organisation, and only when the account has verified it. Anyone else
 * with an account under that address (another employer, or an unverified address) gets a mail and
 * links the training to their account themselves, logged in; until then attendance writes nothing into
 * their record. The rules live in bookings-service (guestInvitation, confirmGuest); this is the page.
 */
import type { Request, Response } from 'express';
import { accountPaths } from '../auth/account-service';
import { signedInUser } from '../auth/policy';
import type { Transaction } from '../db/transaction';
import { idParam } from '../http/validation';
import type { MailService } from '../mail/mail-service';
import type { BookingsService, GuestOutcome } from './bookings-service';
import type { GuestInvitation } from './orders-repository';

export const guestConfirmPath = (id: number | string = ':id') => `/deltagande/${id}/bekrafta`;

/** Mails a guest who has an account outside the ordering organisation (or an unverified one) a link to confirm. */
export async function mailGuestConfirmation(
  trx: Transaction,
  deps: {
    mail: MailService;
    t: (key: string, vars: Record<string, unknown>) => string;
    publicBaseUrl: string;
  },
  guest: { id: number; name: string; email: string },
  order: { offeringTitle: string; organisationName: string },
): Promise<void> {
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

/** GET shows what is confirmed and a button; POST links the participant row to the logged-in person. */
export function guestConfirmationController(deps: {
  bookings: Pick<BookingsService, 'guestInvitation' | 'confirmGuest'>;
}) {
  const { bookings } = deps;

  const render = (req: Request, res: Response, invitation: GuestInvitation, outcome: GuestOutcome) => {
    res.render('bookings/guest-confirm', {
      title: req.t('bookings:guest.title'),
      training: invitation.title,
      organisation: invitation.organisationName,
      startsAt: invitation.startsAt,
      outcome,
      action: guestConfirmPath(invitation.id),
      verifyPath: accountPaths.verifyEmailSent,
    });
  };

  return {
    async show(req: Request, res: Response) {
      const { invitation, outcome } = await bookings.guestInvitation(
        signedInUser(req),
        idParam(req.params.id),
      );
      render(req, res, invitation, outcome);
    },

    async confirm(req: Request, res: Response) {
      const { invitation, outcome } = await bookings.confirmGuest(signedInUser(req), idParam(req.params.id));
      res.status(outcome === 'unverified' ? 409 : 200);
      render(req, res, invitation, outcome);
    },
  };
}
