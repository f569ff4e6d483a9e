/**
 * Bad input gets a clear message, never a 500 (issue 11). The whole list in one place: ids out of
 * range or in odd notations, NUL bytes, JSON where forms are expected, broken %-escapes, too many fields,
 * long lessons, multer errors, hostile zip entries and YAML alias bombs. For each: a 4xx status, Swedish
 * text without raw translation keys, and where it matters, nothing saved and no temporary folder left.
 */
import fs from 'node:fs';
import os from 'node:os';
import { zipSync } from 'fflate';
import request from 'supertest';
import {
  buildPerson,
  buildUnit,
  csrfFrom,
  loginAs,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../support/test-app';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
let unitId: number;
beforeAll(async () => {
  t = await startTestApp();
  const unit = await buildUnit(t.db);
  unitId = unit.id;
  const person = await buildPerson(t.db, {
    unitId,
    permissions: [
      { kind: 'learner', organisationId: null, unitId: null },
      { kind: 'admin', organisationId: null, unitId: null },
      { kind: 'educator', organisationId: null, unitId: null },
      { kind: 'manager', organisationId: null, unitId },
      { kind: 'booker', organisationId: unit.organisationId, unitId: null },
    ],
  });
  admin = await loginAs(t.app, person.email);
});
afterAll(async () => t.close());

const NAMESPACES =
  'errors|common|auth|admin|authoring|billing|bookings|certificates|courses|evaluations|mail|pages|privacy|quiz|reminders|stats|videos';
const RAW_KEY = new RegExp(`\\b(${NAMESPACES}):[A-Za-z]`);

/** A refusal as the issue asks: 4xx, in Swedish, and no translation key shown instead of text. */
function expectClearRefusal(res: request.Response, status?: number | number[]) {
  const req = (res as unknown as { req?: { method: string; path: string } }).req;
  const where = `${req?.method} ${req?.path} → ${res.status}: ${res.text.slice(0, 300)}`;
  if (status !== undefined)
    expect([status].flat().includes(res.status) ? res.status : where).toBe(res.status);
  expect(res.status >= 400 && res.status < 500 ? res.status : where).toBe(res.status);
  expect(RAW_KEY.test(res.text) ? where : 'no raw keys').toBe('no raw keys');
  if (/html/.test(res.headers['content-type'] ?? '')) expect(res.text).toMatch(/<html lang="sv"/);
}

const tempFolders = () =>
  fs
    .readdirSync(os.tmpdir())
    .filter((n) => /^hms-(course|draft|zip)-/.test(n))
    .sort();

describe('ids in URLs', () => {
  const BAD_IDS = ['2147483648', '99999999999999999999', '1e3', '-1', '0x10', '1.5', '0', '007'];
  const GET_ROUTES = [
    '/intyg/:id.pdf',
    '/admin/personer/:id',
    '/admin/utkorg/:id',
    '/admin/utkorg/:id/bilaga/0',
    '/statistik/personer/:id',
    '/filmer/:id',
    '/filmer/:id/status',
    '/filmer/:id/textning/standard',
    '/filmer/:id/film.mp4',
    '/filmer/:id/affisch.jpg',
    '/filmer/:id/textning-standard.vtt',
    '/filmer/:id/utskrift-standard.txt',
    '/utbildningar/:id',
    '/utbildningar/:id/bestall',
    '/bestallningar/:id',
    '/fakturor/:id.pdf',
    '/fakturor/:id.xml',
    '/hmc/bestallningar/:id',
    '/hmc/utbildningar/:id',
    '/admin/fakturor/:id',
    '/admin/kunder/:id',
    '/quiz/:id/fragor/1',
    '/quiz/:id/lamna-in',
    '/quiz/:id/resultat',
  ];
  const POST_ROUTES = [
    '/admin/personer/:id',
    '/admin/personer/:id/status',
    '/admin/enheter/:id/kod',
    '/filmer/:id/forsok-igen',
    '/filmer/:id/syntolkning',
    '/filmer/:id/textning/standard/1',
    '/bestallningar/:id/acceptera',
    '/bestallningar/:id/avboka',
    '/bestallningar/:id/deltagare',
    '/bestallningar/:id/deltagare/1/ta-bort',
    '/hmc/bestallningar/:id/hantera',
    '/hmc/bestallningar/:id/avboka',
    '/hmc/bestallningar/:id/narvaro',
    '/hmc/bestallningar/:id/fakturautkast',
    '/hmc/utbildningar/:id',
    '/admin/fakturor/:id/utfarda',
    '/admin/fakturor/:id/kreditera',
    '/admin/fakturor/:id/ta-bort',
    '/admin/kunder/:id',
    '/quiz/:id/svar',
    '/quiz/:id/lamna-in',
  ];

  it.each(GET_ROUTES)('GET %s with an id that is no id is a 404', async (route) => {
    for (const id of BAD_IDS) expectClearRefusal(await admin.agent.get(route.replace(':id', id)), 404);
  });

  it.each(POST_ROUTES)('POST %s with an id that is no id is a 404, and nothing changes', async (route) => {
    for (const id of BAD_IDS) {
      const res = await admin.agent
        .post(route.replace(':id', id))
        .type('form')
        .send({ _csrf: admin.csrf, questionId: 'bromsen', selected: 'las', name: 'X', email: 'x@test.se' });
      expectClearRefusal(res, 404);
    }
  });

  it('also a second id in the path (quiz question index, cue, participant)', async () => {
    for (const id of ['2147483648', '1e3', '-1']) {
      expectClearRefusal(await admin.agent.get(`/quiz/1/fragor/${id}`), 404);
      expectClearRefusal(
        await admin.agent
          .post(`/filmer/1/textning/standard/${id}`)
          .type('form')
          .send({ _csrf: admin.csrf, text: 'x' }),
        404,
      );
      expectClearRefusal(
        await admin.agent
          .post(`/bestallningar/1/deltagare/${id}/ta-bort`)
          .type('form')
          .send({ _csrf: admin.csrf }),
        404,
      );
    }
  });

  it('ids in form fields out of range are refused, not a 500', async () => {
    const csrf = admin.csrf;
    expectClearRefusal(
      await admin.agent
        .post('/redigera/kurser/test-kurs/granskare')
        .type('form')
        .send({ _csrf: csrf, action: 'remove', userId: '99999999999' }),
    );
    expectClearRefusal(
      await admin.agent
        .post('/redigera/kurser/test-kurs/historik/aterstall')
        .type('form')
        .send({ _csrf: csrf, version: '99999999999' }),
    );
    expectClearRefusal(
      await admin.agent.post('/admin/synpunkter').type('form').send({ _csrf: csrf, id: '99999999999' }),
    );
    const before = await t.db('users').count({ n: '*' }).first();
    expectClearRefusal(
      await admin.agent.post('/admin/personer').type('form').send({
        _csrf: csrf,
        name: 'Ny',
        email: 'ny-id@test.se',
        password: 'ett-bra-lösenord',
        unitId: '2147483648',
        jobRole: 'underskoterska',
        learner: 'on',
      }),
    );
    expect(await t.db('users').count({ n: '*' }).first()).toEqual(before);
  });
});

describe('NUL bytes in text', () => {
  it('the anonymous feedback form refuses them, and nothing is stored or mailed', async () => {
    const agent = request.agent(t.app);
    const csrf = await csrfFrom(agent, '/tillganglighet');
    const before = await t.db('accessibility_feedback').count({ n: '*' }).first();
    const res = await agent
      .post('/tillganglighet')
      .type('form')
      .send({ _csrf: csrf, message: 'Knappen\u0000 syns inte', page: '/', contact: '' });
    expectClearRefusal(res, 400);
    expect(res.text).toContain('osynligt tecken');
    expect(await t.db('accessibility_feedback').count({ n: '*' }).first()).toEqual(before);
  });

  it('the join form refuses them, and no account is made', async () => {
    const unit = await buildUnit(t.db);
    const agent = request.agent(t.app);
    const csrf = await csrfFrom(agent, '/ga-med');
    const email = `nul-${Date.now()}@test.se`;
    const res = await agent.post('/ga-med').type('form').send({
      _csrf: csrf,
      joinCode: unit.joinCode,
      name: 'Ny\u0000Person',
      email,
      jobRole: 'underskoterska',
      password: 'ett-bra-lösenord',
      passwordAgain: 'ett-bra-lösenord',
    });
    expectClearRefusal(res, 400);
    expect(await t.db('users').where({ email }).first()).toBeUndefined();
  });

  it('in the login form, a query string and a path', async () => {
    const agent = request.agent(t.app);
    const csrf = await csrfFrom(agent, '/logga-in');
    expectClearRefusal(
      await agent
        .post('/logga-in')
        .type('form')
        .send({ _csrf: csrf, email: 'a\u0000@test.se', password: PASSWORD }),
      400,
    );
    expectClearRefusal(await admin.agent.get('/tillganglighet?sida=%00'), 400);
    expectClearRefusal(await admin.agent.get('/kurser/test%00kurs'), 400);
    expectClearRefusal(await admin.agent.get('/verifiera/AB%00CD'), 400);
  });

  it('in a lesson: refused, and the draft keeps what it had', async () => {
    const before = await t.db('course_drafts').select('content');
    const res = await admin.agent.post('/redigera/kurser/test-kurs/lektioner/bromsar').type('form').send({
      _csrf: admin.csrf,
      titleStandard: 'Bromsar',
      titleEasy: 'Bromsar',
      bodyStandard: 'Text\u0000',
      bodyEasy: 'Text',
      minutes: '5',
    });
    expectClearRefusal(res, 400);
    expect(await t.db('course_drafts').select('content')).toEqual(before);
  });
});

describe('bodies that are not forms', () => {
  it('JSON with objects where strings are expected is refused on every form, signed in or not', async () => {
    const anonymous = request.agent(t.app);
    const csrf = await csrfFrom(anonymous, '/tillganglighet');
    const before = await t.db('accessibility_feedback').count({ n: '*' }).first();
    const cases: Array<[request.Agent, string, object]> = [
      [anonymous, '/tillganglighet', { _csrf: csrf, message: { toString: 'x' }, page: ['a', 'b'] }],
      [anonymous, '/ga-med', { _csrf: csrf, joinCode: { $ne: '' }, name: ['a'], email: {} }],
      [anonymous, '/logga-in', { _csrf: csrf, email: { a: 1 }, password: [PASSWORD] }],
      [admin.agent, '/quiz/1/svar', { _csrf: admin.csrf, questionId: { a: 1 }, selected: [[1]] }],
      [admin.agent, '/redigera', { _csrf: admin.csrf, slug: ['a'], area: {}, titleStandard: 1 }],
      [
        admin.agent,
        '/redigera/kurser/test-kurs/lektioner/bromsar',
        { _csrf: admin.csrf, bodyStandard: { a: 1 } },
      ],
    ];
    for (const [agent, url, body] of cases) {
      const res = await agent.post(url).set('Content-Type', 'application/json').send(JSON.stringify(body));
      expectClearRefusal(res, 415);
      expect(res.text).toContain('formulär');
    }
    // Broken JSON and XML too.
    expectClearRefusal(
      await anonymous.post('/tillganglighet').set('Content-Type', 'application/json').send('{"message":'),
      415,
    );
    expectClearRefusal(
      await anonymous.post('/tillganglighet').set('Content-Type', 'text/xml').send('<a/>'),
      415,
    );
    expect(await t.db('accessibility_feedback').count({ n: '*' }).first()).toEqual(before);
  });

  it('a field sent twice (an array where a string is expected) is a form error, not a 500', async () => {
    const agent = request.agent(t.app);
    const csrf = await csrfFrom(agent, '/tillganglighet');
    const twice = (fields: Record<string, string>, key: string) =>
      `${new URLSearchParams({ _csrf: csrf, ...fields }).toString()}&${key}=${encodeURIComponent(fields[key])}`;
    expectClearRefusal(
      await agent
        .post('/tillganglighet')
        .type('form')
        .send(twice({ message: 'Hej', page: '/', contact: '' }, 'message')),
    );
    expectClearRefusal(
      await agent
        .post('/ga-med')
        .type('form')
        .send(
          twice(
            {
              joinCode: 'ABCD',
              name: 'A',
              email: 'a@test.se',
              jobRole: 'x',
              password: 'p',
              passwordAgain: 'p',
            },
            'email',
          ),
        ),
    );
    expectClearRefusal(
      await agent
        .post('/logga-in')
        .type('form')
        .send(twice({ email: 'a@test.se', password: 'p' }, 'email')),
    );
  });
});

describe('URLs and forms the framework refuses', () => {
  it('a malformed %-escape in the path is a 400 in Swedish', async () => {
    for (const url of ['/kurser/%E0%A4%A', '/admin/personer/%ZZ', '/quiz/%/fragor/1', '/verifiera/%C3%28']) {
      const res = await admin.agent.get(url);
      expectClearRefusal(res, 400);
      expect(res.text).toContain('Adressen innehåller tecken');
    }
    // Also before anyone is signed in, and asked for JSON.
    const json = await request(t.app).get('/kurser/%E0%A4%A').set('Accept', 'application/json');
    expectClearRefusal(json, 400);
    expect(json.body.error).toContain('Adressen');
  });

  it('more than 200 form fields is a 413 naming the limit, and nothing is stored', async () => {
    const agent = request.agent(t.app);
    const csrf = await csrfFrom(agent, '/tillganglighet');
    const before = await t.db('accessibility_feedback').count({ n: '*' }).first();
    const fields = Array.from({ length: 201 }, (_, i) => `f${i}=x`).join('&');
    const res = await agent
      .post('/tillganglighet')
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&message=Hej&${fields}`);
    expectClearRefusal(res, 413);
    expect(res.text).toContain('högst 200');
    expect(await t.db('accessibility_feedback').count({ n: '*' }).first()).toEqual(before);
  });

  it('an ordinary form over 100 kB is a 413 in Swedish (not a raw key)', async () => {
    const agent = request.agent(t.app);
    const csrf = await csrfFrom(agent, '/tillganglighet');
    const res = await agent
      .post('/tillganglighet')
      .type('form')
      .send({ _csrf: csrf, message: 'ä'.repeat(60_000) });
    expectClearRefusal(res, 413);
    expect(res.text).toContain('för stort');
  });

  it('a lesson the validator accepts is never lost to the body limit: 2 × 40 000 characters of 3-byte UTF-8 are saved', async () => {
    const body = '€'.repeat(39_990);
    const res = await admin.agent.post('/redigera/kurser/test-kurs/lektioner/bromsar').type('form').send({
      _csrf: admin.csrf,
      titleStandard: 'Bromsar',
      titleEasy: 'Bromsar',
      bodyStandard: body,
      bodyEasy: body,
      minutes: '5',
      kind: 'lesson',
    });
    expect(res.status).toBe(303);
    const draft = await t
      .db('course_drafts as d')
      .join('courses as c', 'c.id', 'd.course_id')
      .where('c.slug', 'test-kurs')
      .first('d.content');
    const lesson = draft.content.lessons.find((l: { id: string }) => l.id === 'bromsar');
    expect(lesson.body.standard).toBe(body);
    expect(lesson.body.easy).toBe(body);
    // One character over: the editor comes back with the text kept and the field's own message.
    const over = await admin.agent
      .post('/redigera/kurser/test-kurs/lektioner/bromsar')
      .type('form')
      .send({
        _csrf: admin.csrf,
        titleStandard: 'Bromsar',
        titleEasy: 'Bromsar',
        bodyStandard: `${body}€€€€€€€€€€€`,
        bodyEasy: body,
        minutes: '5',
        kind: 'lesson',
      });
    expectClearRefusal(over, 400);
    expect(over.text).toContain(`${body}€€€€€€€€€€€`);
  });
});

describe('uploads', () => {
  const imageUrl = () =>
    `/redigera/kurser/test-kurs/lektioner/bromsar/bilder?_csrf=${encodeURIComponent(admin.csrf)}`;
  const importUrl = () => `/redigera/importera?_csrf=${encodeURIComponent(admin.csrf)}`;
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5"/></svg>',
  );

  it('multer errors are 4xx with Swedish text, and nothing is stored', async () => {
    const assets = await t.db('course_assets').count({ n: '*' }).first();
    const tooLarge = await admin.agent
      .post(imageUrl())
      .attach('image', Buffer.alloc(2 * 1024 * 1024 + 1, 0x20), {
        filename: 'a.svg',
        contentType: 'image/svg+xml',
      })
      .field('altStandard', 'A')
      .field('altEasy', 'A');
    expectClearRefusal(tooLarge, 413);
    expect(tooLarge.text).toContain('2 MB');
    const twoFiles = await admin.agent
      .post(imageUrl())
      .attach('image', svg, 'a.svg')
      .attach('image', svg, 'b.svg');
    expectClearRefusal(twoFiles, 400);
    const wrongField = await admin.agent.post(imageUrl()).attach('bild', svg, 'a.svg');
    expectClearRefusal(wrongField, 400);
    const zipInImageField = await admin.agent.post(importUrl()).attach('image', svg, 'a.svg');
    expectClearRefusal(zipInImageField, 400);
    const cutOff = await admin.agent
      .post(imageUrl())
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nContent-Disposition: form-data; name="image"; filename="a.svg"\r\n\r\n<svg');
    expectClearRefusal(cutOff, 400);
    const captionsTooLarge = await admin.agent
      .post(`/filmer/1/textning/standard?_csrf=${encodeURIComponent(admin.csrf)}`)
      .attach('captions', Buffer.alloc(1024 * 1024 + 1, 0x41), 'a.vtt');
    expectClearRefusal(captionsTooLarge);
    expect(await t.db('course_assets').count({ n: '*' }).first()).toEqual(assets);
  });

  const zipOf = (entries: Record<string, string | Uint8Array>) =>
    Buffer.from(
      zipSync(
        Object.fromEntries(
          Object.entries(entries).map(([k, v]) => [
            k,
            typeof v === 'string' ? new TextEncoder().encode(v) : v,
          ]),
        ),
      ),
    );
  const course = 'slug: bad-zip\narea: sang\ntitle: { standard: A, easy: A }\n';

  it.each([
    ['images/.', 'images/.'],
    ['../x', '../x'],
    ['/etc/passwd', '/etc/passwd'],
    ['images/../../x', 'images/../../x'],
    ['C:\\x', 'C:\\x'],
  ])('a zip entry %s is refused by name, no draft, no temporary folder', async (entry, named) => {
    const folders = tempFolders();
    const drafts = await t.db('course_drafts').count({ n: '*' }).first();
    const res = await admin.agent
      .post(importUrl())
      .attach('zip', zipOf({ 'course.yaml': course, [entry]: 'x' }), 'kurs.zip');
    expectClearRefusal(res, 422);
    expect(res.text).toContain(named.replace(/&/g, '&amp;'));
    expect(await t.db('course_drafts').count({ n: '*' }).first()).toEqual(drafts);
    expect(tempFolders()).toEqual(folders);
  });

  it('a YAML alias bomb is refused with a message, no draft, no temporary folder', async () => {
    const folders = tempFolders();
    const drafts = await t.db('course_drafts').count({ n: '*' }).first();
    const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++)
      lol.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const res = await admin.agent
      .post(importUrl())
      .attach(
        'zip',
        zipOf({ 'course.yaml': `${course}${lol.join('\n')}\n`, 'quiz.yaml': 'questions: []\n' }),
        'kurs.zip',
      );
    expectClearRefusal(res, 422);
    expect(res.text).toMatch(/alias/i);
    expect(await t.db('course_drafts').count({ n: '*' }).first()).toEqual(drafts);
    expect(tempFolders()).toEqual(folders);
  });
});
