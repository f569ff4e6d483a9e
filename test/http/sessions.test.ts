import express from 'express';
import { Pool } from 'pg';
import request from 'supertest';
import { loadConfig } from '../../server/config';
import { sessionMiddleware } from '../../server/http/session';
import { buildPerson, csrfFrom, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const sessionRows = async () => Number((await t.db('sessions').count('* as n').first())?.n);

describe('sessions are created only when something is stored', () => {
  it.each([
    ['a page that does not exist', '/finns-inte', 404],
    ['the health check', '/healthz', 200],
    ['a static file', '/assets/app.css', 200],
    ['the home page', '/', 200],
  ])('leaves no session row and sets no cookie for %s', async (_what, path, status) => {
    const before = await sessionRows();
    for (let i = 0; i < 3; i++) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(status);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await sessionRows()).toBe(before);
  });

  it('creates one session for a page with a form, and its CSRF token works', async () => {
    const before = await sessionRows();
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/logga-in');
    expect(await sessionRows()).toBe(before + 1);
    const person = await buildPerson(t.db);
    const res = await agent
      .post('/logga-in')
      .type('form')
      .send({ _csrf: token, email: person.email, password: 'Test-lösenord-1' });
    expect(res.status).toBe(303);
    expect(
      (
        await request(t.app)
          .post('/logga-in')
          .type('form')
          .send({ email: person.email, password: 'Test-lösenord-1' })
      ).status,
    ).toBe(403);
  });

  it('lets a visitor without a session switch language, and keeps the token for logged-in people', async () => {
    const anonymous = request.agent(t.app);
    const switched = await anonymous.post('/sprak').type('form').send({ lang: 'en', returnTo: '/' });
    expect(switched.status).toBe(303);
    expect((await anonymous.get('/')).text).toContain('lang="en"');

    const person = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, person.email);
    expect((await agent.post('/sprak').type('form').send({ lang: 'en', returnTo: '/' })).status).toBe(403);
    expect(
      (await agent.post('/sprak').type('form').send({ _csrf: csrf, lang: 'en', returnTo: '/' })).status,
    ).toBe(303);
  });

  it('stops the session store clean-up timer when closed', async () => {
    const pool = new Pool({ connectionString: t.url, max: 1 });
    const sessions = sessionMiddleware({ pool, secret: 'x'.repeat(32), secureCookie: false });
    const app = express()
      .use(sessions)
      .get('/', (req, res) => {
        req.session.lang = 'sv';
        res.send('ok');
      });
    await request(app).get('/').expect(200);
    const timer = () => (sessions.store as unknown as { pruneTimer?: NodeJS.Timeout }).pruneTimer;
    expect(timer()).toBeDefined();
    await sessions.close();
    expect(timer()).toBeUndefined();
    await pool.end();
  });
});

describe('Cache-Control on personal pages', () => {
  it.each([
    '/mina-kurser',
    '/mina-uppgifter',
    '/mina-uppgifter/export.json',
    '/kurser/test-kurs',
    '/finns-inte',
  ])('sends no-store on %s to a logged-in person', async (path) => {
    const person = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, person.email);
    const res = await agent.get(path);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['cache-control']).toContain('no-store');
  });

  it('sends no-store on a certificate', async () => {
    const person = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, person.email);
    const res = await agent.get('/intyg/999999');
    expect(res.headers['cache-control']).toContain('no-store');
  });

  it('lets public pages be cached as before', async () => {
    const res = await request(t.app).get('/');
    expect(res.headers['cache-control']).toBeUndefined();
  });
});

describe('the session secret', () => {
  const database = { DATABASE_URL: 'postgres://hms@db.example/hjalpmedelsskolan' };

  it('refuses to start with a DATABASE_URL and no SESSION_SECRET outside tests', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', ...database })).toThrow(
      /SESSION_SECRET is required .*DATABASE_URL/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', ...database })).toThrow(/SESSION_SECRET is required/);
  });

  it('uses the given secret, and the development secret only with the embedded database or in tests', () => {
    const secret = 'a-real-secret-of-at-least-32-characters!';
    expect(loadConfig({ NODE_ENV: 'production', ...database, SESSION_SECRET: secret }).sessionSecret).toBe(
      secret,
    );
    expect(loadConfig({ NODE_ENV: 'development', ...database, SESSION_SECRET: secret }).sessionSecret).toBe(
      secret,
    );
    expect(loadConfig({ NODE_ENV: 'development' }).sessionSecret).toMatch(/^development-only/);
    expect(loadConfig({ NODE_ENV: 'test', ...database }).sessionSecret).toMatch(/^development-only/);
  });
});
