/**
 * A node's life as the load balancer sees it: GET /readyz says 200 when it can take traffic (the
 * migrations and course import are done, the database answers, it is not shutting down), else 503.
 * stopServer() is the first step of a graceful shutdown.
 */
import type { Server } from 'node:http';
import { Router, type RequestHandler } from 'express';

export interface Lifecycle {
  /** Set once the start-up work (migrations, course import) is done. */
  ready: boolean;
  shuttingDown: boolean;
}

/** `ping` resolves when the database answers (server/db/health.ts). */
export function readinessRoutes(lifecycle: Lifecycle, ping: () => Promise<void>): Router {
  const router = Router();
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (lifecycle.shuttingDown) return void res.status(503).json({ status: 'shutting-down' });
    if (!lifecycle.ready) return void res.status(503).json({ status: 'starting' });
    try {
      await ping();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}

/** While shutting down, a response closes its connection, so no keep-alive socket outlives the node. */
export function closeConnectionsWhenStopping(lifecycle: Lifecycle): RequestHandler {
  return (_req, res, next) => {
    if (lifecycle.shuttingDown) res.set('Connection', 'close');
    next();
  };
}

/**
 * Stops accepting connections at once, lets requests in flight finish for up to `graceMs`, closing
 * each keep-alive connection as soon as it is idle, then cuts whatever is still open.
 */
export function stopServer(server: Server, graceMs: number): Promise<{ cut: boolean }> {
  return new Promise((resolve) => {
    let cut = false;
    const idle = setInterval(() => {
      server.closeIdleConnections();
    }, 200);
    const deadline = setTimeout(() => {
      cut = true;
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(deadline);
      resolve({ cut });
    });
    server.closeIdleConnections();
  });
}
