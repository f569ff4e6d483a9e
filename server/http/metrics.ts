/**
 * GET /metrics in Prometheus' text format (written by hand: it is a few lines): requests by route and
 * status, a latency histogram by route, the job queue's depth and the database pools' use. Answered
 * only to addresses in METRICS_ALLOW (req.ip, so behind a proxy set TRUST_PROXY); 404 to everyone else.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { Router, type Request, type RequestHandler } from 'express';
import type { Pool } from 'pg';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A route's pattern, never its filled-in path (ids and tokens stay out of labels and logs). */
export function routeLabel(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  if (req.originalUrl.startsWith('/assets/')) return '/assets';
  return 'unmatched';
}

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();

  /** Counts every request when its response is done. */
  readonly middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      this.observe(
        req.method,
        routeLabel(req),
        res.statusCode,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${labelValue(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const h = this.latency.get(route) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.counts[i]++;
    });
    h.sum += seconds;
    h.count++;
    this.latency.set(route, h);
  }

  text(): string {
    const lines = [
      '# HELP http_requests_total HTTP requests by method, route and status.',
      '# TYPE http_requests_total counter',
    ];
    for (const [labels, n] of this.requests) lines.push(`http_requests_total{${labels}} ${n}`);
    lines.push(
      '# HELP http_request_duration_seconds Time from request to response, by route.',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const [route, h] of this.latency) {
      const r = `route="${labelValue(route)}"`;
      BUCKETS.forEach((b, i) =>
        lines.push(`http_request_duration_seconds_bucket{${r},le="${b}"} ${h.counts[i]}`),
      );
      lines.push(`http_request_duration_seconds_bucket{${r},le="+Inf"} ${h.count}`);
      lines.push(
        `http_request_duration_seconds_sum{${r}} ${h.sum}`,
        `http_request_duration_seconds_count{${r}} ${h.count}`,
      );
    }
    return lines.join('\n');
  }
}

const labelValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** What the gauges read from the database at scrape time (server/db/health.ts provides it). */
export interface DatabaseGauges {
  queuedJobs(): Promise<{ name: string; state: string; n: number }[]>;
  appPool(): { used: number; idle: number; waiting: number } | null;
}

/** Gauges read at scrape time: jobs waiting or running per queue, and each pool's connections. */
async function gauges(database: DatabaseGauges, sessionPool: Pool): Promise<string> {
  const lines = [
    '# HELP pgboss_jobs Jobs in the pg-boss queue by queue and state (created, retry, active).',
    '# TYPE pgboss_jobs gauge',
  ];
  for (const r of await database.queuedJobs())
    lines.push(`pgboss_jobs{queue="${labelValue(r.name)}",state="${r.state}"} ${r.n}`);
  lines.push(
    '# HELP db_pool_connections Database connections by pool and state.',
    '# TYPE db_pool_connections gauge',
  );
  const app = database.appPool();
  if (app) {
    lines.push(
      `db_pool_connections{pool="app",state="used"} ${app.used}`,
      `db_pool_connections{pool="app",state="idle"} ${app.idle}`,
      `db_pool_connections{pool="app",state="waiting"} ${app.waiting}`,
    );
  }
  lines.push(
    `db_pool_connections{pool="sessions",state="used"} ${sessionPool.totalCount - sessionPool.idleCount}`,
    `db_pool_connections{pool="sessions",state="idle"} ${sessionPool.idleCount}`,
    `db_pool_connections{pool="sessions",state="waiting"} ${sessionPool.waitingCount}`,
  );
  return lines.join('\n');
}

/** METRICS_ALLOW: addresses and CIDR ranges, comma separated (IPv4 and IPv6). */
export function allowList(spec: string): BlockList {
  const list = new BlockList();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = '', ...prefix] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!isIPv4(address) && !isIPv6(address))
      throw new Error(`Invalid configuration: METRICS_ALLOW: "${entry}" is not an IP address or range`);
    if (prefix.length === 0) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix[0]), type);
  }
  return list;
}

export function allowed(list: BlockList, ip: string | undefined): boolean {
  if (!ip) return false;
  const plain = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  return list.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
}

export function metricsRoutes(
  metrics: HttpMetrics,
  allow: BlockList,
  database: DatabaseGauges,
  sessionPool: Pool,
): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if (!allowed(allow, req.ip)) {
      next();
      return;
    } // the ordinary 404 page, as if there were nothing here
    const body = `${metrics.text()}\n${await gauges(database, sessionPool)}\n`;
    res.set('Cache-Control', 'no-store').type('text/plain; version=0.0.4; charset=utf-8').send(body);
  });
  return router;
}
