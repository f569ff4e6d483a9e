/**
 * Demo data for commissioned trainings: invoice master data for the region (seller) and the
 * municipalities, four training offerings, and a few orders from Västerås stad. Organisation and
 * Bankgiro numbers are fictitious (the block 99 is unused) but have valid check digits, so demo invoices
 * pass the Peppol rules. Runs once; existing offerings mean it has run.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { luhnCheckDigit, vatNumberFor } from '../billing/identifiers';
import { addDays, swedishDate, swedishInstant } from '../bookings/dates';
import type { Logger } from '../logger';

type IdRow = { id: number } | undefined;

/** A fictitious organisation number with a valid check digit: prefix + 3-digit serial + check digit. */
export const demoOrgNumber = (prefix: string, serial: number) => {
  const body = `${prefix}${String(serial).padStart(9 - prefix.length, '0')}`;
  return `${body}${luhnCheckDigit(body)}`;
};

const ADDRESSES: Record<string, [string, string, string]> = {
  'Region Västmanland': ['Exempelvägen 1', '721 89', 'Västerås'],
  'Arboga kommun': ['Exempelgatan 1', '732 80', 'Arboga'],
  'Fagersta kommun': ['Exempelgatan 1', '737 80', 'Fagersta'],
  'Hallstahammars kommun': ['Exempelgatan 1', '734 80', 'Hallstahammar'],
  'Kungsörs kommun': ['Exempelgatan 1', '736 85', 'Kungsör'],
  'Köpings kommun': ['Exempelgatan 1', '731 85', 'Köping'],
  'Norbergs kommun': ['Exempelgatan 1', '738 25', 'Norberg'],
  'Sala kommun': ['Exempelgatan 1', '733 25', 'Sala'],
  'Skinnskattebergs kommun': ['Exempelgatan 1', '739 21', 'Skinnskatteberg'],
  'Surahammars kommun': ['Exempelgatan 1', '735 80', 'Surahammar'],
  'Västerås stad': ['Exempelgatan 1', '721 87', 'Västerås'],
};

export async function seedBookingsDemo(db: Knex, logger: Logger): Promise<void> {
  if (await db('training_offerings').first<IdRow>('id')) return;
  const region = await db('organisations').where({ name: 'Region Västmanland' }).first<IdRow>('id');
  if (!region) return;
  const courseId = async (slug: string) =>
    (await db('courses').where({ slug }).first<IdRow>('id'))?.id ?? null;
  await db.transaction(async (trx) => {
    let serial = 0;
    for (const [name, [street, postal, city]] of Object.entries(ADDRESSES)) {
      const org = await trx('organisations').where({ name }).first<IdRow>('id');
      if (!org) continue;
      serial += 1;
      const orgNumber =
        name === 'Region Västmanland' ? demoOrgNumber('2321990', 0) : demoOrgNumber('2120990', serial);
      await trx('organisations').where({ id: org.id }).update({ org_number: orgNumber });
      await trx('organisation_billing_details')
        .insert({
          organisation_id: org.id,
          vat_number: vatNumberFor(orgNumber),
          street_name: street,
          postal_zone: postal,
          city_name: city,
          contact_name: name === 'Region Västmanland' ? 'Lena Ström' : null,
          invoice_email: name === 'Region Västmanland' ? 'admin@demo.test' : null,
        })
        .onConflict('organisation_id')
        .ignore();
    }
    const bankgiroBody = '5555555';
    await trx('billing_settings')
      .where({ id: 1 })
      .update({
        seller_organisation_id: region.id,
        seller_unit_name: 'Hjälpmedelscentrum',
        bankgiro: `${bankgiroBody}${luhnCheckDigit(bankgiroBody)}`,
        f_skatt: true,
      });

    const offerings = [
      {
        title_standard: 'Förflyttning i praktiken',
        title_easy: 'Flytta en person på rätt sätt',
        description_standard:
          'En heldag på Hjälpmedelscentrum där gruppen provar lyftar, glidlakan och vårdbälten i vardagliga situationer, med fokus på risker och vad personalen får och inte får göra.',
        description_easy:
          'En hel dag på Hjälpmedelscentrum. Ni provar lyftar och glidlakan. Ni lär er att flytta en person säkert.',
        area: 'forflyttning',
        length: 'full_day',
        at_hmc: true,
        at_workplace: true,
        digital: false,
        max_participants: 16,
        course: 'forflyttning',
        roles: ['underskoterska', 'vardbitrade', 'personlig-assistent', 'rehabassistent'],
      },
      {
        title_standard: 'Trycksår och antidekubitus – praktisk halvdag',
        title_easy: 'Förebygg trycksår',
        description_standard:
          'En halvdag om madrasser, sittdynor och lägesändringar. Gruppen lär sig se tidiga tecken på trycksår och hantera larm på tryckavlastande madrasser.',
        description_easy: 'En halv dag om madrasser och dynor. Ni lär er se tidiga tecken på trycksår.',
        area: 'trycksar',
        length: 'half_day',
        at_hmc: true,
        at_workplace: true,
        digital: false,
        max_participants: 20,
        course: 'trycksar',
        roles: ['underskoterska', 'vardbitrade'],
      },
      {
        title_standard: 'Kognitiva hjälpmedel – prova själv',
        title_easy: 'Hjälpmedel för minne och tid',
        description_standard:
          'En halvdag med tidshjälpmedel, påminnare och planeringsstöd. Deltagarna provar hjälpmedlen och diskuterar hur de används i vardagen.',
        description_easy: 'En halv dag. Ni provar hjälpmedel för tid och minne.',
        area: 'kognition',
        length: 'half_day',
        at_hmc: true,
        at_workplace: false,
        digital: true,
        max_participants: 12,
        course: 'kognition',
        roles: ['stodpedagog', 'stodassistent', 'behandlingsassistent', 'handledare-daglig-verksamhet'],
      },
      {
        title_standard: 'Hjälpmedel – grunden för nya medarbetare',
        title_easy: 'Hjälpmedel – det viktigaste för nya',
        description_standard:
          'En digital halvdag om förskrivna hjälpmedel, grundutrustning, avvikelser och när du ska kontakta förskrivaren.',
        description_easy: 'En halv dag på nätet. Du lär dig det viktigaste om hjälpmedel.',
        area: 'grund',
        length: 'half_day',
        at_hmc: false,
        at_workplace: true,
        digital: true,
        max_participants: 30,
        course: 'hjalpmedel-grunden',
        roles: [],
      },
    ];
    const ids: number[] = [];
    for (const { course, roles, ...o } of offerings) {
      const [row] = await trx('training_offerings')
        .insert({ ...o, course_id: await courseId(course), published: true })
        .returning<{ id: number }[]>('id');
      ids.push(row.id);
      const known = roles.length
        ? (await trx('job_roles').whereIn('id', roles).select<{ id: string }[]>('id')).map((r) => r.id)
        : [];
      if (known.length)
        await trx('training_offering_roles').insert(
          known.map((job_role) => ({ offering_id: row.id, job_role })),
        );
    }

    const vasteras = await trx('organisations').where({ name: 'Västerås stad' }).first<IdRow>('id');
    const booker = await trx('users')
      .where({ email: 'booker@demo.test' })
      .first<{ id: number; name: string; email: string } | undefined>('id', 'name', 'email');
    const educator = await trx('users').where({ email: 'educator@demo.test' }).first<IdRow>('id');
    if (!vasteras || !booker || !educator) return;
    const today = swedishDate(new Date());
    const order = (offering: number, dates: number[], extra: Record<string, unknown>) => ({
      organisation_id: vasteras.id,
      offering_id: offering,
      ordered_by: booker.id,
      request_token: crypto.randomUUID(),
      preferred_dates: dates.map((d) => addDays(today, d)),
      place: 'hmc',
      expected_participants: 12,
      with_coffee: true,
      contact_name: booker.name,
      contact_email: booker.email,
      buyer_reference: 'VÄS-OMS-4471',
      cost_centre: '61020',
      ...extra,
    });
    await trx('training_orders').insert(
      order(ids[0], [30, 37, 44], {
        message: 'Gruppen arbetar på ett vård- och omsorgsboende med många lyft.',
      }),
    );
    const start = addDays(today, 21);
    const [confirmed] = await trx('training_orders')
      .insert(
        order(ids[1], [21, 28], {
          status: 'confirmed',
          starts_at: swedishInstant(start, '09:00'),
          ends_at: swedishInstant(start, '12:00'),
          educator_id: educator.id,
          handled_by: educator.id,
          handled_at: trx.fn.now(),
          schedule_sequence: 1,
        }),
      )
      .returning<{ id: number }[]>('id');
    const staff = await trx('users')
      .whereIn('email', ['learner@demo.test', 'nurse@demo.test'])
      .select<{ id: number; name: string; email: string }[]>('id', 'name', 'email');
    if (staff.length)
      await trx('training_participants').insert(
        staff.map((s) => ({
          order_id: confirmed.id,
          user_id: s.id,
          name: s.name,
          email: s.email,
          added_by: booker.id,
        })),
      );
  });
  logger.info('Demo trainings created', { offerings: 4, orders: 2 });
}
