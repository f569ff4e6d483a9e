/**
 * Issue 11: attempt counters live in PostgreSQL (shared by every app process), per client address and
 * per account separately; an account gets an increasing delay, never a lockout of the right password.
 */
import knex from 'knex';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Pool } from 'pg';
import { createApp } from '../../server/app';
import { createLogger } from '../../server/logger';
import { createServices } from '../../server/services';
import { buildPerson, buildUnit, csrfFrom, PASSWORD, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  // Behind one proxy, so each test can act from its own client address (X-Forwarded-For).
  t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '5', TRUST_PROXY: '1' } });
});
afterAll(async () => t.close());

let lastAddress = 10;
const newAddress = () => `203.0.113.${++lastAddress}`;

async function tryLogin(app: TestApp['app'], email: string, password: string, from: string) {
  const agent = request.agent(app);
  const token = await csrfFrom(agent, '/logga-in');
  return agent
    .post('/logga-in')
    .set('X-Forwarded-For', from)
    .type('form')
    .send({ _csrf: token, email, password });
}

describe('per client address', () => {
  it('stops spraying one password over many accounts from one address, but not the same accounts from elsewhere', async () => {
    const from = newAddress();
    const people = await Promise.all(Array.from({ length: 7 }, () => buildPerson(t.db)));
    const statuses: number[] = [];
    for (const p of people) statuses.push((await tryLogin(t.app, p.email, 'sommar2024!', from)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const refused = await tryLogin(t.app, people[6].email, PASSWORD, from);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Vänta en kvart');
    // Another address is unaffected, and the right password works there.
    expect((await tryLogin(t.app, people[6].email, PASSWORD, newAddress())).status).toBe(303);
  });

  it('limits guessing join codes per address', async () => {
    const from = newAddress();
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/ga-med');
    const guess = (joinCode: string) =>
      agent
        .post('/ga-med')
        .set('X-Forwarded-For', from)
        .type('form')
        .send({
          _csrf: token,
          joinCode,
          name: 'Gissa Kod',
          email: `gissa-${joinCode}@test.se`,
          jobRole: 'underskoterska',
          password: 'en lång fras här',
          passwordAgain: 'en lång fras här',
        });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await guess(`GISSA${i}`)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    // Even the right code waits now, from this address.
    const unit = await buildUnit(t.db);
    expect((await guess(unit.joinCode)).status).toBe(429);
  });

  it('limits reset requests per address', async () => {
    const from = newAddress();
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/glomt-losenord');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await agent
            .post('/glomt-losenord')
            .set('X-Forwarded-For', from)
            .type('form')
            .send({ _csrf: token, email: `vem-${i}@test.se` })
        ).status,
      );
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
  });
});

describe('per account', () => {
  it('delays an account after a few failures from many addresses, but the right password works once the delay has passed', async () => {
    const person = await buildPerson(t.db);
    // Five failures are free (each from its own address, as a botnet would).
    for (let i = 0; i < 5; i++)
      expect((await tryLogin(t.app, person.email, `fel-lösenord-${i}`, newAddress())).status).toBe(401);
    const key = `login:account:${person.email.toLowerCase()}`;
    expect((await t.db('rate_limit_counters').where({ key }).first()).count).toBe(5);
    // Three more failures (the delay, 1 s at first, doubles with each; set in the database so a slow machine cannot outrun it).
    await t
      .db('rate_limit_counters')
      .where({ key })
      .update({ count: 8, last_hit_at: t.db.raw('now()') });
    for (let i = 0; i < 3; i++) {
      // After each further failure the account waits: attempts in the delay are refused unchecked…
      const early = await tryLogin(t.app, person.email, PASSWORD, newAddress());
      expect(early.status).toBe(429);
      expect(cheerio.load(early.text)('.error-summary').text()).toContain('Vänta en minut');
      expect(Number(early.headers['retry-after'])).toBeLessThanOrEqual(60);
      // …and the delay runs out (moved on in the database instead of sleeping).
      await t
        .db('rate_limit_counters')
        .where({ key })
        .update({ last_hit_at: t.db.raw(`now() - interval '61 seconds'`) });
      expect((await tryLogin(t.app, person.email, 'fel-igen-123', newAddress())).status).toBe(401);
    }
    // Many failures later the delay is still at most a minute: never a lockout.
    expect((await t.db('rate_limit_counters').where({ key }).first()).count).toBe(11);
    await t
      .db('rate_limit_counters')
      .where({ key })
      .update({ count: 50, last_hit_at: t.db.raw(`now() - interval '60 seconds'`) });
    const ok = await tryLogin(t.app, person.email, PASSWORD, newAddress());
    expect(ok.status).toBe(303);
    // A successful login clears the account's failures.
    expect(await t.db('rate_limit_counters').where({ key }).first()).toBeUndefined();
  });
});

describe('shared counters', () => {
  it('are seen by a second app process on the same database', async () => {
    const db2 = knex({ client: 'pg', connection: t.url, pool: { min: 0, max: 2 } });
    const pool = new Pool({ connectionString: t.url, max: 1 });
    const second = createApp(createServices(t.services.config, db2, createLogger('silent')), pool);
    try {
      const from = newAddress();
      const person = await buildPerson(t.db);
      // Alternate between the two processes: the sixth failure from this address is refused by either.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await tryLogin(i % 2 ? second : t.app, person.email, `fel-${i}-lösenordet`, from)).status,
        );
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await tryLogin(second, person.email, PASSWORD, from)).status).toBe(429);
    } finally {
      await second.closeSessions();
      await pool.end();
      await db2.destroy();
    }
  });

  it('removes counters nobody has touched for a day', async () => {
    await t.db('rate_limit_counters').insert({
      key: 'login:address:198.51.100.1',
      count: 3,
      window_started_at: t.db.raw(`now() - interval '2 days'`),
      last_hit_at: t.db.raw(`now() - interval '2 days'`),
    });
    await t.db('rate_limit_counters').insert({
      key: 'login:address:198.51.100.2',
      count: 3,
      window_started_at: t.db.raw('now()'),
      last_hit_at: t.db.raw('now()'),
    });
    await t.services.limits.cleanup();
    const keys = (
      await t.db('rate_limit_counters').whereLike('key', 'login:address:198.51.100.%').select('key')
    ).map((r) => r.key);
    expect(keys).toEqual(['login:address:198.51.100.2']);
  });
});
