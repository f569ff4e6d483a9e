/**
 * What a request body may be. Every form posts urlencoded (or multipart for uploads, parsed by multer on
 * its route); nothing else is read, so a JSON object can never arrive where a form field's string is
 * expected. Text with a NUL byte (which PostgreSQL cannot store) is refused before any handler runs.
 */
import express, { type Request, type RequestHandler } from 'express';
import { HttpError } from './errors';
import { paths } from './paths';

/** Fields per form; the longest form (a question with its options) has well under a hundred. */
export const MAX_FORM_FIELDS = 200;
/** Bytes of an ordinary form. */
export const FORM_LIMIT = '100kb';
/**
 * Bytes of an authoring form: a lesson is two bodies of up to 40 000 characters (authoring-validation),
 * and one character can take 9 bytes urlencoded (3 UTF-8 bytes, each as %XX), so 2 × 40 000 × 9 plus the
 * titles fits in 1 MB: text the validator accepts is never lost to the body limit.
 */
export const AUTHORING_FORM_LIMIT = '1mb';

const hasBody = (req: express.Request) =>
  !['GET', 'HEAD', 'OPTIONS'].includes(req.method) &&
  (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined);
const isForm = (type: string | undefined) =>
  /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type ?? '');

/** Refuses bodies that are not forms (JSON, XML, text) with 415. */
const formsOnly: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !isForm(req.headers['content-type'])) {
    next(new HttpError(415, 'errors:notAForm'));
    return;
  }
  next();
};

/** Whether a parsed body or query (strings, arrays of them) holds a NUL byte anywhere. */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  return false;
}

/** 400 when the body or the query holds a NUL byte; used after every body parser (multer too). */
export const refuseNul: RequestHandler = (req, _res, next) => {
  if (containsNul(req.body) || containsNul(req.query) || /%00/.test(req.path)) {
    next(new HttpError(400, 'errors:nulByte'));
    return;
  }
  next();
};

export function formBodies(): RequestHandler[] {
  const parser = (limit: string): RequestHandler =>
    express.urlencoded({ extended: false, limit, parameterLimit: MAX_FORM_FIELDS });
  const authoringParser = parser(AUTHORING_FORM_LIMIT);
  const authoring: RequestHandler = (req, res, next) => {
    if (req.path.startsWith(`${paths.authoring}/`)) authoringParser(req, res, next);
    else next();
  };
  return [formsOnly, authoring, parser(FORM_LIMIT), refuseNul];
}

/** The parsed form body as an object of unknown values (Express types it `any`): what forms re-render from. */
export function formBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** One form field as text: '' when it is missing or not text (a repeated field arrives as an array). */
export function formText(req: Request, name: string): string {
  const value = formBody(req)[name];
  return typeof value === 'string' ? value : '';
}

/** The named fields of a stored record as a form shows them: text as stored, a missing value (null) as ''. */
export function formFields<const K extends string>(
  record: Readonly<Record<K, string | null>>,
  names: readonly K[],
): Record<K, string> {
  return Object.fromEntries(names.map((name) => [name, record[name] ?? ''])) as Record<K, string>;
}
