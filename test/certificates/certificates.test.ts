import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { answer, completeLessons, FIXTURE_RIGHT, questionsOf, startQuiz } from '../support/journey';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

async function completedLearner() {
  const person = await buildPerson(t.db, { name: 'Amina Yusuf' });
  const { agent, csrf } = await loginAs(t.app, person.email);
  await completeLessons(agent, csrf, 'test-kurs', ['bromsar', 'fallet-ali']);
  const attempt = await startQuiz(agent, csrf, 'test-kurs');
  for (const q of await questionsOf(agent, attempt, 3))
    await answer(agent, csrf, attempt, q, FIXTURE_RIGHT[q]);
  await agent.post(`/quiz/${attempt}/lamna-in`).type('form').send({ _csrf: csrf });
  const completion = await t.db('completions').where({ user_id: person.id }).first();
  return { person, agent, csrf, completion };
}

function binaryParser(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    cb(null, Buffer.concat(chunks));
  });
}

describe('GET /intyg/:id.pdf', () => {
  it('gives the owner a tagged PDF with name, course, dates and verification code', async () => {
    const { agent, completion } = await completedLearner();
    const res = await agent.get(`/intyg/${completion.id}.pdf`).buffer(true).parse(binaryParser);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = (res.body as Buffer).toString('latin1');
    expect(pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf).toContain('/StructTreeRoot');
    expect(pdf).toContain('/Lang (sv-SE)');
    // The text is in the PDF's content streams (compressed), so check the document info instead.
    expect(pdf).toContain('Amina Yusuf');
  });

  it("refuses someone else's certificate with 403", async () => {
    const { completion } = await completedLearner();
    const other = await buildPerson(t.db);
    const { agent } = await loginAs(t.app, other.email);
    expect((await agent.get(`/intyg/${completion.id}.pdf`)).status).toBe(403);
  });
});

describe('GET /verifiera/:code', () => {
  it('tells anyone without login that a certificate is valid, showing only name, course and dates', async () => {
    const { completion } = await completedLearner();
    const res = await request(t.app).get(`/verifiera/${completion.verification_code}`);
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('.verify-verdict').text()).toBe('Intyget gäller.');
    const facts = $('dl.facts dt')
      .map((_i, el) => $(el).text())
      .get();
    expect(facts).toEqual(['Namn', 'Kurs', 'Klar', 'Giltig till', 'Kontrollkod']);
    expect($('dl.facts').text()).toContain('Amina Yusuf');
    expect(res.text).not.toContain('@test.se');
  });

  it('accepts a code typed in lower case without dashes', async () => {
    const { completion } = await completedLearner();
    const typed = completion.verification_code.replace(/-/g, '').toLowerCase();
    const res = await request(t.app).get(`/verifiera?kod=${typed}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/verifiera/${completion.verification_code}`);
  });

  it('says expired when the validity has passed', async () => {
    const { completion } = await completedLearner();
    await t
      .db('completions')
      .where({ id: completion.id })
      .update({ completed_at: new Date('2024-01-01'), valid_until: new Date('2025-01-01') });
    const $ = cheerio.load((await request(t.app).get(`/verifiera/${completion.verification_code}`)).text);
    expect($('.verify-verdict').text()).toContain('Intyget har gått ut');
  });

  it('answers 404 with a Swedish message for an unknown code', async () => {
    const res = await request(t.app).get('/verifiera/AAAA-BBBB-CCCC');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Vi hittar inget intyg');
  });
});

describe('POST /kurser/:slug/utvardering', () => {
  it('saves the two statements and a comment once, even when sent twice', async () => {
    const { agent, csrf, completion } = await completedLearner();
    const form = { _csrf: csrf, useful: '4', matchesDescription: '3', comment: 'Bra fall!' };
    await Promise.all([
      agent.post('/kurser/test-kurs/utvardering').type('form').send(form),
      agent.post('/kurser/test-kurs/utvardering').type('form').send(form),
    ]);
    const rows = await t.db('evaluations').where({ enrolment_id: completion.enrolment_id });
    expect(rows).toEqual([
      expect.objectContaining({ useful: 4, matches_description: 3, comment: 'Bra fall!' }),
    ]);
  });

  it('re-renders with 400 when a statement is not answered', async () => {
    const { agent, csrf } = await completedLearner();
    const res = await agent
      .post('/kurser/test-kurs/utvardering')
      .type('form')
      .send({ _csrf: csrf, useful: '4' });
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#matchesDescription-error').text()).toContain('Välj det svar');
  });
});
