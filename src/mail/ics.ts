// A calendar entry for a training deadline (RFC 5545): one all-day VEVENT on the due date,
// published (METHOD:PUBLISH: information, not a meeting invitation that asks for a reply).
// Pure: the stamp is passed in, so the same input gives the same bytes.
import { createHash } from 'node:crypto';
import { type CivilDate, addDays } from '../domain/civil-date.ts';
import { PermanentError } from '../errors.ts';

/** RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and line breaks escaped; other controls dropped. */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ');
}

/**
 * RFC 5545 3.1: lines longer than 75 octets are folded with CRLF + one space; each
 * continuation line's leading space counts toward its 75. Splits between UTF-8
 * characters, never inside one.
 */
export function foldIcsLine(line: string): string {
  const chunks: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      chunks.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space takes one octet
    }
    current += ch;
    octets += size;
  }
  chunks.push(current);
  return chunks.join('\r\n ');
}

function basicDate(d: CivilDate): string {
  return d.replace(/-/g, '');
}

const UTC_BASIC = /^\d{8}T\d{6}Z$/;

export interface DeadlineEventInput {
  /** Stable across the reminders of one deadline, so a client updates one entry instead of adding six. */
  uidSeed: string;
  dueDate: CivilDate;
  /** UTC, basic format 'YYYYMMDDTHHMMSSZ'. */
  stamp: string;
  summary: string;
  description: string;
}

export class InvalidCalendarStampError extends PermanentError {
  readonly code = 'INVALID_CALENDAR_STAMP';
}

/** The VCALENDAR text, CRLF line endings, lines folded at 75 octets. */
export function deadlineEvent(input: DeadlineEventInput): string {
  if (!UTC_BASIC.test(input.stamp)) {
    throw new InvalidCalendarStampError(
      `calendar stamp must be UTC basic format YYYYMMDDTHHMMSSZ, got ${JSON.stringify(input.stamp)}`,
    );
  }
  const uid = `${createHash('sha256').update(input.uidSeed).digest('hex').slice(0, 32)}@sro-compliance`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//SRO Compliance//Training deadlines//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${input.stamp}`,
    // All-day: DTEND is exclusive, so the next day (RFC 5545 3.6.1).
    `DTSTART;VALUE=DATE:${basicDate(input.dueDate)}`,
    `DTEND;VALUE=DATE:${basicDate(addDays(input.dueDate, 1))}`,
    `SUMMARY:${escapeIcsText(input.summary)}`,
    `DESCRIPTION:${escapeIcsText(input.description)}`,
    // A deadline, not an appointment: it does not make the day look busy.
    'TRANSP:TRANSPARENT',
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldIcsLine).join('\r\n')}\r\n`;
}
