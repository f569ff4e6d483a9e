/**
 * What learners, managers and orderers stumbled on (issue 14): where each role lands, Mina kurser's due
 * dates, order, "Gör om" and booked classroom trainings (also on the manager's page), the quiz page's
 * variant switch, the quiz intro after passing, and the lesson page's text-before-film and read-aloud help.
 */
import * as cheerio from 'cheerio';
import type { Knex } from 'knex';
import { byUrgency, type CourseCard } from '../../server/courses/courses-service';
import { paths } from '../../server/http/paths';
import type { Permission } from '../../server/auth/types';
import { buildBooker, buildCustomer, buildOffering, buildOrder, educator } from '../support/bookings';
import {
  buildPerson,
  buildUnit,
  csrfFrom,
  loginAs,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../support/test-app';
import request from 'supertest';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const courseId = async (db: Knex) =>
  (await db('courses').where({ slug: 'test-kurs' }).first('id')).id as number;

async function completion(
  db: Knex,
  userId: number,
  completedDaysAgo: number,
  validDays: number,
): Promise<void> {
  const day = 86_400_000;
  const completedAt = new Date(Date.now() - completedDaysAgo * day);
  await db('completions').insert({
    user_id: userId,
    course_id: await courseId(db),
    kind: 'elearning',
    completed_at: completedAt,
    valid_until: new Date(completedAt.getTime() + validDays * day),
    verification_code: `T${userId}-${completedDaysAgo}`,
  });
}

describe('where each role lands after logging in', () => {
  const permissionsFor = (kind: string, unit: { id: number; organisationId: number }): Permission[] => {
    if (kind === 'booker') return [{ kind: 'booker', organisationId: unit.organisationId, unitId: null }];
    if (kind === 'manager') return [{ kind: 'manager', organisationId: null, unitId: unit.id }];
    if (kind === 'educator') return educator;
    return [{ kind: 'learner', organisationId: null, unitId: null }];
  };
  it.each([
    ['a learner', 'learner', paths.myCourses],
    ['a manager', 'manager', paths.stats],
    ['an orderer', 'booker', paths.bookingOrders],
    ['an HMC educator', 'educator', paths.hmcOrders],
  ])('%s lands where their work is', async (_who, kind, landing) => {
    const unit = await buildUnit(t.db);
    const person = await buildPerson(t.db, { unitId: unit.id, permissions: permissionsFor(kind, unit) });
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, paths.login);
    const res = await agent
      .post(paths.login)
      .type('form')
      .send({ _csrf: token, email: person.email, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(landing);
    // The home page and the login page send a logged-in person to the same place.
    expect((await agent.get(paths.home)).headers.location).toBe(landing);
  });
});

describe('Mina kurser', () => {
  it('says by when a required course never done is due, and that it is late once the introduction is over', async () => {
    const person = await buildPerson(t.db);
    await t
      .db('users')
      .where({ id: person.id })
      .update({ created_at: new Date(Date.now() - 10 * 86_400_000) });
    const { agent } = await loginAs(t.app, person.email);
    let $ = cheerio.load((await agent.get(paths.myCourses)).text);
    expect($('.card__due').text()).toMatch(/Ska vara klar senast \d+ \w+ \d{4}/);
    expect($('.card__due--late').length).toBe(0);

    await t
      .db('users')
      .where({ id: person.id })
      .update({ created_at: new Date(Date.now() - 45 * 86_400_000) });
    $ = cheerio.load((await agent.get(paths.myCourses)).text);
    expect($('.card__due--late').text()).toMatch(/Skulle ha varit klar/);
  });

  it('offers "Gör om" on an expired course, which starts it again', async () => {
    const person = await buildPerson(t.db);
    await completion(t.db, person.id, 400, 365);
    const { agent } = await loginAs(t.app, person.email);
    const $ = cheerio.load((await agent.get(paths.myCourses)).text);
    const form = $(`form[action="${paths.courseStart('test-kurs')}"]`);
    expect(form.find('button').text()).toBe('Gör om');
    expect($('.card__due').length).toBe(0);
    const res = await agent
      .post(paths.courseStart('test-kurs'))
      .type('form')
      .send({ _csrf: form.find('input[name="_csrf"]').val() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(paths.lesson('test-kurs', 'bromsar'));
  });

  it('sorts what is expired or expiring before what is not started, and finished courses last', () => {
    const card = (slug: string, state: CourseCard['status']['state'], when: number | null): CourseCard =>
      ({
        slug,
        requirement: 'required',
        status: { state, progress: 0, validUntil: when === null ? null : new Date(when) },
        dueBy: null,
      }) as unknown as CourseCard;
    const sorted = [
      card('klar', 'completed', 500),
      card('ny', 'not_started', null),
      card('snart', 'expiring', 300),
      card('gammal', 'expired', 100),
      card('pagar', 'in_progress', null),
      card('snartare', 'expiring', 200),
    ].sort(byUrgency);
    expect(sorted.map((c) => c.slug)).toEqual(['gammal', 'snartare', 'snart', 'pagar', 'ny', 'klar']);
  });

  it("shows the learner's booked classroom trainings, and the manager sees them on the person's page", async () => {
    const customer = await buildCustomer(t.db);
    const orderer = await buildBooker(t.db, customer);
    const offering = await buildOffering(t.db);
    const learner = await buildPerson(t.db, { unitId: customer.unitId, name: 'Goran Petrović' });
    const orderId = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
      status: 'confirmed',
      daysAhead: 20,
    });
    await t.db('training_participants').insert({
      order_id: orderId,
      user_id: learner.id,
      name: 'Goran Petrović',
      email: learner.email,
      added_by: orderer.id,
    });
    // A requested (not confirmed) training is not shown as booked.
    const requested = await buildOrder(t.db, {
      organisationId: customer.id,
      offeringId: offering.id,
      orderedBy: orderer.id,
    });
    await t.db('training_participants').insert({
      order_id: requested,
      user_id: learner.id,
      name: 'Goran Petrović',
      email: learner.email,
      added_by: orderer.id,
    });

    const { agent } = await loginAs(t.app, learner.email);
    const $ = cheerio.load((await agent.get(paths.myCourses)).text);
    expect($('#h-booked').text()).toBe('Dina bokade utbildningar på plats');
    const cards = $('#h-booked').parent().find('.card');
    expect(cards.length).toBe(1);
    expect(cards.text()).toContain('Förflyttning i praktiken');
    expect(cards.text()).toMatch(/kl\. 09:00–16:00/);
    // The place in words, not its code ("hmc").
    expect(cards.text()).toContain('På Hjälpmedelscentrum');

    const manager = await buildPerson(t.db, {
      unitId: customer.unitId,
      jobRole: null,
      permissions: [{ kind: 'manager', organisationId: null, unitId: customer.unitId }],
    });
    const m = await loginAs(t.app, manager.email);
    const page = cheerio.load((await m.agent.get(paths.statsPerson(learner.id))).text);
    expect(page('#booked-caption').length).toBe(1);
    expect(page('#booked-caption').closest('table').find('tbody tr').length).toBe(1);
    expect(page('#booked-caption').closest('table').find('tbody tr').text()).toContain(
      'På Hjälpmedelscentrum',
    );
  });

  it('tells English readers that the courses themselves are in Swedish', async () => {
    const person = await buildPerson(t.db);
    await t.db('users').where({ id: person.id }).update({ ui_language: 'en' });
    const { agent } = await loginAs(t.app, person.email);
    const $ = cheerio.load((await agent.get(paths.myCourses)).text);
    expect($('main').text()).toContain('the courses themselves are in Swedish');
  });
});

describe('the quiz', () => {
  it('has the standard / easy switch on its pages, and after passing the intro no longer lists lessons as left', async () => {
    const person = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, person.email);
    for (const lesson of ['bromsar', 'fallet-ali'])
      await agent.post(paths.lessonDone('test-kurs', lesson)).type('form').send({ _csrf: csrf });
    const start = await agent.post(paths.quizStart('test-kurs')).type('form').send({ _csrf: csrf });
    const question = cheerio.load((await agent.get(start.headers.location)).text);
    expect(question(`form[action="${paths.variant}"] button[value="easy"]`).length).toBe(1);
    expect(question('input[name="returnTo"]').val()).toBe(start.headers.location);

    // A completion without an open enrolment: the learner passed earlier.
    await t.db('enrolments').where({ user_id: person.id }).update({ completed_at: new Date() });
    await completion(t.db, person.id, 1, 365);
    const intro = cheerio.load((await agent.get(paths.quizStart('test-kurs'))).text);
    expect(intro('main').text()).not.toContain('Lektioner kvar');
    expect(intro('.notice--success').text()).toContain('Du har klarat kunskapstestet');
  });
});

describe('a lesson page', () => {
  it('offers read-aloud help that works without a Swedish voice, and hides the Lyssna button until a voice is found', async () => {
    const person = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, person.email);
    const $ = cheerio.load((await agent.get(paths.lesson('test-kurs', 'bromsar'))).text);
    expect($('button[data-listen]').attr('hidden')).toBeDefined();
    expect($('details.listen-help summary').text()).toBe('Vill du lyssna på texten?');
    expect($('details.listen-help li').length).toBe(3);
  });
});
