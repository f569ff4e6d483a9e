/** The areas HMC can give a classroom training: the course areas, each once (medicinska is a course area too). */
import * as cheerio from 'cheerio';
import { buildPerson, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('the area list of a new training offering', () => {
  it('offers every area once, Medicinska behandlingshjälpmedel included', async () => {
    const educator = await buildPerson(t.db, {
      permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
    });
    const { agent } = await loginAs(t.app, educator.email);
    const $ = cheerio.load((await agent.get('/hmc/utbildningar/ny').expect(200)).text);
    const values = $('select[name="area"] option')
      .map((_i, el) => $(el).attr('value'))
      .get()
      .filter((v) => v);
    expect(values.filter((v) => v === 'medicinska')).toHaveLength(1);
    expect(new Set(values).size).toBe(values.length);
    expect($('select[name="area"] option[value="medicinska"]').text().trim()).toBe(
      'Medicinska behandlingshjälpmedel',
    );
  });
});
