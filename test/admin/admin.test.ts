import * as cheerio from 'cheerio';
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
let admin: { agent: request.Agent; csrf: string };
beforeAll(async () => {
  t = await startTestApp();
  const person = await buildPerson(t.db, {
    jobRole: null,
    permissions: [{ kind: 'admin', organisationId: null, unitId: null }],
  });
  admin = await loginAs(t.app, person.email);
});
afterAll(async () => t.close());

describe('administration of people', () => {
  it('is forbidden (403) for a learner, through any admin URL', async () => {
    const learner = await buildPerson(t.db);
    const { agent, csrf } = await loginAs(t.app, learner.email);
    for (const url of ['/admin/personer', `/admin/personer/${learner.id}`, '/admin/enheter'])
      expect((await agent.get(url)).status).toBe(403);
    const res = await agent
      .post(`/admin/personer/${learner.id}/status`)
      .type('form')
      .send({ _csrf: csrf, disabled: 'true' });
    expect(res.status).toBe(403);
    expect(await t.db('users').where({ id: learner.id }).first('disabled_at')).toEqual({ disabled_at: null });
  });

  it('creates a person who can then log in', async () => {
    const unit = await buildUnit(t.db);
    const email = `skapad-${Date.now()}@test.se`;
    const res = await admin.agent
      .post('/admin/personer')
      .type('form')
      .send({
        _csrf: admin.csrf,
        name: 'Skapad Person',
        email,
        password: 'ett-bra-lösenord',
        unitId: String(unit.id),
        jobRole: 'underskoterska',
        learner: 'on',
        managerScope: `unit:${unit.id}`,
      });
    expect(res.status).toBe(303);
    const user = await t.db('users').where({ email }).first();
    expect(
      await t.db('permissions').where({ user_id: user.id }).orderBy('kind').select('kind', 'unit_id'),
    ).toEqual([
      { kind: 'learner', unit_id: null },
      { kind: 'manager', unit_id: unit.id },
    ]);
    await expect(loginAs(t.app, email, 'ett-bra-lösenord')).resolves.toBeTruthy();
  });

  it('re-roles a person and logs who did it', async () => {
    const person = await buildPerson(t.db);
    const res = await admin.agent
      .post(`/admin/personer/${person.id}`)
      .type('form')
      .send({
        _csrf: admin.csrf,
        name: 'Ny Roll',
        email: person.email,
        unitId: String(person.unitId),
        jobRole: 'underskoterska',
        learner: 'on',
      });
    expect(res.status).toBe(303);
    expect(await t.db('users').where({ id: person.id }).first('job_role', 'name')).toEqual({
      job_role: 'underskoterska',
      name: 'Ny Roll',
    });
    expect(
      await t.db('audit_log').where({ subject: `user:${person.id}`, action: 'person.update' }),
    ).toHaveLength(1);
  });

  it('refuses a scope that does not exist with 400 and saves nothing', async () => {
    const person = await buildPerson(t.db);
    const res = await admin.agent
      .post(`/admin/personer/${person.id}`)
      .type('form')
      .send({ _csrf: admin.csrf, name: 'X', email: person.email, managerScope: 'unit:999999' });
    expect(res.status).toBe(400);
    expect(cheerio.load(res.text)('#managerScope-error').text()).toContain(
      'Välj en organisation eller enhet',
    );
    expect(await t.db('permissions').where({ user_id: person.id }).pluck('kind')).toEqual(['learner']);
  });

  it('disables a person, who then cannot log in', async () => {
    const person = await buildPerson(t.db);
    await admin.agent
      .post(`/admin/personer/${person.id}/status`)
      .type('form')
      .send({ _csrf: admin.csrf, disabled: 'true' });
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/logga-in');
    expect(
      (
        await agent
          .post('/logga-in')
          .type('form')
          .send({ _csrf: token, email: person.email, password: PASSWORD })
      ).status,
    ).toBe(401);
  });

  it('answers 404 for an unknown person', async () => {
    expect((await admin.agent.get('/admin/personer/999999')).status).toBe(404);
  });

  it("renews a unit's join code so the old one stops working", async () => {
    const unit = await buildUnit(t.db);
    await admin.agent
      .post(`/admin/enheter/${unit.id}/kod`)
      .type('form')
      .send({ _csrf: admin.csrf, action: 'renew' });
    const row = await t.db('units').where({ id: unit.id }).first('join_code');
    expect(row.join_code).not.toBe(unit.joinCode);
    expect(await t.services.organisations.findUnitByJoinCode(unit.joinCode)).toBeNull();
  });

  it('logs who created a person, with the person, in the audit log', async () => {
    const email = `loggad-${Date.now()}@test.se`;
    const res = await admin.agent.post('/admin/personer').type('form').send({
      _csrf: admin.csrf,
      name: 'Loggad Person',
      email,
      password: PASSWORD,
      unitId: '',
      jobRole: '',
      learner: 'on',
      managerScope: '',
      bookerScope: '',
    });
    expect(res.status).toBe(303);
    const created = await t.services.usersService.findByEmail(email.toUpperCase());
    expect(created).toMatchObject({ name: 'Loggad Person', disabled: false });
    const [entry] = await t.services.audit.forSubjects([`user:${created?.id}`], {
      actions: ['person.create'],
    });
    expect(entry).toMatchObject({ action: 'person.create', actorName: expect.any(String) });
  });

  it('refuses a second person with the same address in another case (409), and keeps one', async () => {
    const existing = await buildPerson(t.db, { email: `samma-${Date.now()}@test.se` });
    const res = await admin.agent.post('/admin/personer').type('form').send({
      _csrf: admin.csrf,
      name: 'Dubblett',
      email: existing.email.toUpperCase(),
      password: PASSWORD,
      unitId: '',
      jobRole: '',
      learner: 'on',
      managerScope: '',
      bookerScope: '',
    });
    expect(res.status).toBe(409);
    expect(await t.db('users').whereRaw('lower(email) = lower(?)', [existing.email]).count('* as n')).toEqual(
      [{ n: 1 }],
    );
  });
});

describe('usersService (the users table for other features)', () => {
  it('finds an account by address without case or spaces, and knows a disabled one is not active', async () => {
    const person = await buildPerson(t.db, { email: `Blandad-${Date.now()}@Test.se` });
    expect(await t.services.usersService.findByEmail(`  ${person.email.toLowerCase()} `)).toMatchObject({
      id: person.id,
      disabled: false,
    });
    expect(await t.services.usersService.activeIdByEmail(person.email.toUpperCase())).toBe(person.id);
    expect(await t.services.usersService.emailUsedByOther(person.email, person.id)).toBe(false);
    expect(await t.services.usersService.emailUsedByOther(person.email, person.id + 1)).toBe(true);
    await t.db('users').where({ id: person.id }).update({ disabled_at: t.db.fn.now() });
    expect(await t.services.usersService.activeIdByEmail(person.email)).toBeNull();
    expect(await t.services.usersService.emailRegistered(person.email)).toBe(true);
  });
});
