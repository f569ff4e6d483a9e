/**
 * Commands on commissioned trainings. Each runs in one transaction with the order's row lock, queues its
 * e-mails (with a calendar file) in the same transaction, and is safe to repeat: a double click finds the
 * work already done.
 */
import type { i18n, TFunction } from 'i18next';
import type { Knex } from 'knex';
import type { CurrentUser } from '../auth/types';
import type { BillingService } from '../billing/billing-service';
import type { PartiesRepository } from '../billing/parties-repository';
import { addMonths } from '../courses/course-status';
import { conflict, forbidden, HttpError, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { formatDate } from '../i18n/i18n';
import type { MailService } from '../mail/mail-service';
import { newVerificationCode } from '../certificates/verification-code';
import { assertCanSeeOrder, assertOrdererOf, assertRegistersAttendance, ordersFor } from './bookings-policy';
import { cancellationTerms } from './cancellation';
import { mailGuestConfirmation, organisationAccount } from './guest-confirmation';
import { swedishDate, swedishTime } from './dates';
import { icsCalendar } from './ics';
import type { OfferingsRepository } from './offerings-repository';
import type { OrdersRepository } from './orders-repository';
import type { OrderRequest, Participant, TrainingOrder } from './types';

export interface Schedule {
  startsAt: Date;
  endsAt: Date;
  educatorId: number;
  note: string | null;
}

export function bookingsService(deps: {
  db: Knex;
  i18n: i18n;
  offerings: OfferingsRepository;
  orders: OrdersRepository;
  parties: PartiesRepository;
  billing: BillingService;
  mail: MailService;
  publicBaseUrl: string;
  mailFrom: string;
}) {
  const { db, offerings, orders, parties, billing, mail } = deps;
  // E-mails about an order are Swedish, like the invoice and the certificate.
  const sv: TFunction = deps.i18n.getFixedT('sv');
  const organizerEmail = /<([^>]+)>/.exec(deps.mailFrom)?.[1] ?? deps.mailFrom;

  async function lockedOrder(trx: Knex.Transaction, id: number): Promise<TrainingOrder> {
    const order = await orders.find(id, trx, true);
    if (!order) throw notFound('bookings:errors.orderNotFound');
    return order;
  }

  /** The course an order's training counts as (its latest version), or null when it counts as none. */
  async function courseOf(
    trx: Knex.Transaction,
    order: TrainingOrder,
  ): Promise<{ id: number; courseId: number; validity_months: number | null } | null> {
    if (!order.courseId) return null;
    const row = await trx('course_versions')
      .where({ course_id: order.courseId })
      .orderBy('version', 'desc')
      .first('id', trx.raw(`(content->>'validityMonths')::int as validity_months`));
    return row ? { ...row, courseId: order.courseId } : null;
  }

  /** A classroom completion for one participant who came: the course is approved in their role track. */
  async function classroomCompletion(
    trx: Knex.Transaction,
    order: TrainingOrder,
    course: { id: number; courseId: number; validity_months: number | null },
    userId: number,
  ): Promise<number> {
    const completedAt = order.endsAt ?? order.startsAt!;
    const [row] = await trx('completions')
      .insert({
        user_id: userId,
        course_id: course.courseId,
        course_version_id: course.id,
        kind: 'classroom',
        completed_at: completedAt,
        valid_until: addMonths(completedAt, course.validity_months ?? 12),
        verification_code: newVerificationCode(),
      })
      .returning('id');
    return row.id;
  }

  function placeText(order: TrainingOrder): string {
    if (order.place === 'workplace') return order.placeAddress ?? sv('bookings:place.workplace');
    return sv(`bookings:place.${order.place}`);
  }

  function calendarFile(order: TrainingOrder, status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED') {
    return {
      filename: `utbildning-${order.id}.ics`,
      contentType: `text/calendar; charset=utf-8; method=${status === 'CANCELLED' ? 'CANCEL' : 'PUBLISH'}`,
      content: icsCalendar({
        uid: `training-order-${order.id}@hjalpmedelsskolan`,
        sequence: order.scheduleSequence,
        method: status === 'CANCELLED' ? 'CANCEL' : 'PUBLISH',
        status,
        start: order.startsAt!,
        end: order.endsAt!,
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
    trx: Knex.Transaction,
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
          attachments: withCalendar && order.startsAt ? [calendarFile(order, withCalendar)] : [],
        },
        { trx, eventKey: `training-order:${order.id}:${event}:${order.scheduleSequence}:${to}` },
      );
    }
  }

  /** Invites participants to a confirmed training (or tells them it is cancelled), once per schedule. */
  async function mailParticipants(
    trx: Knex.Transaction,
    order: TrainingOrder,
    list: Participant[],
    event: 'invite' | 'cancelled',
  ) {
    if (!order.startsAt) return;
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
          attachments: [calendarFile(order, event === 'cancelled' ? 'CANCELLED' : 'CONFIRMED')],
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
    async request(
      user: CurrentUser,
      r: OrderRequest,
      now = new Date(),
    ): Promise<{ id: number; created: boolean }> {
      if (!ordersFor(user, r.organisationId)) throw forbidden('bookings:errors.notYourOrganisation');
      const already = await orders.findByToken(r.requestToken);
      if (already) {
        if (already.organisationId !== r.organisationId) throw conflict();
        return { id: already.id, created: false };
      }
      const offering = await offerings.find(r.offeringId);
      if (!offering || !offering.published) throw notFound('bookings:errors.offeringNotFound');
      return db.transaction(async (trx) => {
        if (r.orgNumber) await parties.setOrgNumber(trx, r.organisationId, r.orgNumber);
        const result = await orders.create(trx, user.id, r);
        if (result.created) {
          const order = (await orders.find(result.id, trx))!;
          await mailOrderer(trx, order, 'received', null);
        }
        return result;
      });
    },

    /** HMC confirms a time (or moves a confirmed one): the orderer and the participants get a calendar file. */
    async confirm(user: CurrentUser, orderId: number, s: Schedule): Promise<void> {
      await db.transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        if (!['requested', 'proposed', 'confirmed'].includes(order.status))
          throw conflict('bookings:errors.notOpen');
        const unchanged =
          order.status === 'confirmed' &&
          order.startsAt?.getTime() === s.startsAt.getTime() &&
          order.endsAt?.getTime() === s.endsAt.getTime() &&
          order.educatorId === s.educatorId;
        if (unchanged) return;
        await orders.update(trx, orderId, {
          status: 'confirmed',
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          educator_id: s.educatorId,
          hmc_note: s.note,
          handled_by: user.id,
          handled_at: trx.fn.now(),
          schedule_sequence: order.scheduleSequence + 1,
        });
        const updated = (await orders.find(orderId, trx))!;
        await mailOrderer(trx, updated, 'confirmed', 'CONFIRMED');
        await mailParticipants(trx, updated, await orders.participants(orderId, trx), 'invite');
      });
    },

    /** HMC proposes another time; the orderer accepts it (or cancels free of charge). */
    async propose(user: CurrentUser, orderId: number, s: Schedule): Promise<void> {
      await db.transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        if (!['requested', 'proposed'].includes(order.status)) throw conflict('bookings:errors.notOpen');
        if (
          order.status === 'proposed' &&
          order.startsAt?.getTime() === s.startsAt.getTime() &&
          order.endsAt?.getTime() === s.endsAt.getTime()
        )
          return;
        await orders.update(trx, orderId, {
          status: 'proposed',
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          educator_id: s.educatorId,
          hmc_note: s.note,
          handled_by: user.id,
          handled_at: trx.fn.now(),
          schedule_sequence: order.scheduleSequence + 1,
        });
        await mailOrderer(trx, (await orders.find(orderId, trx))!, 'proposed', 'TENTATIVE');
      });
    },

    async decline(user: CurrentUser, orderId: number, reason: string): Promise<void> {
      await db.transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        if (order.status === 'declined') return;
        if (!['requested', 'proposed'].includes(order.status)) throw conflict('bookings:errors.notOpen');
        await orders.update(trx, orderId, {
          status: 'declined',
          decline_reason: reason,
          handled_by: user.id,
          handled_at: trx.fn.now(),
        });
        await mailOrderer(trx, (await orders.find(orderId, trx))!, 'declined', null);
      });
    },

    /** The orderer accepts HMC's proposed time; the order is confirmed. */
    async acceptProposal(user: CurrentUser, orderId: number, now = new Date()): Promise<void> {
      await db.transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertOrdererOf(user, order);
        if (order.status === 'confirmed') return;
        if (order.status !== 'proposed') throw conflict('bookings:errors.notProposed');
        if (order.startsAt! <= now) throw conflict('bookings:errors.proposalPassed');
        await orders.update(trx, orderId, {
          status: 'confirmed',
          schedule_sequence: order.scheduleSequence + 1,
        });
        const updated = (await orders.find(orderId, trx))!;
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
      return db.transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        if (by === 'customer') assertOrdererOf(user, order);
        if (order.status === 'cancelled') return { charged: !!order.cancellationCharged };
        if (!['requested', 'proposed', 'confirmed'].includes(order.status))
          throw conflict('bookings:errors.notOpen');
        if (order.startsAt && order.status === 'confirmed' && order.startsAt <= now)
          throw conflict('bookings:errors.alreadyStarted');
        const { freeCancellationDays } = await parties.settings(trx);
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
        const updated = (await orders.find(orderId, trx))!;
        if (terms.charged) await billing.draftForOrder(trx, updated, 'late_cancellation', user.id);
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
      return db.transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertOrdererOf(user, order);
        if (!['requested', 'proposed', 'confirmed'].includes(order.status))
          throw conflict('bookings:errors.participantsClosed');
        const people = add.userIds.length
          ? await trx('users as u')
              .join('units as un', 'un.id', 'u.unit_id')
              .whereIn('u.id', add.userIds)
              .whereNull('u.disabled_at')
              .select('u.id', 'u.name', 'u.email', 'un.organisation_id')
          : [];
        if (
          people.length !== new Set(add.userIds).size ||
          people.some((p: { organisation_id: number }) => p.organisation_id !== order.organisationId)
        ) {
          throw forbidden('bookings:errors.notYourPeople');
        }
        const current = await orders.participants(orderId, trx);
        const known = new Set(current.map((p) => p.email.toLowerCase()));
        const wanted = [
          ...people.map((p: { id: number; name: string; email: string }) => ({
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
          if (p && account === null)
            await mailGuestConfirmation(trx, { mail, t: sv, publicBaseUrl: deps.publicBaseUrl }, p, order);
        }
        if (order.status === 'confirmed') await mailParticipants(trx, order, added, 'invite');
        return added.length;
      });
    },

    async removeParticipant(user: CurrentUser, orderId: number, participantId: number): Promise<void> {
      await db.transaction(async (trx) => {
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
      return db.transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertRegistersAttendance(user, order);
        if (order.status === 'delivered') return { completions: 0, invoiceId: null };
        if (order.status !== 'confirmed') throw conflict('bookings:errors.notConfirmed');
        if (!order.startsAt || order.startsAt > now) throw conflict('bookings:errors.notStarted');
        const list = await orders.participants(orderId, trx);
        const unknown = attendedIds.filter((id) => !list.some((p) => p.id === id));
        if (unknown.length) throw notFound('bookings:errors.participantNotFound');
        const course = await courseOf(trx, order);
        let completions = 0;
        for (const p of list) {
          const came = attendedIds.includes(p.id);
          // Never another organisation's person unless they confirmed (then p.userId is set).
          const account = p.userId ?? (await organisationAccount(trx, p.email, order.organisationId));
          let completionId: number | null = null;
          if (came && account && course) {
            completionId = await classroomCompletion(trx, order, course, account);
            completions++;
          }
          await orders.setAttendance(trx, p.id, came, account, completionId);
        }
        await orders.update(trx, orderId, { status: 'delivered', delivered_at: now });
        const delivered = (await orders.find(orderId, trx))!;
        const invoiceId = await billing.draftForOrder(trx, delivered, 'delivery', user.id);
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
      return db.transaction(async (trx) => {
        const order = await lockedOrder(trx, orderId);
        assertRegistersAttendance(user, order);
        if (order.status !== 'delivered') throw conflict('bookings:errors.notDelivered');
        // Locking the order's invoices makes an issue that runs at the same time wait for this correction.
        const orderInvoices = await trx('invoices')
          .where({ training_order_id: orderId })
          .forUpdate()
          .select('kind', 'status');
        if (
          orderInvoices.some(
            (i: { kind: string; status: string }) => i.kind === 'invoice' && i.status === 'issued',
          )
        )
          throw conflict('bookings:errors.attendanceInvoiced');
        const list = await orders.participants(orderId, trx);
        if (attendedIds.some((id) => !list.some((p) => p.id === id)))
          throw notFound('bookings:errors.participantNotFound');
        const course = await courseOf(trx, order);
        const added: { id: number; name: string; completionId: number | null }[] = [];
        const removed: { id: number; name: string; completionId: number | null }[] = [];
        for (const p of list) {
          const came = attendedIds.includes(p.id);
          if (came && !p.attended) {
            // The same matching as registering: never another organisation's person unless they confirmed.
            const account = p.userId ?? (await organisationAccount(trx, p.email, order.organisationId));
            const completionId =
              account && course ? await classroomCompletion(trx, order, course, account) : null;
            await orders.setAttendance(trx, p.id, true, account, completionId);
            added.push({ id: p.id, name: p.name, completionId });
          } else if (!came && p.attended) {
            await orders.setAttendance(trx, p.id, false, p.userId, null);
            if (p.completionId) await trx('completions').where({ id: p.completionId }).delete();
            removed.push({ id: p.id, name: p.name, completionId: p.completionId });
          }
        }
        if (added.length || removed.length) {
          await trx('audit_log').insert({
            actor_id: user.id,
            action: 'attendance.correct',
            subject: `order:${orderId}`,
            details: JSON.stringify({ added, removed }),
          });
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

    /** Swedish calendar date of an order's time, for forms. */
    dateOf: (order: TrainingOrder) => (order.startsAt ? swedishDate(order.startsAt) : null),
  };
}

export type BookingsService = ReturnType<typeof bookingsService>;
