/** A manager sees only their own scope, through every URL and export; HMC pages are for HMC only. */
import ExcelJS from 'exceljs';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { loginAs, SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';
import { buildHandMadeData, type HandMadeData } from './hand-made-data';

let t: TestApp;
let d: HandMadeData;

beforeAll(async () => {
  t = await startTestApp({ coursesDir: SHIPPED_COURSES });
  d = await buildHandMadeData(t.db);
});
afterAll(async () => {
  await (t as TestApp | undefined)?.close();
});

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    cb(null, Buffer.concat(chunks));
  });
};

describe('GET /statistik/chef (a unit manager)', () => {
  it("lists the unit's staff who lack a course, links their records, and no one else", async () => {
    const { agent } = await loginAs(t.app, d.m1.email);
    expect((await agent.get('/statistik')).headers.location).toBe('/statistik/chef');
    const res = await agent.get('/statistik/chef').expect(200);
    const $ = cheerio.load(res.text);
    const names = $('#lacking tbody th')
      .map((_, el) => $(el).text().trim())
      .get();
    expect(new Set(names)).toEqual(new Set(['Anna Ett', 'Bertil Två', 'Cecilia Tre']));
    expect(res.text).not.toMatch(/Erik Fem|Fatima Sex|David Avstängd|Maja Chef|Mats Chef/);
    expect($('#lacking a').first().attr('href')).toMatch(/^\/statistik\/personer\/\d+$/);
    expect($('#staff tbody tr').last().find('td').text()).toBe('3');
    expect($('svg.chart title').first().text()).toBe('Status för kurser som krävs, per kurs');
    expect(
      $('select[name="unit"] option')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['Alla', 'Enhet A1']);
  });

  it("refuses another unit's id in the filter, in the page and both exports", async () => {
    const { agent } = await loginAs(t.app, d.m1.email);
    for (const unit of [d.a2.id, d.b1.id]) {
      await agent.get(`/statistik/chef?unit=${unit}`).expect(403);
      await agent.get(`/statistik/chef/export/csv?unit=${unit}`).expect(403);
      await agent.get(`/statistik/chef/export/xlsx?unit=${unit}`).expect(403);
    }
  });

  it("shows a person's training record only within the scope", async () => {
    const { agent } = await loginAs(t.app, d.m1.email);
    const own = await agent.get(`/statistik/personer/${d.p1.id}`).expect(200);
    const $ = cheerio.load(own.text);
    expect($('h1').text()).toBe('Anna Ett');
    expect($('.badge--expiring').length).toBe(1);
    for (const other of [d.p5.id, d.p6.id, d.m2.id, d.educator.id])
      await agent.get(`/statistik/personer/${other}`).expect(404);
    await agent.get('/statistik/personer/abc').expect(404);
    await agent.get('/statistik/personer/99999999').expect(404);
  });

  it('exports the current view as CSV and XLSX with everyone in scope and no one else', async () => {
    const { agent } = await loginAs(t.app, d.m1.email);
    const csv = await agent.get(`/statistik/chef/export/csv?course=${d.courses.forflyttning.id}`).expect(200);
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="utbildningsstatus-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(csv.text).toContain(`Anna Ett;${d.p1.email};Enhet A1;Personlig assistent;Förflyttning`);
    expect(csv.text).not.toMatch(/Erik Fem|Fatima Sex|Hjälpmedel – grunden;/);
    const xlsx = await agent.get('/statistik/chef/export/xlsx').buffer(true).parse(binary).expect(200);
    const wb = new ExcelJS.Workbook();
    const body = xlsx.body as Buffer;
    await wb.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    // The people list comes first, with e-mail addresses; every sheet name is whole words within Excel's 31.
    expect(wb.worksheets.map((sheet) => sheet.name)).toEqual([
      'Personer som saknar en kurs',
      'Status per kurs som krävs',
      'Status per enhet och kurs',
      'Personal per yrkesroll',
    ]);
    const people = wb.worksheets[0];
    expect((people.getRow(2).values as unknown[]).slice(1, 3)).toEqual(['Namn', 'E-post']);
    const anna = people.getRows(3, people.rowCount - 2)!.find((r) => r.getCell(1).value === 'Anna Ett')!;
    expect(anna.getCell(2).value).toBe(d.p1.email);
    const cells: string[] = [];
    wb.eachSheet((sheet) => {
      sheet.eachRow((row) => {
        row.eachCell((c) => cells.push(c.text));
      });
    });
    expect(cells).toEqual(expect.arrayContaining(['Anna Ett', 'Bertil Två', 'Cecilia Tre']));
    expect(cells.join(' ')).not.toMatch(/Erik Fem|Fatima Sex/);
    await agent.get('/statistik/chef/export/pdf').expect(404);
  });

  it('re-renders with 400 and messages for a bad period', async () => {
    const { agent } = await loginAs(t.app, d.m1.email);
    const res = await agent.get('/statistik/chef?from=2026-13&to=2026-01').expect(400);
    const $ = cheerio.load(res.text);
    expect($('.error-summary a').first().text()).toBe('Skriv månaden som ÅÅÅÅ-MM, till exempel 2026-01.');
    const order = await agent.get('/statistik/chef?from=2026-05&to=2026-01').expect(400);
    expect(order.text).toContain('Från-månaden måste vara före eller samma som till-månaden.');
    await agent.get('/statistik/chef/export/csv?from=nej').expect(400);
  });

  it("keeps HMC's pages from managers", async () => {
    const { agent } = await loginAs(t.app, d.m1.email);
    await agent.get('/statistik/hmc').expect(403);
    await agent.get('/statistik/hmc/kurser/hjalpmedel-grunden').expect(403);
    await agent.get('/statistik/hmc/export/csv').expect(403);
  });
});

describe('an organisation manager', () => {
  it('sees every unit of the organisation, a manager who takes courses, and not the other organisation', async () => {
    const { agent } = await loginAs(t.app, d.mA.email);
    const res = await agent.get('/statistik/chef/export/csv').expect(200);
    expect(res.text).toMatch(/Erik Fem/);
    expect(res.text).toMatch(/Mats Chef A2/);
    expect(res.text).not.toMatch(/Fatima Sex|Maja Chef A1|Olga/);
    await agent.get(`/statistik/personer/${d.p5.id}`).expect(200);
    await agent.get(`/statistik/personer/${d.p6.id}`).expect(404);
    const a1Only = await agent.get(`/statistik/chef/export/csv?unit=${d.a1.id}`).expect(200);
    expect(a1Only.text).not.toMatch(/Erik Fem/);
  });
});

describe('people without the permission', () => {
  it('get 403 from every statistics page, and must log in first', async () => {
    const { agent } = await loginAs(t.app, d.p1.email);
    for (const url of [
      '/statistik',
      '/statistik/chef',
      '/statistik/chef/export/csv',
      `/statistik/personer/${d.p2.id}`,
      '/statistik/hmc',
      '/statistik/hmc/kurser/forflyttning',
    ]) {
      await agent.get(url).expect(403);
    }
    const educator = await loginAs(t.app, d.educator.email);
    await educator.agent.get('/statistik/chef').expect(403);
    await educator.agent.get(`/statistik/personer/${d.p1.id}`).expect(403);
    expect((await request(t.app).get('/statistik/chef')).headers.location).toBe('/logga-in');
  });
});

describe('POST /statistik/chef/manadssammanfattning', () => {
  it('needs a CSRF token, saves the choice once however often it is sent, and turns it off', async () => {
    const { agent, csrf } = await loginAs(t.app, d.m1.email);
    await agent.post('/statistik/chef/manadssammanfattning').type('form').send({ monthly: 'on' }).expect(403);
    for (let i = 0; i < 2; i++) {
      const res = await agent
        .post('/statistik/chef/manadssammanfattning')
        .type('form')
        .send({ _csrf: csrf, monthly: 'on' })
        .expect(303);
      expect(res.headers.location).toBe('/statistik/chef?sammanfattning=1');
    }
    expect(await t.db('manager_summary_subscriptions').where({ user_id: d.m1.id })).toHaveLength(1);
    const page = cheerio.load((await agent.get('/statistik/chef?sammanfattning=1')).text);
    expect(page('#monthly-on').attr('checked')).toBeDefined();
    await agent
      .post('/statistik/chef/manadssammanfattning')
      .type('form')
      .send({ _csrf: csrf, monthly: 'maybe' })
      .expect(400);
    await agent
      .post('/statistik/chef/manadssammanfattning')
      .type('form')
      .send({ _csrf: csrf, monthly: 'off' })
      .expect(303);
    expect(await t.db('manager_summary_subscriptions').where({ user_id: d.m1.id })).toHaveLength(0);
  });
});
