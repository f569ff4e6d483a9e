/** Figures in the reader's language: Swedish number and date formats by default ("1 234", "12,5 %", "2026-11-22"). */
import type { Language } from '../i18n/i18n';
import type { Cell } from './types';

const locales: Record<Language, string> = { sv: 'sv-SE', en: 'en-GB' };

const DAY_MS = 86_400_000;
const stockholmHour = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  hour: '2-digit',
  hourCycle: 'h23',
});
const offsets = new Map<number, number>();

/**
 * The calendar date in Swedish time as `YYYY-MM-DD`. Exports write thousands of dates and an Intl call
 * each cost more than the rest of a row, so Stockholm's UTC offset is looked up once per UTC day (at
 * noon); on the two days a year the offset changes (at 01:00 UTC) the date still comes out right,
 * since the hour before the change is 01:00–03:00 local time under either offset.
 */
export function stockholmDate(d: Date): string {
  const t = d.getTime();
  const day = Math.floor(t / DAY_MS);
  let offset = offsets.get(day);
  if (offset === undefined) {
    offset = (Number(stockholmHour.format(new Date(day * DAY_MS + DAY_MS / 2))) - 12) * 3_600_000;
    offsets.set(day, offset);
  }
  return new Date(t + offset).toISOString().slice(0, 10);
}

const built = new Map<Language, ReturnType<typeof build>>();

/** The formatters of a language, built once (each Intl formatter costs more to build than to use). */
export function formatters(lng: Language) {
  let f = built.get(lng);
  if (!f) built.set(lng, (f = build(lng)));
  return f;
}

function build(lng: Language) {
  const integer = new Intl.NumberFormat(locales[lng], { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locales[lng], { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locales[lng], {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const date = new Intl.DateTimeFormat(locales[lng], {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'Europe/Stockholm',
  });
  const month = new Intl.DateTimeFormat(locales[lng], { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const time = new Intl.DateTimeFormat(locales[lng], {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Stockholm',
  });
  // Dates in the reader's format, each Swedish calendar day formatted once.
  const dates = new Map<string, string>();
  const formatDate = (d: Date) => {
    const iso = stockholmDate(d);
    let s = dates.get(iso);
    if (s === undefined) dates.set(iso, (s = date.format(new Date(`${iso}T12:00:00Z`))));
    return s;
  };
  // Tables of thousands of small counts: each small integer is formatted once.
  const integers = new Map<number, string>();
  const int = (n: number) => {
    if (n < 0 || n >= 100_000) return integer.format(n);
    let s = integers.get(n);
    if (s === undefined) integers.set(n, (s = integer.format(n)));
    return s;
  };
  return {
    number: (n: number) => (Number.isInteger(n) ? int(n) : decimal.format(n)),
    share: (s: number) => percent.format(s),
    date: formatDate,
    dateTime: (d: Date) => time.format(d),
    /** `YYYY-MM` as "nov. 2026". */
    month: (m: string) => month.format(new Date(`${m}-01T00:00:00Z`)),
    cell(c: Cell): string {
      if (c === null) return '–';
      if (typeof c === 'number') return Number.isInteger(c) ? int(c) : decimal.format(c);
      if (typeof c === 'string') return c;
      if ('share' in c) return percent.format(c.share);
      return formatDate(c.date);
    },
  };
}

export type Formatters = ReturnType<typeof build>;

/** A share that is null (not a zero) when there is nothing to divide. */
export const share = (part: number, whole: number): Cell => (whole > 0 ? { share: part / whole } : null);
