/** Ordering a training over HTTP on a real PostgreSQL: estimate, validation in Swedish, exactly one order. */
import * as cheerio from 'cheerio';
import { addDays, swedishDate } from '../../server/bookings/dates';
import { buildBooker, buildCustomer, buildOffering, configureSeller } from '../support/bookings';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await configureSeller(t.db);
});
afterAll(async () => t.close());

const today = () => swedishDate(new Date());

async function orderer(o: { complete?: boolean } = {}) {
  const customer = await buildCustomer(t.db, o);
  const person = await buildBooker(t.db, customer);
  const offering = await buildOffering(t.db, { max: 10 });
  const { agent, csrf } = await loginAs(t.app, person.email);
  const form = cheerio.load((await agent.get(`/utbildningar/${offering.id}/bestall`)).text);
  const token = String(form('input[name="requestToken"]').val());
  return { customer, person, offering, agent, csrf, token };
}

const fields = (csrf: string, token: string, organisationId: number, extra: Record<string, string> = {}) => ({
  _csrf: csrf,
  requestToken: token,
  organisationId: String(organisationId),
  date1: addDays(today(), 30),
  date2: addDays(today(), 37),
  place: 'hmc',
  expectedParticipants: '8',
  withCoffee: 'on',
  withVenue: 'on',
  contactName: 'Jonas Ek',
  contactEmail: 'jonas@kommun.test',
  buyerReference: 'VÄS-OMS-4471',
  costCentre: '61020',
  ...extra,
});

describe('POST /utbildningar/:id/bestall', () => {
  it('shows the price estimate line by line before anything is sent', async () => {
    const { customer, offering, agent, csrf, token } = await orderer();
    const res = await agent
      .post(`/utbildningar/${offering.id}/bestall`)
      .type('form')
      .send(fields(csrf, token, customer.id));
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    const rows = $('table.money-table tbody tr')
      .map((_i, tr) =>
        $(tr)
          .find('td')
          .map((_j, td) => $(td).text().trim())
          .get()
          .join(' | '),
      )
      .get();
    expect(rows).toEqual([
      'Utbildning, heldag | 1 | 5 000,00 kr | 5 000,00 kr',
      'Lokal | 1 | 1 200,00 kr | 1 200,00 kr',
      'Fika per deltagare | 8 | 45,00 kr | 360,00 kr',
    ]);
    expect($('table.money-table tfoot').text()).toContain('8 200,00 kr');
    expect(await t.db('training_orders').where({ organisation_id: customer.id })).toHaveLength(0);
  });

  it('sends the order, tells the orderer by e-mail and shows it in the list', async () => {
    const { customer, offering, agent, csrf, token } = await orderer();
    const res = await agent
      .post(`/utbildningar/${offering.id}/bestall`)
      .type('form')
      .send({ ...fields(csrf, token, customer.id), step: 'send' });
    expect(res.status).toBe(303);
    const order = await t.db('training_orders').where({ organisation_id: customer.id }).first();
    expect(res.headers.location).toBe(`/bestallningar/${order.id}?klart=skickad`);
    expect(order).toMatchObject({
      status: 'requested',
      buyer_reference: 'VÄS-OMS-4471',
      cost_centre: '61020',
      expected_participants: 8,
      with_venue: true,
    });
    const mail = await t
      .db('outbox_messages')
      .where({ to_address: 'jonas@kommun.test' })
      .where('event_key', 'like', `training-order:${order.id}:received:%`);
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe('Vi har tagit emot er beställning: Förflyttning i praktiken');
    const list = cheerio.load((await agent.get('/bestallningar')).text);
    expect(list('table tbody tr').text()).toContain('Förfrågan skickad');
  });

  it('makes exactly one order when the send button is clicked twice at once', async () => {
    const { customer, offering, agent, csrf, token } = await orderer();
    const send = () =>
      agent
        .post(`/utbildningar/${offering.id}/bestall`)
        .type('form')
        .send({ ...fields(csrf, token, customer.id), step: 'send' });
    const results = await Promise.all([send(), send(), send()]);
    expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(new Set(results.map((r) => r.headers.location.replace(/\?.*/, ''))).size).toBe(1);
    const orders = await t.db('training_orders').where({ organisation_id: customer.id });
    expect(orders).toHaveLength(1);
    expect(
      await t.db('outbox_messages').where('event_key', 'like', `training-order:${orders[0].id}:received:%`),
    ).toHaveLength(2);
  });

  it.each([
    [
      'a date in the past',
      { date1: '2020-01-01' },
      'date1',
      'Datumet har redan varit. Välj ett datum efter i dag.',
    ],
    ['only one date', { date2: '' }, 'date2', 'Ange minst två önskade datum.'],
    [
      'more participants than the training takes',
      { expectedParticipants: '11' },
      'expectedParticipants',
      'Utbildningen tar högst 10 deltagare.',
    ],
    ['no buyer reference', { buyerReference: '  ' }, 'buyerReference', 'Skriv er referens.'],
    [
      'a place the training is not held at',
      { place: 'digital' },
      'place',
      'Utbildningen kan inte hållas där.',
    ],
    [
      'the workplace without an address',
      { place: 'workplace' },
      'placeAddress',
      'Skriv adressen till arbetsplatsen.',
    ],
    [
      'a malformed e-mail',
      { contactEmail: 'jonas@' },
      'contactEmail',
      'Skriv en e-postadress som namn@exempel.se.',
    ],
  ])(
    'refuses %s with a Swedish message beside the field and saves nothing',
    async (_what, change, field, message) => {
      const { customer, offering, agent, csrf, token } = await orderer();
      const res = await agent
        .post(`/utbildningar/${offering.id}/bestall`)
        .type('form')
        .send({ ...fields(csrf, token, customer.id, change as Record<string, string>), step: 'send' });
      expect(res.status).toBe(400);
      const $ = cheerio.load(res.text);
      expect($('.error-summary').text()).toContain(message);
      expect($(`#${field}-error`).text()).toContain(message);
      expect(await t.db('training_orders').where({ organisation_id: customer.id })).toHaveLength(0);
    },
  );

  it('asks an organisation without an organisation number for one, refuses an invalid one, and saves a valid one', async () => {
    const { customer, offering, agent, csrf, token } = await orderer({ complete: false });
    const bad = await agent
      .post(`/utbildningar/${offering.id}/bestall`)
      .type('form')
      .send({ ...fields(csrf, token, customer.id, { orgNumber: '212000-1836' }), step: 'send' });
    expect(bad.status).toBe(400);
    expect(cheerio.load(bad.text)('#orgNumber-error').text()).toContain(
      'Organisationsnumret är inte giltigt',
    );
    expect(await t.db('training_orders').where({ organisation_id: customer.id })).toHaveLength(0);
    const good = await agent
      .post(`/utbildningar/${offering.id}/bestall`)
      .type('form')
      .send({ ...fields(csrf, token, customer.id, { orgNumber: '212099-0102' }), step: 'send' });
    expect(good.status).toBe(303);
    expect((await t.db('organisations').where({ id: customer.id }).first()).org_number).toBe('2120990102');
  });

  it('refuses an order for another organisation (403) and without a CSRF token (403)', async () => {
    const { offering, agent, csrf, token } = await orderer();
    const other = await buildCustomer(t.db);
    const res = await agent
      .post(`/utbildningar/${offering.id}/bestall`)
      .type('form')
      .send({ ...fields(csrf, token, other.id), step: 'send' });
    expect(res.status).toBe(403);
    const noCsrf = await agent
      .post(`/utbildningar/${offering.id}/bestall`)
      .type('form')
      .send({ ...fields('', token, other.id), step: 'send' });
    expect(noCsrf.status).toBe(403);
    expect(await t.db('training_orders').where({ organisation_id: other.id })).toHaveLength(0);
  });

  it('keeps ordering closed to learners and hides unpublished offerings from orderers', async () => {
    const learner = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, learner.email);
    expect((await agent.get('/utbildningar')).status).toBe(403);
    const { agent: bookerAgent } = await orderer();
    const hidden = await buildOffering(t.db, { published: false });
    expect((await bookerAgent.get(`/utbildningar/${hidden.id}`)).status).toBe(404);
    expect(cheerio.load((await bookerAgent.get('/utbildningar')).text)('.card').length).toBeGreaterThan(0);
  });
});
