/** Builds the real app on a database of its own, with factories for the people and places tests need. */
import path from 'node:path';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { Pool } from 'pg';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { createApp } from '../../server/app';
import { hashPassword } from '../../server/auth/passwords';
import type { Permission } from '../../server/auth/types';
import { loadConfig } from '../../server/config';
import { importCourses } from '../../server/courses/courses-composition';
import { createLogger } from '../../server/logger';
import { createServices, type Services } from '../../server/services';
import { createTestDatabase } from './database';

export const FIXTURE_COURSES = path.join(__dirname, '..', 'fixtures', 'courses');
export const SHIPPED_COURSES = path.join(__dirname, '..', '..', 'courses');
export const PASSWORD = 'Test-lösenord-1';

export interface TestApp {
  app: Express;
  db: Knex;
  services: Services;
  url: string;
  close(): Promise<void>;
}

export async function startTestApp(
  options: { coursesDir?: string; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const coursesDir = options.coursesDir ?? FIXTURE_COURSES;
  await importCourses(database.db, coursesDir);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    COURSES_DIR: coursesDir,
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
    ...options.env,
  });
  const services = createServices(config, database.db, createLogger('silent'));
  const pool = new Pool({ connectionString: database.url, max: 2 });
  const app = createApp(services, pool);
  return {
    app,
    db: database.db,
    services,
    url: database.url,
    async close() {
      await app.closeSessions();
      await pool.end();
      await database.drop();
    },
  };
}

let counter = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** A unit (and its organisation unless given). */
export async function buildUnit(
  db: Knex,
  o: { organisationId?: number; name?: string; joinCode?: string } = {},
): Promise<{ id: number; organisationId: number; joinCode: string }> {
  const organisationId =
    o.organisationId ??
    (
      await db('organisations')
        .insert({ name: `Kommun ${unique()}`, kind: 'municipality' })
        .returning('id')
    )[0].id;
  const joinCode =
    o.joinCode ??
    `T${unique()
      .replace(/[^A-Za-z0-9]/g, '')
      .toUpperCase()}`;
  const [unit] = await db('units')
    .insert({ organisation_id: organisationId, name: o.name ?? `Enhet ${unique()}`, join_code: joinCode })
    .returning('id');
  return { id: unit.id, organisationId, joinCode };
}

let passwordHash: Promise<string> | null = null;

/** A person with the given permissions (a learner by default), in a new unit unless one is given. */
export async function buildPerson(
  db: Knex,
  o: {
    unitId?: number;
    jobRole?: string | null;
    permissions?: Permission[];
    email?: string;
    name?: string;
  } = {},
): Promise<{ id: number; email: string; unitId: number }> {
  const unitId = o.unitId ?? (await buildUnit(db)).id;
  const email = o.email ?? `person-${unique()}@test.se`;
  passwordHash ??= hashPassword(PASSWORD);
  const [user] = await db('users')
    .insert({
      email,
      name: o.name ?? 'Testa Person',
      password_hash: await passwordHash,
      unit_id: unitId,
      job_role: o.jobRole === undefined ? 'personlig-assistent' : o.jobRole,
    })
    .returning('id');
  const permissions = o.permissions ?? [{ kind: 'learner', organisationId: null, unitId: null }];
  if (permissions.length)
    await db('permissions').insert(
      permissions.map((p) => ({
        user_id: user.id,
        kind: p.kind,
        organisation_id: p.organisationId,
        unit_id: p.unitId,
        course_id: p.courseId ?? null,
      })),
    );
  return { id: user.id, email, unitId };
}

/** The CSRF token on a page the agent can see. */
export async function csrfFrom(agent: request.Agent | request.SuperTest, pagePath: string): Promise<string> {
  const res = await agent.get(pagePath);
  const token = cheerio.load(res.text)('input[name="_csrf"]').first().val();
  if (typeof token !== 'string') throw new Error(`No CSRF token on ${pagePath} (status ${res.status})`);
  return token;
}

/** A logged-in agent, with a CSRF token valid for its session. */
export async function loginAs(
  app: Express,
  email: string,
  password = PASSWORD,
): Promise<{ agent: request.Agent; csrf: string }> {
  const agent = request.agent(app);
  const token = await csrfFrom(agent, '/logga-in');
  const res = await agent.post('/logga-in').type('form').send({ _csrf: token, email, password });
  if (res.status !== 303) throw new Error(`Login failed for ${email}: ${res.status}`);
  return { agent, csrf: await csrfFrom(agent, '/mina-kurser') };
}
