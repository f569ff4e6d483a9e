/** Issuing invoices: the gap-free number series under concurrency, master data, the price list, settings and export. */
import * as cheerio from 'cheerio';
import { addDays, swedishDate } from '../../server/bookings/dates';
import {
  admin,
  buildBooker,
  buildCustomer,
  buildOffering,
  buildOrder,
  configureSeller,
} from '../support/bookings';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let adminId: number;
beforeAll(async () => {
  t = await startTestApp();
  await configureSeller(t.db);
  adminId = (await buildPerson(t.db, { jobRole: null, permissions: admin })).id;
});
afterAll(async () => t.close());

/** A draft invoice of one training day for a customer. */
async function draft(
  organisationId: number,
  buyerReference = 'REF-1',
  trainingOrderId: number | null = null,
): Promise<number> {
  return t.db.transaction(
    async (trx) =>
      (await t.services.invoices.createDraft(trx, {
        kind: 'invoice',
        organisationId,
        trainingOrderId,
        creditedInvoiceId: null,
        reason: 'delivery',
        buyerReference,
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
            unitPriceOre: 300000,
            lineTotalOre: 300000,
            vat: { category: 'S', percent: 25, exemptionReason: null },
          },
        ],
      }))!,
  );
}

const numbers = async () =>
  (await t.db('invoices').whereNotNull('number').orderBy('number').pluck('number')) as number[];

describe('issuing the invoice of a training order', () => {
  it("names the order's contact person as the buyer contact (billing asks bookings' service for it)", async () => {
    const customer = await buildCustomer(t.db);
    const orderer = await buildBooker(t.db, customer);
    const offering = await buildOffering(t.db);
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    const invoice = await t.services.billing.issue(await draft(customer.id, 'REF-C', orderId), adminId);
    expect(invoice.buyer).toMatchObject({ contactName: 'Jonas Ek', invoiceEmail: 'jonas@kommun.test' });
  });
});

describe('the invoice number series', () => {
  it('stays gap-free and unique when many invoices are issued at the same moment, some of them failing', async () => {
    const ready = await buildCustomer(t.db);
    const incomplete = await buildCustomer(t.db, { complete: false });
    const ids = [];
    for (let i = 0; i < 16; i++) ids.push(await draft(i % 4 === 3 ? incomplete.id : ready.id, `REF-${i}`));
    const before = (await t.db('invoice_number_series').first()).next_number;
    const results = await Promise.allSettled(ids.map((id) => t.services.billing.issue(id, adminId)));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(4);
    const issued = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.number as number] : []));
    expect(issued).toHaveLength(12);
    expect([...issued].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_v, i) => before + i));
    expect((await t.db('invoice_number_series').first()).next_number).toBe(before + 12);
    const all = await numbers();
    expect(all).toEqual(Array.from({ length: all.length }, (_v, i) => all[0] + i));
    // The failed ones are still drafts without a number.
    expect(await t.db('invoices').whereIn('id', ids).whereNull('number').pluck('status')).toEqual([
      'draft',
      'draft',
      'draft',
      'draft',
    ]);
  });

  it('numbers a double-clicked issue once', async () => {
    const customer = await buildCustomer(t.db);
    const id = await draft(customer.id);
    const before = (await t.db('invoice_number_series').first()).next_number;
    const { agent, csrf } = await loginAs(t.app, (await t.db('users').where({ id: adminId }).first()).email);
    const results = await Promise.all(
      [1, 2, 3].map(() => agent.post(`/admin/fakturor/${id}/utfarda`).type('form').send({ _csrf: csrf })),
    );
    expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
    expect((await t.db('invoices').where({ id }).first()).number).toBe(before);
    expect((await t.db('invoice_number_series').first()).next_number).toBe(before + 1);
  });

  it('refuses to issue without the customer’s master data, says what is missing, and takes no number', async () => {
    const incomplete = await buildCustomer(t.db, { complete: false });
    const id = await draft(incomplete.id);
    const before = (await t.db('invoice_number_series').first()).next_number;
    const { agent, csrf } = await loginAs(t.app, (await t.db('users').where({ id: adminId }).first()).email);
    const page = cheerio.load((await agent.get(`/admin/fakturor/${id}`)).text);
    expect(page('.notice--warning').text()).toContain('kundens organisationsnummer');
    const res = await agent.post(`/admin/fakturor/${id}/utfarda`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(409);
    expect(cheerio.load(res.text)('.error-summary').text()).toContain('Uppgifter saknas');
    expect((await t.db('invoice_number_series').first()).next_number).toBe(before);
    expect((await t.db('invoices').where({ id }).first()).status).toBe('draft');
  });
});

describe('administration of money', () => {
  async function adminAgent() {
    return loginAs(t.app, (await t.db('users').where({ id: adminId }).first()).email);
  }

  it('adds a price from a date: the open price ends the day before, and later orders use the new one', async () => {
    const { agent, csrf } = await adminAgent();
    const from = addDays(swedishDate(new Date()), 100);
    const res = await agent.post('/admin/prislista').type('form').send({
      _csrf: csrf,
      articleCode: 'half_day',
      validFrom: from,
      price: '3 200',
      vatCategory: 'S',
      vatPercent: '25',
    });
    expect(res.status).toBe(303);
    const entries = await t
      .db('price_list_entries')
      .where({ article_code: 'half_day' })
      .orderBy('valid_from');
    expect(entries.map((e) => [e.valid_from, e.valid_until, e.unit_price_ore])).toEqual([
      ['2026-01-01', addDays(from, -1), 300000],
      [from, null, 320000],
    ]);
    expect((await t.services.priceList.priceOn('half_day', addDays(from, 5)))!.unitPriceOre).toBe(320000);
    expect((await t.services.priceList.priceOn('half_day', addDays(from, -1)))!.unitPriceOre).toBe(300000);
    // The same start again overlaps: refused by the database's exclusion constraint, said in Swedish.
    const overlap = await agent.post('/admin/prislista').type('form').send({
      _csrf: csrf,
      articleCode: 'half_day',
      validFrom: from,
      price: '3300',
      vatCategory: 'S',
      vatPercent: '25',
    });
    expect(overlap.status).toBe(409);
    expect(cheerio.load(overlap.text)('#validFrom-error').text()).toContain('överlappar');
  });

  it('takes an exempt article only with a stated reason, and refuses a VAT rate Sweden does not have', async () => {
    const { agent, csrf } = await adminAgent();
    const from = addDays(swedishDate(new Date()), 200);
    const noReason = await agent
      .post('/admin/prislista')
      .type('form')
      .send({ _csrf: csrf, articleCode: 'venue', validFrom: from, price: '1200', vatCategory: 'E' });
    expect(noReason.status).toBe(400);
    expect(cheerio.load(noReason.text)('#exemptionReason-error').text()).toContain('Skriv skälet');
    const badRate = await agent.post('/admin/prislista').type('form').send({
      _csrf: csrf,
      articleCode: 'venue',
      validFrom: from,
      price: '1200',
      vatCategory: 'S',
      vatPercent: '20',
    });
    expect(badRate.status).toBe(400);
    const ok = await agent.post('/admin/prislista').type('form').send({
      _csrf: csrf,
      articleCode: 'venue',
      validFrom: from,
      price: '1200',
      vatCategory: 'E',
      exemptionReason: 'Undantag enligt 10 kap. 15 § ML',
    });
    expect(ok.status).toBe(303);
    expect((await t.services.priceList.priceOn('venue', from))!.vat).toEqual({
      category: 'E',
      percent: 0,
      exemptionReason: 'Undantag enligt 10 kap. 15 § ML',
    });
  });

  it('validates master data: Luhn check digit, VAT number matching the organisation number, postcode', async () => {
    const { agent, csrf } = await adminAgent();
    const customer = await buildCustomer(t.db, { complete: false });
    const bad = await agent.post(`/admin/kunder/${customer.id}`).type('form').send({
      _csrf: csrf,
      orgNumber: '212099-0103',
      vatNumber: 'SE212099010201',
      postalZone: '7218',
      peppolScheme: '0007',
    });
    expect(bad.status).toBe(400);
    const $ = cheerio.load(bad.text);
    expect($('#orgNumber-error').text()).toContain('Organisationsnumret är inte giltigt');
    expect($('#postalZone-error').text()).toContain('fem siffror');
    const mismatch = await agent
      .post(`/admin/kunder/${customer.id}`)
      .type('form')
      .send({ _csrf: csrf, orgNumber: '212099-0102', vatNumber: 'SE232199000001', peppolScheme: '0007' });
    expect(cheerio.load(mismatch.text)('#vatNumber-error').text()).toContain('organisationsnumret och 01');
    const ok = await agent.post(`/admin/kunder/${customer.id}`).type('form').send({
      _csrf: csrf,
      orgNumber: '212099-0102',
      vatNumber: 'se212099010201',
      streetName: 'Stadshuset',
      postalZone: '72187',
      cityName: 'Västerås',
      peppolScheme: '0007',
    });
    expect(ok.status).toBe(303);
    expect(
      await t.db('organisation_billing_details').where({ organisation_id: customer.id }).first(),
    ).toMatchObject({ vat_number: 'SE212099010201', postal_zone: '721 87' });
    // The database refuses an invalid organisation number even if the form were bypassed.
    await expect(
      t.db('organisations').where({ id: customer.id }).update({ org_number: '2120990103' }),
    ).rejects.toThrow(/luhn/);
  });

  it('keeps the cancellation policy and Bankgiro in settings, and refuses an invalid Bankgiro', async () => {
    const { agent, csrf } = await adminAgent();
    const bad = await agent.post('/admin/fakturering').type('form').send({
      _csrf: csrf,
      sellerUnitName: 'Hjälpmedelscentrum',
      bankgiro: '5050-1056',
      fSkatt: 'on',
      paymentTermsDays: '30',
      freeCancellationDays: '14',
    });
    expect(bad.status).toBe(400);
    expect(cheerio.load(bad.text)('#bankgiro-error').text()).toContain('Bankgironumret är inte giltigt');
    const settings = await t.db('billing_settings').first();
    const ok = await agent
      .post('/admin/fakturering')
      .type('form')
      .send({
        _csrf: csrf,
        sellerOrganisationId: String(settings.seller_organisation_id),
        sellerUnitName: 'Hjälpmedelscentrum',
        bankgiro: '5050-1055',
        fSkatt: 'on',
        paymentTermsDays: '30',
        freeCancellationDays: '21',
      });
    expect(ok.status).toBe(303);
    expect(await t.db('billing_settings').first()).toMatchObject({
      bankgiro: '50501055',
      free_cancellation_days: 21,
    });
    await agent
      .post('/admin/fakturering')
      .type('form')
      .send({
        _csrf: csrf,
        sellerOrganisationId: String(settings.seller_organisation_id),
        sellerUnitName: 'Hjälpmedelscentrum',
        bankgiro: '5050-1055',
        fSkatt: 'on',
        paymentTermsDays: '30',
        freeCancellationDays: '14',
      });
  });

  it('refuses an export period that ends before it starts', async () => {
    const { agent } = await adminAgent();
    const res = await agent.get('/admin/fakturaunderlag.csv?from=2027-02-01&to=2027-01-01');
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#to-error').text()).toContain('Slutdatumet');
  });

  it('refuses an export period with a date that does not exist, instead of reading it as another day', async () => {
    const { agent } = await adminAgent();
    const res = await agent.get('/admin/fakturaunderlag.csv?from=2026-02-30&to=2026-03-31');
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#from-error').text()).toContain('Datumet finns inte');
  });
});
