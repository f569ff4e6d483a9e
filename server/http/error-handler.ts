/** The 404 fall-through and the one error handler: logs with request context, renders a friendly page, never a stack trace. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { i18n as I18n, TFunction } from 'i18next';
import type { Logger } from '../logger';
import { HttpError, notFound } from './errors';
import { paths } from './paths';

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(notFound());
};

function wantsJson(accept: string | undefined): boolean {
  return !!accept && accept.includes('application/json') && !accept.includes('text/html');
}

interface FrameworkError {
  type?: string;
  code?: string;
  name?: string;
  status?: number;
  statusCode?: number;
  message?: string;
  limit?: number;
}

const MULTER: Partial<Record<string, [number, string]>> = {
  LIMIT_FILE_SIZE: [413, 'errors:upload.fileTooLarge'],
  LIMIT_FILE_COUNT: [400, 'errors:upload.tooManyFiles'],
  LIMIT_UNEXPECTED_FILE: [400, 'errors:upload.unexpectedField'],
  LIMIT_PART_COUNT: [413, 'errors:tooManyFields'],
  LIMIT_FIELD_COUNT: [413, 'errors:tooManyFields'],
  LIMIT_FIELD_KEY: [413, 'errors:tooLarge'],
  LIMIT_FIELD_VALUE: [413, 'errors:tooLarge'],
  MISSING_FIELD_NAME: [400, 'errors:upload.broken'],
};

const BODY_PARSER: Partial<Record<string, [number, string]>> = {
  'entity.too.large': [413, 'errors:tooLarge'],
  'parameters.too.many': [413, 'errors:tooManyFields'],
  'entity.parse.failed': [400, 'errors:badRequest'],
  'charset.unsupported': [415, 'errors:notAForm'],
  'encoding.unsupported': [415, 'errors:notAForm'],
  'request.aborted': [400, 'errors:badRequest'],
  'request.size.invalid': [400, 'errors:badRequest'],
};

/**
 * What the framework, multer, busboy and PostgreSQL throw at bad input, as the HttpError the person
 * should see; anything else is a fault of ours (500).
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = (err ?? {}) as FrameworkError;
  if (e.code === 'EBADCSRFTOKEN' || e.message === 'invalid csrf token')
    return new HttpError(403, 'errors:csrf');
  const parserRefusal = e.type === undefined ? undefined : BODY_PARSER[e.type];
  if (parserRefusal) return new HttpError(...parserRefusal);
  const multerRefusal = e.name === 'MulterError' && e.code !== undefined ? MULTER[e.code] : undefined;
  if (multerRefusal) return new HttpError(...multerRefusal);
  // A path with a broken %-escape (the router cannot decode the parameter).
  if (err instanceof URIError || /^Failed to decode param/.test(e.message ?? ''))
    return new HttpError(400, 'errors:badAddress');
  // busboy on a cut-off or malformed multipart body.
  if (
    /^(Unexpected end of form|Malformed part header|Multipart: Boundary not found|Malformed urlencoded form)/.test(
      e.message ?? '',
    )
  )
    return new HttpError(400, 'errors:upload.broken');
  // PostgreSQL data exceptions (class 22: a number out of range, a NUL byte, bad text for a type) come from input.
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && 'severity' in (err as object))
    return new HttpError(400, 'errors:badRequest');
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new HttpError(
      status,
      status === 413 ? 'errors:tooLarge' : status === 404 ? 'errors:notFound' : 'errors:badRequest',
    );
  return new HttpError(500, 'errors:server');
}

/** Renders errors as pages (or JSON for the fetch-based enhancements), with the status they carry. */
export function errorHandler(logger: Logger, i18n: I18n): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toHttpError(err);
    const context = { method: req.method, path: req.originalUrl, status: error.status, user: req.user?.id };
    if (error.status >= 500)
      logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err), context);
    else logger.info('request refused', { ...context, reason: error.messageKey });
    if (res.headersSent) return;
    // A body the parsers refused never reached the language middleware: Swedish, never a bare key.
    const t: TFunction = (res.locals as Partial<Record<'t', TFunction>>).t ?? i18n.getFixedT('sv');
    const message = t(error.messageKey, error.params);
    res.status(error.status);
    if (wantsJson(req.headers.accept)) {
      res.json({ error: message });
      return;
    }
    const title = t(`errors:title.${error.status}`, { defaultValue: t('errors:title.default') });
    const fallback = {
      user: null,
      paths,
      currentPath: req.originalUrl,
      csrfToken: '',
      lng: 'sv',
      t,
      can: () => false,
      errors: {},
    };
    res.render(
      'errors/error',
      { ...fallback, ...res.locals, title, message, status: error.status },
      (renderError: Error | null, html: string) => {
        if (!renderError) return res.send(html);
        // The error page itself failed: plain text, still no stack trace.
        logger.error(`Error page failed: ${renderError.message}`, context);
        res.type('text/plain; charset=utf-8').send(`${title}\n\n${message}`);
      },
    );
  };
}
