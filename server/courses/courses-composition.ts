/** The courses feature's entry for main, the scripts and the tests: import courses/ into a database. */
import type { Knex } from 'knex';
import { transactions } from '../db/transaction';
import type { ImportReport } from './content-import';
import { coursesRepository } from './courses-repository';
import { enrolmentsRepository } from './enrolments-repository';
import { publishingService } from './publishing-service';

/** Validates and imports the whole courses/ folder in one transaction (see publishingService.importFolder). */
export function importCourses(db: Knex, root: string): Promise<ImportReport> {
  return publishingService({
    courses: coursesRepository(db),
    enrolments: enrolmentsRepository(db),
    transaction: transactions(db),
  }).importFolder(root);
}
