/**
 * Measures issuing invoices on a real (embedded) PostgreSQL: many drafts issued at the same moment through
 * the real billing service, with the number series checked for gaps and duplicates afterwards; and the
 * time to build and rule-check one Peppol document and to render one PDF. Prints figures; asserts nothing
 * about speed. Usage: npm run bench:invoices [-- drafts concurrency]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { luhnCheckDigit, vatNumberFor } from '../server/billing/identifiers';
import { checkUbl } from '../server/billing/ubl-rules';
import { swedishDate } from '../server/bookings/dates';
import { loadConfig } from '../server/config';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { createKnex, migrateLatest } from '../server/db/knex';
import { createLogger } from '../server/logger';
import { createServices } from '../server/services';

const DRAFTS = Number(process.argv[2] ?? 400);
const CONCURRENCY = Number(process.argv[3] ?? 16);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir, database: 'bench' });
  const db = createKnex(pg.url, CONCURRENCY + 2);
  try {
    await migrateLatest(db, path.join(__dirname, '..', 'migrations'), '.ts');
    const services = createServices(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: pg.url, LOG_LEVEL: 'silent' }),
      db,
      createLogger('silent'),
    );
    const party = async (name: string, body: string) => {
      const org = `${body}${luhnCheckDigit(body)}`;
      const [row] = await db('organisations')
        .insert({ name, kind: 'municipality', org_number: org })
        .returning('id');
      await db('organisation_billing_details').insert({
        organisation_id: row.id,
        vat_number: vatNumberFor(org),
        street_name: 'Exempelgatan 1',
        postal_zone: '721 87',
        city_name: 'Västerås',
      });
      return row.id as number;
    };
    const seller = await party('Region Bench', '232199000');
    const buyer = await party('Benchkommun', '212099099');
    await db('billing_settings').update({
      seller_organisation_id: seller,
      bankgiro: `5050105${luhnCheckDigit('5050105')}`,
    });
    const [admin] = await db('users')
      .insert({ email: 'bench@test.se', name: 'Bench', password_hash: 'x' })
      .returning('id');

    const ids: number[] = [];
    for (let i = 0; i < DRAFTS; i++) {
      ids.push(
        (await db.transaction((trx) =>
          services.invoices.createDraft(trx, {
            kind: 'invoice',
            organisationId: buyer,
            trainingOrderId: null,
            creditedInvoiceId: null,
            reason: 'delivery',
            buyerReference: `REF-${i}`,
            costCentre: '61020',
            orderLabel: `Bench ${i}`,
            deliveryDate: swedishDate(new Date()),
            note: null,
            createdBy: null,
            lines: [
              {
                articleCode: 'full_day',
                description: 'Utbildning, heldag',
                quantity: 1,
                unitCode: 'C62',
                unitPriceOre: 500000,
                lineTotalOre: 500000,
                vat: { category: 'S', percent: 25, exemptionReason: null },
              },
              {
                articleCode: 'coffee',
                description: 'Fika',
                quantity: 12,
                unitCode: 'C62',
                unitPriceOre: 4500,
                lineTotalOre: 54000,
                vat: { category: 'S', percent: 25, exemptionReason: null },
              },
            ],
          }),
        ))!,
      );
    }

    const latencies: number[] = [];
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          const t0 = process.hrtime.bigint();
          await services.billing.issue(id, admin.id);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const numbers: number[] = await db('invoices').whereNotNull('number').orderBy('number').pluck('number');
    const gapFree = numbers.every((n, i) => n === i + 1);
    const unique = new Set(numbers).size === numbers.length;
    latencies.sort((a, b) => a - b);

    const one = (await services.invoices.find(ids[0]))!;
    const rounds = 200;
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++)
      if (checkUbl(await services.billing.ubl(one)).length) throw new Error('rules failed');
    const ublMs = Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
    t0 = process.hrtime.bigint();
    for (let i = 0; i < 50; i++) await services.billing.pdf(one);
    const pdfMs = Number(process.hrtime.bigint() - t0) / 1e6 / 50;

    process.stdout.write(
      [
        `Issued ${numbers.length} invoices with ${CONCURRENCY} issuing at once in ${seconds.toFixed(2)} s (${(numbers.length / seconds).toFixed(0)} per second)`,
        `Per issue (lock, number, snapshot, Peppol document and rule check, commit): p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`,
        `Numbers 1..${numbers.length}: ${gapFree ? 'gap-free' : 'GAPS'}, ${unique ? 'unique' : 'DUPLICATES'}`,
        `One Peppol UBL document built and checked against the encoded rules: ${ublMs.toFixed(2)} ms`,
        `One invoice PDF rendered: ${pdfMs.toFixed(2)} ms`,
        `Machine: ${os.cpus().length} cores, Node ${process.version}`,
      ].join('\n') + '\n',
    );
    if (!gapFree || !unique) process.exitCode = 1;
  } finally {
    await db.destroy();
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
