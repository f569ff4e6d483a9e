/** The demo data for trainings: idempotent, and its fictitious master data makes invoices that pass the rules. */
import { checkUbl } from '../../server/billing/ubl-rules';
import { seedDemoData } from '../../server/demo/demo-data';
import { createLogger } from '../../server/logger';
import { moveIntoPast } from '../support/bookings';
import { SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';

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
    expect(await t.db('training_orders')).toHaveLength(2);
    const orgNumbers = await t.db('organisations').whereNotNull('org_number').pluck('org_number');
    expect(orgNumbers).toHaveLength(11);

    const order = await t.db('training_orders').where({ status: 'confirmed' }).first();
    await moveIntoPast(t.db, order.id);
    const educatorId = (await t.db('users').where({ email: 'educator@demo.test' }).first('id')).id;
    const educator = (await t.services.users.findActiveById(educatorId))!;
    const participants = await t.db('training_participants').where({ order_id: order.id }).pluck('id');
    const { invoiceId, completions } = await t.services.bookings.registerAttendance(educator, order.id, participants);
    // Amina and Erik came: both get the pressure-ulcer course as a classroom completion.
    expect(completions).toBe(2);
    const admin = await t.db('users').where({ email: 'admin@demo.test' }).first('id');
    const invoice = await t.services.billing.issue(invoiceId!, admin.id);
    expect(invoice.status).toBe('issued');
    expect(checkUbl(await t.services.billing.ubl(invoice))).toEqual([]);
  });
});
