/**
 * A request id for every request: the caller's `X-Request-Id` when it is sane (a load balancer or
 * nginx's $request_id), otherwise a new one; echoed back, and in every log line of the request.
 * One access-log line per request when it is done, naming the route's pattern, never its path (no
 * tokens or ids in logs); probes and static files only when they fail.
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { logContext, type Logger } from '../logger';
import { routeLabel } from './metrics';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export function requestId(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('X-Request-Id');
    const id = given && SANE.test(given) ? given : crypto.randomUUID();
    res.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const path = req.originalUrl.split('?')[0];
      if ((PROBES.has(path) || path.startsWith('/assets/')) && res.statusCode < 400) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info('request', {
        requestId: id,
        method: req.method,
        route: routeLabel(req),
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      });
    });
    logContext.run({ requestId: id }, next);
  };
}
