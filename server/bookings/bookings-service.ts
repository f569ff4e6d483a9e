/**
 * Commands on commissioned trainings. Each runs in one transaction with the order's row lock, queues its
 * e-mails (with a calendar file) in the same transaction, and is safe to repeat: a double click finds the
 * work already done.
 */
import type { i18n, TFunction } from 'i18next';
import type { AuditService } from '../audit/audit-service';
import type { AuthService } from '../auth/auth-service';
import type { CurrentUser } from '../auth/types';
import type { BillingService } from '../billing/billing-service';
import type { OrderContact } from '../billing/types';
import { recordClassroomAttendance } from '../courses/courses-service';
import type { InTransaction, Transaction } from '../db/transaction';
import { conflict, forbidden, HttpError, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { formatDate } from '../i18n/i18n';
import type { MailService } from '../mail/mail-service';
import { newVerificationCode } from '../certificates/verification-code';
import { assertCanSeeOrder, assertOrdererOf, assertRegistersAttendance, ordersFor } from './bookings-policy';
import { cancellationTerms } from './cancellation';
import { mailGuestConfirmation } from './guest-confirmation';
import { swedishDate, swedishTime } from './dates';
import { icsCalendar } from './ics';
import type { OfferingsRepository } from './offerings-repository';
import type { GuestInvitation, OrdersRepository } from './orders-repository';
import type { PeopleRepository } from './people-repository';
import type { BookedTraining, OrderRequest, Participant, TrainingOrder } from './types';

export interface Schedule {
  startsAt: Date;
  endsAt: Date;
  educatorId: number;
  note: string | null;
}

/** What a guest sees on the confirmation page: 'ask' to link the training, or how it ended. */
export type GuestOutcome = 'ask' | 'confirmed' | 'already' | 'unverified';

export function bookingsService(deps: {
  transaction: InTransaction;
  i18n: i18n;
  offerings: OfferingsRepository;
  orders: OrdersRepository;
  people: PeopleRepository;
  billing: BillingService;
  auth: Pick<AuthService, 'membershipByEmail'>;
  audit: AuditService;
  mail: MailService;
  publicBaseUrl: string;
  mailFrom: string;
}) {
  const { transaction, offerings, orders, people, billing, auth, audit, mail } = deps;
  // E-mails about an order are Swedish, like the invoice and the certificate.
  const sv: TFunction = deps.i18n.getFixedT('sv');
  const organizerEmail = /<([^>]+)>/.exec(deps.mailFrom)?.[1] ?? deps.mailFrom;

  async function lockedOrder(trx: Transaction, id: number): Promise<TrainingOrder> {
    const order = await orders.find(id, trx, true);
    if (!order) throw notFound('bookings:errors.orderNotFound');
    return order;
  }

  /** The order as it is now in `trx` (after an update). */
  /** HMC sets the time (confirmed or proposed); the sequence goes up so calendars replace the earlier invite. */
  async function writeSchedule(
    trx: Transaction,
    order: TrainingOrder,
    status: 'confirmed' | 'proposed',
    s: Schedule,
    user: CurrentUser,
  ): Promise<void> {
    await orders.update(trx, order.id, {
      status,
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      educator_id: s.educatorId,
      hmc_note: s.note,
      handled_by: user.id,
      handled_at: trx.fn.now(),
      schedule_sequence: order.scheduleSequence + 1,
    });
  }

  async function current(trx: Transaction, id: number): Promise<TrainingOrder> {
    const order = await orders.find(id, trx);
    if (!order) throw notFound('bookings:errors.orderNotFound');
    return order;
  }

  /** The verified, active account with this address in the organisation, or null. */
  async function organisationAccount(
    trx: Transaction,
    email: string,
    organisationId: number,
  ): Promise<number | null> {
    const account = await auth.membershipByEmail(email, trx);
    return account?.organisationId === organisationId && account.verified && account.active
      ? account.id
      : null;
  }

  /** A classroom completion for one participant who came: the course is approved in their role track. */
  async function classroomCompletion(trx: Transaction, order: TrainingOrder, userId: number) {
    if (!order.courseId) return null;
    const completedAt = order.endsAt ?? order.startsAt;
    if (!completedAt) return null;
    return recordClassroomAttendance(trx, {
      attended: true,
      userId,
      courseId: order.courseId,
      completedAt,
      verificationCode: newVerificationCode(),
    });
  }

  /** What billing needs of the order to draft its invoice. */
  const invoiceable = (order: TrainingOrder) => ({ ...order, participants: order.participantCount });

  /** The invitation of a guest and whether the logged-in person may link it (their address proven). */
  async function invitationFor(user: CurrentUser, participantId: number | null, trx?: Transaction) {
    const invitation =
      participantId === null ? null : await orders.guestInvitation(participantId, trx, trx !== undefined);
    if (!invitation) throw notFound('bookings:errors.participantNotFound');
    // Only the person the invitation was sent to, and only for an address their account has proven.
    if (
      invitation.email.toLowerCase() !== user.email.toLowerCase() ||
      (invitation.userId !== null && invitation.userId !== user.id)
    )
      throw forbidden('bookings:guest.notYours');
    const account = await auth.membershipByEmail(user.email, trx);
    return { invitation, verified: account?.id === user.id && account.verified };
  }

  function placeText(order: TrainingOrder): string {
    if (order.place === 'workplace') return order.placeAddress ?? sv('bookings:place.workplace');
    return sv(`bookings:place.${order.place}`);
  }

  function calendarFile(
    order: TrainingOrder,
    start: Date,
    end: Date,
    status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED',
  ) {
    return {
      filename: `utbildning-${order.id}.ics`,
      contentType: `text/calendar; charset=utf-8; method=${status === 'CANCELLED' ? 'CANCEL' : 'PUBLISH'}`,
      content: icsCalendar({
        uid: `training-order-${order.id}@hjalpmedelsskolan`,
        sequence: order.scheduleSequence,
        method: status === 'CANCELLED' ? 'CANCEL' : 'PUBLISH',
        status,
        start,
        end,
        stamp: new Date(),
        summary: order.offeringTitle,
        description: sv('bookings:mail.icsDescription', {
          organisation: order.organisationName,
          educator: order.educatorName ?? '',
          url: `${deps.publicBaseUrl}${paths.bookingOrder(order.id)}`,
        }),
        location: placeText(order),
        organizer: { name: sv('common:issuer'), email: organizerEmail },
        url: `${deps.publicBaseUrl}${paths.bookingOrder(order.id)}`,
      }),
    };
  }

  function when(order: TrainingOrder): string {
    return order.startsAt && order.endsAt
      ? sv('bookings:mail.when', {
          date: formatDate(order.startsAt, 'sv'),
          start: swedishTime(order.startsAt),
          end: swedishTime(order.endsAt),
        })
      : '';
  }

  /** Mails the orderer and the order's contact person (once each per event). */
  async function mailOrderer(
    trx: Transaction,
    order: TrainingOrder,
    event: string,
    withCalendar: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED' | null,
  ) {
    const recipients = [
      ...new Set(
        [order.contactEmail, order.orderedByEmail]
          .filter((e): e is string => !!e)
          .map((e) => e.toLowerCase()),
      ),
    ];
    const vars = {
      title: order.offeringTitle,
      organisation: order.organisationName,
      when: when(order),
      place: placeText(order),
      educator: order.educatorName ?? '',
      note: order.hmcNote ?? '',
      reason: order.declineReason ?? order.cancellationReason ?? '',
      id: order.id,
      url: `${deps.publicBaseUrl}${paths.bookingOrder(order.id)}`,
    };
    for (const to of recipients) {
      await mail.send(
        {
          to,
          userId: to === order.orderedByEmail?.toLowerCase() ? order.orderedBy : null,
          subject: sv(`bookings:mail.${event}.subject`, vars),
          text: sv(`bookings:mail.${event}.text`, vars),
          attachments:
            withCalendar && order.startsAt && order.endsAt
              ? [calendarFile(order, order.startsAt, order.endsAt, withCalendar)]
              : [],
        },
        { trx, eventKey: `training-order:${order.id}:${event}:${order.scheduleSequence}:${to}` },
      );
    }
  }

  /** Invites participants to a confirmed training (or tells them it is cancelled), once per schedule. */
  async function mailParticipants(
    trx: Transaction,
    order: TrainingOrder,
    list: Participant[],
    event: 'invite' | 'cancelled',
  ) {
    const { startsAt, endsAt } = order;
    if (!startsAt || !endsAt) return;
    for (const p of list) {
      const vars = {
        name: p.name,
        title: order.offeringTitle,
        organisation: order.organisationName,
        when: when(order),
        place: placeText(order),
        educator: order.educatorName ?? '',
        contact: order.contactName,
      };
      await mail.send(
        {
          to: p.email,
          userId: p.userId,
          subject: sv(`bookings:mail.participant.${event}.subject`, vars),
          text: sv(`bookings:mail.participant.${event}.text`, vars),
          attachments: [
            calendarFile(order, startsAt, endsAt, event === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'),
          ],
        },
        { trx, eventKey: `training-participant:${p.id}:${event}:${order.scheduleSequence}` },
      );
    }
  }

  return {
    /**
     * Records an orderer's request. Checks that the person orders for the organisation, that the offering is
     * published and can be held at the place, the dates are after today and the group fits. A repeated send
     * of the same form returns the first order.
     */
    async request(user: CurrentUser, r: OrderRequest): Promise<{ id: number; created: boolean }> {
      if (!ordersFor(user, r.organisationId)) throw forbidden('bookings:errors.notYourOrganisation');
      const already = await orders.findByToken(r.requestToken);
      if (already) {
        if (already.organisationId !== r.organisationId) throw conflict();
        return { id: already.id, created: false };
      }
      const offering = await offerings.find(r.offeringId);
      if (!offering || !offering.published) throw notFound('bookings:errors.offeringNotFound');
      return transaction(async (trx) => {
        if (r.orgNumber) await billing.setOrgNumber(trx, r.organisationId, r.orgNumber);
        const result = await orders.create(trx, user.id, r);
        if (result.created) await mailOrderer(trx, await current(trx, result.id), 'received', null);
        return result;
      });
    },

    /** HMC confirms a time (or moves a confirmed one): the orderer and the participants get a calendar file. */
    async confirm(user: CurrentUser, orderId: number, s: Schedule): Promise<void> {
      await transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        if (!['requested', 'proposed', 'confirmed'].includes(order.status))
          throw conflict('bookings:errors.notOpen');
        const unchanged =
          order.status === 'confirmed' &&
          order.startsAt?.getTime() === s.startsAt.getTime() &&
          order.endsAt?.getTime() === s.endsAt.getTime() &&
          order.educatorId === s.educatorId;
        if (unchanged) return;
        await writeSchedule(trx, order, 'confirmed', s, user);
        const updated = await current(trx, orderId);
        await mailOrderer(trx, updated, 'confirmed', 'CONFIRMED');
        await mailParticipants(trx, updated, await orders.participants(orderId, trx), 'invite');
      });
    },

    /** HMC proposes another time; the orderer accepts it (or cancels free of charge). */
    async propose(user: CurrentUser, orderId: number, s: Schedule): Promise<void> {
      await transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        if (!['requested', 'proposed'].includes(order.status)) throw conflict('bookings:errors.notOpen');
        if (
          order.status === 'proposed' &&
          order.startsAt?.getTime() === s.startsAt.getTime() &&
          order.endsAt?.getTime() === s.endsAt.getTime()
        )
          return;
        await writeSchedule(trx, order, 'proposed', s, user);
        await mailOrderer(trx, await current(trx, orderId), 'proposed', 'TENTATIVE');
      });
    },

    async decline(user: CurrentUser, orderId: number, reason: string): Promise<void> {
      await transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        if (order.status === 'declined') return;
        if (!['requested', 'proposed'].includes(order.status)) throw conflict('bookings:errors.notOpen');
        await orders.update(trx, orderId, {
          status: 'declined',
          decline_reason: reason,
          handled_by: user.id,
          handled_at: trx.fn.now(),
        });
        await mailOrderer(trx, await current(trx, orderId), 'declined', null);
      });
    },

    /** The orderer accepts HMC's proposed time; the order is confirmed. */
    async acceptProposal(user: CurrentUser, orderId: number, now = new Date()): Promise<void> {
      await transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertOrdererOf(user, order);
        if (order.status === 'confirmed') return;
        if (order.status !== 'proposed') throw conflict('bookings:errors.notProposed');
        if (!order.startsAt || order.startsAt <= now) throw conflict('bookings:errors.proposalPassed');
        await orders.update(trx, orderId, {
          status: 'confirmed',
          schedule_sequence: order.scheduleSequence + 1,
        });
        const updated = await current(trx, orderId);
        await mailOrderer(trx, updated, 'confirmed', 'CONFIRMED');
        await mailParticipants(trx, updated, await orders.participants(orderId, trx), 'invite');
      });
    },

    /**
     * Cancels an order. A customer's cancellation of a confirmed training after the free period is charged:
     * the late-cancellation invoice is drafted in the same transaction. HMC's cancellations are never charged.
     */
    async cancel(
      user: CurrentUser,
      orderId: number,
      by: 'customer' | 'hmc',
      reason: string | null,
      now = new Date(),
    ): Promise<{ charged: boolean }> {
      return transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        if (by === 'customer') assertOrdererOf(user, order);
        if (order.status === 'cancelled') return { charged: !!order.cancellationCharged };
        if (!['requested', 'proposed', 'confirmed'].includes(order.status))
          throw conflict('bookings:errors.notOpen');
        if (order.startsAt && order.status === 'confirmed' && order.startsAt <= now)
          throw conflict('bookings:errors.alreadyStarted');
        const { freeCancellationDays } = await billing.settings(trx);
        const terms = cancellationTerms({
          status: order.status,
          startsAt: order.startsAt,
          now,
          freeDays: freeCancellationDays,
          byHmc: by === 'hmc',
        });
        await orders.update(trx, orderId, {
          status: 'cancelled',
          cancelled_at: now,
          cancelled_by: user.id,
          cancelled_by_party: by,
          cancellation_reason: reason,
          cancellation_charged: terms.charged,
          schedule_sequence: order.scheduleSequence + 1,
        });
        const updated = await current(trx, orderId);
        if (terms.charged)
          await billing.draftForOrder(trx, invoiceable(updated), 'late_cancellation', user.id);
        await mailOrderer(
          trx,
          updated,
          terms.charged ? 'cancelledCharged' : by === 'hmc' ? 'cancelledByHmc' : 'cancelled',
          order.startsAt ? 'CANCELLED' : null,
        );
        if (order.status === 'confirmed')
          await mailParticipants(trx, updated, await orders.participants(orderId, trx), 'cancelled');
        return { charged: terms.charged };
      });
    },

    /**
     * Adds participants: people of the ordering organisation by id, or a name and e-mail that gets an
     * invitation. The list never grows beyond what the offering allows (checked under the order's lock).
     */
    async addParticipants(
      user: CurrentUser,
      orderId: number,
      add: { userIds: number[]; guests: { name: string; email: string }[] },
    ): Promise<number> {
      return transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertOrdererOf(user, order);
        if (!['requested', 'proposed', 'confirmed'].includes(order.status))
          throw conflict('bookings:errors.participantsClosed');
        const chosen = await people.activeByIds(add.userIds, trx);
        if (
          chosen.length !== new Set(add.userIds).size ||
          chosen.some((p) => p.organisationId !== order.organisationId)
        ) {
          throw forbidden('bookings:errors.notYourPeople');
        }
        const current = await orders.participants(orderId, trx);
        const known = new Set(current.map((p) => p.email.toLowerCase()));
        const wanted = [
          ...chosen.map((p) => ({
            userId: p.id,
            name: p.name,
            email: p.email,
          })),
          ...add.guests.map((g) => ({ userId: null as number | null, name: g.name, email: g.email })),
        ].filter(
          (w, i, all) =>
            !known.has(w.email.toLowerCase()) &&
            all.findIndex((x) => x.email.toLowerCase() === w.email.toLowerCase()) === i,
        );
        if (current.length + wanted.length > order.maxParticipants) {
          throw new HttpError(409, 'bookings:errors.tooManyParticipants', {
            max: order.maxParticipants,
            left: Math.max(0, order.maxParticipants - current.length),
          });
        }
        const added: Participant[] = [];
        for (const w of wanted) {
          // A guest is that person only within the ordering organisation and by a verified address; anyone
          // else with an account confirms it themselves (guest-confirmation.ts).
          const account = w.userId ?? (await organisationAccount(trx, w.email, order.organisationId));
          const p = await orders.addParticipant(trx, {
            orderId,
            userId: account,
            name: w.name,
            email: w.email,
            addedBy: user.id,
          });
          if (p) added.push(p);
          // Someone with an account elsewhere (or an unverified one) is asked to confirm it is them.
          if (p && account === null && (await auth.membershipByEmail(p.email, trx)))
            await mailGuestConfirmation(trx, { mail, t: sv, publicBaseUrl: deps.publicBaseUrl }, p, order);
        }
        if (order.status === 'confirmed') await mailParticipants(trx, order, added, 'invite');
        return added.length;
      });
    },

    async removeParticipant(user: CurrentUser, orderId: number, participantId: number): Promise<void> {
      await transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertOrdererOf(user, order);
        if (!['requested', 'proposed', 'confirmed'].includes(order.status))
          throw conflict('bookings:errors.participantsClosed');
        await orders.removeParticipant(trx, orderId, participantId);
      });
    },

    /**
     * The educator registers who came. Every participant with an account who came gets a classroom
     * completion of the corresponding e-course (it counts in their role track); the order is delivered and
     * its invoice drafted, all in one transaction. Registering again changes nothing.
     */
    async registerAttendance(
      user: CurrentUser,
      orderId: number,
      attendedIds: number[],
      now = new Date(),
    ): Promise<{ completions: number; invoiceId: number | null }> {
      return transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertRegistersAttendance(user, order);
        if (order.status === 'delivered') return { completions: 0, invoiceId: null };
        if (order.status !== 'confirmed') throw conflict('bookings:errors.notConfirmed');
        if (!order.startsAt || order.startsAt > now) throw conflict('bookings:errors.notStarted');
        const list = await orders.participants(orderId, trx);
        const unknown = attendedIds.filter((id) => !list.some((p) => p.id === id));
        if (unknown.length) throw notFound('bookings:errors.participantNotFound');
        let completions = 0;
        for (const p of list) {
          const came = attendedIds.includes(p.id);
          // Never another organisation's person unless they confirmed (then p.userId is set).
          const account = p.userId ?? (await organisationAccount(trx, p.email, order.organisationId));
          let completionId: number | null = null;
          if (came && account) {
            completionId = await classroomCompletion(trx, order, account);
            if (completionId !== null) completions++;
          }
          await orders.setAttendance(trx, p.id, came, account, completionId);
        }
        await orders.update(trx, orderId, { status: 'delivered', delivered_at: now });
        const delivered = await current(trx, orderId);
        const invoiceId = await billing.draftForOrder(trx, invoiceable(delivered), 'delivery', user.id);
        return { completions, invoiceId };
      });
    },

    /**
     * Corrects the attendance of a delivered training while its invoice is not issued (drafts are fine):
     * someone newly marked as present gets the classroom completion, someone un-marked loses it. Every
     * change is written to the audit log in the same transaction; submitting the same list again changes nothing.
     */
    async correctAttendance(
      user: CurrentUser,
      orderId: number,
      attendedIds: number[],
    ): Promise<{ added: number; removed: number }> {
      return transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertRegistersAttendance(user, order);
        if (order.status !== 'delivered') throw conflict('bookings:errors.notDelivered');
        // Locking the order's invoices makes an issue that runs at the same time wait for this correction.
        if ((await billing.lockOrderInvoices(trx, orderId)).issued)
          throw conflict('bookings:errors.attendanceInvoiced');
        const list = await orders.participants(orderId, trx);
        if (attendedIds.some((id) => !list.some((p) => p.id === id)))
          throw notFound('bookings:errors.participantNotFound');
        const added: { id: number; name: string; completionId: number | null }[] = [];
        const removed: { id: number; name: string; completionId: number | null }[] = [];
        for (const p of list) {
          const came = attendedIds.includes(p.id);
          if (came && !p.attended) {
            // The same matching as registering: never another organisation's person unless they confirmed.
            const account = p.userId ?? (await organisationAccount(trx, p.email, order.organisationId));
            const completionId = account ? await classroomCompletion(trx, order, account) : null;
            await orders.setAttendance(trx, p.id, true, account, completionId);
            added.push({ id: p.id, name: p.name, completionId });
          } else if (!came && p.attended) {
            await orders.setAttendance(trx, p.id, false, p.userId, null);
            if (p.completionId)
              await recordClassroomAttendance(trx, { attended: false, completionId: p.completionId });
            removed.push({ id: p.id, name: p.name, completionId: p.completionId });
          }
        }
        if (added.length || removed.length) {
          await audit.record(
            {
              actorId: user.id,
              action: 'attendance.correct',
              subject: `order:${orderId}`,
              details: { added, removed },
            },
            trx,
          );
        }
        return { added: added.length, removed: removed.length };
      });
    },

    /** The order if the person may see it (403 for another organisation's order, 404 when there is none). */
    async visibleOrder(user: CurrentUser, orderId: number | null): Promise<TrainingOrder> {
      const order = orderId === null ? null : await orders.find(orderId);
      if (!order) throw notFound('bookings:errors.orderNotFound');
      assertCanSeeOrder(user, order);
      return order;
    },

    /**
     * An administrator drafts an order's invoice again (after a full credit note): the delivery of a
     * delivered order, the fee of a charged cancellation. Returns the draft's id.
     */
    async draftInvoiceAgain(user: CurrentUser, orderId: number): Promise<number> {
      const id = await transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        const reason =
          order.status === 'delivered'
            ? 'delivery'
            : order.status === 'cancelled' && order.cancellationCharged
              ? 'late_cancellation'
              : null;
        if (!reason) throw new HttpError(409, 'bookings:errors.nothingToInvoice');
        return billing.draftForOrder(trx, invoiceable(order), reason, user.id);
      });
      if (id === null) throw new HttpError(409, 'bookings:errors.invoiceOpen');
      return id;
    },

    /** The contact person of an order, the buyer contact of its invoice (billing asks when it issues). */
    async invoiceContact(orderId: number, trx?: Transaction): Promise<OrderContact | null> {
      const order = await orders.find(orderId, trx);
      return order ? { name: order.contactName, email: order.contactEmail, phone: order.contactPhone } : null;
    },

    /** Confirmed classroom trainings that have not ended, for which these people are on the list. */
    upcomingForPeople: (userIds: number[]): Promise<BookedTraining[]> => orders.upcomingForPeople(userIds),

    /** A guest's invitation as the logged-in person sees it (guest-confirmation.ts). */
    async guestInvitation(
      user: CurrentUser,
      participantId: number | null,
    ): Promise<{ invitation: GuestInvitation; outcome: GuestOutcome }> {
      const { invitation, verified } = await invitationFor(user, participantId);
      return {
        invitation,
        outcome: invitation.userId === user.id ? 'already' : verified ? 'ask' : 'unverified',
      };
    },

    /** Links the guest's place on the list to the logged-in person (once; a repeat changes nothing). */
    async confirmGuest(
      user: CurrentUser,
      participantId: number | null,
    ): Promise<{ invitation: GuestInvitation; outcome: GuestOutcome }> {
      return transaction(async (trx) => {
        const { invitation, verified } = await invitationFor(user, participantId, trx);
        if (invitation.userId === user.id) return { invitation, outcome: 'already' as const };
        if (!verified) return { invitation, outcome: 'unverified' as const };
        await orders.confirmGuest(trx, invitation.id, user.id);
        return { invitation, outcome: 'confirmed' as const };
      });
    },

    /** Swedish calendar date of an order's time, for forms. */
    dateOf: (order: TrainingOrder) => (order.startsAt ? swedishDate(order.startsAt) : null),
  };
}

export type BookingsService = ReturnType<typeof bookingsService>;
