/** Invoices for orderers (their organisation's) and administrators; the price list, master data, settings and export. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import { swedishDate } from '../bookings/dates';
import type { Language } from '../i18n/i18n';
import { forbidden, HttpError, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { formBody, formFields } from '../http/body-parsing';
import { idParam, parseForm, type FieldErrors } from '../http/validation';
import { invoicedOrganisations, isAdmin } from './billing-policy';
import type { BillingService } from './billing-service';
import {
  checkParty,
  creditSchema,
  exportSchema,
  partySchema,
  priceSchema,
  settingsSchema,
} from './billing-validation';
import { formatBankgiro, formatOrgNumber } from './identifiers';
import type { InvoicesRepository } from './invoices-repository';
import { formatKronor, invoiceTotals } from './money';
import type { PartiesRepository } from './parties-repository';
import type { PriceListRepository } from './price-list-repository';
import type { Invoice, VatTreatment } from './types';
import { checkUbl } from './ubl-rules';
import { confirmedOrAsk } from '../http/confirm';

/** Formatting helpers the billing views use. */
export function billingViewHelpers(lng: Language) {
  return { money: (ore: number) => formatKronor(ore, lng), orgNumber: formatOrgNumber };
}

/** What the billing pages use: the billing service and billing's own repositories. */
export interface BillingControllerDeps {
  billing: BillingService;
  invoices: InvoicesRepository;
  parties: PartiesRepository;
  priceList: PriceListRepository;
}

/** A form page as shown: fresh (200), or again with what was typed and its errors (400, 409). */
interface FormState {
  values: Record<string, unknown>;
  errors: FieldErrors;
  status: number;
}

/** A form shown for the first time, with these values. */
const freshForm = (values: Record<string, unknown>): FormState => ({ values, errors: {}, status: 200 });

/** The submitted form shown again with its errors (400, or 409 when it clashes with what is stored). */
const refusedForm = (req: Request, errors: FieldErrors, status = 400): FormState => ({
  values: formBody(req),
  errors,
  status,
});

export function billingController(deps: BillingControllerDeps) {
  const { billing, invoices, parties, priceList } = deps;

  const render = (req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200) => {
    res.status(status).render(view, { ...billingViewHelpers(req.lng), errors: {}, ...data });
  };

  /** An issued document the person may read: their organisation's, or any for an administrator. */
  async function readableInvoice(req: Request): Promise<Invoice> {
    const id = idParam(req.params.id);
    const invoice = id === null ? null : await invoices.find(id);
    if (!invoice) throw notFound('billing:errors.invoiceNotFound');
    const user = signedInUser(req);
    if (!isAdmin(user)) {
      if (!invoicedOrganisations(user).includes(invoice.organisationId))
        throw forbidden('billing:errors.notYourInvoice');
      if (invoice.status !== 'issued') throw notFound('billing:errors.invoiceNotFound');
    }
    return invoice;
  }

  const fileName = (invoice: Invoice, ext: string) =>
    `${invoice.kind === 'credit_note' ? 'kreditfaktura' : 'faktura'}-${invoice.number ?? `utkast-${invoice.id}`}.${ext}`;

  async function renderInvoice(
    req: Request,
    res: Response,
    invoice: Invoice,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const [seller, buyer, credits, uncredited] = await Promise.all([
      parties.seller(),
      parties.find(invoice.organisationId),
      invoice.kind === 'invoice' ? invoices.creditsOf(invoice.id) : Promise.resolve([]),
      invoice.kind === 'invoice' && invoice.status === 'issued'
        ? invoices.uncreditedLineIds(invoice.id)
        : Promise.resolve([]),
    ]);
    const rules = invoice.status === 'issued' ? checkUbl(await billing.ubl(invoice)) : [];
    render(
      req,
      res,
      'billing/invoice',
      {
        title: req.t(
          invoice.status === 'draft' ? 'billing:invoice.draftTitle' : `billing:invoice.title.${invoice.kind}`,
          { number: invoice.number ?? '' },
        ),
        invoice,
        totals: invoiceTotals(invoice.lines),
        missing:
          invoice.status === 'draft' ? billing.missingMasterData(seller, buyer).map((k) => req.t(k)) : [],
        credits,
        uncredited,
        rules,
        notice: typeof req.query.klart === 'string' ? req.query.klart : null,
        values: {},
        ...extra,
      },
      status,
    );
  }

  /** Renders a master-data form page: its own data, the form as typed with its errors, the notice after saving. */
  const renderForm = (
    req: Request,
    res: Response,
    view: string,
    data: Record<string, unknown>,
    form: FormState,
  ) => {
    const { values, errors, status } = form;
    render(req, res, view, { ...data, values, errors, saved: req.query.klart === 'sparad' }, status);
  };

  async function renderParty(req: Request, res: Response, organisationId: number, form: FormState) {
    const party = await parties.find(organisationId);
    if (!party) throw notFound();
    const title = req.t('billing:customers.editTitle', { name: party.name });
    renderForm(req, res, 'billing/customer', { title, party }, form);
  }

  async function renderSettings(req: Request, res: Response, form: FormState) {
    const organisations = (await parties.list()).map((p) => ({ id: p.organisationId, name: p.name }));
    renderForm(req, res, 'billing/settings', { title: req.t('billing:settings.title'), organisations }, form);
  }

  async function renderPriceList(req: Request, res: Response, form: FormState) {
    const [articles, entries] = await Promise.all([priceList.articles(), priceList.entries()]);
    const page = {
      title: req.t('billing:priceList.title'),
      articles,
      entries,
      today: swedishDate(new Date()),
    };
    renderForm(req, res, 'billing/price-list', page, form);
  }

  return {
    // ---- The orderer's invoices ----
    async myInvoices(req: Request, res: Response) {
      const user = signedInUser(req);
      const orgIds = invoicedOrganisations(user);
      if (!orgIds.length) {
        if (isAdmin(user)) {
          res.redirect(paths.adminInvoices);
          return;
        }
        throw forbidden('bookings:errors.notBooker');
      }
      render(req, res, 'billing/my-invoices', {
        title: req.t('billing:mine.title'),
        invoices: await invoices.list({ organisationIds: orgIds, status: 'issued' }),
      });
    },

    async pdf(req: Request, res: Response) {
      const invoice = await readableInvoice(req);
      if (invoice.status !== 'issued') throw new HttpError(409, 'billing:errors.draftHasNoFile');
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${fileName(invoice, 'pdf')}"`,
        'Cache-Control': 'private, no-store',
      });
      res.send(await billing.pdf(invoice));
    },

    async xml(req: Request, res: Response) {
      const invoice = await readableInvoice(req);
      if (invoice.status !== 'issued') throw new HttpError(409, 'billing:errors.draftHasNoFile');
      res.set({
        'Content-Type': 'application/xml; charset=utf-8',
        'Content-Disposition': `attachment; filename="${fileName(invoice, 'xml')}"`,
        'Cache-Control': 'private, no-store',
      });
      res.send(await billing.ubl(invoice));
    },

    // ---- Administrators: invoices ----
    async list(req: Request, res: Response) {
      const status =
        req.query.status === 'draft' || req.query.status === 'issued' ? req.query.status : undefined;
      render(req, res, 'billing/invoices', {
        title: req.t('billing:list.title'),
        invoices: await invoices.list({ status }),
        status,
      });
    },

    async show(req: Request, res: Response) {
      await renderInvoice(req, res, await readableInvoice(req));
    },

    async issue(req: Request, res: Response) {
      const invoice = await readableInvoice(req);
      try {
        await billing.issue(invoice.id, signedInUser(req).id);
      } catch (error) {
        if (error instanceof HttpError && error.status === 409)
          return renderInvoice(
            req,
            res,
            invoice,
            { errors: { issue: { key: error.messageKey, params: error.params } } },
            409,
          );
        throw error;
      }
      res.redirect(303, `${paths.adminInvoice(invoice.id)}?klart=utfardad`);
    },

    async credit(req: Request, res: Response) {
      const invoice = await readableInvoice(req);
      const form = parseForm(creditSchema, req.body);
      if (!form.ok)
        return renderInvoice(req, res, invoice, { errors: form.errors, values: formBody(req) }, 400);
      const id = await billing.draftCreditNote(
        invoice.id,
        form.data.lineIds,
        form.data.reason,
        signedInUser(req).id,
      );
      res.redirect(303, paths.adminInvoice(id));
    },

    async deleteDraft(req: Request, res: Response) {
      const invoice = await readableInvoice(req);
      if (invoice.status !== 'draft') throw new HttpError(409, 'billing:errors.issuedIsFinal');
      const confirmed = confirmedOrAsk(req, res, {
        title: req.t('billing:invoice.deleteConfirmTitle'),
        consequence: req.t('billing:invoice.deleteConfirm'),
        confirmLabel: req.t('billing:invoice.deleteConfirmButton'),
        backHref: paths.adminInvoice(invoice.id),
      });
      if (!confirmed) return;
      await invoices.deleteDraft(invoice.id);
      res.redirect(303, `${paths.adminInvoices}?status=draft`);
    },

    // ---- Price list ----
    async priceListPage(req: Request, res: Response) {
      await renderPriceList(req, res, freshForm({ vatCategory: 'S', vatPercent: '25' }));
    },

    async addPrice(req: Request, res: Response) {
      const form = parseForm(priceSchema, req.body);
      if (!form.ok) return renderPriceList(req, res, refusedForm(req, form.errors));
      const d = form.data;
      // The schema asks a rate of every standard-rated price; the check here only tells TypeScript so.
      const vat: VatTreatment | null =
        d.vatCategory === 'E'
          ? { category: 'E', percent: 0, exemptionReason: d.exemptionReason }
          : d.vatPercent === undefined
            ? null
            : { category: 'S', percent: d.vatPercent, exemptionReason: null };
      if (!vat)
        return renderPriceList(req, res, refusedForm(req, { vatPercent: 'billing:errors.vatPercent' }));
      const ok = await priceList.addEntry({
        articleCode: d.articleCode,
        validFrom: d.validFrom,
        validUntil: d.validUntil,
        unitPriceOre: d.price,
        vat,
        createdBy: signedInUser(req).id,
      });
      if (!ok)
        return renderPriceList(req, res, refusedForm(req, { validFrom: 'billing:errors.overlap' }, 409));
      res.redirect(303, `${paths.adminPriceList}?klart=sparad`);
    },

    // ---- Master data ----
    async customers(req: Request, res: Response) {
      render(req, res, 'billing/customers', {
        title: req.t('billing:customers.title'),
        parties: await parties.list(),
      });
    },

    async customer(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const party = id === null ? null : await parties.find(id);
      if (!party) throw notFound();
      const values = formFields(party, [
        'orgNumber',
        'vatNumber',
        'streetName',
        'additionalStreetName',
        'postalZone',
        'cityName',
        'peppolScheme',
        'peppolId',
        'invoiceEmail',
        'contactName',
        'contactPhone',
      ]);
      await renderParty(req, res, party.organisationId, freshForm(values));
    },

    async saveCustomer(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const party = id === null ? null : await parties.find(id);
      if (!party) throw notFound();
      const form = parseForm(partySchema, req.body);
      if (!form.ok) return renderParty(req, res, party.organisationId, refusedForm(req, form.errors));
      const checked = checkParty(form.data);
      if (Object.keys(checked.errors).length)
        return renderParty(req, res, party.organisationId, refusedForm(req, checked.errors));
      await parties.save(
        party.organisationId,
        {
          ...form.data,
          orgNumber: checked.orgNumber,
          vatNumber: checked.vatNumber,
          postalZone: checked.postalZone,
          peppolId: checked.peppolId,
        },
        signedInUser(req).id,
      );
      res.redirect(303, `${paths.adminCustomer(party.organisationId)}?klart=sparad`);
    },

    async settings(req: Request, res: Response) {
      const s = await parties.settings();
      await renderSettings(
        req,
        res,
        freshForm({
          sellerOrganisationId: s.sellerOrganisationId ? String(s.sellerOrganisationId) : '',
          sellerUnitName: s.sellerUnitName,
          bankgiro: formatBankgiro(s.bankgiro),
          fSkatt: s.fSkatt,
          paymentTermsDays: String(s.paymentTermsDays),
          freeCancellationDays: String(s.freeCancellationDays),
        }),
      );
    },

    async saveSettings(req: Request, res: Response) {
      const form = parseForm(settingsSchema, req.body);
      if (!form.ok) return renderSettings(req, res, refusedForm(req, form.errors));
      if (form.data.sellerOrganisationId !== null && !(await parties.find(form.data.sellerOrganisationId))) {
        return renderSettings(
          req,
          res,
          refusedForm(req, { sellerOrganisationId: 'billing:errors.sellerUnknown' }),
        );
      }
      await parties.saveSettings(form.data, signedInUser(req).id);
      res.redirect(303, `${paths.adminBillingSettings}?klart=sparad`);
    },

    // ---- Export ----
    exportPage(req: Request, res: Response) {
      const today = swedishDate(new Date());
      render(req, res, 'billing/export', {
        title: req.t('billing:export.title'),
        values: { from: `${today.slice(0, 8)}01`, to: today },
      });
    },

    async exportCsv(req: Request, res: Response) {
      const form = parseForm(exportSchema, req.query);
      if (!form.ok) {
        render(
          req,
          res,
          'billing/export',
          { title: req.t('billing:export.title'), values: req.query, errors: form.errors },
          400,
        );
        return;
      }
      res.set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="fakturaunderlag-${form.data.from}-${form.data.to}.csv"`,
        'Cache-Control': 'private, no-store',
      });
      res.send(await billing.csv(form.data.from, form.data.to));
    },
  };
}
