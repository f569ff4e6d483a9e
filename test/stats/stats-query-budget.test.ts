/**
 * Issue 13: the manager's statistics pages keep to a budget of database queries (counted on the app's
 * knex instance; the session store's own query is not among them): an organisation's precomputed page
 * and a unit's live page, and the HMC overview.
 */
import { buildPerson, buildUnit, loginAs, startTestApp, type TestApp } from '../support/test-app';
import { queriesDuring } from '../support/query-counter';
import { LIVE_MAX_UNITS } from '../../server/stats/stats-service';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

// Before issue 13: organisation 10, unit 7 (bench:stats on the scale data set).
const BUDGET = { organisation: 7, unit: 6, hmc: 9 };

async function counted(page: keyof typeof BUDGET, work: () => Promise<{ status: number }>) {
  let res: { status: number } = { status: 0 };
  const { count, sql } = await queriesDuring(t.db, async () => {
    res = await work();
  });
  expect(res.status).toBe(200);
  if (process.env.SHOW_QUERIES) console.log(page, count, sql);
  expect({ page, count, queries: count <= BUDGET[page] ? 'within budget' : sql }).toEqual({
    page,
    count,
    queries: 'within budget',
  });
}

it('keeps the manager pages (organisation and unit) and the HMC overview within their query budgets', async () => {
  const first = await buildUnit(t.db, { name: 'Budgetenhet 01' });
  for (let i = 2; i <= LIVE_MAX_UNITS + 1; i++)
    await buildUnit(t.db, { organisationId: first.organisationId, name: `Budgetenhet ${i}` });
  await buildPerson(t.db, { unitId: first.id, jobRole: 'underskoterska', name: 'Ada Budget' });
  const orgChef = await buildPerson(t.db, {
    unitId: first.id,
    jobRole: null,
    permissions: [{ kind: 'manager', organisationId: first.organisationId, unitId: null }],
  });
  const unitChef = await buildPerson(t.db, {
    unitId: first.id,
    jobRole: null,
    permissions: [{ kind: 'manager', organisationId: null, unitId: first.id }],
  });
  const educator = await buildPerson(t.db, {
    permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
  });
  await t.services.stats.refreshViews();

  const org = await loginAs(t.app, orgChef.email);
  await org.agent.get('/statistik/chef').expect(200);
  const page = await org.agent.get('/statistik/chef');
  expect(page.text).toContain('Siffrorna för det här urvalet räknades fram');
  await counted('organisation', () => org.agent.get('/statistik/chef'));

  const unit = await loginAs(t.app, unitChef.email);
  await unit.agent.get('/statistik/chef').expect(200);
  await counted('unit', () => unit.agent.get('/statistik/chef'));

  const hmc = await loginAs(t.app, educator.email);
  await hmc.agent.get('/statistik/hmc').expect(200);
  await counted('hmc', () => hmc.agent.get('/statistik/hmc'));
});
