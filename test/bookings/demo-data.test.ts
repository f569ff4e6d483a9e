/** The demo data for trainings: idempotent, and its fictitious master data makes invoices that pass the rules. */
import { checkUbl } from '../../server/billing/ubl-rules';
import { seedDemoData } from '../../server/demo/demo-data';
import { INVOICED_DEMO_TOKEN } from '../../server/demo/invoice-demo';
import { createLogger } from '../../server/logger';
import { moveIntoPast } from '../support/bookings';
import { loginAs, SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ coursesDir: SHIPPED_COURSES });
});
afterAll(async () => t.close());

describe('demo trainings', () => {
  it('are created once, and the demo order can be delivered and invoiced with a valid e-invoice', async () => {
    const logger = createLogger('silent');
    await seedDemoData(t.db, logger);
    await seedDemoData(t.db, logger);
    expect(await t.db('training_offerings')).toHaveLength(4);
    expect(await t.db('training_orders')).toHaveLength(3);
    const orgNumbers = await t.db('organisations').whereNotNull('org_number').pluck('org_number');
    expect(orgNumbers).toHaveLength(11);

    const order = await t.db('training_orders').where({ status: 'confirmed' }).first();
    await moveIntoPast(t.db, order.id);
    const educatorId = (await t.db('users').where({ email: 'educator@demo.test' }).first('id')).id;
    const educator = (await t.services.users.findActiveById(educatorId))!;
    const participants = await t.db('training_participants').where({ order_id: order.id }).pluck('id');
    const { invoiceId, completions } = await t.services.bookings.registerAttendance(
      educator,
      order.id,
      participants,
    );
    // Amina and Erik came: both get the pressure-ulcer course as a classroom completion.
    expect(completions).toBe(2);
    const admin = await t.db('users').where({ email: 'admin@demo.test' }).first('id');
    const invoice = await t.services.billing.issue(invoiceId!, admin.id);
    expect(invoice.status).toBe('issued');
    expect(checkUbl(await t.services.billing.ubl(invoice))).toEqual([]);
  });

  it('include a held training with an issued invoice (PDF and e-invoice) and an issued credit note, once', async () => {
    const logger = createLogger('silent');
    await seedDemoData(t.db, logger);
    await seedDemoData(t.db, logger);
    const order = await t
      .db('training_orders')
      .where({ request_token: INVOICED_DEMO_TOKEN, status: 'delivered' });
    expect(order).toHaveLength(1);
    const docs = await t.db('invoices').where({ training_order_id: order[0].id }).orderBy('id');
    expect(docs.map((d) => [d.kind, d.status])).toEqual([
      ['invoice', 'issued'],
      ['credit_note', 'issued'],
    ]);
    const [invoice, credit] = docs;
    expect(credit.credited_invoice_id).toBe(invoice.id);
    expect(credit.payable_ore).toBeLessThan(invoice.payable_ore);
    expect(
      (await t.db('invoice_lines').where({ invoice_id: invoice.id }).pluck('description')).join(' '),
    ).toContain('Förflyttning i praktiken');
    expect(await t.db('training_participants').where({ order_id: order[0].id, attended: true })).toHaveLength(
      3,
    );

    // The orderer downloads both as PDF and as Peppol e-invoice.
    const booker = await loginAs(t.app, 'booker@demo.test', 'Demo-2026!');
    const list = await booker.agent.get('/fakturor');
    expect(list.text).toContain(String(invoice.number));
    for (const doc of docs) {
      const pdf = await booker.agent
        .get(`/fakturor/${doc.id}.pdf`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            cb(null, Buffer.concat(chunks));
          });
        });
      expect(pdf.status).toBe(200);
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      const xml = await booker.agent.get(`/fakturor/${doc.id}.xml`);
      expect(xml.status).toBe(200);
      expect(checkUbl(xml.text)).toEqual([]);
    }
  });
});
