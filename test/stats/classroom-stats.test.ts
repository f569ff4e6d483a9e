/** HMC's classroom figures: trainings held, participants who attended, invoiced amounts per organisation. */
import * as cheerio from 'cheerio';
import { swedishDate } from '../../server/bookings/dates';
import {
  admin,
  buildBooker,
  buildCustomer,
  buildOffering,
  buildOrder,
  configureSeller,
  moveIntoPast,
} from '../support/bookings';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await configureSeller(t.db);
});
afterAll(async () => t.close());

async function deliveredTraining(customer: { id: number; unitId: number }, attended: number, absent: number) {
  const orderer = await buildBooker(t.db, customer);
  const offering = await buildOffering(t.db);
  const orderId = await buildOrder(t.db, {
    organisationId: customer.id,
    offeringId: offering.id,
    orderedBy: orderer.id,
    status: 'confirmed',
  });
  await moveIntoPast(t.db, orderId, 2);
  await t
    .db('training_orders')
    .where({ id: orderId })
    .update({ status: 'delivered', delivered_at: t.db.fn.now() });
  for (let i = 0; i < attended + absent; i++)
    await t.db('training_participants').insert({
      order_id: orderId,
      name: `Deltagare ${i}`,
      email: `d${orderId}-${i}@test.se`,
      attended: i < attended,
    });
}

async function issuedInvoice(organisationId: number, ore: number, adminId: number): Promise<number> {
  const id = await t.db.transaction(
    async (trx) =>
      (await t.services.invoices.createDraft(trx, {
        kind: 'invoice',
        organisationId,
        trainingOrderId: null,
        creditedInvoiceId: null,
        reason: 'delivery',
        buyerReference: 'REF-9',
        costCentre: null,
        orderLabel: 'Utbildning',
        deliveryDate: swedishDate(new Date()),
        note: null,
        createdBy: null,
        lines: [
          {
            articleCode: 'half_day',
            description: 'Utbildning, halvdag',
            quantity: 1,
            unitCode: 'C62',
            unitPriceOre: ore,
            lineTotalOre: ore,
            vat: { category: 'S', percent: 25, exemptionReason: null },
          },
        ],
      }))!,
  );
  await t.services.billing.issue(id, adminId);
  return id;
}

describe('classroom trainings on the HMC overview', () => {
  it('shows trainings held, participants who attended and invoiced amounts (VAT included) per organisation', async () => {
    const hmcAdmin = await buildPerson(t.db, { jobRole: null, permissions: admin });
    const a = await buildCustomer(t.db, { name: 'Arboga kommun (test)' });
    const b = await buildCustomer(t.db, { name: 'Sala kommun (test)' });
    await deliveredTraining(a, 8, 2);
    await deliveredTraining(a, 5, 0);
    await deliveredTraining(b, 3, 1);
    await issuedInvoice(a.id, 300000, hmcAdmin.id); // 3 000 kr + 25 % VAT = 3 750 kr
    await issuedInvoice(b.id, 500000, hmcAdmin.id); // 5 000 kr + 25 % VAT = 6 250 kr

    const { agent } = await loginAs(t.app, hmcAdmin.email);
    const $ = cheerio.load((await agent.get('/statistik/hmc')).text);
    const rows = $('#klassrum table tbody tr')
      .map((_i, tr) => [
        $(tr)
          .find('th, td')
          .map((_j, c) => $(c).text().trim())
          .get(),
      ])
      .get();
    expect(rows).toEqual([
      ['Arboga kommun (test)', '2', '13', '3\u00a0750'],
      ['Sala kommun (test)', '1', '3', '6\u00a0250'],
      ['Totalt', '3', '16', '10\u00a0000'],
    ]);
  });
});
