/**
 * A calendar file (iCalendar, RFC 5545) for one training, attached to the e-mails about it. A stable
 * UID and a rising SEQUENCE make calendar programs update or cancel the event they already have.
 */
export interface CalendarEvent {
  uid: string;
  sequence: number;
  /** PUBLISH adds or updates the event; CANCEL removes it. */
  method: 'PUBLISH' | 'CANCEL';
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  start: Date;
  end: Date;
  stamp: Date;
  summary: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
  url?: string;
}

const utc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

// Control characters other than HTAB may not appear in a content line (RFC 5545 3.1); a bare CR or LF
// would end the line and let what an orderer typed become a property of its own (ATTENDEE, URL …).
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/g;
const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/g;

/** Escapes TEXT values: backslash, semicolon, comma, every kind of line break, other control characters (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(LINE_BREAK, '\\n')
    .replace(CONTROL, '');
}

/** A parameter value in quotes: no DQUOTE and no control characters may appear in it (RFC 5545 3.2). */
function quotedParam(value: string): string {
  return `"${value.replace(/"/g, "'").replace(LINE_BREAK, ' ').replace(CONTROL, '')}"`;
}

/** A URI or address value: it has no escaping, so anything that could end the line or the value goes. */
function uriValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
  return value.replace(/[\s\u0000-\u001f\u007f]/g, '');
}

/** Folds a content line to at most 75 octets per line, never inside a UTF-8 character (RFC 5545 3.1). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function icsCalendar(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Hjälpmedelscentrum Region Västmanland//Hjälpmedelsskolan//SV',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.method}`,
    'BEGIN:VEVENT',
    `UID:${uriValue(event.uid)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utc(event.stamp)}`,
    `DTSTART:${utc(event.start)}`,
    `DTEND:${utc(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `LOCATION:${escapeText(event.location)}`,
    `ORGANIZER;CN=${quotedParam(event.organizer.name)}:mailto:${uriValue(event.organizer.email)}`,
    `STATUS:${event.status}`,
    ...(event.url ? [`URL:${uriValue(event.url)}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
