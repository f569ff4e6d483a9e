/**
 * Issue 15, several nodes: a session lives in PostgreSQL (connect-pg-simple), so a person logged in on
 * one node is logged in on every node, the CSRF token of the session works on any node, and logging out
 * on one ends the session everywhere. Two app instances in this process on one database, no sticky sessions.
 */
import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildPerson, PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { secondNode, sessionCookie, type Node } from './second-node';

let a: TestApp;
let b: Node;
beforeAll(async () => {
  a = await startTestApp();
  b = secondNode(a);
});
afterAll(async () => {
  await (b as Node | undefined)?.close();
  await (a as TestApp | undefined)?.close();
});

const csrfIn = (html: string) => String(cheerio.load(html)('input[name="_csrf"]').first().val() ?? '');

describe('a session across two nodes', () => {
  it('logged in on node A, the next request on node B is logged in; logging out on B ends it on A', async () => {
    const person = await buildPerson(a.db, { name: 'Nod Växlare' });
    const form = await request(a.app).get('/logga-in').expect(200);
    const res = await request(a.app)
      .post('/logga-in')
      .set('Cookie', sessionCookie(form.headers))
      .type('form')
      .send({ _csrf: csrfIn(form.text), email: person.email, password: PASSWORD })
      .expect(303);
    const cookie = sessionCookie(res.headers);

    const onB = await request(b.app).get('/mina-kurser').set('Cookie', cookie).expect(200);
    expect(onB.text).toContain('Nod Växlare');
    // Without the cookie node B sends the visitor to the login page: it is the session that logs in.
    expect((await request(b.app).get('/mina-kurser')).status).toBe(302);

    // The CSRF token belongs to the session, not the node: a token from A's page is accepted by B.
    const token = csrfIn((await request(a.app).get('/mina-kurser').set('Cookie', cookie).expect(200)).text);
    await request(b.app)
      .post('/logga-ut')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: token })
      .expect(303);
    const afterLogout = await request(a.app).get('/mina-kurser').set('Cookie', cookie);
    expect(afterLogout.status).toBe(302);
    expect(afterLogout.headers.location).toMatch(/^\/logga-in/);
  });
});
