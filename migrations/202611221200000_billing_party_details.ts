import type { Knex } from 'knex';

// Master data for invoicing a party (HMC's region as seller, municipalities as customers): what a
// Peppol BIS Billing 3.0 invoice needs beyond the organisation's name and organisation number.
export async function up(knex: Knex): Promise<void> {
  // Luhn (mod 10) check digit, as Swedish organisation numbers and Bankgiro numbers use it.
  await knex.raw(`create function se_luhn_valid(digits text) returns boolean language sql immutable strict as $$
    select case when digits !~ '^[0-9]+$' then false else (
      select sum(case when (length(digits) - i) % 2 = 1 then (d * 2) / 10 + (d * 2) % 10 else d end) % 10 = 0
      from (select i, substring(digits from i for 1)::int as d from generate_series(1, length(digits)) as i) as s
    ) end
  $$`);
  await knex.raw(
    `alter table organisations add constraint organisations_org_number_luhn check (org_number is null or se_luhn_valid(org_number))`,
  );

  await knex.schema.createTable('organisation_billing_details', (t) => {
    t.integer('organisation_id').primary().references('organisations.id').onDelete('cascade');
    t.text('vat_number');
    t.text('street_name');
    t.text('additional_street_name');
    t.text('postal_zone');
    t.text('city_name');
    t.text('country_code').notNullable().defaultTo('SE');
    t.text('peppol_scheme').notNullable().defaultTo('0007');
    t.text('peppol_id');
    t.text('invoice_email');
    t.text('contact_name');
    t.text('contact_phone');
    t.integer('updated_by').references('users.id').onDelete('set null');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table organisation_billing_details add constraint billing_vat_number_check check (vat_number ~ '^SE[0-9]{10}01$')`,
  );
  await knex.raw(
    `alter table organisation_billing_details add constraint billing_postal_zone_check check (postal_zone ~ '^[0-9]{3} [0-9]{2}$')`,
  );
  await knex.raw(
    `alter table organisation_billing_details add constraint billing_country_check check (country_code ~ '^[A-Z]{2}$')`,
  );
  // Peppol electronic address schemes a Swedish party uses: 0007 organisation number, 0088 GLN, 9955 VAT number.
  await knex.raw(
    `alter table organisation_billing_details add constraint billing_peppol_scheme_check check (peppol_scheme in ('0007', '0088', '9955'))`,
  );
  await knex.raw(`alter table organisation_billing_details add constraint billing_peppol_id_check check (
    peppol_id is null or (peppol_scheme = '0007' and peppol_id ~ '^[0-9]{10}$' and se_luhn_valid(peppol_id))
    or (peppol_scheme = '0088' and peppol_id ~ '^[0-9]{13}$') or (peppol_scheme = '9955' and peppol_id ~ '^SE[0-9]{10}01$'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('organisation_billing_details');
  await knex.raw('alter table organisations drop constraint organisations_org_number_luhn');
  await knex.raw('drop function se_luhn_valid(text)');
}
