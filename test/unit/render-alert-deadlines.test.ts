// What a chief reads in each alert e-mail (RULES.md 5): who, what, when, the provision it
// rests on and what to do next, the same in the text and HTML parts; hostile roster text
// cannot inject markup or headers; reminders carry an RFC 5545 calendar entry.
// This file: the deadline alerts (V.C reminder and its calendar entry, V.B, V.A missed) and RESOLVED.
import { describe, expect, it } from 'vitest';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import type { OfficerStatus } from '../../src/domain/types.ts';
import { escapeIcsText, foldIcsLine } from '../../src/mail/ics.ts';
import { renderAlert } from '../../src/mail/render-alert.ts';
import { bothParts } from '../helpers/mail-parts.ts';
import { OVERDUE_10003 } from '../helpers/officer-status.ts';
import { PRIMARY, IN_GRACE, alert, input, codeOf } from '../helpers/alert-mail-input.ts';

/** ICS content lines with folding undone (RFC 5545 3.1). */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n');
}

describe('DEADLINE_REMINDER, V.C grace period: given Officer Grace Period due 2026-04-01, as of 2026-03-02 (30 days left)', () => {
  const m = renderAlert(input());

  it('the subject names the officer, what is due and when', () => {
    expect(m.subject).toBe('[SRO training] Officer Grace Period (#10001): course due 2026-04-01 — 30 days left');
  });

  it('text and HTML both give the due date (ISO and long form), the days left and the policy section', () => {
    for (const needle of [
      '2026-04-01',
      'Wednesday, April 1, 2026',
      '30 days left',
      'Policy 507.5 V.C / Minn. Stat. § 626.8482 subd. 3(c)',
      'Officer Grace Period (#10001)',
      'Assumed SRO duties on',
    ]) {
      bothParts(m, needle);
    }
  });

  it('states the restricted duties (4) and (5) in words, and a "What to do next" list', () => {
    bothParts(
      m,
      'not required to provide advice on safety drills or to identify vulnerabilities in school facilities and safety protocols (duties (4) and (5) of Minn. Stat. § 626.8482 subd. 2(a))',
    );
    expect(m.text).not.toContain('clause');
    bothParts(m, 'What to do next');
    bothParts(m, 'Enroll the officer in a POST-approved SRO course that finishes on or before 2026-04-01');
    bothParts(m, 'keep a copy on file (V.E)');
  });

  it('without PUBLIC_URL, tells the chief to have the course added to the roster, in words (no field names)', () => {
    bothParts(m, 'Have the completed course added to the SRO roster, with its completion date');
    expect(m.text).not.toContain('Record the completed course in the roster');
  });

  it('keeps the ledger key out of the words: it is the X-SRO-Alert-Key header', () => {
    expect(m.text).not.toContain('Reference');
    expect(m.text).not.toContain('DEADLINE_REMINDER:');
    expect(m.html).not.toContain('DEADLINE_REMINDER:');
  });

  it('names no "last business day" when the due date is a business day', () => {
    expect(m.text).not.toContain('Last business day');
  });

  it('carries the ledger key and the kind as headers', () => {
    expect(m.headers['X-SRO-Alert-Key']).toBe(
      'DEADLINE_REMINDER:10001:2026-04-01:lead=30:to=chief@lakeside-pd.example',
    );
    expect(m.headers['X-SRO-Alert-Kind']).toBe('DEADLINE_REMINDER');
  });

  it('a district contact is told they are the district contact, and to have the certificate sent to the chief, not to record it', () => {
    const forDistrict = renderAlert(input({ recipient: PRIMARY }));
    bothParts(forDistrict, 'Dear Pat Liaison,');
    bothParts(forDistrict, 'SRO contact of Lakeside Public Schools');
    bothParts(forDistrict, 'ask the officer to send the training certificate to the chief, Chief Ruth Anders');
    bothParts(forDistrict, 'Make sure the officer is enrolled');
    expect(forDistrict.text).not.toMatch(/Record the completed course|added to the SRO roster|Enroll the officer/);
    const withConsole = renderAlert(input({ recipient: PRIMARY, consoleUrl: 'https://sro.district.example' }));
    expect(withConsole.text).not.toContain('Record the completed course');
    expect(withConsole.text).toContain('record the contact days the officer served in your district');
  });
});

describe('DEADLINE_REMINDER calendar entry (RFC 5545)', () => {
  const m = renderAlert(input());
  const ics = m.icalEvent?.content ?? '';

  it('is an all-day VEVENT on the due date, published, stamped with generatedAt', () => {
    expect(m.icalEvent?.method).toBe('PUBLISH');
    expect(m.icalEvent?.filename).toBe('sro-training-due-10001-2026-04-01.ics');
    const lines = unfold(ics);
    expect(lines.slice(0, 6)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//SRO Compliance//Training deadlines//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
    ]);
    expect(lines).toContain('DTSTART;VALUE=DATE:20260401');
    expect(lines).toContain('DTEND;VALUE=DATE:20260402');
    expect(lines).toContain('DTSTAMP:20260302T120000Z');
    expect(lines).toContain('SUMMARY:SRO training due: Officer Grace Period (#10001)');
    expect(lines.filter((l) => l.startsWith('UID:'))).toHaveLength(1);
    expect(lines.slice(-3)).toEqual(['END:VEVENT', 'END:VCALENDAR', '']);
  });

  it('uses CRLF line endings only, and folds every line to at most 75 octets', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const physical = ics.split('\r\n');
    for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // The description is long enough that folding happened.
    expect(physical.some((l) => l.startsWith(' '))).toBe(true);
  });

  it('is plain ASCII for an ASCII name, so the part goes out 7bit and DTSTART is readable in the raw message', () => {
    expect(ics).toMatch(/^[\x00-\x7f]*$/);
    expect(unfold(ics).find((l) => l.startsWith('DESCRIPTION:'))).toContain(
      'Rests on: Policy 507.5 V.C / Minn. Stat. 626.8482 subd. 3(c).',
    );
  });

  it('escapes commas, semicolons and backslashes of an officer name in SUMMARY', () => {
    const odd = renderAlert(input({ officer: { license: '10001', firstName: 'Jo; Ann', lastName: 'O\\Brien, Jr.' } }));
    expect(unfold(odd.icalEvent?.content ?? '')).toContain(
      'SUMMARY:SRO training due: Officer Jo\\; Ann O\\\\Brien\\, Jr. (#10001)',
    );
  });

  it('keeps one UID per deadline, so the 60- and 30-day reminders update one calendar entry', () => {
    const uid = (m2: typeof m) => unfold(m2.icalEvent?.content ?? '').find((l) => l.startsWith('UID:'));
    const lead60 = renderAlert(
      input({
        alert: alert({
          kind: 'DEADLINE_REMINDER',
          key: 'DEADLINE_REMINDER:10001:2026-04-01:lead=60',
          dueDate: d('2026-04-01'),
          lead: 60,
        }),
      }),
    );
    const other = renderAlert(
      input({
        alert: alert({
          kind: 'DEADLINE_REMINDER',
          key: 'DEADLINE_REMINDER:10001:2026-04-02:lead=30',
          dueDate: d('2026-04-02'),
          lead: 30,
        }),
      }),
    );
    expect(uid(lead60)).toBe(uid(m));
    expect(uid(other)).not.toBe(uid(m));
  });

  it('refuses a stamp that is not UTC basic format', () => {
    expect(codeOf(() => renderAlert(input({ generatedAt: '2026-03-02T12:00:00Z' })))).toBe('INVALID_CALENDAR_STAMP');
  });

  it('escapeIcsText and foldIcsLine follow RFC 5545 3.3.11 and 3.1', () => {
    expect(escapeIcsText('a,b;c\\d\r\ne\nf')).toBe('a\\,b\\;c\\\\d\\ne\\nf');
    const long = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldIcsLine(long);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
  });
});

describe('V.B legacy deadline 2027-05-31 (Memorial Day)', () => {
  const legacy: OfficerStatus = {
    ...IN_GRACE,
    license: '12345',
    status: 'DUE',
    dueDate: d('2027-05-31'),
    daysRemaining: 90,
    restrictedDuties: [],
    basis: 'LEGACY_DEADLINE_MISSED',
    assumedDutiesOn: null,
  };
  const m = renderAlert(
    input({
      alert: alert({
        kind: 'DEADLINE_REMINDER',
        license: '12345',
        key: 'DEADLINE_REMINDER:12345:2027-05-31:lead=90',
        dueDate: d('2027-05-31'),
        lead: 90,
      }),
      officer: { license: '12345', firstName: 'Dana', lastName: 'Larson' },
      status: legacy,
      asOf: d('2027-03-02'),
    }),
  );

  it('says the last business day is Friday 2027-05-28, and rests on V.B', () => {
    expect(m.subject).toBe('[SRO training] Officer Dana Larson (#12345): course due 2027-05-31 — 90 days left');
    bothParts(m, 'Monday, May 31, 2027');
    bothParts(m, 'Friday 2027-05-28');
    bothParts(m, 'Monday 2027-05-31 is a Minnesota legal holiday');
    bothParts(m, 'Policy 507.5 V.B / Minn. Stat. § 626.8482 subd. 3(b)');
    bothParts(m, 'board-approved supplemental SRO course');
  });

  it('restricts no duties outside grace and substitute relief', () => {
    expect(m.text).not.toContain('Restricted duties');
  });
});

describe('DEADLINE_MISSED, V.A: given Officer Nolan Late due 2026-01-05 (assumed duties that day, untrained)', () => {
  const overdue = OVERDUE_10003;
  const m = renderAlert(
    input({
      alert: alert({
        kind: 'DEADLINE_MISSED',
        license: '10003',
        key: 'DEADLINE_MISSED:10003:2026-01-05:level=2',
        dueDate: d('2026-01-05'),
        level: 2,
      }),
      officer: { license: '10003', firstName: 'Nolan', lastName: 'Late' },
      status: overdue,
      asOf: d('2026-01-19'),
    }),
  );

  it('as of 2026-01-19 the subject says OVERDUE 14 days and the escalation level', () => {
    expect(m.subject).toBe(
      '[SRO training] OVERDUE 14 days: Officer Nolan Late (#10003), course due 2026-01-05 — escalation level 2',
    );
  });

  it('text and HTML give the due date, the days overdue, since when, the level and V.A', () => {
    for (const needle of [
      '2026-01-05',
      'Monday, January 5, 2026',
      '14 days overdue',
      'Tuesday, January 6, 2026',
      'escalation level 2 of 3',
      'Policy 507.5 V.A / Minn. Stat. § 626.8482 subd. 3(a)',
      'What to do next',
    ]) {
      bothParts(m, needle);
    }
    expect(m.headers['X-SRO-Alert-Kind']).toBe('DEADLINE_MISSED');
    expect(m.icalEvent).toBeNull();
  });
});

describe('RESOLVED: the officer who was overdue is trained', () => {
  const done: OfficerStatus = {
    ...IN_GRACE,
    license: '10003',
    status: 'COMPLIANT',
    dueDate: null,
    daysRemaining: null,
    basis: null,
    restrictedDuties: [],
    completedLate: true,
    qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2026-03-04'), certificateOnFile: true },
  };
  const m = renderAlert(
    input({
      alert: alert({ kind: 'RESOLVED', license: '10003', key: 'RESOLVED:10003:2026-01-05', dueDate: d('2026-01-05') }),
      recipient: { email: 'superintendent@isd900.example', name: null, role: 'PREVIOUS_RECIPIENT', districtId: null },
      officer: { license: '10003', firstName: 'Nolan', lastName: 'Late' },
      status: done,
      asOf: d('2026-03-05'),
      previousRecipients: ['superintendent@isd900.example', 'chief@lakeside-pd.example'],
    }),
  );

  it('thanks people and states the completion date', () => {
    expect(m.subject).toBe('[SRO training] Resolved: Officer Nolan Late (#10003) completed SRO training on 2026-03-04');
    for (const needle of [
      'Thank you',
      'Wednesday, March 4, 2026',
      'was due 2026-01-05',
      '58 days',
      'chief@lakeside-pd.example, superintendent@isd900.example',
      'Hello,',
    ]) {
      bothParts(m, needle);
    }
    expect(m.headers['X-SRO-Alert-Kind']).toBe('RESOLVED');
    expect(m.icalEvent).toBeNull();
  });
});
