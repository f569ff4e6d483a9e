/**
 * Attendance is not pre-ticked, and a mistake can be corrected until the invoice is issued: the
 * completion follows the correction and every change is logged (issue 14).
 */
import * as cheerio from 'cheerio';
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

/** A held training of the educator with two staff members on the list. */
async function heldTraining() {
  const customer = await buildCustomer(t.db);
  const orderer = await buildBooker(t.db, customer);
  const teacher = await buildPerson(t.db, { jobRole: null, permissions: educator });
  const boss = await buildPerson(t.db, { jobRole: null, permissions: admin });
  const offering = await buildOffering(t.db);
  const orderId = await buildOrder(t.db, {
    organisationId: customer.id,
    offeringId: offering.id,
    orderedBy: orderer.id,
    status: 'confirmed',
    educatorId: teacher.id,
  });
  await moveIntoPast(t.db, orderId);
  const amina = await buildPerson(t.db, { unitId: customer.unitId, name: 'Amina Yusuf' });
  const erik = await buildPerson(t.db, { unitId: customer.unitId, name: 'Erik Lind' });
  const [a, e] = await t
    .db('training_participants')
    .insert([
      { order_id: orderId, user_id: amina.id, name: 'Amina Yusuf', email: amina.email, added_by: orderer.id },
      { order_id: orderId, user_id: erik.id, name: 'Erik Lind', email: erik.email, added_by: orderer.id },
    ])
    .returning('id');
  const hmc = await loginAs(t.app, teacher.email);
  return { orderId, offering, amina, erik, aminaRow: a.id as number, erikRow: e.id as number, hmc, boss };
}

const post = (s: Awaited<ReturnType<typeof loginAs>>, orderId: number, ids: number[], correction = false) =>
  s.agent
    .post(`/hmc/bestallningar/${orderId}/narvaro`)
    .type('form')
    .send(
      [
        `_csrf=${encodeURIComponent(s.csrf)}`,
        ...ids.map((id) => `attended=${id}`),
        ...(correction ? ['correction=1'] : []),
      ].join('&'),
    );

const completionOf = async (userId: number, courseId: number | null) =>
  t.db('completions').where({ user_id: userId, course_id: courseId, kind: 'classroom' });

describe('registering attendance', () => {
  it('ticks nobody in advance and says what saving does', async () => {
    const { orderId, hmc } = await heldTraining();
    const $ = cheerio.load((await hmc.agent.get(`/hmc/bestallningar/${orderId}`)).text);
    const boxes = $('input[name="attended"]');
    expect(boxes).toHaveLength(2);
    expect(boxes.filter('[checked]')).toHaveLength(0);
    const text = $('#h-attendance').parent().text();
    expect(text).toContain('får kursen godkänd i sitt rollspår');
    expect(text).toContain('fakturautkast');
    expect(text).toContain('Ingen är förbockad');
  });
});

describe('correcting attendance', () => {
  it('adds and withdraws completions, logs each change, and a second submit changes nothing', async () => {
    const { orderId, offering, amina, erik, aminaRow, erikRow, hmc } = await heldTraining();
    // The registration sent twice (a double click) registers once.
    expect((await post(hmc, orderId, [aminaRow])).status).toBe(303);
    expect((await post(hmc, orderId, [aminaRow])).status).toBe(303);
    expect(await completionOf(amina.id, offering.courseId)).toHaveLength(1);
    expect(await completionOf(erik.id, offering.courseId)).toHaveLength(0);

    // The delivered page offers the correction with today's attendance ticked.
    const $ = cheerio.load((await hmc.agent.get(`/hmc/bestallningar/${orderId}`)).text);
    expect($('input[name="correction"]')).toHaveLength(1);
    expect($(`#attended-${aminaRow}`).attr('checked')).toBeDefined();
    expect($(`#attended-${erikRow}`).attr('checked')).toBeUndefined();

    // Erik came, Amina did not: Erik gets the course, Amina's completion is withdrawn.
    for (let i = 0; i < 2; i++) {
      const res = await post(hmc, orderId, [erikRow], true);
      expect(res.status).toBe(303);
      expect(res.headers.location).toContain('klart=narvarorattad');
    }
    expect(await completionOf(amina.id, offering.courseId)).toHaveLength(0);
    expect(await completionOf(erik.id, offering.courseId)).toHaveLength(1);
    const rows = await t.db('training_participants').where({ order_id: orderId }).orderBy('id');
    expect(rows.map((r) => [r.attended, r.completion_id !== null])).toEqual([
      [false, false],
      [true, true],
    ]);
    const log = await t.db('audit_log').where({ subject: `order:${orderId}` });
    expect(log).toHaveLength(1);
    expect(log[0].action).toBe('attendance.correct');
    expect(log[0].details.added.map((p: { name: string }) => p.name)).toEqual(['Erik Lind']);
    expect(log[0].details.removed.map((p: { name: string }) => p.name)).toEqual(['Amina Yusuf']);
    // The invoice draft is still the only one.
    expect(await t.db('invoices').where({ training_order_id: orderId })).toHaveLength(1);
  });

  it('is refused once the invoice is issued', async () => {
    const { orderId, offering, amina, aminaRow, erikRow, hmc, boss } = await heldTraining();
    await post(hmc, orderId, [aminaRow]);
    const draft = await t.db('invoices').where({ training_order_id: orderId }).first();
    await t.services.billing.issue(draft.id, boss.id);
    const res = await post(hmc, orderId, [erikRow], true);
    expect(res.status).toBe(409);
    expect(cheerio.load(res.text)('.error-summary, main').text()).toContain(
      'Fakturan för utbildningen är redan utfärdad',
    );
    expect(await completionOf(amina.id, offering.courseId)).toHaveLength(1);
    expect(await t.db('audit_log').where({ subject: `order:${orderId}` })).toHaveLength(0);
    expect(
      cheerio.load((await hmc.agent.get(`/hmc/bestallningar/${orderId}`)).text)('input[name="correction"]'),
    ).toHaveLength(0);
  });

  it('refuses a participant of another training (404) and another educator (403)', async () => {
    const first = await heldTraining();
    const second = await heldTraining();
    await post(first.hmc, first.orderId, [first.aminaRow]);
    expect((await post(first.hmc, first.orderId, [first.aminaRow, second.erikRow], true)).status).toBe(404);
    expect((await post(first.hmc, first.orderId, [999999999], true)).status).toBe(404);
    expect((await post(second.hmc, first.orderId, [first.erikRow], true)).status).toBe(403);
    expect(await completionOf(first.amina.id, first.offering.courseId)).toHaveLength(1);
    expect(await t.db('audit_log').where({ subject: `order:${first.orderId}` })).toHaveLength(0);
  });
});
