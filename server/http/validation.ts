/**
 * Form validation with zod: schema messages are translation keys, so a failed form re-renders with
 * an error summary and a message beside each field in the user's language.
 */
import { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Parses a form body; on failure returns the first error key per field. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message.includes(':') ? issue.message : 'common:errors.invalid';
  }
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
