/**
 * Issue 15, several nodes: the accessibility feedback form's and the certificate check's limits are
 * counted in PostgreSQL (server/auth/rate-limits.ts), so an address that spreads its requests over the
 * nodes behind a load balancer gets the same limit as on one node, also when the requests arrive at once.
 * In memory (express-rate-limit, before) each node counted alone and two nodes let through twice as many.
 */
import * as cheerio from 'cheerio';
import request from 'supertest';
import { VERIFY_LIMIT } from '../../server/certificates/certificates-routes';
import { FEEDBACK_LIMIT } from '../../server/pages/pages-routes';
import { startTestApp, type TestApp } from '../support/test-app';
import { secondNode, sessionCookie, type Node } from './second-node';

let a: TestApp;
let b: Node;
beforeAll(async () => {
  // Behind one proxy, so each test acts from its own client address (X-Forwarded-For).
  a = await startTestApp({ env: { TRUST_PROXY: '1' } });
  b = secondNode(a);
});
afterAll(async () => {
  await (b as Node | undefined)?.close();
  await (a as TestApp | undefined)?.close();
});

let lastAddress = 10;
const newAddress = () => `198.51.100.${++lastAddress}`;

/** A visitor's session (cookie and CSRF token), usable on either node: sessions are in PostgreSQL too. */
async function visitor() {
  const page = await request(a.app).get('/tillganglighet').expect(200);
  const token = cheerio.load(page.text)('form[action^="/tillganglighet"] input[name="_csrf"]').val();
  return { cookie: sessionCookie(page.headers), token: String(token) };
}

function sendFeedback(node: { app: TestApp['app'] }, from: string, v: { cookie: string; token: string }) {
  return request(node.app)
    .post('/tillganglighet')
    .set('X-Forwarded-For', from)
    .set('Cookie', v.cookie)
    .type('form')
    .send({ _csrf: v.token, message: 'Knappen går inte att nå med tangentbordet.' });
}

describe('the accessibility feedback limit across two nodes', () => {
  it('counts an address on both nodes together and refuses the next with a Swedish message', async () => {
    const from = newAddress();
    const v = await visitor();
    const statuses: number[] = [];
    for (let i = 0; i < FEEDBACK_LIMIT; i++)
      statuses.push((await sendFeedback(i % 2 ? b : a, from, v)).status);
    expect(statuses).toEqual(Array(FEEDBACK_LIMIT).fill(303));
    for (const node of [a, b]) {
      const refused = await sendFeedback(node, from, v);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(cheerio.load(refused.text)('p.lead').text()).toBe(
        'Du har skickat många synpunkter på kort tid. Vänta en kvart och försök igen.',
      );
    }
    // Exactly the accepted ones were saved; another address is not affected.
    expect(await a.db('accessibility_feedback').count({ n: '*' })).toEqual([{ n: FEEDBACK_LIMIT }]);
    expect((await sendFeedback(b, newAddress(), v)).status).toBe(303);
  });

  it('lets exactly the limit through when the requests arrive on both nodes at the same moment', async () => {
    const from = newAddress();
    const v = await visitor();
    const before = Number((await a.db('accessibility_feedback').count({ n: '*' }))[0].n);
    const results = await Promise.all(
      Array.from({ length: FEEDBACK_LIMIT + 6 }, (_, i) => sendFeedback(i % 2 ? b : a, from, v)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(FEEDBACK_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    expect(Number((await a.db('accessibility_feedback').count({ n: '*' }))[0].n) - before).toBe(
      FEEDBACK_LIMIT,
    );
  });
});

describe('the certificate check limit across two nodes', () => {
  it('refuses the check after the limit, whichever node the requests reach', async () => {
    const from = newAddress();
    for (let i = 0; i < VERIFY_LIMIT; i++) {
      const res = await request(i % 2 ? b.app : a.app)
        .get('/verifiera/AAAA-BBBB-CCCC')
        .set('X-Forwarded-For', from);
      expect(res.status).not.toBe(429);
    }
    for (const node of [a, b]) {
      const refused = await request(node.app).get('/verifiera').set('X-Forwarded-For', from);
      expect(refused.status).toBe(429);
      expect(refused.headers['ratelimit-policy']).toBe(`"verify";q=${VERIFY_LIMIT};w=60`);
      expect(cheerio.load(refused.text)('p.lead').text()).toBe(
        'Du har kontrollerat många intyg på kort tid. Vänta en minut och försök igen.',
      );
    }
    expect((await request(a.app).get('/verifiera').set('X-Forwarded-For', newAddress())).status).toBe(200);
  });
});
