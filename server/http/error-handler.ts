/** The 404 fall-through and the one error handler: logs with request context, renders a friendly page, never a stack trace. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger';
import { HttpError, notFound } from './errors';
import { paths } from './paths';

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

function wantsJson(accept: string | undefined): boolean {
  return !!accept && accept.includes('application/json') && !accept.includes('text/html');
}

/** Renders errors as pages (or JSON for the fetch-based enhancements), with the status they carry. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let error: HttpError;
    if (err instanceof HttpError) error = err;
    else if (err?.code === 'EBADCSRFTOKEN' || err?.message === 'invalid csrf token') error = new HttpError(403, 'errors:csrf');
    else if (err?.type === 'entity.too.large' || err?.code === 'LIMIT_FILE_SIZE') error = new HttpError(413, 'errors:tooLarge');
    else if (err?.type === 'entity.parse.failed') error = new HttpError(400, 'errors:badRequest');
    else error = new HttpError(500, 'errors:server');
    const context = { method: req.method, path: req.originalUrl, status: error.status, user: req.user?.id };
    if (error.status >= 500) logger.error(err instanceof Error ? err.stack ?? err.message : String(err), context);
    else logger.info('request refused', { ...context, reason: error.messageKey });
    if (res.headersSent) return;
    const t = res.locals.t ?? ((key: string) => key);
    const message = t(error.messageKey, error.params);
    res.status(error.status);
    if (wantsJson(req.headers.accept)) {
      res.json({ error: message });
      return;
    }
    const title = t(`errors:title.${error.status}`, { defaultValue: t('errors:title.default') });
    const fallback = { user: null, paths, currentPath: req.originalUrl, csrfToken: '', lng: 'sv', t, can: () => false, errors: {} };
    res.render('errors/error', { ...fallback, ...res.locals, title, message, status: error.status }, (renderError, html) => {
      if (!renderError) return res.send(html);
      // The error page itself failed: plain text, still no stack trace.
      logger.error(`Error page failed: ${renderError.message}`, context);
      res.type('text/plain; charset=utf-8').send(`${title}\n\n${message}`);
    });
  };
}
