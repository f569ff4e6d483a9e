/**
 * One way to show form errors (issue 12): every failing form, whatever the feature, renders the same
 * structure — an error summary linking to each field, and beside the field a message that the field
 * points at (aria-describedby) while marked aria-invalid. And no view writes that markup by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { z } from 'zod';
import { addDays, swedishDate } from '../../server/bookings/dates';
import { parseForm } from '../../server/http/validation';
import { buildBooker, buildCustomer, buildOffering, buildOrder, configureSeller } from '../support/bookings';
import { buildPerson, csrfFrom, loginAs, startTestApp, type TestApp } from '../support/test-app';

/** The fields the summary links to, each checked for the one structure; returns the messages by id. */
function expectAccessibleErrors(html: string, ids: string[]): Record<string, string> {
  const $ = cheerio.load(html);
  const summary = $('.error-summary');
  expect(summary).toHaveLength(1);
  expect(summary.attr('role')).toBe('alert');
  const links = summary
    .find('a')
    .map((_i, a) => $(a).attr('href'))
    .get();
  const messages: Record<string, string> = {};
  for (const id of ids) {
    expect(links).toContain(`#${id}`);
    const field = $(`#${id}`);
    expect(field).toHaveLength(1);
    const error = $(`#${id}-error`);
    expect(error.hasClass('field-error')).toBe(true);
    expect(String(field.attr('aria-describedby')).split(' ')).toContain(`${id}-error`);
    // A group (fieldset) points at its message; its inputs carry aria-invalid.
    const invalid = field.is('fieldset') ? field.find('input') : field;
    expect(invalid.length).toBeGreaterThan(0);
    invalid.each((_i, el) => {
      expect($(el).attr('aria-invalid')).toBe('true');
    });
    expect(field.closest('.field').hasClass('field--error')).toBe(true);
    messages[id] = error.text();
  }
  expect(links).toHaveLength(ids.length);
  return messages;
}

describe('parseForm', () => {
  it('returns the translation keys the schema names, the first per field', () => {
    const schema = z.object({
      name: z.string({ error: 'auth:errors.nameRequired' }).min(2, 'auth:errors.nameTooShort'),
    });
    expect(parseForm(schema, {})).toEqual({ ok: false, errors: { name: 'auth:errors.nameRequired' } });
    expect(parseForm(schema, { name: 'A' })).toEqual({
      ok: false,
      errors: { name: 'auth:errors.nameTooShort' },
    });
  });

  it("never passes on zod's own English text, even when it contains a colon", () => {
    const schema = z.object({ email: z.string().max(5), age: z.number().int() });
    const result = parseForm(schema, { email: 'far too long', age: 1.5 });
    expect(result).toEqual({
      ok: false,
      errors: { email: 'common:errors.invalid', age: 'common:errors.invalid' },
    });
  });

  it('uses the fallback key a feature chooses', () => {
    expect(parseForm(z.object({ unit: z.number() }), { unit: 'x' }, 'stats:errors.invalidChoice')).toEqual({
      ok: false,
      errors: { unit: 'stats:errors.invalidChoice' },
    });
  });
});

describe('a failing form in every feature has the same accessible structure', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await configureSeller(t.db);
  });
  afterAll(async () => t.close());

  it('POST /ga-med (join): text, select and password fields', async () => {
    const agent = request.agent(t.app);
    const csrf = await csrfFrom(agent, '/ga-med');
    const res = await agent.post('/ga-med').type('form').send({ _csrf: csrf, email: 'inte-en-adress' });
    expect(res.status).toBe(400);
    const messages = expectAccessibleErrors(res.text, [
      'joinCode',
      'name',
      'email',
      'jobRole',
      'password',
      'passwordAgain',
    ]);
    expect(messages.email).toContain('Fel:');
  });

  it('POST /admin/personer (admin person): an admin select is marked invalid too', async () => {
    const person = await buildPerson(t.db, {
      permissions: [{ kind: 'admin', organisationId: null, unitId: null }],
    });
    const admin = await loginAs(t.app, person.email);
    const res = await admin.agent
      .post('/admin/personer')
      .type('form')
      .send({
        _csrf: admin.csrf,
        name: '',
        email: `${'a'.repeat(260)}@test.se`,
        managerScope: 'hela-världen',
      });
    expect(res.status).toBe(400);
    const messages = expectAccessibleErrors(res.text, ['name', 'email', 'password', 'managerScope']);
    // Zod's "Too big: expected string…" used to reach the page as if it were a key.
    expect(messages.email).toContain('Värdet är inte giltigt.');
  });

  it('POST /utbildningar/:id/bestall (order form): a radio group and a message with a number in it', async () => {
    const customer = await buildCustomer(t.db);
    const booker = await buildBooker(t.db, customer);
    const offering = await buildOffering(t.db, { max: 10 });
    const { agent, csrf } = await loginAs(t.app, booker.email);
    const form = cheerio.load((await agent.get(`/utbildningar/${offering.id}/bestall`)).text);
    const send = (extra: Record<string, string>) =>
      agent
        .post(`/utbildningar/${offering.id}/bestall`)
        .type('form')
        .send({
          _csrf: csrf,
          requestToken: String(form('input[name="requestToken"]').val()),
          organisationId: String(customer.id),
          step: 'preview',
          date1: addDays(swedishDate(new Date()), 30),
          date2: addDays(swedishDate(new Date()), 37),
          contactName: 'Jonas Ek',
          contactEmail: 'jonas@kommun.test',
          buyerReference: 'VÄS-1',
          ...extra,
        });
    const noPlace = await send({ expectedParticipants: '8' });
    expect(noPlace.status).toBe(400);
    expectAccessibleErrors(noPlace.text, ['place']);
    const tooMany = await send({ place: 'hmc', expectedParticipants: '40' });
    expect(tooMany.status).toBe(400);
    const messages = expectAccessibleErrors(tooMany.text, ['expectedParticipants']);
    expect(messages.expectedParticipants).toContain('högst 10 deltagare');
  });

  it('POST /bestallningar/:id/deltagare on a closed list: 409 on the order page, the summary pointing at the list', async () => {
    const customer = await buildCustomer(t.db);
    const booker = await buildBooker(t.db, customer);
    const offering = await buildOffering(t.db, { max: 10 });
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: booker.id,
    });
    const { agent, csrf } = await loginAs(t.app, booker.email);
    await t
      .db('training_orders')
      .where({ id: orderId })
      .update({ status: 'declined', decline_reason: 'Ingen lärare' });
    const res = await agent
      .post(`/bestallningar/${orderId}/deltagare`)
      .type('form')
      .send({ _csrf: csrf, guestName: 'Kim', guestEmail: 'kim@extern.test' });
    expect(res.status).toBe(409);
    const $ = cheerio.load(res.text);
    expect($('.error-summary a').attr('href')).toBe('#deltagare');
    expect($('.error-summary').text()).toContain('Deltagarlistan kan inte ändras längre.');
    expect($('#deltagare')).toHaveLength(1);
    expect(await t.db('training_participants').where({ order_id: orderId })).toHaveLength(0);
  });

  it('POST lesson editor (authoring): a number field and the video select', async () => {
    const person = await buildPerson(t.db, {
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    const educator = await loginAs(t.app, person.email);
    const url = '/redigera/kurser/test-kurs/lektioner/bromsar';
    const $ = cheerio.load((await educator.agent.get(url)).text);
    const res = await educator.agent
      .post(url)
      .type('form')
      .send({
        _csrf: educator.csrf,
        action: 'save',
        revision: String($('input[name="revision"]').val()),
        titleStandard: 'Bromsar',
        titleEasy: 'Bromsar',
        bodyStandard: 'Text.',
        bodyEasy: 'Text.',
        minutes: 'många',
        video: 'Inte en film!',
      });
    expect(res.status).toBe(400);
    expectAccessibleErrors(res.text, ['minutes', 'video']);
  });
});

describe('views', () => {
  const viewsDir = path.join(__dirname, '..', '..', 'views');
  const views = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory()
          ? views(path.join(dir, e.name))
          : e.name.endsWith('.ejs')
            ? [path.join(dir, e.name)]
            : [],
      );

  it('write no error markup by hand: field.ejs and error-summary.ejs in views/partials are the one way', () => {
    const all = views(viewsDir);
    expect(all.length).toBeGreaterThan(50);
    const handWritten = all
      .filter((file) => path.dirname(file) !== path.join(viewsDir, 'partials'))
      .filter((file) => /aria-invalid|class="error-summary"/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(viewsDir, file));
    expect(handWritten).toEqual([]);
  });
});
