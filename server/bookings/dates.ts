/**
 * Dates and times of trainings in Swedish time (Europe/Stockholm), whatever the server's zone
 * (pure, unit-tested). Calendar dates are plain `YYYY-MM-DD` strings.
 */
const ZONE = 'Europe/Stockholm';

const dateParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const timeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const offsetParts = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The Swedish calendar date of an instant. */
export function swedishDate(instant: Date): string {
  return dateParts.format(instant);
}

/** The Swedish clock time of an instant, "08:30". */
export function swedishTime(instant: Date): string {
  return timeParts.format(instant);
}

function zoneOffsetMs(instant: Date): number {
  const p = Object.fromEntries(offsetParts.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a Swedish date and clock time name ("2027-03-15", "08:30"). */
export function swedishInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let instant = guess - zoneOffsetMs(new Date(guess));
  // A second pass settles the days when summer time starts or ends.
  instant = guess - zoneOffsetMs(new Date(instant));
  return new Date(instant);
}

/** A calendar date plus some days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another. */
export function daysBetween(from: string, to: string): number {
  const ms = (s: string) =>
    Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/** Whether a string is a real calendar date `YYYY-MM-DD` (not 2027-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return addDays(value, 0) === value;
}

/** Whether a string is a clock time `HH:MM`. */
export function isClockTime(value: unknown): value is string {
  return typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}
