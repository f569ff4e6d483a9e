/** Master data for invoices: each organisation's billing details, and the seller and policy settings. */
import type { Knex } from 'knex';
import type { BillingParty, BillingSettings, SellerParty } from './types';

type Db = Knex | Knex.Transaction;

/** An organisation's own billing details: a party less what the organisations table holds (id, name, country). */
export type BillingDetailsInput = Omit<BillingParty, 'organisationId' | 'name' | 'countryCode'>;

type PartyRow = Record<string, unknown> & { id: number; name: string; kind: string };

interface SettingsRow {
  seller_organisation_id: number | null;
  seller_unit_name: string;
  bankgiro: string | null;
  f_skatt: boolean;
  payment_terms_days: number;
  free_cancellation_days: number;
}

const toParty = (r: Record<string, unknown>): BillingParty => ({
  organisationId: r.id as number,
  name: r.name as string,
  orgNumber: (r.org_number as string | null) ?? null,
  vatNumber: (r.vat_number as string | null) ?? null,
  streetName: (r.street_name as string | null) ?? null,
  additionalStreetName: (r.additional_street_name as string | null) ?? null,
  postalZone: (r.postal_zone as string | null) ?? null,
  cityName: (r.city_name as string | null) ?? null,
  countryCode: (r.country_code as string | null) ?? 'SE',
  peppolScheme: (r.peppol_scheme as string | null) ?? '0007',
  peppolId: (r.peppol_id as string | null) ?? null,
  invoiceEmail: (r.invoice_email as string | null) ?? null,
  contactName: (r.contact_name as string | null) ?? null,
  contactPhone: (r.contact_phone as string | null) ?? null,
});

export function partiesRepository(db: Knex) {
  const parties = (trx: Db = db) =>
    trx('organisations as o')
      .leftJoin('organisation_billing_details as b', 'b.organisation_id', 'o.id')
      .select<PartyRow[]>('o.id', 'o.name', 'o.kind', 'o.org_number', 'b.*');

  return {
    async list(): Promise<(BillingParty & { kind: string })[]> {
      const rows = await parties().orderBy('o.name');
      return rows.map((r) => ({ ...toParty(r), kind: r.kind }));
    },

    async find(organisationId: number, trx: Db = db): Promise<BillingParty | null> {
      const row = await parties(trx).where('o.id', organisationId).first<PartyRow | undefined>();
      return row ? toParty(row) : null;
    },

    /** Saves an organisation's billing details (and its organisation number) in one transaction. */
    async save(
      organisationId: number,
      d: BillingDetailsInput,
      updatedBy: number | null,
      trx?: Knex.Transaction,
    ): Promise<void> {
      const work = async (t: Knex.Transaction) => {
        await t('organisations').where({ id: organisationId }).update({ org_number: d.orgNumber });
        await t('organisation_billing_details')
          .insert({
            organisation_id: organisationId,
            vat_number: d.vatNumber,
            street_name: d.streetName,
            additional_street_name: d.additionalStreetName,
            postal_zone: d.postalZone,
            city_name: d.cityName,
            peppol_scheme: d.peppolScheme,
            peppol_id: d.peppolId,
            invoice_email: d.invoiceEmail,
            contact_name: d.contactName,
            contact_phone: d.contactPhone,
            updated_by: updatedBy,
            updated_at: t.fn.now(),
          })
          .onConflict('organisation_id')
          .merge();
      };
      if (trx) await work(trx);
      else await db.transaction(work);
    },

    async setOrgNumber(trx: Knex.Transaction, organisationId: number, orgNumber: string): Promise<void> {
      await trx('organisations')
        .where({ id: organisationId })
        .whereNull('org_number')
        .update({ org_number: orgNumber });
    },

    async settings(trx: Db = db): Promise<BillingSettings> {
      const r = await trx('billing_settings').where({ id: 1 }).first<SettingsRow>();
      return {
        sellerOrganisationId: r.seller_organisation_id,
        sellerUnitName: r.seller_unit_name,
        bankgiro: r.bankgiro,
        fSkatt: r.f_skatt,
        paymentTermsDays: r.payment_terms_days,
        freeCancellationDays: r.free_cancellation_days,
      };
    },

    async saveSettings(s: BillingSettings, updatedBy: number | null, trx: Db = db): Promise<void> {
      await trx('billing_settings').where({ id: 1 }).update({
        seller_organisation_id: s.sellerOrganisationId,
        seller_unit_name: s.sellerUnitName,
        bankgiro: s.bankgiro,
        f_skatt: s.fSkatt,
        payment_terms_days: s.paymentTermsDays,
        free_cancellation_days: s.freeCancellationDays,
        updated_by: updatedBy,
        updated_at: trx.fn.now(),
      });
    },

    /** The seller as master data says now, or null when no seller is configured. */
    async seller(trx: Db = db): Promise<SellerParty | null> {
      const s = await this.settings(trx);
      if (!s.sellerOrganisationId) return null;
      const party = await this.find(s.sellerOrganisationId, trx);
      return party ? { ...party, unitName: s.sellerUnitName, bankgiro: s.bankgiro, fSkatt: s.fSkatt } : null;
    },
  };
}

export type PartiesRepository = ReturnType<typeof partiesRepository>;
