/**
 * Demo data for trying the app (embedded mode only, unless DEMO_DATA=yes): Region Västmanland with HMC,
 * the 10 municipalities with a few units each, and six accounts with the password `Demo-2026!`.
 * Runs once; an existing demo region is left as it is.
 */
import type { Knex } from 'knex';
import { usersFeature } from '../auth/auth-composition';
import { hashPassword } from '../auth/passwords';
import type { Permission } from '../auth/types';
import type { NewUser } from '../auth/users-service';
import type { Logger } from '../logger';
import { seedStatsDemoData } from './stats-demo-data';
import { seedBookingsDemo } from './bookings-demo';
import { seedInvoiceDemo } from './invoice-demo';

export const DEMO_PASSWORD = 'Demo-2026!';

export const MUNICIPALITIES = [
  'Arboga',
  'Fagersta',
  'Hallstahammar',
  'Kungsör',
  'Köping',
  'Norberg',
  'Sala',
  'Skinnskatteberg',
  'Surahammar',
  'Västerås',
];

/** The municipalities' own names for themselves. */
const OFFICIAL_NAMES: Record<string, string> = {
  Arboga: 'Arboga kommun',
  Fagersta: 'Fagersta kommun',
  Hallstahammar: 'Hallstahammars kommun',
  Kungsör: 'Kungsörs kommun',
  Köping: 'Köpings kommun',
  Norberg: 'Norbergs kommun',
  Sala: 'Sala kommun',
  Skinnskatteberg: 'Skinnskattebergs kommun',
  Surahammar: 'Surahammars kommun',
  Västerås: 'Västerås stad',
};

const VASTERAS_UNITS = [
  'Personlig assistans Västerås',
  'Vård- och omsorgsboende Karlsdal',
  'Hemtjänst Bäckby',
  'Daglig verksamhet Hälla',
];
const OTHER_UNITS = (m: string) => [
  `Hemtjänst ${m}`,
  `Vård- och omsorgsboende ${m}`,
  `Daglig verksamhet ${m}`,
];

/** The demo join code of a unit: readable, stable, and listed in the README for Västerås. */
export function demoJoinCode(municipality: string, index: number): string {
  const letters = municipality
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toUpperCase()
    .slice(0, 4);
  return `${letters}-DEMO${index + 2}`;
}

/** A join code as the organisations feature stores it: letters and digits, upper case (its normaliseJoinCode). */
const storedJoinCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

type IdRow = { id: number };

const none = (kind: Permission['kind']): Permission => ({ kind, organisationId: null, unitId: null });

export async function seedDemoData(db: Knex, logger: Logger): Promise<void> {
  if (await db('organisations').where({ name: 'Region Västmanland' }).first<IdRow | undefined>('id')) {
    await seedStatsDemoData(db, logger);
    await seedBookingsDemo(db, logger);
    return seedInvoiceDemo(db, logger);
  }
  const password = await hashPassword(DEMO_PASSWORD);
  const users = usersFeature(db);
  await db.transaction(async (trx) => {
    const [region] = await trx('organisations')
      .insert({ name: 'Region Västmanland', kind: 'region' })
      .returning<IdRow[]>('id');
    const [hmc] = await trx('units')
      .insert({ organisation_id: region.id, name: 'Hjälpmedelscentrum', join_code: null })
      .returning<IdRow[]>('id');
    const unitIds = new Map<string, number>();
    let vasteras = 0;
    for (const m of MUNICIPALITIES) {
      const [org] = await trx('organisations')
        .insert({ name: OFFICIAL_NAMES[m], kind: 'municipality' })
        .returning<IdRow[]>('id');
      if (m === 'Västerås') vasteras = org.id;
      const names = m === 'Västerås' ? VASTERAS_UNITS : OTHER_UNITS(m);
      for (const [i, name] of names.entries()) {
        const [unit] = await trx('units')
          .insert({ organisation_id: org.id, name, join_code: storedJoinCode(demoJoinCode(m, i)) })
          .returning<IdRow[]>('id');
        unitIds.set(name, unit.id);
      }
    }
    const pa = unitIds.get('Personlig assistans Västerås') ?? hmc.id;
    const karlsdal = unitIds.get('Vård- och omsorgsboende Karlsdal') ?? hmc.id;
    const accounts: Omit<NewUser, 'passwordHash'>[] = [
      {
        email: 'learner@demo.test',
        name: 'Amina Yusuf',
        unitId: pa,
        jobRole: 'personlig-assistent',
        permissions: [none('learner')],
      },
      {
        email: 'nurse@demo.test',
        name: 'Erik Lindqvist',
        unitId: karlsdal,
        jobRole: 'underskoterska',
        permissions: [none('learner')],
      },
      {
        email: 'educator@demo.test',
        name: 'Sara Holm',
        unitId: hmc.id,
        jobRole: null,
        permissions: [none('educator')],
      },
      {
        email: 'manager@demo.test',
        name: 'Maria Berg',
        unitId: pa,
        jobRole: 'enhetschef',
        permissions: [{ kind: 'manager', organisationId: null, unitId: pa }],
      },
      {
        email: 'booker@demo.test',
        name: 'Jonas Ek',
        unitId: karlsdal,
        jobRole: null,
        permissions: [{ kind: 'booker', organisationId: vasteras, unitId: null }],
      },
      {
        email: 'admin@demo.test',
        name: 'Lena Ström',
        unitId: hmc.id,
        jobRole: null,
        permissions: [none('admin'), none('educator')],
      },
    ];
    for (const account of accounts) await users.create({ ...account, passwordHash: password }, trx);
  });
  logger.info('Demo data created', { accounts: 6, password: DEMO_PASSWORD });
  await seedStatsDemoData(db, logger);
  await seedBookingsDemo(db, logger);
  await seedInvoiceDemo(db, logger);
}
