import { escapeText, foldLine, icsCalendar, type CalendarEvent } from '../../server/bookings/ics';

const event: CalendarEvent = {
  uid: 'training-order-7@hjalpmedelsskolan',
  sequence: 1,
  method: 'PUBLISH',
  status: 'CONFIRMED',
  start: new Date('2027-03-15T08:00:00Z'),
  end: new Date('2027-03-15T15:00:00Z'),
  stamp: new Date('2027-02-01T10:00:00Z'),
  summary: 'Förflyttning i praktiken',
  description: 'Utbildning',
  location: 'Storgatan 1',
  organizer: { name: 'Hjälpmedelscentrum', email: 'no-reply@hjalpmedelsskolan.local' },
  url: 'https://hjalpmedelsskolan.example/bestallningar/7',
};

/** The property names of the unfolded content lines. */
function properties(ics: string): string[] {
  return ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => /^[A-Za-z-]+/.exec(line)?.[0] ?? `?${line}`);
}

const INJECTIONS = [
  '\rATTENDEE:mailto:evil@example.com',
  '\r\nATTENDEE:mailto:evil@example.com',
  '\nATTENDEE:mailto:evil@example.com',
  '\u2028ATTENDEE:x',
  '\u000bX-EVIL:1\u0000\u001b',
];

describe('icsCalendar with line breaks in what people typed', () => {
  const clean = properties(icsCalendar(event));

  it.each(INJECTIONS)('adds no property line from an address or text containing %j', (injection) => {
    for (const field of ['location', 'summary', 'description'] as const) {
      const ics = icsCalendar({ ...event, [field]: `Storgatan 1${injection}` });
      expect(properties(ics)).toEqual(clean);
      // eslint-disable-next-line no-control-regex -- finding control characters is the point of this check
      expect(ics).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
      expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    }
    const organizer = icsCalendar({
      ...event,
      organizer: { name: `HMC"${injection}`, email: `a@b.se${injection}` },
      url: `https://x.example/${injection}`,
    });
    expect(properties(organizer)).toEqual(clean);
  });

  it('keeps a typed line break as an escaped \\n inside the value', () => {
    const ics = icsCalendar({ ...event, location: 'Storgatan 1\rPlan 2\r\nRum 3\nEntré B' });
    expect(ics).toContain('LOCATION:Storgatan 1\\nPlan 2\\nRum 3\\nEntré B\r\n');
  });

  it('escapes , ; and \\ and drops other control characters', () => {
    expect(escapeText('a,b;c\\d\te\u0000f\u007f')).toBe('a\\,b\\;c\\\\d\tef');
  });

  it('folds long lines at 75 octets without splitting a character, and unfolds to the same value', () => {
    const location = `${'Åsa Öberg, Hälsovägen 12; plan 3 '.repeat(6)}🦽`;
    const ics = icsCalendar({ ...event, location });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(`LOCATION:${escapeText(location)}\r\n`);
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
  });
});
