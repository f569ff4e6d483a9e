import request from 'supertest';
import * as cheerio from 'cheerio';
import { Pool } from 'pg';
import { createApp } from '../../server/app';
import {
  buildPerson,
  buildUnit,
  csrfFrom,
  loginAs,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('POST /logga-in', () => {
  it('logs in with the right password and lands on Mina kurser', async () => {
    const person = await buildPerson(t.db);
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/logga-in');
    const res = await agent
      .post('/logga-in')
      .type('form')
      .send({ _csrf: token, email: person.email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/mina-kurser');
    const page = await agent.get('/mina-kurser');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Testkursen om rullstolar');
  });

  it('refuses a wrong password with 401 and a Swedish message, keeping the e-mail typed', async () => {
    const person = await buildPerson(t.db);
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/logga-in');
    const res = await agent
      .post('/logga-in')
      .type('form')
      .send({ _csrf: token, email: person.email, password: 'fel-lösenord' });
    expect(res.status).toBe(401);
    const $ = cheerio.load(res.text);
    expect($('.error-summary').text()).toContain('Fel e-postadress eller lösenord');
    expect($('#email').val()).toBe(person.email);
  });

  it('refuses a form without CSRF token with 403 and saves nothing', async () => {
    const person = await buildPerson(t.db);
    const res = await request(t.app)
      .post('/logga-in')
      .type('form')
      .send({ email: person.email, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Formuläret hade gått ut');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('does not let a disabled person log in', async () => {
    const person = await buildPerson(t.db);
    await t.db('users').where({ id: person.id }).update({ disabled_at: new Date() });
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/logga-in');
    const res = await agent
      .post('/logga-in')
      .type('form')
      .send({ _csrf: token, email: person.email, password: PASSWORD });
    expect(res.status).toBe(401);
  });

  it('logs a disabled person out on their next request', async () => {
    const person = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, person.email);
    await t.db('users').where({ id: person.id }).update({ disabled_at: new Date() });
    const res = await agent.get('/mina-kurser');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/logga-in');
  });

  it('rate-limits repeated attempts with 429', async () => {
    const limited = await startTestApp({ env: { LOGIN_RATE_LIMIT: '3' } });
    try {
      const agent = request.agent(limited.app);
      const token = await csrfFrom(agent, '/logga-in');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (
            await agent
              .post('/logga-in')
              .type('form')
              .send({ _csrf: token, email: 'x@test.se', password: 'nej' })
          ).status,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('sessions', () => {
  it('keeps a session in PostgreSQL, so it works in another app process on the same database', async () => {
    const person = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, person.email);
    const cookie = (await agent.get('/mina-kurser')).request.cookies;
    expect(await t.db('sessions').count('* as n').first()).toMatchObject({ n: expect.any(Number) });
    const pool = new Pool({ connectionString: t.url, max: 1 });
    const second = createApp(t.services, pool);
    try {
      const res = await request(second).get('/mina-kurser').set('Cookie', cookie);
      expect(res.status).toBe(200);
    } finally {
      // The second app's session store has its own clean-up timer: stop it, or jest waits on it.
      await second.closeSessions();
      await pool.end();
    }
  });

  it('answers an expired session on a form with 401 and a message to log in again', async () => {
    const res = await request(t.app).get('/mina-kurser');
    expect(res.status).toBe(302);
    const post = await request(t.app)
      .post('/kurser/test-kurs/starta')
      .set('Accept', 'text/html')
      .type('form')
      .send({});
    expect(post.status).toBe(403);
  });
});

describe('POST /ga-med', () => {
  it('registers a person with a join code into that unit as a learner', async () => {
    const unit = await buildUnit(t.db);
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/ga-med');
    const email = `ny-${Date.now()}@test.se`;
    const res = await agent
      .post('/ga-med')
      .type('form')
      .send({
        _csrf: token,
        joinCode: ` ${unit.joinCode.toLowerCase()} `,
        name: 'Ny Person',
        email,
        jobRole: 'underskoterska',
        password: 'ett-bra-lösenord',
        passwordAgain: 'ett-bra-lösenord',
      });
    expect(res.status).toBe(303);
    const user = await t.db('users').where({ email }).first();
    expect(user).toMatchObject({ unit_id: unit.id, job_role: 'underskoterska', name: 'Ny Person' });
    expect(await t.db('permissions').where({ user_id: user.id }).pluck('kind')).toEqual(['learner']);
    expect((await agent.get('/mina-kurser')).status).toBe(200);
  });

  it('re-renders with 400 and a message beside each wrong field, keeping what was typed', async () => {
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/ga-med');
    const res = await agent.post('/ga-med').type('form').send({
      _csrf: token,
      joinCode: 'FINNS-INTE',
      name: '',
      email: 'inte-en-adress',
      jobRole: '',
      password: 'kort',
      passwordAgain: 'annat',
    });
    expect(res.status).toBe(400);
    const $ = cheerio.load(res.text);
    expect($('#email-error').text()).toContain('namn@exempel.se');
    expect($('#name-error').text()).toContain('Skriv ditt namn');
    expect($('#password-error').text()).toContain('minst 10 tecken');
    expect($('#jobRole-error').text()).toContain('Välj din yrkesroll');
    expect($('#email').val()).toBe('inte-en-adress');
  });

  it('refuses an unknown join code', async () => {
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/ga-med');
    const res = await agent.post('/ga-med').type('form').send({
      _csrf: token,
      joinCode: 'ABCD-EFGH',
      name: 'A',
      email: 'a@b.se',
      jobRole: 'underskoterska',
      password: 'ett-bra-lösenord',
      passwordAgain: 'ett-bra-lösenord',
    });
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#joinCode-error').text()).toContain('Koden finns inte');
  });

  it('creates exactly one person when the form is sent twice at once', async () => {
    const unit = await buildUnit(t.db);
    const email = `dubbel-${Date.now()}@test.se`;
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/ga-med');
    const form = {
      _csrf: token,
      joinCode: unit.joinCode,
      name: 'Dubbel',
      email,
      jobRole: 'underskoterska',
      password: 'ett-bra-lösenord',
      passwordAgain: 'ett-bra-lösenord',
    };
    const [a, b] = await Promise.all([
      agent.post('/ga-med').type('form').send(form),
      agent.post('/ga-med').type('form').send(form),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    expect(await t.db('users').whereRaw('lower(email) = ?', [email]).count('* as n').first()).toEqual({
      n: 1,
    });
  });
});

describe('GET /healthz', () => {
  it('answers 200 with the database status', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('answers 503 when the database is unreachable', async () => {
    const broken = await startTestApp();
    await broken.services.db.destroy();
    const res = await request(broken.app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body.database).toBe('unreachable');
    await broken.close().catch(() => undefined);
  });
});

describe('security headers and languages', () => {
  it('sends a Content-Security-Policy without inline script', async () => {
    const res = await request(t.app).get('/logga-in');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('shows Swedish by default and English after switching', async () => {
    const agent = request.agent(t.app);
    expect((await agent.get('/logga-in')).text).toContain('<html lang="sv">');
    const token = await csrfFrom(agent, '/logga-in');
    const res = await agent
      .post('/sprak')
      .type('form')
      .send({ _csrf: token, lang: 'en', returnTo: '/logga-in' });
    expect(res.headers.location).toBe('/logga-in');
    const page = await agent.get('/logga-in');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Log in');
  });

  it('never redirects to another site after switching language', async () => {
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/logga-in');
    const res = await agent
      .post('/sprak')
      .type('form')
      .send({ _csrf: token, lang: 'en', returnTo: '//evil.example/' });
    expect(res.headers.location).toBe('/');
  });

  it('shows a Swedish 404 page for an unknown address', async () => {
    const res = await request(t.app).get('/finns-inte');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Sidan finns inte');
  });
});
