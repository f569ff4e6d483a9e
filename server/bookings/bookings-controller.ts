/** Pages and forms of commissioned trainings, for orderers (beställare) and for HMC. Thin: parse, authorise, call a service. */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { BillingService } from '../billing/billing-service';
import { formatOrgNumber } from '../billing/identifiers';
import type { InvoicesRepository } from '../billing/invoices-repository';
import { formatKronor, invoiceTotals } from '../billing/money';
import type { PartiesRepository } from '../billing/parties-repository';
import type { CurrentUser } from '../auth/types';
import type { JobRolesRepository } from '../organisations/job-roles-repository';
import type { CoursesRepository } from '../courses/courses-repository';
import { HttpError, forbidden, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { idParam, parseForm, type FieldErrors } from '../http/validation';
import type { Language } from '../i18n/i18n';
import type { Knex } from 'knex';
import { bookerOrganisations, isAdmin, isHmc } from './bookings-policy';
import type { BookingsService } from './bookings-service';
import {
  attendanceSchema,
  cancelSchema,
  checkOrder,
  checkOrderLeniently,
  handleSchema,
  offeringSchema,
  orderSchema,
  participantsSchema,
} from './bookings-validation';
import { cancellationTerms } from './cancellation';
import { swedishDate, swedishInstant, swedishTime } from './dates';
import type { OfferingsRepository } from './offerings-repository';
import type { OrdersRepository } from './orders-repository';
import {
  OFFERING_AREAS,
  ORDER_STATUSES,
  PLACES,
  type Offering,
  type OrderRequest,
  type OrderStatus,
  type TrainingOrder,
} from './types';
import { confirmedOrAsk } from '../http/confirm';

/** Formatting helpers every bookings and billing view uses. */
export function viewHelpers(lng: Language) {
  return {
    money: (ore: number) => formatKronor(ore, lng),
    orgNumber: formatOrgNumber,
    time: (d: Date) => swedishTime(d),
    day: (d: Date) => swedishDate(d),
  };
}

export function bookingsController(deps: {
  db: Knex;
  bookings: BookingsService;
  billing: BillingService;
  offerings: OfferingsRepository;
  orders: OrdersRepository;
  invoices: InvoicesRepository;
  parties: PartiesRepository;
  jobRoles: JobRolesRepository;
  courses: CoursesRepository;
}) {
  const { db, bookings, billing, offerings, orders, invoices, parties, jobRoles, courses } = deps;

  const render = (req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200) =>
    res.status(status).render(view, { ...viewHelpers(req.lng), errors: {}, ...data });

  async function publishedOffering(req: Request): Promise<Offering> {
    const id = idParam(req.params.id);
    const offering = id === null ? null : await offerings.find(id);
    if (!offering || (!offering.published && !isHmc(req.user!)))
      throw notFound('bookings:errors.offeringNotFound');
    return offering;
  }

  /** Today's prices for the offering and the cancellation terms, shown before anyone orders. */
  async function priceTerms(offering: Offering) {
    const [sheet, settings] = await Promise.all([
      billing.priceSheet(offering, swedishDate(new Date())),
      parties.settings(),
    ]);
    return {
      sheet,
      freeDays: settings.freeCancellationDays,
      lateFee: sheet.find((l) => l.code === 'late_cancellation') ?? null,
    };
  }

  async function organisationsOf(user: CurrentUser) {
    const ids = bookerOrganisations(user);
    return ids.length ? Promise.all(ids.map(async (id) => (await parties.find(id))!)) : [];
  }

  async function renderOrderForm(
    req: Request,
    res: Response,
    offering: Offering,
    values: Record<string, unknown>,
    errors: FieldErrors,
    status = 200,
  ) {
    const [orgs, terms] = await Promise.all([organisationsOf(req.user!), priceTerms(offering)]);
    render(
      req,
      res,
      'bookings/order-form',
      {
        title: req.t('bookings:order.title', { title: offering.title[req.user!.contentVariant] }),
        offering,
        organisations: orgs,
        values,
        errors,
        places: PLACES,
        terms,
      },
      status,
    );
  }

  async function orderPage(
    req: Request,
    res: Response,
    order: TrainingOrder,
    view: 'bookings/order' | 'bookings/hmc-order',
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const now = new Date();
    const settings = await parties.settings();
    const participants = await orders.participants(order.id);
    // Invoices are for the ordering organisation and administrators; educators handle the training only.
    const seesInvoices = isAdmin(req.user!) || bookerOrganisations(req.user!).includes(order.organisationId);
    const allInvoices = await invoices.forOrder(order.id);
    const orderInvoices = seesInvoices
      ? allInvoices.filter((i) => i.status === 'issued' || isAdmin(req.user!))
      : [];
    const handlesAttendance = isAdmin(req.user!) || order.educatorId === req.user!.id;
    const terms = cancellationTerms({
      status: order.status,
      startsAt: order.startsAt,
      now,
      freeDays: settings.freeCancellationDays,
      byHmc: view === 'bookings/hmc-order',
    });
    const fee = await deps.billing
      .price([{ code: 'late_cancellation', quantity: 1 }], swedishDate(order.startsAt ?? now))
      .catch(() => null);
    const organisationPeople =
      view === 'bookings/order' && ['requested', 'proposed', 'confirmed'].includes(order.status)
        ? await db('users as u')
            .join('units as un', 'un.id', 'u.unit_id')
            .where('un.organisation_id', order.organisationId)
            .whereNull('u.disabled_at')
            .orderBy('u.name')
            .limit(500)
            .select('u.id', 'u.name', 'u.email', 'un.name as unit_name')
        : [];
    const educators =
      view === 'bookings/hmc-order'
        ? await db('users as u')
            .join('permissions as p', 'p.user_id', 'u.id')
            .where('p.kind', 'educator')
            .whereNull('u.disabled_at')
            .distinct('u.id', 'u.name')
            .orderBy('u.name')
        : [];
    render(
      req,
      res,
      view,
      {
        title: req.t('bookings:orderPage.title', { id: order.id }),
        order,
        participants,
        invoices: orderInvoices.map((i) => ({ ...i, totals: invoiceTotals(i.lines) })),
        terms,
        fee: fee ? fee[0].unitPriceOre : null,
        organisationPeople: organisationPeople.filter(
          (p: { email: string }) =>
            !participants.some((x) => x.email.toLowerCase() === p.email.toLowerCase()),
        ),
        educators,
        open: ['requested', 'proposed', 'confirmed'].includes(order.status),
        started: !!order.startsAt && order.startsAt <= now,
        canRegister:
          order.status === 'confirmed' && !!order.startsAt && order.startsAt <= now && handlesAttendance,
        // A mistake in the attendance can be corrected until the order's invoice is issued.
        canCorrect:
          view === 'bookings/hmc-order' &&
          order.status === 'delivered' &&
          handlesAttendance &&
          !allInvoices.some((i) => i.kind === 'invoice' && i.status === 'issued'),
        notice: typeof req.query.klart === 'string' ? req.query.klart : null,
        values: {},
        ...extra,
      },
      status,
    );
  }

  async function loadOrder(req: Request): Promise<TrainingOrder> {
    return bookings.visibleOrder(req.user!, idParam(req.params.id));
  }

  return {
    // ---- Offerings (everyone who orders or handles) ----
    async offeringsList(req: Request, res: Response) {
      const [list, roles] = await Promise.all([offerings.list(), jobRoles.list()]);
      render(req, res, 'bookings/offerings', {
        title: req.t('bookings:offerings.title'),
        offerings: list,
        roles,
        canOrder: bookerOrganisations(req.user!).length > 0,
      });
    },

    async offeringPage(req: Request, res: Response) {
      const offering = await publishedOffering(req);
      const [roles, course, terms] = await Promise.all([
        jobRoles.list(),
        offering.courseSlug ? courses.latestBySlug(offering.courseSlug) : null,
        priceTerms(offering),
      ]);
      render(req, res, 'bookings/offering', {
        title: offering.title[req.user!.contentVariant],
        offering,
        roles,
        course,
        terms,
        canOrder: bookerOrganisations(req.user!).length > 0,
      });
    },

    // ---- Ordering ----
    async orderForm(req: Request, res: Response) {
      const offering = await publishedOffering(req);
      const orgs = await organisationsOf(req.user!);
      if (!orgs.length) throw forbidden('bookings:errors.notBooker');
      await renderOrderForm(
        req,
        res,
        offering,
        {
          organisationId: String(orgs[0].organisationId),
          requestToken: crypto.randomUUID(),
          place: offering.places[0],
          contactName: req.user!.name,
          contactEmail: req.user!.email,
        },
        {},
      );
    },

    /** First send shows the price estimate line by line; the second (confirm) sends the order. */
    async submitOrder(req: Request, res: Response) {
      const offering = await publishedOffering(req);
      const user = req.user!;
      const body = req.body ?? {};
      if (body.step === 'edit') return renderOrderForm(req, res, offering, body, {});
      const form = parseForm(orderSchema, body);
      if (!form.ok)
        return renderOrderForm(
          req,
          res,
          offering,
          body,
          { ...checkOrderLeniently(body, offering, swedishDate(new Date())), ...form.errors },
          400,
        );
      if (!bookerOrganisations(user).includes(form.data.organisationId))
        throw forbidden('bookings:errors.notYourOrganisation');
      // A repeated send of a form that already made an order goes to that order.
      const existing = await orders.findByToken(form.data.requestToken);
      if (existing && existing.organisationId === form.data.organisationId)
        return res.redirect(303, paths.bookingOrder(existing.id));
      const organisation = await parties.find(form.data.organisationId);
      const checked = checkOrder(form.data, offering, swedishDate(new Date()), !organisation?.orgNumber);
      if (Object.keys(checked.errors).length)
        return renderOrderForm(req, res, offering, body, checked.errors, 400);
      const request: OrderRequest = {
        organisationId: form.data.organisationId,
        offeringId: offering.id,
        requestToken: form.data.requestToken,
        preferredDates: checked.dates,
        place: form.data.place,
        placeAddress: form.data.place === 'workplace' ? form.data.placeAddress : null,
        expectedParticipants: form.data.expectedParticipants,
        withVenue: form.data.place === 'hmc' && form.data.withVenue,
        withCoffee: form.data.place !== 'digital' && form.data.withCoffee,
        contactName: form.data.contactName,
        contactEmail: form.data.contactEmail,
        contactPhone: form.data.contactPhone,
        buyerReference: form.data.buyerReference,
        costCentre: form.data.costCentre,
        message: form.data.message,
        orgNumber: checked.orgNumber,
      };
      if (body.step !== 'send') {
        let estimate = null;
        let estimateError: HttpError | null = null;
        try {
          estimate = await billing.estimate(
            {
              length: offering.length,
              place: request.place,
              withVenue: request.withVenue,
              withCoffee: request.withCoffee,
              offeringTitle: offering.title.standard,
              participants: request.expectedParticipants,
            },
            checked.dates[0],
          );
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          estimateError = error;
        }
        return render(req, res, 'bookings/order-preview', {
          title: req.t('bookings:preview.title'),
          offering,
          request,
          organisation,
          estimate,
          estimateError,
          terms: await priceTerms(offering),
          values: body,
        });
      }
      const { id } = await bookings.request(user, request);
      res.redirect(303, `${paths.bookingOrder(id)}?klart=skickad`);
    },

    // ---- The orderer's orders ----
    async myOrders(req: Request, res: Response) {
      const user = req.user!;
      const orgIds = bookerOrganisations(user);
      if (!orgIds.length) {
        if (isHmc(user)) return res.redirect(paths.hmcOrders);
        throw forbidden('bookings:errors.notBooker');
      }
      render(req, res, 'bookings/orders', {
        title: req.t('bookings:orders.title'),
        orders: await orders.listForOrganisations(orgIds),
      });
    },

    async order(req: Request, res: Response) {
      const order = await loadOrder(req);
      if (!bookerOrganisations(req.user!).includes(order.organisationId))
        return res.redirect(paths.hmcOrder(order.id));
      await orderPage(req, res, order, 'bookings/order');
    },

    async accept(req: Request, res: Response) {
      const order = await loadOrder(req);
      await bookings.acceptProposal(req.user!, order.id);
      res.redirect(303, `${paths.bookingOrder(order.id)}?klart=accepterad`);
    },

    async cancel(req: Request, res: Response) {
      const order = await loadOrder(req);
      const form = parseForm(cancelSchema, req.body);
      if (!form.ok) return orderPage(req, res, order, 'bookings/order', { errors: form.errors }, 400);
      const byHmc = req.path.startsWith('/hmc/');
      if (byHmc && !isHmc(req.user!)) throw forbidden();
      const settings = await parties.settings();
      const terms = cancellationTerms({
        status: order.status,
        startsAt: order.startsAt,
        now: new Date(),
        freeDays: settings.freeCancellationDays,
        byHmc,
      });
      const fee = terms.charged
        ? await billing
            .price([{ code: 'late_cancellation', quantity: 1 }], swedishDate(order.startsAt ?? new Date()))
            .catch(() => null)
        : null;
      // An order that is no longer open is not asked about again (a repeated send changes nothing).
      const stillOpen = ['requested', 'proposed', 'confirmed'].includes(order.status);
      const confirmed =
        !stillOpen ||
        confirmedOrAsk(req, res, {
          title: req.t('bookings:cancel.confirmTitle'),
          consequence:
            terms.charged && fee
              ? req.t('bookings:cancel.confirmCharged', { fee: formatKronor(fee[0].unitPriceOre, req.lng) })
              : req.t('bookings:cancel.confirmFree'),
          confirmLabel: req.t('bookings:cancel.confirmButton'),
          backHref: byHmc ? paths.hmcOrder(order.id) : paths.bookingOrder(order.id),
        });
      if (!confirmed) return;
      await bookings.cancel(
        req.user!,
        order.id,
        byHmc ? 'hmc' : 'customer',
        form.data.reason ?? form.data.cancelReason,
      );
      res.redirect(303, `${byHmc ? paths.hmcOrder(order.id) : paths.bookingOrder(order.id)}?klart=avbokad`);
    },

    async addParticipants(req: Request, res: Response) {
      const order = await loadOrder(req);
      const form = parseForm(participantsSchema, req.body);
      if (!form.ok)
        return orderPage(
          req,
          res,
          order,
          'bookings/order',
          { errors: form.errors, values: req.body ?? {} },
          400,
        );
      try {
        await bookings.addParticipants(req.user!, order.id, {
          userIds: form.data.userIds,
          guests:
            form.data.guestName && form.data.guestEmail
              ? [{ name: form.data.guestName, email: form.data.guestEmail }]
              : [],
        });
      } catch (error) {
        // A conflict (too many participants, or the list closed meanwhile) is said on the order page.
        if (error instanceof HttpError && error.status === 409) {
          return orderPage(
            req,
            res,
            order,
            'bookings/order',
            { errors: { userIds: { key: error.messageKey, params: error.params } }, values: req.body ?? {} },
            409,
          );
        }
        throw error;
      }
      res.redirect(303, `${paths.bookingOrder(order.id)}?klart=deltagare#deltagare`);
    },

    async removeParticipant(req: Request, res: Response) {
      const order = await loadOrder(req);
      const participantId = idParam(req.params.participant);
      if (participantId === null) throw notFound('bookings:errors.participantNotFound');
      const participant = (await orders.participants(order.id)).find((p) => p.id === participantId);
      if (!participant) throw notFound('bookings:errors.participantNotFound');
      const confirmed = confirmedOrAsk(req, res, {
        title: req.t('bookings:participants.confirmRemoveTitle', { name: participant.name }),
        consequence: req.t('bookings:participants.confirmRemove'),
        confirmLabel: req.t('bookings:participants.confirmRemoveButton'),
        backHref: `${paths.bookingOrder(order.id)}#deltagare`,
      });
      if (!confirmed) return;
      await bookings.removeParticipant(req.user!, order.id, participantId);
      res.redirect(303, `${paths.bookingOrder(order.id)}#deltagare`);
    },

    // ---- HMC ----
    async hmcOrders(req: Request, res: Response) {
      const status =
        typeof req.query.status === 'string' &&
        (ORDER_STATUSES as readonly string[]).includes(req.query.status)
          ? (req.query.status as OrderStatus)
          : null;
      render(req, res, 'bookings/hmc-orders', {
        title: req.t('bookings:hmc.title'),
        orders: await orders.listAll(status ? [status] : []),
        status,
        statuses: ORDER_STATUSES,
      });
    },

    async hmcOrder(req: Request, res: Response) {
      await orderPage(req, res, await loadOrder(req), 'bookings/hmc-order');
    },

    async handle(req: Request, res: Response) {
      const order = await loadOrder(req);
      const form = parseForm(handleSchema, req.body);
      const fail = (errors: FieldErrors, status = 400) =>
        orderPage(req, res, order, 'bookings/hmc-order', { errors, values: req.body ?? {} }, status);
      if (!form.ok) return fail(form.errors);
      const data = form.data;
      if (data.action === 'decline') {
        await bookings.decline(req.user!, order.id, data.reason);
        return res.redirect(303, `${paths.hmcOrder(order.id)}?klart=avbojd`);
      }
      const errors: FieldErrors = {};
      if (data.date <= swedishDate(new Date())) errors.date = 'bookings:errors.datePast';
      if (data.endTime <= data.startTime) errors.endTime = 'bookings:errors.endBeforeStart';
      const educator = await db('permissions')
        .where({ user_id: data.educatorId, kind: 'educator' })
        .first('user_id');
      if (!educator) errors.educatorId = 'bookings:errors.educatorRequired';
      if (Object.keys(errors).length) return fail(errors);
      const schedule = {
        startsAt: swedishInstant(data.date, data.startTime),
        endsAt: swedishInstant(data.date, data.endTime),
        educatorId: data.educatorId,
        note: data.note,
      };
      if (data.action === 'confirm') await bookings.confirm(req.user!, order.id, schedule);
      else await bookings.propose(req.user!, order.id, schedule);
      res.redirect(
        303,
        `${paths.hmcOrder(order.id)}?klart=${data.action === 'confirm' ? 'bekraftad' : 'foreslagen'}`,
      );
    },

    async attendance(req: Request, res: Response) {
      const order = await loadOrder(req);
      const form = parseForm(attendanceSchema, req.body);
      if (!form.ok) return orderPage(req, res, order, 'bookings/hmc-order', { errors: form.errors }, 400);
      if (form.data.correction) {
        await bookings.correctAttendance(req.user!, order.id, form.data.attended);
        return res.redirect(303, `${paths.hmcOrder(order.id)}?klart=narvarorattad`);
      }
      await bookings.registerAttendance(req.user!, order.id, form.data.attended);
      res.redirect(303, `${paths.hmcOrder(order.id)}?klart=genomford`);
    },

    /** An administrator drafts an order's invoice again (after a full credit note). */
    async draftAgain(req: Request, res: Response) {
      const order = await loadOrder(req);
      const reason =
        order.status === 'delivered'
          ? 'delivery'
          : order.status === 'cancelled' && order.cancellationCharged
            ? 'late_cancellation'
            : null;
      if (!reason) throw new HttpError(409, 'bookings:errors.nothingToInvoice');
      const id = await db.transaction(async (trx) =>
        billing.draftForOrder(trx, (await orders.find(order.id, trx, true))!, reason, req.user!.id),
      );
      if (id === null) throw new HttpError(409, 'bookings:errors.invoiceOpen');
      res.redirect(303, paths.adminInvoice(id));
    },

    // ---- HMC: offerings ----
    async hmcOfferings(req: Request, res: Response) {
      render(req, res, 'bookings/hmc-offerings', {
        title: req.t('bookings:hmcOfferings.title'),
        offerings: await offerings.list({ includeUnpublished: true }),
      });
    },

    async offeringForm(req: Request, res: Response) {
      const id = req.params.id ? idParam(req.params.id) : null;
      const offering = id !== null ? await offerings.find(id) : null;
      if (req.params.id && !offering) throw notFound('bookings:errors.offeringNotFound');
      const values = offering
        ? {
            titleStandard: offering.title.standard,
            titleEasy: offering.title.easy,
            descriptionStandard: offering.description.standard,
            descriptionEasy: offering.description.easy,
            area: offering.area,
            length: offering.length,
            places: offering.places,
            maxParticipants: String(offering.maxParticipants),
            courseId: offering.courseId ? String(offering.courseId) : '',
            jobRoles: offering.jobRoles,
            published: offering.published,
          }
        : { places: ['hmc'], maxParticipants: '16', published: false, jobRoles: [] };
      await renderOfferingForm(req, res, offering?.id ?? null, values, {});
    },

    async saveOffering(req: Request, res: Response) {
      const id = req.params.id ? idParam(req.params.id) : null;
      if (req.params.id && (id === null || !(await offerings.find(id))))
        throw notFound('bookings:errors.offeringNotFound');
      const form = parseForm(offeringSchema, req.body);
      if (!form.ok) return renderOfferingForm(req, res, id, req.body ?? {}, form.errors, 400);
      const roles = await jobRoles.list();
      if (form.data.jobRoles.some((r) => !roles.some((x) => x.id === r)))
        return renderOfferingForm(req, res, id, req.body, { jobRoles: 'bookings:errors.roleUnknown' }, 400);
      if (form.data.courseId !== null && !(await db('courses').where({ id: form.data.courseId }).first('id')))
        return renderOfferingForm(req, res, id, req.body, { courseId: 'bookings:errors.courseUnknown' }, 400);
      const input = {
        title: { standard: form.data.titleStandard, easy: form.data.titleEasy },
        description: { standard: form.data.descriptionStandard, easy: form.data.descriptionEasy },
        area: form.data.area,
        length: form.data.length,
        places: form.data.places,
        maxParticipants: form.data.maxParticipants,
        courseId: form.data.courseId,
        published: form.data.published,
        jobRoles: form.data.jobRoles,
      };
      const savedId = id ?? (await offerings.create(input));
      if (id !== null) await offerings.update(id, input);
      res.redirect(303, `${paths.hmcOffering(savedId)}?klart=sparad`);
    },
  };

  async function renderOfferingForm(
    req: Request,
    res: Response,
    id: number | null,
    values: Record<string, unknown>,
    errors: FieldErrors,
    status = 200,
  ) {
    const [roles, courseList] = await Promise.all([jobRoles.list(), courses.listLatest()]);
    render(
      req,
      res,
      'bookings/hmc-offering-form',
      {
        title: req.t(id ? 'bookings:hmcOfferings.editTitle' : 'bookings:hmcOfferings.newTitle'),
        offeringId: id,
        values,
        errors,
        roles,
        courses: courseList,
        areas: OFFERING_AREAS,
        places: PLACES,
        saved: req.query.klart === 'sparad',
      },
      status,
    );
  }
}
