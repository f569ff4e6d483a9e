/** Pages and forms of commissioned trainings, for orderers (beställare) and for HMC. Thin: parse, authorise, call a service. */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import type { BillingService } from '../billing/billing-service';
import { formatOrgNumber } from '../billing/identifiers';
import { formatKronor, invoiceTotals } from '../billing/money';
import type { BillingParty } from '../billing/types';
import type { CurrentUser } from '../auth/types';
import { HttpError, forbidden, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { idParam, parseForm, type FieldErrors } from '../http/validation';
import type { Language } from '../i18n/i18n';
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
import type { PeopleRepository } from './people-repository';
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

/** A course an offering can count as: its latest version's title (from the courses feature). */
export interface CourseChoice {
  courseId: number;
  content: { title: { standard: string; easy: string } };
}

/**
 * What the bookings pages use: bookings' service and repositories, billing's service (prices, terms, an
 * order's invoices), and two read-only lists of other features, named by what is read of them.
 */
export interface BookingsControllerDeps {
  bookings: BookingsService;
  billing: BillingService;
  offerings: OfferingsRepository;
  orders: OrdersRepository;
  bookingPeople: PeopleRepository;
  jobRoles: { list(): Promise<{ id: string; name: { sv: string; en: string } }[]> };
  courses: {
    latestBySlug(slug: string): Promise<CourseChoice | null>;
    listLatest(): Promise<CourseChoice[]>;
  };
}

/** The submitted form (Express types a body as `any`). */
const formBody = (req: Request): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;

export function bookingsController(deps: BookingsControllerDeps) {
  const { bookings, billing, offerings, orders, bookingPeople: people, jobRoles, courses } = deps;

  const render = (req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200) => {
    res.status(status).render(view, { ...viewHelpers(req.lng), errors: {}, ...data });
  };

  async function publishedOffering(req: Request): Promise<Offering> {
    const id = idParam(req.params.id);
    const offering = id === null ? null : await offerings.find(id);
    if (!offering || (!offering.published && !isHmc(signedInUser(req))))
      throw notFound('bookings:errors.offeringNotFound');
    return offering;
  }

  /** Today's prices for the offering and the cancellation terms, shown before anyone orders. */
  async function priceTerms(offering: Offering) {
    const [sheet, settings] = await Promise.all([
      billing.priceSheet(offering, swedishDate(new Date())),
      billing.settings(),
    ]);
    return {
      sheet,
      freeDays: settings.freeCancellationDays,
      lateFee: sheet.find((l) => l.code === 'late_cancellation') ?? null,
    };
  }

  async function organisationsOf(user: CurrentUser) {
    const found = await Promise.all(bookerOrganisations(user).map((id) => billing.party(id)));
    return found.filter((p): p is BillingParty => p !== null);
  }

  async function renderOrderForm(
    req: Request,
    res: Response,
    offering: Offering,
    values: Record<string, unknown>,
    errors: FieldErrors,
    status = 200,
  ) {
    const [orgs, terms] = await Promise.all([organisationsOf(signedInUser(req)), priceTerms(offering)]);
    render(
      req,
      res,
      'bookings/order-form',
      {
        title: req.t('bookings:order.title', { title: offering.title[signedInUser(req).contentVariant] }),
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
    const user = signedInUser(req);
    const settings = await billing.settings();
    const participants = await orders.participants(order.id);
    // Invoices are for the ordering organisation and administrators; educators handle the training only.
    const seesInvoices = isAdmin(user) || bookerOrganisations(user).includes(order.organisationId);
    const allInvoices = await billing.invoicesForOrder(order.id);
    const orderInvoices = seesInvoices
      ? allInvoices.filter((i) => i.status === 'issued' || isAdmin(user))
      : [];
    const handlesAttendance = isAdmin(user) || order.educatorId === user.id;
    const terms = cancellationTerms({
      status: order.status,
      startsAt: order.startsAt,
      now,
      freeDays: settings.freeCancellationDays,
      byHmc: view === 'bookings/hmc-order',
    });
    const fee = await billing
      .price([{ code: 'late_cancellation', quantity: 1 }], swedishDate(order.startsAt ?? now))
      .catch(() => null);
    const organisationPeople =
      view === 'bookings/order' && ['requested', 'proposed', 'confirmed'].includes(order.status)
        ? await people.ofOrganisation(order.organisationId)
        : [];
    const educators = view === 'bookings/hmc-order' ? await people.educators() : [];
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
          (p) => !participants.some((x) => x.email.toLowerCase() === p.email.toLowerCase()),
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
    return bookings.visibleOrder(signedInUser(req), idParam(req.params.id));
  }

  return {
    // ---- Offerings (everyone who orders or handles) ----
    async offeringsList(req: Request, res: Response) {
      const [list, roles] = await Promise.all([offerings.list(), jobRoles.list()]);
      render(req, res, 'bookings/offerings', {
        title: req.t('bookings:offerings.title'),
        offerings: list,
        roles,
        canOrder: bookerOrganisations(signedInUser(req)).length > 0,
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
        title: offering.title[signedInUser(req).contentVariant],
        offering,
        roles,
        course,
        terms,
        canOrder: bookerOrganisations(signedInUser(req)).length > 0,
      });
    },

    // ---- Ordering ----
    async orderForm(req: Request, res: Response) {
      const offering = await publishedOffering(req);
      const orgs = await organisationsOf(signedInUser(req));
      if (!orgs.length) throw forbidden('bookings:errors.notBooker');
      await renderOrderForm(
        req,
        res,
        offering,
        {
          organisationId: String(orgs[0].organisationId),
          requestToken: crypto.randomUUID(),
          place: offering.places[0],
          contactName: signedInUser(req).name,
          contactEmail: signedInUser(req).email,
        },
        {},
      );
    },

    /** First send shows the price estimate line by line; the second (confirm) sends the order. */
    async submitOrder(req: Request, res: Response) {
      const offering = await publishedOffering(req);
      const user = signedInUser(req);
      const body = formBody(req);
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
      if (existing && existing.organisationId === form.data.organisationId) {
        res.redirect(303, paths.bookingOrder(existing.id));
        return;
      }
      const organisation = await billing.party(form.data.organisationId);
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
        render(req, res, 'bookings/order-preview', {
          title: req.t('bookings:preview.title'),
          offering,
          request,
          organisation,
          estimate,
          estimateError,
          terms: await priceTerms(offering),
          values: body,
        });
        return;
      }
      const { id } = await bookings.request(user, request);
      res.redirect(303, `${paths.bookingOrder(id)}?klart=skickad`);
    },

    // ---- The orderer's orders ----
    async myOrders(req: Request, res: Response) {
      const user = signedInUser(req);
      const orgIds = bookerOrganisations(user);
      if (!orgIds.length) {
        if (isHmc(user)) {
          res.redirect(paths.hmcOrders);
          return;
        }
        throw forbidden('bookings:errors.notBooker');
      }
      render(req, res, 'bookings/orders', {
        title: req.t('bookings:orders.title'),
        orders: await orders.listForOrganisations(orgIds),
      });
    },

    async order(req: Request, res: Response) {
      const order = await loadOrder(req);
      if (!bookerOrganisations(signedInUser(req)).includes(order.organisationId)) {
        res.redirect(paths.hmcOrder(order.id));
        return;
      }
      await orderPage(req, res, order, 'bookings/order');
    },

    async accept(req: Request, res: Response) {
      const order = await loadOrder(req);
      await bookings.acceptProposal(signedInUser(req), order.id);
      res.redirect(303, `${paths.bookingOrder(order.id)}?klart=accepterad`);
    },

    async cancel(req: Request, res: Response) {
      const order = await loadOrder(req);
      const form = parseForm(cancelSchema, req.body);
      if (!form.ok) return orderPage(req, res, order, 'bookings/order', { errors: form.errors }, 400);
      const byHmc = req.path.startsWith('/hmc/');
      if (byHmc && !isHmc(signedInUser(req))) throw forbidden();
      const settings = await billing.settings();
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
        signedInUser(req),
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
          { errors: form.errors, values: formBody(req) },
          400,
        );
      try {
        await bookings.addParticipants(signedInUser(req), order.id, {
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
            { errors: { userIds: { key: error.messageKey, params: error.params } }, values: formBody(req) },
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
      await bookings.removeParticipant(signedInUser(req), order.id, participantId);
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
        orderPage(req, res, order, 'bookings/hmc-order', { errors, values: formBody(req) }, status);
      if (!form.ok) return fail(form.errors);
      const data = form.data;
      if (data.action === 'decline') {
        await bookings.decline(signedInUser(req), order.id, data.reason);
        res.redirect(303, `${paths.hmcOrder(order.id)}?klart=avbojd`);
        return;
      }
      const errors: FieldErrors = {};
      if (data.date <= swedishDate(new Date())) errors.date = 'bookings:errors.datePast';
      if (data.endTime <= data.startTime) errors.endTime = 'bookings:errors.endBeforeStart';
      if (!(await people.isEducator(data.educatorId))) errors.educatorId = 'bookings:errors.educatorRequired';
      if (Object.keys(errors).length) return fail(errors);
      const schedule = {
        startsAt: swedishInstant(data.date, data.startTime),
        endsAt: swedishInstant(data.date, data.endTime),
        educatorId: data.educatorId,
        note: data.note,
      };
      if (data.action === 'confirm') await bookings.confirm(signedInUser(req), order.id, schedule);
      else await bookings.propose(signedInUser(req), order.id, schedule);
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
        await bookings.correctAttendance(signedInUser(req), order.id, form.data.attended);
        res.redirect(303, `${paths.hmcOrder(order.id)}?klart=narvarorattad`);
        return;
      }
      await bookings.registerAttendance(signedInUser(req), order.id, form.data.attended);
      res.redirect(303, `${paths.hmcOrder(order.id)}?klart=genomford`);
    },

    /** An administrator drafts an order's invoice again (after a full credit note). */
    async draftAgain(req: Request, res: Response) {
      const order = await loadOrder(req);
      const id = await bookings.draftInvoiceAgain(signedInUser(req), order.id);
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
      const body = formBody(req);
      if (!form.ok) return renderOfferingForm(req, res, id, body, form.errors, 400);
      const roles = await jobRoles.list();
      if (form.data.jobRoles.some((r) => !roles.some((x) => x.id === r)))
        return renderOfferingForm(req, res, id, body, { jobRoles: 'bookings:errors.roleUnknown' }, 400);
      const courseId = form.data.courseId;
      if (courseId !== null && !(await courses.listLatest()).some((c) => c.courseId === courseId))
        return renderOfferingForm(req, res, id, body, { courseId: 'bookings:errors.courseUnknown' }, 400);
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
