import request from 'supertest';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { completeLessons } from '../support/journey';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('GET /mina-uppgifter/export.json', () => {
  it("gives a person a copy of their own data and nobody else's", async () => {
    const me = await buildPerson(t.db, { name: 'Min Egen' });
    const other = await buildPerson(t.db, { name: 'Någon Annan' });
    const mine = await loginAs(t.app, me.email);
    await completeLessons(mine.agent, mine.csrf, 'test-kurs', ['bromsar']);
    const theirs = await loginAs(t.app, other.email);
    await completeLessons(theirs.agent, theirs.csrf, 'test-kurs', ['bromsar', 'fallet-ali']);

    const res = await mine.agent.get('/mina-uppgifter/export.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('mina-uppgifter.json');
    const data = JSON.parse(res.text);
    expect(data.person).toMatchObject({ name: 'Min Egen', email: me.email });
    expect(data.lessonProgress.map((p: { lesson_id: string }) => p.lesson_id)).toEqual(['bromsar']);
    expect(res.text).not.toContain('Någon Annan');
    expect(res.text).not.toContain('password');
  });

  it('requires login', async () => {
    expect((await request(t.app).get('/mina-uppgifter/export.json')).status).toBe(302);
  });
});
