import { cancellationTerms } from '../../server/bookings/cancellation';
import {
  addDays,
  isCalendarDate,
  swedishDate,
  swedishInstant,
  swedishTime,
} from '../../server/bookings/dates';
import { escapeText, foldLine, icsCalendar } from '../../server/bookings/ics';

describe('Swedish dates and times', () => {
  it('turns a Swedish date and time into the right instant in winter and summer', () => {
    expect(swedishInstant('2027-01-15', '09:00').toISOString()).toBe('2027-01-15T08:00:00.000Z');
    expect(swedishInstant('2027-06-15', '09:00').toISOString()).toBe('2027-06-15T07:00:00.000Z');
    // The morning summer time starts (28 March 2027, 02:00 → 03:00).
    expect(swedishInstant('2027-03-28', '09:00').toISOString()).toBe('2027-03-28T07:00:00.000Z');
  });

  it('reads instants back as Swedish dates and times, across midnight UTC', () => {
    const late = new Date('2027-06-14T22:30:00Z');
    expect(swedishDate(late)).toBe('2027-06-15');
    expect(swedishTime(late)).toBe('00:30');
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('15/3/2027')).toBe(false);
    expect(addDays('2027-03-01', -14)).toBe('2027-02-15');
  });
});

describe('the cancellation policy', () => {
  const startsAt = swedishInstant('2027-03-15', '09:00');
  const at = (date: string, time = '12:00') => swedishInstant(date, time);
  const terms = (now: Date, o: { byHmc?: boolean; status?: string } = {}) =>
    cancellationTerms({
      status: o.status ?? 'confirmed',
      startsAt,
      now,
      freeDays: 14,
      byHmc: o.byHmc ?? false,
    });

  it('is free until 14 days before the training day, inclusive', () => {
    expect(terms(at('2027-03-01', '23:59'))).toEqual({ charged: false, freeUntil: '2027-03-01' });
  });

  it('charges the fee from the day after', () => {
    expect(terms(at('2027-03-02', '00:01'))).toEqual({ charged: true, freeUntil: '2027-03-01' });
  });

  it('never charges a cancellation by HMC', () => {
    expect(terms(at('2027-03-14'), { byHmc: true }).charged).toBe(false);
  });

  it('never charges an order without a confirmed time (a request or a proposal)', () => {
    expect(terms(at('2027-03-14'), { status: 'proposed' })).toEqual({ charged: false, freeUntil: null });
    expect(terms(at('2027-03-14'), { status: 'requested' }).charged).toBe(false);
  });
});

describe('calendar files (.ics)', () => {
  const event = {
    uid: 'training-order-7@hjalpmedelsskolan',
    sequence: 2,
    method: 'PUBLISH' as const,
    status: 'CONFIRMED' as const,
    start: swedishInstant('2027-03-15', '09:00'),
    end: swedishInstant('2027-03-15', '16:00'),
    stamp: new Date('2027-02-01T10:00:00Z'),
    summary: 'Förflyttning i praktiken',
    description: 'Utbildning för Västerås stad; ta med inneskor, tack.\nVälkomna!',
    location: 'Hjälpmedelscentrum, Västerås',
    organizer: { name: 'Hjälpmedelscentrum', email: 'no-reply@hjalpmedelsskolan.local' },
  };

  it('has CRLF lines, UTC times, the UID and the sequence', () => {
    const ics = icsCalendar(event);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(
      ics
        .split('\r\n')
        .filter((l) => l && !l.startsWith(' '))
        .every((l) => /^[A-Z-]+[;:]/.test(l)),
    ).toBe(true);
    expect(ics).toContain('DTSTART:20270315T080000Z\r\n');
    expect(ics).toContain('DTEND:20270315T150000Z\r\n');
    expect(ics).toContain('UID:training-order-7@hjalpmedelsskolan\r\n');
    expect(ics).toContain('SEQUENCE:2\r\n');
    expect(ics).toContain('METHOD:PUBLISH\r\n');
  });

  it('escapes text and folds lines at 75 octets without splitting a character', () => {
    expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
    const long = `DESCRIPTION:${'åäö'.repeat(40)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n ').join('')).toBe(long);
  });
});
