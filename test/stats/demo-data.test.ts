/** The demo data gives the demo manager a dashboard, once however often the app starts. */
import { seedDemoData } from '../../server/demo/demo-data';
import { createLogger } from '../../server/logger';
import { loginAs, SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';
import * as cheerio from 'cheerio';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ coursesDir: SHIPPED_COURSES });
});
afterAll(async () => {
  await (t as TestApp | undefined)?.close();
});

describe('demo statistics', () => {
  it("are created once and show on the demo manager's dashboard", async () => {
    await seedDemoData(t.db, createLogger('silent'));
    await seedDemoData(t.db, createLogger('silent'));
    expect(await t.db('users').where('email', 'like', 'staff%@demo.test')).toHaveLength(6);
    const { agent } = await loginAs(t.app, 'manager@demo.test', 'Demo-2026!');
    const $ = cheerio.load((await agent.get('/statistik/chef').expect(200)).text);
    expect(
      new Set(
        $('#lacking tbody th')
          .map((_, el) => $(el).text().trim())
          .get(),
      ),
    ).toEqual(new Set(['Amina Yusuf', 'Yusuf Abdi', 'Linnea Berg', 'Goran Petrović']));
    expect($('#staff tbody tr').last().find('td').text()).toBe('5');
  });
});
