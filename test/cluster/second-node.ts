/**
 * A second app node on the test app's database: its own knex pool, session pool, services and Express
 * app, built with the same configuration, as a second machine behind the load balancer would be. Nothing
 * is shared with the first node but PostgreSQL (and the media folder the configuration names).
 */
import type { Knex } from 'knex';
import { Pool } from 'pg';
import { createApp, type App } from '../../server/app';
import { createKnex } from '../../server/db/knex';
import { createLogger } from '../../server/logger';
import { createServices, type Services } from '../../server/services';
import type { TestApp } from '../support/test-app';

export interface Node {
  app: App;
  db: Knex;
  services: Services;
  close(): Promise<void>;
}

export function secondNode(first: TestApp): Node {
  const db = createKnex(first.url, 5);
  const services = createServices(first.services.config, db, createLogger('silent'));
  const pool = new Pool({ connectionString: first.url, max: 2 });
  const app = createApp(services, pool);
  return {
    app,
    db,
    services,
    async close() {
      await services.transcodeQueue.stop().catch(() => undefined);
      await app.closeSessions();
      await pool.end();
      await db.destroy();
    },
  };
}

/** The `name=value` of a response's session cookie, to carry it to the other node as a browser would. */
export function sessionCookie(headers: Record<string, unknown>): string {
  const set = headers['set-cookie'];
  const first = Array.isArray(set) ? String(set[0]) : typeof set === 'string' ? set : '';
  if (!first) throw new Error('No session cookie in the response');
  return first.split(';')[0];
}
