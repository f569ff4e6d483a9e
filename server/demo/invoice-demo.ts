/**
 * A held, attended and invoiced demo training, so the invoice pages are not empty for a newcomer: Västerås
 * stad's Förflyttning day two weeks ago, its invoice issued the real way (Peppol rules, number series, PDF)
 * and a credit note for the coffee. Each step checks what is already there, so every start is safe, even
 * after a start that stopped half-way.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { billingFeature } from '../billing/billing-composition';
import type { OrderContact } from '../billing/types';
import { addDays, swedishDate, swedishInstant } from '../bookings/dates';
import { recordClassroomAttendance } from '../courses/courses-service';
import { transactions } from '../db/transaction';
import { createI18n } from '../i18n/i18n';
import type { Logger } from '../logger';
import { newVerificationCode } from '../certificates/verification-code';

/** The demo order's fixed request token: how a later start finds it. */
export const INVOICED_DEMO_TOKEN = '00000000-0000-4000-8000-000000000014';

const LOCALES_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '..' : '',
  'locales',
);

const GUESTS = [
  { name: 'Sofia Nilsson', email: 'sofia.nilsson@karlsdal.demo.test' },
  { name: 'Ali Hassan', email: 'ali.hassan@karlsdal.demo.test' },
];

export async function seedInvoiceDemo(db: Knex, logger: Logger): Promise<void> {
  const offering = await db('training_offerings')
    .where({ title_standard: 'Förflyttning i praktiken' })
    .first<{ id: number; course_id: number | null } | undefined>('id', 'course_id');
  const vasteras = await db('organisations')
    .where({ name: 'Västerås stad' })
    .first<{ id: number } | undefined>('id');
  const people = await db('users')
    .whereIn('email', ['booker@demo.test', 'educator@demo.test', 'nurse@demo.test', 'admin@demo.test'])
    .select<{ id: number; name: string; email: string }[]>('id', 'name', 'email');
  const person = (email: string) => people.find((p) => p.email === email);
  const [booker, educator, nurse, admin] = [
    'booker@demo.test',
    'educator@demo.test',
    'nurse@demo.test',
    'admin@demo.test',
  ].map(person);
  if (!offering || !vasteras || !booker || !educator || !nurse || !admin) return;

  const { billing, invoices } = billingFeature({
    db,
    i18n: createI18n(LOCALES_DIR),
    transaction: transactions(db),
    // The demo order's contact is the booker (as on the order below).
    orderContact: (): Promise<OrderContact> =>
      Promise.resolve({ name: booker.name, email: booker.email, phone: null }),
  });

  let orderId: number | undefined = (
    await db('training_orders')
      .where({ request_token: INVOICED_DEMO_TOKEN })
      .first<{ id: number } | undefined>('id')
  )?.id;
  if (!orderId) {
    orderId = await db.transaction(async (trx) => {
      const day = addDays(swedishDate(new Date()), -14);
      const startsAt = swedishInstant(day, '09:00');
      const endsAt = swedishInstant(day, '16:00');
      const [row] = await trx('training_orders')
        .insert({
          organisation_id: vasteras.id,
          offering_id: offering.id,
          ordered_by: booker.id,
          request_token: INVOICED_DEMO_TOKEN,
          preferred_dates: [addDays(day, -7), day],
          place: 'hmc',
          expected_participants: 3,
          with_coffee: true,
          contact_name: booker.name,
          contact_email: booker.email,
          buyer_reference: 'VÄS-KAR-2210',
          cost_centre: '61040',
          message: 'Nya medarbetare på Karlsdal.',
          status: 'delivered',
          starts_at: startsAt,
          ends_at: endsAt,
          educator_id: educator.id,
          handled_by: educator.id,
          handled_at: trx.fn.now(),
          schedule_sequence: 1,
          delivered_at: endsAt,
        })
        .returning<{ id: number }[]>('id');
      // Erik came with an account: the course is approved in his role track, as attendance does it.
      const completionId = offering.course_id
        ? await recordClassroomAttendance(trx, {
            attended: true,
            userId: nurse.id,
            courseId: offering.course_id,
            completedAt: endsAt,
            verificationCode: newVerificationCode(),
          })
        : null;
      await trx('training_participants').insert([
        {
          order_id: row.id,
          user_id: nurse.id,
          name: nurse.name,
          email: nurse.email,
          added_by: booker.id,
          attended: true,
          attendance_registered_at: endsAt,
          completion_id: completionId,
        },
        ...GUESTS.map((g) => ({
          order_id: row.id,
          user_id: null,
          name: g.name,
          email: g.email,
          added_by: booker.id,
          attended: true,
          attendance_registered_at: endsAt,
        })),
      ]);
      const length = await trx('training_offerings')
        .where({ id: offering.id })
        .first<{ length: 'half_day' | 'full_day' }>('length');
      await billing.draftForOrder(
        trx,
        {
          id: row.id,
          organisationId: vasteras.id,
          offeringTitle: 'Förflyttning i praktiken',
          startsAt,
          length: length.length,
          place: 'hmc',
          withVenue: false,
          withCoffee: true,
          buyerReference: 'VÄS-KAR-2210',
          costCentre: '61040',
          expectedParticipants: 3,
          participants: 1 + GUESTS.length,
        },
        'delivery',
        educator.id,
      );
      return row.id;
    });
  }

  const all = await billing.invoicesForOrder(orderId);
  const invoice = all.find((i) => i.kind === 'invoice');
  if (!invoice) return;
  if (invoice.status === 'draft') await billing.issue(invoice.id, admin.id);
  let credit = all.find((i) => i.kind === 'credit_note');
  if (!credit) {
    const coffee = invoice.lines.find((l) => l.articleCode === 'coffee');
    if (!coffee) return;
    const id = await billing.draftCreditNote(
      invoice.id,
      [coffee.id],
      'Fikat ingick inte: gruppen hade med sig eget.',
      admin.id,
    );
    credit = (await invoices.find(id)) ?? undefined;
  }
  if (credit?.status === 'draft') await billing.issue(credit.id, admin.id);
  logger.info('Demo invoice ready', { order: orderId });
}
