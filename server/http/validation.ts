/**
 * Form validation with zod: schema messages are translation keys, so a failed form re-renders with
 * an error summary and a message beside each field in the user's language.
 */
import { z } from 'zod';

/** Interpolation values for an error message (`{{max}}`, `{{line}}`). */
export type ErrorParams = Record<string, string | number>;

/** One field's error: a translation key, or a key with its interpolation values. */
export type FieldError = string | { key: string; params?: ErrorParams };

/** The one error shape of every form: field name → its error (the first one found). */
export type FieldErrors = Record<string, FieldError>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** The message of an issue no schema named: every schema gives its own keys, this is the safety net. */
export const INVALID = 'common:errors.invalid';

/** A field error as key and params, for code that translates it itself (JSON answers). */
export const errorMessage = (error: FieldError): { key: string; params: ErrorParams } =>
  typeof error === 'string' ? { key: error, params: {} } : { key: error.key, params: error.params ?? {} };

/**
 * Parses a form (or query) and turns zod's issues into FieldErrors, the first per field. This is the one
 * converter: schemas carry translation keys as their messages (`z.string({ error: 'auth:errors.nameRequired' })`,
 * `.max(200, 'auth:errors.nameTooLong')`); an issue without one gets `fallbackKey` through the
 * per-parse error map, so every message is a key and nothing guesses from its text.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  fallbackKey = INVALID,
): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {}, { error: () => fallbackKey });
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? '_form')] ??= issue.message;
  return { ok: false, errors };
}

/** Trims a form string; empty becomes undefined so `required` messages apply. */
export const formString = (requiredKey: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
    z.string({ error: requiredKey }),
  );

/**
 * The one parser for ids from URLs and forms: a positive integer in PostgreSQL's `integer` range
 * (1 … 2^31−1) written as plain digits. `1e3`, `-1`, `0x10`, `1.5`, `007`, `2147483648`, arrays and
 * objects give null, which the caller turns into a 404 (or a form error), never a 500.
 */
export function idParam(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= 2_147_483_647
    ? Number(value)
    : null;
}
