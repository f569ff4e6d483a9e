/** Factories for commissioned trainings: master data, offerings, orderers, orders in any state. */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { luhnCheckDigit, vatNumberFor } from '../../server/billing/identifiers';
import { addDays, swedishDate, swedishInstant } from '../../server/bookings/dates';
import { buildPerson, buildUnit } from './test-app';

/** An organisation with complete invoice master data (unless `complete: false`). */
export async function buildCustomer(
  db: Knex,
  o: { complete?: boolean; name?: string } = {},
): Promise<{ id: number; orgNumber: string | null; unitId: number }> {
  const number = o.complete === false ? null : orgNumberUnique();
  const [org] = await db('organisations')
    .insert({
      name: o.name ?? `Testkommun ${crypto.randomUUID().slice(0, 8)}`,
      kind: 'municipality',
      org_number: number,
    })
    .returning('id');
  if (number)
    await db('organisation_billing_details').insert({
      organisation_id: org.id,
      vat_number: vatNumberFor(number),
      street_name: 'Stadshusgatan 1',
      postal_zone: '721 87',
      city_name: 'Västerås',
    });
  const unit = await buildUnit(db, { organisationId: org.id });
  return { id: org.id, orgNumber: number, unitId: unit.id };
}

const used = new Set<string>();
function orgNumberUnique(): string {
  for (;;) {
    const body = String(212090000 + Math.floor(Math.random() * 9999));
    const n = `${body}${luhnCheckDigit(body)}`;
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
  }
}

/** Makes HMC's region the seller with complete master data and a Bankgiro number. */
export async function configureSeller(db: Knex): Promise<number> {
  const seller = await buildCustomer(db, { name: `Region Test ${crypto.randomUUID().slice(0, 6)}` });
  await db('organisation_billing_details').where({ organisation_id: seller.id }).update({
    contact_name: 'Lena Ström',
    invoice_email: 'faktura@region.test',
    contact_phone: '021-17 30 00',
  });
  await db('billing_settings')
    .where({ id: 1 })
    .update({
      seller_organisation_id: seller.id,
      bankgiro: `5050105${luhnCheckDigit('5050105')}`,
      f_skatt: true,
    });
  return seller.id;
}

export async function buildOffering(
  db: Knex,
  o: {
    courseSlug?: string | null;
    max?: number;
    length?: 'half_day' | 'full_day';
    places?: ('hmc' | 'workplace' | 'digital')[];
    published?: boolean;
  } = {},
): Promise<{ id: number; courseId: number | null }> {
  const courseId =
    o.courseSlug === null
      ? null
      : ((
          await db('courses')
            .where({ slug: o.courseSlug ?? 'test-kurs' })
            .first('id')
        )?.id ?? null);
  const places = o.places ?? ['hmc', 'workplace'];
  const [row] = await db('training_offerings')
    .insert({
      title_standard: 'Förflyttning i praktiken',
      title_easy: 'Flytta en person rätt',
      description_standard: 'En dag med lyftar och glidlakan.',
      description_easy: 'Ni provar lyftar.',
      area: 'forflyttning',
      length: o.length ?? 'full_day',
      at_hmc: places.includes('hmc'),
      at_workplace: places.includes('workplace'),
      digital: places.includes('digital'),
      max_participants: o.max ?? 10,
      course_id: courseId,
      published: o.published ?? true,
    })
    .returning('id');
  return { id: row.id, courseId };
}

export const booker = (organisationId: number) => [{ kind: 'booker' as const, organisationId, unitId: null }];
export const educator = [{ kind: 'educator' as const, organisationId: null, unitId: null }];
export const admin = [
  { kind: 'admin' as const, organisationId: null, unitId: null },
  { kind: 'educator' as const, organisationId: null, unitId: null },
];

/** An orderer (booker) of an organisation. */
export async function buildBooker(db: Knex, customer: { id: number; unitId: number }) {
  return buildPerson(db, { unitId: customer.unitId, jobRole: null, permissions: booker(customer.id) });
}

/** An order straight in the database, in the state a test needs (confirmed orders start `daysAhead` from today). */
export async function buildOrder(
  db: Knex,
  o: {
    organisationId: number;
    offeringId: number;
    orderedBy: number;
    status?: 'requested' | 'confirmed';
    daysAhead?: number;
    educatorId?: number;
    buyerReference?: string;
  },
): Promise<number> {
  const today = swedishDate(new Date());
  const day = addDays(today, o.daysAhead ?? 30);
  const [row] = await db('training_orders')
    .insert({
      organisation_id: o.organisationId,
      offering_id: o.offeringId,
      ordered_by: o.orderedBy,
      request_token: crypto.randomUUID(),
      preferred_dates: [addDays(today, 30), addDays(today, 31)],
      place: 'hmc',
      expected_participants: 5,
      with_coffee: true,
      contact_name: 'Jonas Ek',
      contact_email: 'jonas@kommun.test',
      buyer_reference: o.buyerReference ?? 'REF-123',
      cost_centre: '61020',
      ...(o.status === 'confirmed'
        ? {
            status: 'confirmed',
            starts_at: swedishInstant(day, '09:00'),
            ends_at: swedishInstant(day, '16:00'),
            educator_id: o.educatorId ?? null,
            schedule_sequence: 1,
          }
        : {}),
    })
    .returning('id');
  return row.id;
}

/** Moves a confirmed training into the past, as if its day had come (tests do not wait for the calendar). */
export async function moveIntoPast(db: Knex, orderId: number, daysAgo = 1): Promise<void> {
  const day = addDays(swedishDate(new Date()), -daysAgo);
  await db('training_orders')
    .where({ id: orderId })
    .update({ starts_at: swedishInstant(day, '09:00'), ends_at: swedishInstant(day, '16:00') });
}
