/**
 * The whole commissioned-training flow over HTTP on a real PostgreSQL: request → HMC confirms (e-mail with
 * .ics) → participants → attendance (classroom completions in the role track) → invoice issued → credit
 * note; early and late cancellation; who may see what.
 */
import * as cheerio from 'cheerio';
import type { Test as SupertestRequest } from 'supertest';
import { addDays, swedishDate } from '../../server/bookings/dates';
import { checkUbl } from '../../server/billing/ubl-rules';
import {
  admin,
  buildBooker,
  buildCustomer,
  buildOffering,
  buildOrder,
  configureSeller,
  educator,
  moveIntoPast,
} from '../support/bookings';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await configureSeller(t.db);
});
afterAll(async () => t.close());

const binary = (res: { body: Buffer }) => res.body;
const asBuffer = (r: SupertestRequest) =>
  r.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      cb(null, Buffer.concat(chunks));
    });
  });

async function setting() {
  const customer = await buildCustomer(t.db);
  const orderer = await buildBooker(t.db, customer);
  const teacher = await buildPerson(t.db, { jobRole: null, permissions: educator, name: 'Sara Holm' });
  const boss = await buildPerson(t.db, { jobRole: null, permissions: admin });
  const offering = await buildOffering(t.db, { max: 3 });
  return { customer, orderer, teacher, boss, offering };
}

describe('a training from request to credit note', () => {
  it('goes through every step, and each step leaves the right trace', async () => {
    const { customer, orderer, teacher, boss, offering } = await setting();
    const staff = await buildPerson(t.db, {
      unitId: customer.unitId,
      name: 'Amina Yusuf',
      jobRole: 'personlig-assistent',
    });
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    const o = await loginAs(t.app, orderer.email);
    const hmc = await loginAs(t.app, teacher.email);
    const adm = await loginAs(t.app, boss.email);

    // HMC confirms a date, with a time and an educator: the orderer gets an e-mail with a calendar file.
    const day = addDays(swedishDate(new Date()), 20);
    const confirm = await hmc.agent
      .post(`/hmc/bestallningar/${orderId}/hantera`)
      .type('form')
      .send({
        _csrf: hmc.csrf,
        action: 'confirm',
        date: day,
        startTime: '09:00',
        endTime: '16:00',
        educatorId: String(teacher.id),
        note: 'Ingång B.',
      });
    expect(confirm.status).toBe(303);
    const mails = await t
      .db('outbox_messages')
      .where('event_key', 'like', `training-order:${orderId}:confirmed:%`);
    expect(mails.map((m) => m.to_address)).toContain('jonas@kommun.test');
    const ics = mails[0].attachments[0];
    expect(ics.filename).toBe(`utbildning-${orderId}.ics`);
    expect(ics.content).toContain('BEGIN:VEVENT');
    expect(ics.content).toMatch(/DTSTART:\d{8}T0[78]0000Z/);
    expect(mails[0].text_body).toContain('Ingång B.');

    // The orderer adds a colleague and a guest; the list never grows beyond the offering's maximum.
    const add = await o.agent
      .post(`/bestallningar/${orderId}/deltagare`)
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(o.csrf)}&userIds=${staff.id}&guestName=Kim+Gäst&guestEmail=kim%40extern.test`,
      );
    expect(add.status).toBe(303);
    const invites = await t
      .db('outbox_messages')
      .where('event_key', 'like', 'training-participant:%:invite:%')
      .whereIn('to_address', [staff.email, 'kim@extern.test']);
    expect(invites).toHaveLength(2);
    expect(invites[0].attachments[0].content).toContain('BEGIN:VCALENDAR');
    const tooMany = await o.agent
      .post(`/bestallningar/${orderId}/deltagare`)
      .type('form')
      .send({ _csrf: o.csrf, guestName: 'Två', guestEmail: 'tva@extern.test' });
    expect(tooMany.status).toBe(303);
    const full = await o.agent
      .post(`/bestallningar/${orderId}/deltagare`)
      .type('form')
      .send({ _csrf: o.csrf, guestName: 'Tre', guestEmail: 'tre@extern.test' });
    expect(full.status).toBe(409);
    expect(cheerio.load(full.text)('.error-summary').text()).toContain('Utbildningen tar högst 3 deltagare');
    expect(await t.db('training_participants').where({ order_id: orderId })).toHaveLength(3);

    // Attendance waits for the day; then the educator registers it.
    const early = await hmc.agent
      .post(`/hmc/bestallningar/${orderId}/narvaro`)
      .type('form')
      .send({ _csrf: hmc.csrf });
    expect(early.status).toBe(409);
    await moveIntoPast(t.db, orderId);
    const participants = await t.db('training_participants').where({ order_id: orderId }).orderBy('id');
    const came = participants
      .filter((p) => p.email !== 'tva@extern.test')
      .map((p) => `attended=${p.id}`)
      .join('&');
    const attendance = await hmc.agent
      .post(`/hmc/bestallningar/${orderId}/narvaro`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(hmc.csrf)}&${came}`);
    expect(attendance.status).toBe(303);
    expect((await t.db('training_orders').where({ id: orderId }).first()).status).toBe('delivered');

    // The colleague who came has a classroom completion that counts in Mina kurser.
    const completion = await t
      .db('completions')
      .where({ user_id: staff.id, course_id: offering.courseId })
      .first();
    expect(completion.kind).toBe('classroom');
    const staffAgent = await loginAs(t.app, staff.email);
    const mine = cheerio.load((await staffAgent.agent.get('/mina-kurser')).text);
    expect(
      mine('.card')
        .filter((_i, el) => mine(el).text().includes('Testkursen om rullstolar'))
        .find('.badge')
        .text(),
    ).toContain('Klar');
    expect(
      await t
        .db('completions')
        .where({ course_id: offering.courseId })
        .whereIn('user_id', t.db('users').where({ email: 'kim@extern.test' }).select('id')),
    ).toHaveLength(0);

    // The invoice draft: training, coffee for the three on the list, the buyer's reference.
    const draft = await t.db('invoices').where({ training_order_id: orderId }).first();
    expect(draft).toMatchObject({
      status: 'draft',
      kind: 'invoice',
      reason: 'delivery',
      buyer_reference: 'REF-123',
      cost_centre: '61020',
      number: null,
    });
    const lines = await t.db('invoice_lines').where({ invoice_id: draft.id }).orderBy('position');
    expect(lines.map((l) => [l.article_code, l.quantity, l.unit_price_ore])).toEqual([
      ['full_day', 1, 500000],
      ['coffee', 3, 4500],
    ]);
    // The orderer does not see drafts.
    expect((await o.agent.get(`/fakturor/${draft.id}.pdf`)).status).toBe(404);

    // The administrator reviews and issues it: the number series starts, PDF and Peppol XML are there.
    const page = cheerio.load((await adm.agent.get(`/admin/fakturor/${draft.id}`)).text);
    expect(page('table.money-table tfoot').text()).toContain('6 418,75 kr');
    const issue = await adm.agent
      .post(`/admin/fakturor/${draft.id}/utfarda`)
      .type('form')
      .send({ _csrf: adm.csrf });
    expect(issue.status).toBe(303);
    const invoice = await t.db('invoices').where({ id: draft.id }).first();
    expect(invoice).toMatchObject({
      status: 'issued',
      line_total_ore: 513500,
      vat_total_ore: 128375,
      payable_ore: 641875,
    });
    expect(invoice.number).toBeGreaterThan(0);
    const pdf = await asBuffer(o.agent.get(`/fakturor/${draft.id}.pdf`));
    expect(pdf.status).toBe(200);
    expect(binary(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const xml = await o.agent.get(`/fakturor/${draft.id}.xml`);
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(checkUbl(xml.text)).toEqual([]);
    expect(xml.text).toContain('<cbc:BuyerReference>REF-123</cbc:BuyerReference>');
    expect(
      cheerio
        .load((await o.agent.get('/fakturor')).text)('table')
        .text(),
    ).toContain(String(invoice.number));
    // The educator handles the training, not its money: no invoice links on their page, 403 on the file.
    expect(
      cheerio.load((await hmc.agent.get(`/hmc/bestallningar/${orderId}`)).text)('a[href^="/fakturor/"]'),
    ).toHaveLength(0);
    expect((await hmc.agent.get(`/fakturor/${draft.id}.pdf`)).status).toBe(403);

    // An issued invoice is final, down to the database.
    await expect(
      t.db('invoices').where({ id: draft.id }).update({ buyer_reference: 'ÄNDRAD' }),
    ).rejects.toThrow(/final/);
    await expect(
      t.db('invoice_lines').where({ invoice_id: draft.id }).update({ quantity: 9 }),
    ).rejects.toThrow(/final/);

    // A correction is a credit note of the coffee line, issued with the next number.
    const coffee = lines.find((l) => l.article_code === 'coffee');
    const credit = await adm.agent
      .post(`/admin/fakturor/${draft.id}/kreditera`)
      .type('form')
      .send({ _csrf: adm.csrf, lineIds: String(coffee.id), reason: 'Fika ingick' });
    expect(credit.status).toBe(303);
    const creditId = Number(/\/admin\/fakturor\/(\d+)/.exec(credit.headers.location)![1]);
    expect(
      (await adm.agent.post(`/admin/fakturor/${creditId}/utfarda`).type('form').send({ _csrf: adm.csrf }))
        .status,
    ).toBe(303);
    const note = await t.db('invoices').where({ id: creditId }).first();
    expect(note).toMatchObject({
      kind: 'credit_note',
      status: 'issued',
      credited_invoice_id: draft.id,
      number: invoice.number + 1,
      payable_ore: 16875,
    });
    const creditXml = await o.agent.get(`/fakturor/${creditId}.xml`);
    expect(checkUbl(creditXml.text)).toEqual([]);
    expect(creditXml.text).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(creditXml.text).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);
    // The same line cannot be credited twice.
    const again = await adm.agent
      .post(`/admin/fakturor/${draft.id}/kreditera`)
      .type('form')
      .send({ _csrf: adm.csrf, lineIds: String(coffee.id), reason: 'Igen' });
    expect(again.status).toBe(409);

    // The invoice basis for the period lists both, the credit note negative.
    const today = swedishDate(new Date());
    const csv = await adm.agent.get(`/admin/fakturaunderlag.csv?from=${today}&to=${today}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toContain('Fakturanummer;Typ;Fakturadatum');
    const ours = rows.filter((r) => r.startsWith(`${invoice.number};`) || r.startsWith(`${note.number};`));
    expect(ours).toHaveLength(3);
    expect(ours.find((r) => r.startsWith(`${note.number};Kreditfaktura`))).toContain(
      ';-135,00;S;25;-33,75;-168,75',
    );
  });
});

describe('cancellation', () => {
  it('is free more than 14 days ahead: no fee, no invoice, everyone told', async () => {
    const { customer, orderer, teacher, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
      status: 'confirmed',
      daysAhead: 30,
      educatorId: teacher.id,
    });
    await t.db('training_participants').insert({ order_id: orderId, name: 'Kim', email: 'kim2@extern.test' });
    const o = await loginAs(t.app, orderer.email);
    const page = cheerio.load((await o.agent.get(`/bestallningar/${orderId}`)).text);
    expect(page('#h-cancel').parent().text()).toContain('utan kostnad till och med');
    // The first send only asks (one careless click cancels nothing); the confirmed send cancels.
    const ask = await o.agent
      .post(`/bestallningar/${orderId}/avboka`)
      .type('form')
      .send({ _csrf: o.csrf, reason: 'Personalbrist' });
    expect(ask.status).toBe(200);
    const confirmPage = cheerio.load(ask.text);
    expect(confirmPage('h1').text()).toBe('Vill du avboka utbildningen?');
    expect(confirmPage('input[name="reason"]').val()).toBe('Personalbrist');
    expect(await t.db('training_orders').where({ id: orderId }).first()).toMatchObject({
      status: 'confirmed',
    });
    const res = await o.agent
      .post(`/bestallningar/${orderId}/avboka`)
      .type('form')
      .send({ _csrf: o.csrf, reason: 'Personalbrist', confirmed: 'ja' });
    expect(res.status).toBe(303);
    expect(await t.db('training_orders').where({ id: orderId }).first()).toMatchObject({
      status: 'cancelled',
      cancelled_by_party: 'customer',
      cancellation_charged: false,
    });
    expect(await t.db('invoices').where({ training_order_id: orderId })).toHaveLength(0);
    const cancelMail = await t
      .db('outbox_messages')
      .where({ to_address: 'kim2@extern.test' })
      .where('subject', 'like', 'Utbildningen är inställd%')
      .first();
    expect(cancelMail.attachments[0].content).toContain('METHOD:CANCEL');
  });

  it('costs the fee within 14 days: a late-cancellation invoice of 1 000 kr + VAT is drafted', async () => {
    const { customer, orderer, teacher, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
      status: 'confirmed',
      daysAhead: 10,
      educatorId: teacher.id,
    });
    const o = await loginAs(t.app, orderer.email);
    const page = cheerio.load((await o.agent.get(`/bestallningar/${orderId}`)).text);
    expect(page('#h-cancel').parent().text()).toContain('avbokningsavgift på 1 000,00 kr exklusive moms');
    const ask = await o.agent.post(`/bestallningar/${orderId}/avboka`).type('form').send({ _csrf: o.csrf });
    expect(cheerio.load(ask.text)('.notice--warning').text()).toContain('avbokningsavgift på 1 000,00 kr');
    await o.agent
      .post(`/bestallningar/${orderId}/avboka`)
      .type('form')
      .send({ _csrf: o.csrf, confirmed: 'ja' });
    // A double click changes nothing.
    expect(
      (await o.agent.post(`/bestallningar/${orderId}/avboka`).type('form').send({ _csrf: o.csrf })).status,
    ).toBe(303);
    expect(await t.db('training_orders').where({ id: orderId }).first()).toMatchObject({
      status: 'cancelled',
      cancellation_charged: true,
    });
    const invoices = await t.db('invoices').where({ training_order_id: orderId });
    expect(invoices).toHaveLength(1);
    expect(invoices[0].reason).toBe('late_cancellation');
    const lines = await t.db('invoice_lines').where({ invoice_id: invoices[0].id });
    expect(lines.map((l) => [l.article_code, l.line_total_ore, l.vat_percent])).toEqual([
      ['late_cancellation', 100000, 25],
    ]);
  });

  it('is never charged when HMC cancels, however late', async () => {
    const { customer, orderer, teacher, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
      status: 'confirmed',
      daysAhead: 2,
      educatorId: teacher.id,
    });
    const hmc = await loginAs(t.app, teacher.email);
    expect(
      (
        await hmc.agent
          .post(`/hmc/bestallningar/${orderId}/avboka`)
          .type('form')
          .send({ _csrf: hmc.csrf, cancelReason: 'Utbildaren är sjuk', confirmed: 'ja' })
      ).status,
    ).toBe(303);
    expect(await t.db('training_orders').where({ id: orderId }).first()).toMatchObject({
      status: 'cancelled',
      cancelled_by_party: 'hmc',
      cancellation_charged: false,
    });
    expect(await t.db('invoices').where({ training_order_id: orderId })).toHaveLength(0);
  });
});

describe('HMC handling', () => {
  it('proposes another time, which the orderer accepts; declining needs a reason', async () => {
    const { customer, orderer, teacher, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    const hmc = await loginAs(t.app, teacher.email);
    const day = addDays(swedishDate(new Date()), 45);
    expect(
      (
        await hmc.agent
          .post(`/hmc/bestallningar/${orderId}/hantera`)
          .type('form')
          .send({
            _csrf: hmc.csrf,
            action: 'propose',
            date: day,
            startTime: '13:00',
            endTime: '16:00',
            educatorId: String(teacher.id),
          })
      ).status,
    ).toBe(303);
    const proposal = await t
      .db('outbox_messages')
      .where('event_key', 'like', `training-order:${orderId}:proposed:%`)
      .first();
    expect(proposal.attachments[0].content).toContain('STATUS:TENTATIVE');
    const o = await loginAs(t.app, orderer.email);
    expect(
      cheerio
        .load((await o.agent.get(`/bestallningar/${orderId}`)).text)('.notice--warning')
        .text(),
    ).toContain('HMC föreslår en annan tid');
    expect(
      (await o.agent.post(`/bestallningar/${orderId}/acceptera`).type('form').send({ _csrf: o.csrf })).status,
    ).toBe(303);
    expect((await t.db('training_orders').where({ id: orderId }).first()).status).toBe('confirmed');

    const other = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    const noReason = await hmc.agent
      .post(`/hmc/bestallningar/${other}/hantera`)
      .type('form')
      .send({ _csrf: hmc.csrf, action: 'decline', reason: '' });
    expect(noReason.status).toBe(400);
    expect(cheerio.load(noReason.text)('#reason-error').text()).toContain('Skriv varför HMC avböjer');
    expect(
      (
        await hmc.agent
          .post(`/hmc/bestallningar/${other}/hantera`)
          .type('form')
          .send({ _csrf: hmc.csrf, action: 'decline', reason: 'Fullbokat i mars' })
      ).status,
    ).toBe(303);
    expect((await t.db('training_orders').where({ id: other }).first()).decline_reason).toBe(
      'Fullbokat i mars',
    );
  });

  it('refuses a date in the past and an end before the start', async () => {
    const { customer, orderer, teacher, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    const hmc = await loginAs(t.app, teacher.email);
    const res = await hmc.agent
      .post(`/hmc/bestallningar/${orderId}/hantera`)
      .type('form')
      .send({
        _csrf: hmc.csrf,
        action: 'confirm',
        date: '2020-02-02',
        startTime: '13:00',
        endTime: '09:00',
        educatorId: String(teacher.id),
      });
    expect(res.status).toBe(400);
    const $ = cheerio.load(res.text);
    expect($('#date-error').text()).toContain('Datumet har redan varit');
    expect($('#endTime-error').text()).toContain('Sluttiden måste vara efter starttiden');
    expect((await t.db('training_orders').where({ id: orderId }).first()).status).toBe('requested');
  });
});

describe('who sees what', () => {
  it('shows an orderer only their own organisation’s orders and invoices', async () => {
    const { customer, orderer, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    const stranger = await buildBooker(t.db, await buildCustomer(t.db));
    const s = await loginAs(t.app, stranger.email);
    expect((await s.agent.get(`/bestallningar/${orderId}`)).status).toBe(403);
    expect(
      (await s.agent.post(`/bestallningar/${orderId}/avboka`).type('form').send({ _csrf: s.csrf })).status,
    ).toBe(403);
    expect(
      (
        await s.agent
          .post(`/bestallningar/${orderId}/deltagare`)
          .type('form')
          .send({ _csrf: s.csrf, guestName: 'X', guestEmail: 'x@x.test' })
      ).status,
    ).toBe(403);
    expect(
      cheerio
        .load((await s.agent.get('/bestallningar')).text)('table')
        .text(),
    ).not.toContain(`Nr ${orderId}`);
    expect((await s.agent.get('/hmc/bestallningar')).status).toBe(403);
    expect((await s.agent.get('/bestallningar/999999')).status).toBe(404);
    expect((await s.agent.get('/bestallningar/abc')).status).toBe(404);
    expect((await t.db('training_orders').where({ id: orderId }).first()).status).toBe('requested');
  });

  it('lets an orderer add only their own organisation’s staff', async () => {
    const { customer, orderer, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    const outsider = await buildPerson(t.db);
    const o = await loginAs(t.app, orderer.email);
    expect(
      (
        await o.agent
          .post(`/bestallningar/${orderId}/deltagare`)
          .type('form')
          .send({ _csrf: o.csrf, userIds: String(outsider.id) })
      ).status,
    ).toBe(403);
    expect(await t.db('training_participants').where({ order_id: orderId })).toHaveLength(0);
  });

  it('gives an educator what HMC handles, but not invoices, prices or master data', async () => {
    const { customer, orderer, teacher, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    const hmc = await loginAs(t.app, teacher.email);
    expect((await hmc.agent.get('/hmc/bestallningar')).status).toBe(200);
    expect((await hmc.agent.get(`/hmc/bestallningar/${orderId}`)).status).toBe(200);
    for (const path of [
      '/admin/fakturor',
      '/admin/prislista',
      '/admin/kunder',
      '/admin/fakturering',
      '/fakturor',
    ])
      expect({ path, status: (await hmc.agent.get(path)).status }).toEqual({ path, status: 403 });
  });

  it('lets only the training’s own educator (or an administrator) register attendance', async () => {
    const { customer, orderer, teacher, offering } = await setting();
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
      status: 'confirmed',
      educatorId: teacher.id,
    });
    await moveIntoPast(t.db, orderId);
    const otherEducator = await buildPerson(t.db, { jobRole: null, permissions: educator });
    const e = await loginAs(t.app, otherEducator.email);
    expect(
      (await e.agent.post(`/hmc/bestallningar/${orderId}/narvaro`).type('form').send({ _csrf: e.csrf }))
        .status,
    ).toBe(403);
    expect((await t.db('training_orders').where({ id: orderId }).first()).status).toBe('confirmed');
  });
});
