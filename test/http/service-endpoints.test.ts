/**
 * What a load balancer and an operator see of a node (issue 15): /readyz, request ids in the response
 * and in every log line of the request, and /metrics in Prometheus' text format for allowed addresses only.
 */
import { Pool } from 'pg';
import request from 'supertest';
import { createApp, type App } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { Lifecycle } from '../../server/http/lifecycle';
import { createLogger, logContext } from '../../server/logger';
import { createServices } from '../../server/services';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIXTURE_COURSES } from '../support/test-app';

let database: TestDatabase;
const pools: Pool[] = [];
const apps: App[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const app of apps) await app.closeSessions();
  for (const pool of pools) await pool.end();
  await database.drop();
});

/** The real app on the test database, logging into `lines`. */
function build(
  env: Record<string, string> = {},
  lifecycle?: Lifecycle,
  lines: Record<string, unknown>[] = [],
) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    COURSES_DIR: FIXTURE_COURSES,
    LOG_LEVEL: 'info',
    ...env,
  });
  const logger = createLogger('info', (_level, line) =>
    lines.push(JSON.parse(line) as Record<string, unknown>),
  );
  const pool = new Pool({ connectionString: database.url, max: 2 });
  pools.push(pool);
  const app = createApp(createServices(config, database.db, logger), pool, lifecycle);
  apps.push(app);
  return app;
}

describe('GET /readyz', () => {
  it('is 200 when the node is ready, 503 while starting and while shutting down', async () => {
    const lifecycle: Lifecycle = { ready: false, shuttingDown: false };
    const app = build({}, lifecycle);
    let res = await request(app).get('/readyz');
    expect([res.status, res.body.status]).toEqual([503, 'starting']);
    lifecycle.ready = true;
    res = await request(app).get('/readyz');
    expect([res.status, res.body.status]).toEqual([200, 'ready']);
    expect(res.headers['cache-control']).toBe('no-store');
    lifecycle.shuttingDown = true;
    res = await request(app).get('/readyz');
    expect([res.status, res.body.status]).toEqual([503, 'shutting-down']);
    // A stopping node tells keep-alive clients to go elsewhere.
    expect(res.headers.connection).toBe('close');
  });

  it('is 503 when the database does not answer', async () => {
    const other = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: other.url, LOG_LEVEL: 'silent' });
    const pool = new Pool({ connectionString: other.url, max: 1 });
    const app = createApp(createServices(config, other.db, createLogger('silent')), pool);
    await other.db.destroy();
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', database: 'unreachable' });
    await app.closeSessions();
    await pool.end();
    await other.drop().catch(() => undefined);
  });
});

describe('request ids', () => {
  it('echoes a sane X-Request-Id and puts it in every log line of the request', async () => {
    const lines: Record<string, unknown>[] = [];
    const app = build({}, undefined, lines);
    // No CSRF token: refused with 403, which the error handler logs.
    const res = await request(app)
      .post('/logga-in')
      .set('X-Request-Id', 'lb-7f3a:42')
      .type('form')
      .send({ email: 'a@b.se', password: 'x' });
    expect(res.status).toBe(403);
    expect(res.headers['x-request-id']).toBe('lb-7f3a:42');
    const mine = lines.filter((l) => l.requestId === 'lb-7f3a:42');
    expect(mine.map((l) => l.msg)).toEqual(['request refused', 'request']);
    expect(lines.filter((l) => l.requestId !== 'lb-7f3a:42')).toEqual([]);
    // CSRF refuses it before any route is matched.
    expect(mine[1]).toMatchObject({ method: 'POST', route: 'unmatched', status: 403 });
  });

  it('makes a new id when none or an unsafe one is given', async () => {
    const app = build();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const none = await request(app).get('/logga-in');
    expect(none.headers['x-request-id']).toMatch(uuid);
    for (const bad of ['a b', 'x'.repeat(129), '<script>', 'id\u00e5']) {
      const res = await request(app)
        .get('/logga-in')
        .set('X-Request-Id', encodeURI(bad) === bad ? bad : encodeURI(bad));
      expect(res.headers['x-request-id']).toMatch(uuid);
    }
    const again = await request(app).get('/logga-in');
    expect(again.headers['x-request-id']).not.toBe(none.headers['x-request-id']);
  });

  it('names the route pattern in the access line (not for probes and assets), never the filled-in path with its ids or tokens', async () => {
    const lines: Record<string, unknown>[] = [];
    const app = build({}, undefined, lines);
    // Probes and static files that succeed are not logged.
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/assets/app.css')).status).toBe(200);
    await request(app).get('/logga-in?token=secret-token-123');
    await request(app).get('/no-such-page/secret-token-456');
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toMatchObject([
      { route: '/logga-in', status: 200 },
      { route: 'unmatched', status: 404 },
    ]);
    expect(JSON.stringify(access)).not.toMatch(/secret-token/);
  });

  it('keeps the id across awaits inside the request, and only there', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', (_l, line) => lines.push(line));
    await logContext.run({ requestId: 'r-1' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      logger.info('inside');
    });
    logger.info('outside');
    expect(JSON.parse(lines[0]).requestId).toBe('r-1');
    expect(JSON.parse(lines[1]).requestId).toBeUndefined();
  });
});

describe('GET /metrics', () => {
  it('answers loopback (the default) in Prometheus text format with requests, latency, queue depth and pool use', async () => {
    const app = build();
    await request(app).get('/logga-in');
    await request(app).get('/logga-in');
    await request(app).get('/finns-inte');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('http_requests_total{method="GET",route="/logga-in",status="200"} 2');
    expect(res.text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{route="\/logga-in",le="\+Inf"\} 2/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{route="\/logga-in"\} 2/);
    expect(res.text).toContain('# TYPE pgboss_jobs gauge');
    expect(res.text).toMatch(/db_pool_connections\{pool="app",state="used"\} \d+/);
    expect(res.text).toMatch(/db_pool_connections\{pool="sessions",state="idle"\} \d+/);
    // Every sample line is `name{labels} number`.
    for (const line of res.text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#')))
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
  });

  it('is a 404 for addresses METRICS_ALLOW does not list, and follows TRUST_PROXY for the client address', async () => {
    expect((await request(build({ METRICS_ALLOW: '10.0.0.0/8' })).get('/metrics')).status).toBe(404);
    const proxied = build({ METRICS_ALLOW: '10.0.0.0/8,2001:db8::/32', TRUST_PROXY: '1' });
    expect((await request(proxied).get('/metrics').set('X-Forwarded-For', '10.1.2.3')).status).toBe(200);
    expect((await request(proxied).get('/metrics').set('X-Forwarded-For', '2001:db8::5')).status).toBe(200);
    const outside = await request(proxied).get('/metrics').set('X-Forwarded-For', '192.0.2.1');
    expect(outside.status).toBe(404);
    expect(outside.text).not.toContain('http_requests_total');
    // Without a trusted proxy a forged header changes nothing: loopback is not in this list.
    expect(
      (
        await request(build({ METRICS_ALLOW: '10.0.0.0/8' }))
          .get('/metrics')
          .set('X-Forwarded-For', '10.1.2.3')
      ).status,
    ).toBe(404);
  });

  it('refuses a malformed METRICS_ALLOW at start', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_ALLOW: 'localhost' })).toThrow(/METRICS_ALLOW/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_ALLOW: '10.0.0.0/x' })).toThrow(/METRICS_ALLOW/);
    expect(
      loadConfig({ NODE_ENV: 'test', METRICS_ALLOW: '127.0.0.1, ::1, 10.0.0.0/8' }).metricsAllow,
    ).toContain('10.0.0.0/8');
  });
});
