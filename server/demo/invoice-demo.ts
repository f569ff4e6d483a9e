/**
 * A held, attended and invoiced demo training, so the invoice pages are not empty for a newcomer: Västerås
 * stad's Förflyttning day two weeks ago, its invoice issued the real way (Peppol rules, number series, PDF)
 * and a credit note for the coffee. Each step checks what is already there, so every start is safe, even
 * after a start that stopped half-way.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { billingService } from '../billing/billing-service';
import { invoicesRepository } from '../billing/invoices-repository';
import { partiesRepository } from '../billing/parties-repository';
import { priceListRepository } from '../billing/price-list-repository';
import { addDays, swedishDate, swedishInstant } from '../bookings/dates';
import { ordersRepository } from '../bookings/orders-repository';
import { addMonths } from '../courses/course-status';
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
    .first('id', 'course_id');
  const vasteras = await db('organisations').where({ name: 'Västerås stad' }).first('id');
  const people = await db('users')
    .whereIn('email', ['booker@demo.test', 'educator@demo.test', 'nurse@demo.test', 'admin@demo.test'])
    .select('id', 'name', 'email');
  const person = (email: string) =>
    people.find((p: { email: string }) => p.email === email) as
      { id: number; name: string; email: string } | undefined;
  const [booker, educator, nurse, admin] = [
    'booker@demo.test',
    'educator@demo.test',
    'nurse@demo.test',
    'admin@demo.test',
  ].map(person);
  if (!offering || !vasteras || !booker || !educator || !nurse || !admin) return;

  const invoices = invoicesRepository(db);
  const billing = billingService({
    db,
    i18n: createI18n(LOCALES_DIR),
    invoices,
    priceList: priceListRepository(db),
    parties: partiesRepository(db),
  });
  const orders = ordersRepository(db);

  let orderId: number | undefined = (
    await db('training_orders').where({ request_token: INVOICED_DEMO_TOKEN }).first('id')
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
        .returning('id');
      const course = offering.course_id
        ? await trx('course_versions')
            .where({ course_id: offering.course_id })
            .orderBy('version', 'desc')
            .first('id', trx.raw(`(content->>'validityMonths')::int as validity_months`))
        : null;
      // Erik came with an account: the course is approved in his role track, as attendance does it.
      const [completion] = course
        ? await trx('completions')
            .insert({
              user_id: nurse.id,
              course_id: offering.course_id,
              course_version_id: course.id,
              kind: 'classroom',
              completed_at: endsAt,
              valid_until: addMonths(endsAt, course.validity_months ?? 12),
              verification_code: newVerificationCode(),
            })
            .returning('id')
        : [null];
      await trx('training_participants').insert([
        {
          order_id: row.id,
          user_id: nurse.id,
          name: nurse.name,
          email: nurse.email,
          added_by: booker.id,
          attended: true,
          attendance_registered_at: endsAt,
          completion_id: completion?.id ?? null,
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
      await billing.draftForOrder(trx, (await orders.find(row.id, trx))!, 'delivery', educator.id);
      return row.id as number;
    });
  }

  const all = await invoices.forOrder(orderId);
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
