/**
 * Issue 11: an orderer adds guests by e-mail, but an address is matched to an account only within the
 * ordering organisation and only when verified. Anyone else confirms by a mailed link, logged in, before
 * attendance can write a completion into their record.
 */
import * as cheerio from 'cheerio';
import {
  admin,
  buildBooker,
  buildCustomer,
  buildOffering,
  buildOrder,
  moveIntoPast,
} from '../support/bookings';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function setting() {
  const customer = await buildCustomer(t.db);
  const elsewhere = await buildCustomer(t.db);
  const orderer = await buildBooker(t.db, customer);
  const hmc = await buildPerson(t.db, { jobRole: null, permissions: admin });
  const offering = await buildOffering(t.db, { max: 10 });
  const orderId = await buildOrder(t.db, {
    organisationId: customer.id,
    offeringId: offering.id,
    orderedBy: orderer.id,
    status: 'confirmed',
    educatorId: hmc.id,
  });
  return { customer, elsewhere, orderer, hmc, offering, orderId };
}

async function addGuest(orderer: { email: string }, orderId: number, name: string, email: string) {
  const o = await loginAs(t.app, orderer.email);
  return o.agent
    .post(`/bestallningar/${orderId}/deltagare`)
    .type('form')
    .send({ _csrf: o.csrf, guestName: name, guestEmail: email });
}

async function registerAll(hmc: { email: string }, orderId: number) {
  await moveIntoPast(t.db, orderId);
  const ids = (await t.db('training_participants').where({ order_id: orderId }))
    .map((p) => `attended=${p.id}`)
    .join('&');
  const a = await loginAs(t.app, hmc.email);
  const res = await a.agent
    .post(`/hmc/bestallningar/${orderId}/narvaro`)
    .type('form')
    .send(`_csrf=${encodeURIComponent(a.csrf)}&${ids}`);
  expect(res.status).toBe(303);
}

const confirmPath = (text: string) => /https?:\/\/[^/\s]+(\/deltagande\/\d+\/bekrafta)/.exec(text)?.[1];

describe('guests by e-mail', () => {
  it('matches a verified colleague of the ordering organisation, but not a person of another organisation nor an unverified address', async () => {
    const { customer, elsewhere, orderer, hmc, offering, orderId } = await setting();
    const colleague = await buildPerson(t.db, { unitId: customer.unitId, name: 'Kollega Samma' });
    const unverified = await buildPerson(t.db, { unitId: customer.unitId, name: 'Obekräftad Adress' });
    await t.db('users').where({ id: unverified.id }).update({ email_verified_at: null });
    const outsider = await buildPerson(t.db, { unitId: elsewhere.unitId, name: 'Annan Arbetsgivare' });
    for (const p of [colleague, unverified, outsider])
      expect((await addGuest(orderer, orderId, 'Gäst', p.email.toUpperCase())).status).toBe(303);

    const rows = await t.db('training_participants').where({ order_id: orderId });
    const byEmail = (e: string) => rows.find((r) => r.email.toLowerCase() === e.toLowerCase());
    expect(byEmail(colleague.email).user_id).toBe(colleague.id);
    expect(byEmail(unverified.email).user_id).toBeNull();
    expect(byEmail(outsider.email).user_id).toBeNull();

    // The outsider (and the unverified account) are asked to confirm; the colleague is not.
    const asks = await t
      .db('outbox_messages')
      .where('event_key', 'like', 'training-guest-confirm:%')
      .whereIn(
        'to_address',
        [colleague.email, unverified.email, outsider.email].map((e) => e.toUpperCase()),
      );
    expect(asks.map((m) => m.to_address.toLowerCase()).sort()).toEqual(
      [unverified.email, outsider.email].sort(),
    );
    expect(asks.every((m) => m.user_id === null)).toBe(true);

    await registerAll(hmc, orderId);
    const completed = (
      await t
        .db('completions')
        .where({ course_id: offering.courseId })
        .whereIn('user_id', [colleague.id, unverified.id, outsider.id])
    ).map((c) => c.user_id);
    expect(completed).toEqual([colleague.id]);
  });

  it('lets the person of another organisation confirm, logged in, and then attendance counts for them', async () => {
    const { elsewhere, orderer, hmc, offering, orderId } = await setting();
    const outsider = await buildPerson(t.db, { unitId: elsewhere.unitId, name: 'Bekräftar Själv' });
    const stranger = await buildPerson(t.db, { unitId: elsewhere.unitId });
    await addGuest(orderer, orderId, 'Bekräftar Själv', outsider.email);
    const mail = await t
      .db('outbox_messages')
      .where({ to_address: outsider.email })
      .where('event_key', 'like', 'training-guest-confirm:%')
      .first();
    const path = confirmPath(mail.text_body)!;
    expect(path).toBeDefined();

    // Someone else cannot take it.
    const other = await loginAs(t.app, stranger.email);
    expect((await other.agent.get(path)).status).toBe(403);
    expect((await other.agent.post(path).type('form').send({ _csrf: other.csrf })).status).toBe(403);

    const me = await loginAs(t.app, outsider.email);
    const page = await me.agent.get(path);
    expect(page.status).toBe(200);
    expect(cheerio.load(page.text)('button[type="submit"]').text()).toContain(
      'spara utbildningen i mitt konto',
    );
    const confirmed = await me.agent.post(path).type('form').send({ _csrf: me.csrf });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Utbildningen sparas i ditt konto');
    const row = await t
      .db('training_participants')
      .where({ order_id: orderId, email: outsider.email })
      .first();
    expect(row.user_id).toBe(outsider.id);
    expect(row.confirmed_at).not.toBeNull();

    await registerAll(hmc, orderId);
    expect(
      await t.db('completions').where({ user_id: outsider.id, course_id: offering.courseId }),
    ).toHaveLength(1);
  });

  it('asks an unverified account to verify its address first', async () => {
    const { elsewhere, orderer, orderId } = await setting();
    const person = await buildPerson(t.db, { unitId: elsewhere.unitId });
    await t.db('users').where({ id: person.id }).update({ email_verified_at: null });
    await addGuest(orderer, orderId, 'Ej Bekräftad', person.email);
    const participant = await t
      .db('training_participants')
      .where({ order_id: orderId, email: person.email })
      .first();
    const me = await loginAs(t.app, person.email);
    const res = await me.agent
      .post(`/deltagande/${participant.id}/bekrafta`)
      .type('form')
      .send({ _csrf: me.csrf });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Du behöver först bekräfta din e-postadress');
    expect((await t.db('training_participants').where({ id: participant.id }).first()).user_id).toBeNull();
  });
});
