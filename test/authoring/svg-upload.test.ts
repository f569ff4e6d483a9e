import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { buildPerson, FIXTURE_COURSES, loginAs, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let educator: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  const coursesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-svg-'));
  fs.cpSync(FIXTURE_COURSES, coursesDir, { recursive: true });
  t = await startTestApp({ coursesDir });
  const person = await buildPerson(t.db, {
    jobRole: null,
    permissions: [{ kind: 'educator', organisationId: null, unitId: null }],
  });
  educator = await loginAs(t.app, person.email);
});
afterAll(async () => t.close());

describe('POST /redigera/kurser/:slug/lektioner/:lesson/bilder with an SVG', () => {
  it('refuses a namespaced script with 400, names the element and stores nothing', async () => {
    const url = `/redigera/kurser/test-kurs/lektioner/bromsar/bilder?_csrf=${encodeURIComponent(educator.csrf)}`;
    const payload =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>';
    const res = await educator.agent
      .post(url)
      .attach('image', Buffer.from(payload), { filename: 'x.svg', contentType: 'image/svg+xml' })
      .field('altStandard', 'Bild')
      .field('altEasy', 'Bild');
    expect(res.status).toBe(400);
    const $ = cheerio.load(res.text);
    expect($('#image-error').text()).toContain('inte är tillåtet i en kursbild');
    expect($('.field-error').text()).toContain('<s:script>');
    const draft = await t.db('course_drafts').first('content');
    expect(JSON.stringify(draft?.content ?? {})).not.toContain('s:script');
    expect(Object.keys(draft?.content.images ?? {})).toEqual(['images/rullstol.svg']);
  });
});
