/** The filters of the statistics pages (GET query strings), with translatable messages. */
import { z } from 'zod';
import { parseForm, type FieldErrors } from '../http/validation';
import type { HmcFilters, ManagerFilters, Period } from './types';

const MONTH = /^(20[0-9]{2})-(0[1-9]|1[0-2])$/;
/** The longest period a page shows by month. */
export const MAX_PERIOD_MONTHS = 120;

const optionalId = z.preprocess(
  (v) => (v === undefined || v === '' ? null : v),
  z.union([
    z.null(),
    z
      .string()
      .regex(/^[1-9][0-9]{0,9}$/, 'stats:errors.invalidChoice')
      .transform(Number),
  ]),
);
const optionalSlug = z.preprocess(
  (v) => (v === undefined || v === '' ? null : v),
  z.union([z.null(), z.string().regex(/^[a-z0-9-]{1,60}$/, 'stats:errors.invalidChoice')]),
);
const month = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.string().regex(MONTH, 'stats:errors.month').optional(),
);

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** This month in Swedish time as `YYYY-MM`. */
const monthFormat = new Intl.DateTimeFormat('sv-SE', {
  year: 'numeric',
  month: '2-digit',
  timeZone: 'Europe/Stockholm',
});
export function currentMonth(now = new Date()): string {
  return monthFormat.format(now).slice(0, 7);
}

/** A period from the form, defaulting to the `defaultMonths` months up to this one. */
function period(
  from: string | undefined,
  to: string | undefined,
  defaultMonths: number,
  errors: FieldErrors,
  now: Date,
): Period {
  const end = to ?? currentMonth(now);
  const start = from ?? monthOf(monthIndex(end) - defaultMonths + 1);
  if (monthIndex(start) > monthIndex(end)) errors.from = 'stats:errors.periodOrder';
  else if (monthIndex(end) - monthIndex(start) + 1 > MAX_PERIOD_MONTHS)
    errors.from = 'stats:errors.periodTooLong';
  return { from: start, to: end };
}

const managerSchema = z.object({
  unit: optionalId,
  role: optionalSlug,
  course: optionalId,
  from: month,
  to: month,
});
const hmcSchema = z.object({ organisation: optionalId, course: optionalId, from: month, to: month });

type Parsed<T> = { ok: true; filters: T } | { ok: false; filters: T; errors: FieldErrors };

/** A manager's filters; the last 12 months by default. */
export function parseManagerFilters(query: unknown, now = new Date()): Parsed<ManagerFilters> {
  const parsed = parseForm(managerSchema, query, 'stats:errors.invalidChoice');
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const d = parsed.ok
    ? parsed.data
    : { unit: null, role: null, course: null, from: undefined, to: undefined };
  const filters: ManagerFilters = {
    unitId: d.unit,
    jobRole: d.role,
    courseId: d.course,
    period: period(d.from, d.to, 12, errors, now),
  };
  if (!parsed.ok || Object.keys(errors).length)
    return { ok: false, filters: { ...filters, period: period(undefined, undefined, 12, {}, now) }, errors };
  return { ok: true, filters };
}

/** HMC's filters; the last 36 months by default. */
export function parseHmcFilters(query: unknown, now = new Date()): Parsed<HmcFilters> {
  const parsed = parseForm(hmcSchema, query, 'stats:errors.invalidChoice');
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const d = parsed.ok ? parsed.data : { organisation: null, course: null, from: undefined, to: undefined };
  const filters: HmcFilters = {
    organisationId: d.organisation,
    courseId: d.course,
    period: period(d.from, d.to, 36, errors, now),
  };
  if (!parsed.ok || Object.keys(errors).length)
    return { ok: false, filters: { ...filters, period: period(undefined, undefined, 36, {}, now) }, errors };
  return { ok: true, filters };
}

export const summarySchema = z.object({
  monthly: z.enum(['on', 'off'], { error: 'stats:errors.invalidChoice' }),
});
