// What a chief reads in each alert e-mail (RULES.md 5): who, what, when, the provision it
// rests on and what to do next, the same in the text and HTML parts; hostile roster text
// cannot inject markup or headers; reminders carry an RFC 5545 calendar entry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert, Recipient } from '../../src/domain/alert-types.ts';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import type { OfficerStatus } from '../../src/domain/types.ts';
import { HeaderInjectionError, assertHeaderSafe, escapeHtml, headerSafe } from '../../src/mail/escape.ts';
import { escapeIcsText, foldIcsLine } from '../../src/mail/ics.ts';
import { type AlertMailInput, renderAlert } from '../../src/mail/render-alert.ts';
import { officerSchema } from '../../src/roster/schema.ts';
import { bothParts } from '../helpers/mail-parts.ts';
import { OFFICER_ALERT_KINDS } from '../helpers/alert-fixtures.ts';
import { OVERDUE_10003, officerStatus } from '../helpers/officer-status.ts';

const CHIEF: Recipient = {
  email: 'chief@lakeside-pd.example',
  name: 'Chief Ruth Anders',
  role: 'CHIEF',
  districtId: null,
};
const PRIMARY: Recipient = {
  email: 'sro-liaison@isd900.example',
  name: 'Pat Liaison',
  role: 'DISTRICT_PRIMARY',
  districtId: 'ISD900',
};

// IN_GRACE (V.C): assumed duties 2025-10-01, employer could not provide the course → G = 2026-04-01 (Wednesday).
const IN_GRACE: OfficerStatus = officerStatus({
  license: '10001',
  status: 'IN_GRACE',
  dueDate: d('2026-04-01'),
  daysRemaining: 30,
  restrictedDuties: [4, 5],
  basis: 'GRACE_PERIOD_EXPIRED',
  assumedDutiesOn: d('2025-10-01'),
});

function alert(over: Partial<Alert> & Pick<Alert, 'kind' | 'key'>): Alert {
  return {
    license: '10001',
    dueDate: null,
    lead: null,
    level: null,
    threshold: null,
    schoolYear: null,
    recipients: [],
    ...over,
  };
}

function input(over: Partial<AlertMailInput> = {}): AlertMailInput {
  const a =
    over.alert ??
    alert({
      kind: 'DEADLINE_REMINDER',
      key: 'DEADLINE_REMINDER:10001:2026-04-01:lead=30',
      dueDate: d('2026-04-01'),
      lead: 30,
    });
  const r = over.recipient ?? CHIEF;
  return {
    alert: a,
    recipient: r,
    officer: { license: '10001', firstName: 'Grace', lastName: 'Period' },
    agency: { id: 'MN0900100', name: 'Lakeside Police Department', chiefName: 'Chief Ruth Anders' },
    districts: [{ id: 'ISD900', name: 'Lakeside Public Schools', kind: 'DISTRICT' }],
    status: IN_GRACE,
    asOf: d('2026-03-02'),
    ledgerKey: `${a.key}:to=${r.email}`,
    generatedAt: '20260302T120000Z',
    ...over,
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

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

  it('states the restricted duties, clauses (4) and (5), and a "What to do next" list', () => {
    bothParts(
      m,
      'clause (4) providing advice on safety drills or clause (5) identifying vulnerabilities in school facilities and safety protocols',
    );
    bothParts(m, 'What to do next');
    bothParts(m, 'Enrol the officer in a POST-approved SRO course that finishes on or before 2026-04-01');
    bothParts(m, 'keep a copy on file (V.E)');
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

  it('a district contact is told they are the district contact, and to have the certificate sent to the chief', () => {
    const forDistrict = renderAlert(input({ recipient: PRIMARY }));
    bothParts(forDistrict, 'Dear Pat Liaison,');
    bothParts(forDistrict, 'SRO contact of Lakeside Public Schools');
    bothParts(forDistrict, 'sends the training certificate to the chief, Chief Ruth Anders');
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

describe('SUBSTITUTE_NEARING_LIMIT, V.D: given a substitute with 47 served contact days in 2025-2026', () => {
  const sub: OfficerStatus = {
    ...IN_GRACE,
    license: '10004',
    status: 'EXEMPT_SUBSTITUTE',
    dueDate: null,
    daysRemaining: null,
    basis: null,
    assumedDutiesOn: null,
    contactDays: 47,
    projected60thDay: d('2026-03-20'),
    firstServedDay: d('2025-09-03'),
  };
  const m = renderAlert(
    input({
      alert: alert({
        kind: 'SUBSTITUTE_NEARING_LIMIT',
        license: '10004',
        key: 'SUBSTITUTE_NEARING_LIMIT:10004:2025-2026:threshold=45',
        threshold: 45,
        schoolYear: '2025-2026',
      }),
      officer: { license: '10004', firstName: 'Sam', lastName: 'Vang' },
      status: sub,
    }),
  );

  it('the subject gives the served days and how many are left before day 60', () => {
    expect(m.subject).toBe(
      '[SRO training] Substitute Officer Sam Vang (#10004): 47 contact days served in 2025-2026 — 12 days left before day 60',
    );
  });

  it('says the officer may not serve a 60th day untrained, with threshold, schedule, duties and V.D', () => {
    for (const needle of [
      'may not serve a 60th contact day in 2025-2026 untrained',
      'Threshold reached',
      '45 days',
      'Friday, March 20, 2026',
      'clause (4)',
      'Policy 507.5 V.D / Minn. Stat. § 626.8482 subd. 3(d)',
    ]) {
      bothParts(m, needle);
    }
  });
});

describe('CERTIFICATE_MISSING, V.E', () => {
  const trained: OfficerStatus = {
    ...IN_GRACE,
    license: '10002',
    status: 'COMPLIANT',
    dueDate: null,
    daysRemaining: null,
    basis: null,
    restrictedDuties: [],
    issues: ['CERTIFICATE_MISSING'],
    qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2025-09-10'), certificateOnFile: false },
  };
  const m = renderAlert(
    input({
      alert: alert({
        kind: 'CERTIFICATE_MISSING',
        license: '10002',
        key: 'CERTIFICATE_MISSING:10002:SRO_MANDATED:2025-09-10',
      }),
      officer: { license: '10002', firstName: 'Cert', lastName: 'Missing' },
      status: trained,
    }),
  );

  it('names the course and its date, the chief keeps a copy (V.E), and what to do', () => {
    expect(m.subject).toBe(
      '[SRO training] Officer Cert Missing (#10002): training certificate not on file — course completed 2025-09-10',
    );
    for (const needle of [
      'Wednesday, September 10, 2025',
      'Policy 507.5 V.E / Minn. Stat. § 626.8482 subd. 3(e)',
      'must keep a copy of the most recent training certificate',
      'certificate on file',
    ]) {
      bothParts(m, needle);
    }
  });
});

describe('POLICY_REVIEW_MISSING, V.C in grace and V.D for substitutes', () => {
  it('in grace, the review was due before the officer assumed duties (V.C)', () => {
    const m = renderAlert(
      input({
        alert: alert({
          kind: 'POLICY_REVIEW_MISSING',
          key: 'POLICY_REVIEW_MISSING:10001:MN0900100:2026-04-01',
          dueDate: d('2026-04-01'),
        }),
        status: { ...IN_GRACE, issues: ['POLICY_REVIEW_MISSING'] },
      }),
    );
    expect(m.subject).toBe(
      '[SRO training] Officer Grace Period (#10001): SRO policy review not recorded — was due before duties began 2025-10-01',
    );
    bothParts(m, 'Policy 507.5 V.C / Minn. Stat. § 626.8482 subd. 3(c) and subd. 6');
    bothParts(m, 'Record the review date in the roster');
  });

  it('for a substitute, the review was due before the first served day (V.D)', () => {
    const sub: OfficerStatus = {
      ...IN_GRACE,
      status: 'EXEMPT_SUBSTITUTE',
      dueDate: null,
      daysRemaining: null,
      basis: null,
      assumedDutiesOn: null,
      contactDays: 5,
      firstServedDay: d('2026-01-12'),
      issues: ['POLICY_REVIEW_MISSING'],
    };
    const m = renderAlert(
      input({
        alert: alert({
          kind: 'POLICY_REVIEW_MISSING',
          key: 'POLICY_REVIEW_MISSING:10001:MN0900100:2025-2026',
          schoolYear: '2025-2026',
        }),
        status: sub,
      }),
    );
    expect(m.subject).toBe(
      '[SRO training] Substitute Officer Grace Period (#10001): SRO policy review not recorded — serving since 2026-01-12',
    );
    bothParts(m, 'Policy 507.5 V.D / Minn. Stat. § 626.8482 subd. 3(d) and subd. 6');
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

describe('every alert kind', () => {
  const cases: [Alert['kind'], OfficerStatus][] = [
    ['DEADLINE_REMINDER', IN_GRACE],
    [
      'DEADLINE_MISSED',
      { ...IN_GRACE, status: 'OVERDUE', reason: 'GRACE_PERIOD_EXPIRED', daysRemaining: -3, restrictedDuties: [] },
    ],
    [
      'SUBSTITUTE_NEARING_LIMIT',
      { ...IN_GRACE, status: 'EXEMPT_SUBSTITUTE', dueDate: null, daysRemaining: null, basis: null, contactDays: 50 },
    ],
    [
      'CERTIFICATE_MISSING',
      {
        ...IN_GRACE,
        status: 'COMPLIANT',
        dueDate: null,
        daysRemaining: null,
        basis: null,
        qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2026-02-01'), certificateOnFile: false },
      },
    ],
    ['POLICY_REVIEW_MISSING', IN_GRACE],
    [
      'RESOLVED',
      {
        ...IN_GRACE,
        status: 'COMPLIANT',
        dueDate: null,
        daysRemaining: null,
        basis: null,
        qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2026-02-01'), certificateOnFile: true },
      },
    ],
  ];

  it.each(cases)(
    '%s: has both parts, cites policy 507.5, a next-steps list, the headers; only reminders carry a calendar entry',
    (kind, status) => {
      const m = renderAlert(
        input({
          alert: alert({
            kind,
            key: `${kind}:10001:x`,
            dueDate: d('2026-04-01'),
            level: 1,
            threshold: 50,
            schoolYear: '2025-2026',
          }),
          status,
        }),
      );
      expect(m.subject.startsWith('[SRO training] ')).toBe(true);
      bothParts(m, 'Rests on');
      bothParts(m, 'Policy 507.5 V.');
      bothParts(m, 'What to do next');
      expect(m.headers).toMatchObject({
        'X-SRO-Alert-Key': `${kind}:10001:x:to=chief@lakeside-pd.example`,
        'X-SRO-Alert-Kind': kind,
      });
      expect(m.icalEvent === null).toBe(kind !== 'DEADLINE_REMINDER');
    },
  );
});

describe('hostile roster text', () => {
  it('HTML escapes an officer named <script>alert(1)</script> <b>Bob</b>; the text part shows it as typed', () => {
    const m = renderAlert(
      input({ officer: { license: '10001', firstName: '<script>alert(1)</script>', lastName: '<b>Bob</b>' } }),
    );
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>Bob</b>');
    expect(m.text).toContain('Officer <script>alert(1)</script> <b>Bob</b> (#10001)');
    expect(m.subject).toContain('<b>Bob</b>');
  });

  it('HTML escapes agency, district and recipient names, and quotes', () => {
    const m = renderAlert(
      input({
        agency: { id: 'A', name: 'Smith & "Sons" <PD>', chiefName: null },
        districts: [{ id: 'ISD900', name: "O'Neil <i>Schools</i>", kind: 'CHARTER' }],
        recipient: { ...PRIMARY, name: '<img src=x onerror=alert(1)>' },
      }),
    );
    expect(m.html).toContain('Smith &amp; &quot;Sons&quot; &lt;PD&gt;');
    expect(m.html).toContain('O&#39;Neil &lt;i&gt;Schools&lt;/i&gt; (charter school ISD900)');
    expect(m.html).not.toContain('<img');
  });

  it.each([
    [
      'a CR/LF in the officer first name',
      { officer: { license: '10001', firstName: 'Dana\r\nBcc: victim@example.com', lastName: 'Larson' } },
    ],
    [
      'a LF in the officer last name',
      { officer: { license: '10001', firstName: 'Dana', lastName: 'Larson\nX-Evil: 1' } },
    ],
    ['a NUL in the license', { officer: { license: '10001\u0000', firstName: 'Dana', lastName: 'Larson' } }],
    [
      'a CR/LF in the recipient address',
      { recipient: { ...CHIEF, email: 'chief@lakeside-pd.example\r\nBcc: victim@example.com' } },
    ],
    ['a LF in the recipient name', { recipient: { ...CHIEF, name: 'Ruth\nAnders' } }],
    ['a LF in the ledger key', { ledgerKey: 'DEADLINE_REMINDER:10001\n:to=x' }],
  ] as [string, Partial<AlertMailInput>][])('%s throws HEADER_INJECTION', (_label, over) => {
    expect(() => renderAlert(input(over))).toThrow(HeaderInjectionError);
    expect(codeOf(() => renderAlert(input(over)))).toBe('HEADER_INJECTION');
  });

  it('CR/LF in a name throws for every kind, not only reminders', () => {
    const over = { officer: { license: '10001', firstName: 'A\r\nB', lastName: 'C' } };
    for (const kind of ['DEADLINE_MISSED', 'RESOLVED', 'CERTIFICATE_MISSING'] as const) {
      expect(
        codeOf(() =>
          renderAlert(
            input({ ...over, alert: alert({ kind, key: `${kind}:10001`, dueDate: d('2026-04-01'), level: 1 }) }),
          ),
        ),
      ).toBe('HEADER_INJECTION');
    }
  });
});

describe('escape.ts', () => {
  it('escapeHtml escapes & < > " \'', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(escapeHtml('Dana Larson')).toBe('Dana Larson');
  });

  it('headerSafe passes clean values (Unicode included) and refuses control characters and line separators', () => {
    expect(headerSafe('Subject', 'Officer Zoë Ødegård — due 2026-04-01')).toBe('Officer Zoë Ødegård — due 2026-04-01');
    for (const bad of ['a\rb', 'a\nb', 'a\tb', 'a\u0000b', 'a\u007fb', 'a\u0085b', 'a\u2028b']) {
      expect(codeOf(() => assertHeaderSafe('Subject', bad))).toBe('HEADER_INJECTION');
    }
    const err = new HeaderInjectionError('Subject', 'x\r\ny');
    expect(err.message).toContain('"x\\r\\ny"');
    expect(err.header).toBe('Subject');
  });
});

// The importer rejects names with line breaks (schema.ts), so these can only reach the
// renderer from a database edited by hand: the renderer is the last guard, for every kind.
describe('hostile roster text, every alert kind and every line separator', () => {
  const KINDS = OFFICER_ALERT_KINDS;
  const kindInput = (kind: (typeof KINDS)[number], over: Partial<AlertMailInput>) =>
    input({
      ...over,
      alert: alert({
        kind,
        key: `${kind}:10001:x`,
        dueDate: d('2026-04-01'),
        level: 1,
        threshold: 45,
        schoolYear: '2025-2026',
      }),
    });

  it.each(KINDS)('%s: CR, LF, CRLF, NEL, U+2028 and U+2029 in an officer name throw HEADER_INJECTION', (kind) => {
    for (const sep of ['\r', '\n', '\r\n', '\u0085', '\u2028', '\u2029']) {
      expect(
        codeOf(() =>
          renderAlert(
            kindInput(kind, {
              officer: { license: '10001', firstName: `Dana${sep}Bcc: victim@example.com`, lastName: 'Larson' },
            }),
          ),
        ),
      ).toBe('HEADER_INJECTION');
      expect(
        codeOf(() =>
          renderAlert(
            kindInput(kind, { officer: { license: '10001', firstName: 'Dana', lastName: `Larson${sep}X-Evil: 1` } }),
          ),
        ),
      ).toBe('HEADER_INJECTION');
    }
  });

  it.each(KINDS)('%s: <script> in officer, agency and recipient names is escaped in the HTML part', (kind) => {
    const m = renderAlert(
      kindInput(kind, {
        officer: { license: '10001', firstName: '<script>alert(1)</script>', lastName: '<b>Bob</b>' },
        agency: { id: 'MN0900100', name: '<script>alert(2)</script>', chiefName: '<script>alert(3)</script>' },
        recipient: { ...CHIEF, name: '<script>alert(4)</script>' },
      }),
    );
    expect(m.html).not.toMatch(/<script|<b>Bob/i);
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('property: a name the roster accepts renders without breaking a header or the HTML; any other is refused with HEADER_INJECTION', () => {
    const name = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
      fc.constantFrom(
        '<script>alert(1)</script>',
        '=HYPERLINK("http://x","y")',
        'A\r\nBcc: v@x.example',
        'A\u2028B',
        'A"B<C>D&E',
      ),
    );
    fc.assert(
      fc.property(name, fc.constantFrom(...KINDS), (firstName, kind) => {
        const render = () =>
          renderAlert(kindInput(kind, { officer: { license: '10001', firstName, lastName: 'Larson' } }));
        if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(firstName)) {
          expect(codeOf(render)).toBe('HEADER_INJECTION');
          return;
        }
        // What the importer accepts is a subset of what the renderer accepts.
        if (officerSchema.shape.firstName.safeParse(firstName).success) expect(render).not.toThrow();
        const m = render();
        expect(m.subject).not.toMatch(/[\r\n]/);
        for (const v of Object.values(m.headers)) expect(v).not.toMatch(/[\r\n]/);
        // The HTML holds the name only escaped, and nowhere else: it is the HTML of a plain
        // placeholder name with each placeholder replaced by the escaped name. (A bare
        // substring test cannot tell a name such as "&" or "<p" from the template's own text.)
        expect(m.html).toContain(escapeHtml(firstName));
        const placeholder = 'Qzxplaceholderq';
        const plain = renderAlert(
          kindInput(kind, { officer: { license: '10001', firstName: placeholder, lastName: 'Larson' } }),
        );
        expect(m.html).toBe(plain.html.split(placeholder).join(escapeHtml(firstName)));
      }),
      { numRuns: 300 },
    );
  });
});
