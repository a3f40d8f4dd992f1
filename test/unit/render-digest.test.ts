// The weekly digest (RULES.md 5): officers grouped by urgency in a fixed order, each group
// sorted by days remaining then name, counts in the subject, a plain sentence when all is
// well, NO_CONTACT_ON_FILE shown, hostile names escaped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../src/domain/alert-types.ts';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import type { OfficerIssue, OfficerStatus } from '../../src/domain/types.ts';
import {
  type DigestMailInput,
  type DigestOfficer,
  digestGroupOf,
  groupDigest,
  renderDigest,
} from '../../src/mail/render-digest.ts';
import { bothParts, visible } from '../helpers/mail-parts.ts';
import { officerStatus } from '../helpers/officer-status.ts';

const AS_OF = d('2026-03-02');
const CHIEF: Recipient = {
  email: 'chief@albertlea-pd.example',
  name: 'Chief Morgan Ellis',
  role: 'CHIEF',
  districtId: null,
};

const COMPLIANT: OfficerStatus = officerStatus({
  license: '0',
  status: 'COMPLIANT',
  qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2025-08-20'), certificateOnFile: true },
});

function officer(
  license: string,
  firstName: string,
  lastName: string,
  status: Partial<OfficerStatus>,
  issues: OfficerIssue[] = [],
): DigestOfficer {
  return { officer: { license, firstName, lastName }, status: { ...COMPLIANT, license, ...status }, issues };
}

const due = (dueDate: string, daysRemaining: number, status: 'DUE' | 'IN_GRACE' = 'DUE'): Partial<OfficerStatus> => ({
  status,
  dueDate: d(dueDate),
  daysRemaining,
  basis: status === 'IN_GRACE' ? 'GRACE_PERIOD_EXPIRED' : 'NO_TRAINING_BEFORE_DUTIES',
  restrictedDuties: status === 'IN_GRACE' ? [4, 5] : [],
  qualifyingTraining: null,
});
const overdue = (dueDate: string, daysRemaining: number): Partial<OfficerStatus> => ({
  status: 'OVERDUE',
  reason: 'NO_TRAINING_BEFORE_DUTIES',
  basis: 'NO_TRAINING_BEFORE_DUTIES',
  dueDate: d(dueDate),
  daysRemaining,
  qualifyingTraining: null,
});
const substitute = (contactDays: number): Partial<OfficerStatus> => ({
  status: 'EXEMPT_SUBSTITUTE',
  contactDays,
  restrictedDuties: [4, 5],
  qualifyingTraining: null,
});

function digest(officers: DigestOfficer[], over: Partial<DigestMailInput> = {}) {
  return renderDigest({
    recipient: CHIEF,
    scope: { kind: 'AGENCY', id: 'MN0240100', name: 'Albert Lea Police Department' },
    asOf: AS_OF,
    weekOf: AS_OF,
    ledgerKey: 'WEEKLY_DIGEST:2026-03-02:AGENCY:MN0240100:to=chief@albertlea-pd.example',
    officers,
    ...over,
  });
}

// One officer per group, listed in an order unlike the digest's.
const EVERY_GROUP: DigestOfficer[] = [
  officer('7', 'Pat', 'Olson', { status: 'INACTIVE', qualifyingTraining: null }),
  officer('6', 'Lee', 'Andersen', {}),
  officer(
    '5',
    'Cert',
    'Missing',
    {
      issues: ['CERTIFICATE_MISSING'],
      qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2025-09-10'), certificateOnFile: false },
    },
    ['CERTIFICATE_MISSING'],
  ),
  officer('4', 'Sam', 'Vang', substitute(47)),
  officer('8', 'Dana', 'Larson', { ...due('2027-05-31', 455), basis: 'LEGACY_DEADLINE_MISSED' }),
  officer('3', 'Mia', 'Hart', due('2026-05-15', 74)),
  officer('2', 'Grace', 'Period', due('2026-04-01', 30, 'IN_GRACE')),
  officer('1', 'Nolan', 'Berg', overdue('2026-01-05', -56)),
];

describe('digest groups: given one officer in each group, as of 2026-03-02', () => {
  const m = digest(EVERY_GROUP);

  it('lists the groups most urgent first: overdue, 30 days, 90 days, substitutes, missing records, due later, compliant, not assigned', () => {
    const headings = [
      'Overdue (1)',
      'Due within 30 days (1)',
      'Due within 90 days (1)',
      'Substitutes near the 60-day limit (1)',
      'Missing certificate, policy review or contact (1)',
      'Due later (1)',
      'Compliant (1)',
      'Not currently assigned (1)',
    ];
    for (const part of [m.text, visible(m.html)]) {
      const at = headings.map((h) => part.indexOf(h));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
    expect(groupDigest(EVERY_GROUP, AS_OF).map((g) => g.officers.map((o) => o.officer.license))).toEqual([
      ['1'],
      ['2'],
      ['3'],
      ['4'],
      ['5'],
      ['8'],
      ['6'],
      ['7'],
    ]);
  });

  it('counts what needs attention in the subject', () => {
    expect(m.subject).toBe(
      '[SRO training] Weekly digest for Albert Lea Police Department — 1 overdue, 1 due within 30 days, 1 due within 90 days, 1 near the 60-day substitute limit, 1 missing certificate, review or contact',
    );
    bothParts(m, '5 officers need your attention this week');
  });

  it('each row gives the due date, ISO and long form, the days left or overdue, and the policy section', () => {
    bothParts(m, 'Nolan Berg (#1)');
    bothParts(m, '2026-01-05 (Monday, January 5, 2026)');
    bothParts(m, '56 days overdue');
    bothParts(m, '2026-04-01 (Wednesday, April 1, 2026)');
    bothParts(m, '30 days left');
    bothParts(m, 'Policy 507.5 V.C');
    bothParts(m, 'duties (4) advising on safety drills and (5) finding vulnerabilities are not required until trained');
    expect(m.text).not.toContain('clauses');
    bothParts(m, '47 contact days served; 12 days left before day 60');
    bothParts(m, 'training certificate not on file (V.E)');
    bothParts(m, 'last business day Friday 2027-05-28');
  });

  it('carries the ledger key and WEEKLY_DIGEST as headers, and no calendar entry', () => {
    expect(m.headers['X-SRO-Alert-Key']).toBe(
      'WEEKLY_DIGEST:2026-03-02:AGENCY:MN0240100:to=chief@albertlea-pd.example',
    );
    expect(m.headers['X-SRO-Alert-Kind']).toBe('WEEKLY_DIGEST');
    expect(m.icalEvent).toBeNull();
  });
});

describe('group boundaries', () => {
  it.each([
    [0, 'DUE_30'],
    [30, 'DUE_30'],
    [31, 'DUE_90'],
    [90, 'DUE_90'],
    [91, 'DUE_LATER'],
  ] as const)('DUE with %i days remaining → %s', (days, group) => {
    expect(digestGroupOf(officer('1', 'A', 'B', due('2026-06-01', days)), AS_OF)).toBe(group);
  });

  it('a substitute is near the limit from 45 served days (V.D), and compliant below', () => {
    expect(digestGroupOf(officer('1', 'A', 'B', substitute(44)), AS_OF)).toBe('COMPLIANT');
    expect(digestGroupOf(officer('1', 'A', 'B', substitute(45)), AS_OF)).toBe('SUBSTITUTE_NEAR_LIMIT');
    expect(digestGroupOf(officer('1', 'A', 'B', substitute(45)), AS_OF, 50)).toBe('COMPLIANT');
  });

  it('an officer with an issue stays in the more urgent status group, with the issue noted', () => {
    const o = officer('1', 'A', 'B', { ...due('2026-03-20', 18, 'IN_GRACE'), issues: ['POLICY_REVIEW_MISSING'] }, [
      'POLICY_REVIEW_MISSING',
    ]);
    expect(digestGroupOf(o, AS_OF)).toBe('DUE_30');
    bothParts(digest([o]), 'SRO policy review not recorded (V.C)');
  });
});

describe('sorting within a group: days remaining, then name', () => {
  it('most overdue first; equal days by last name, then first name', () => {
    const officers = [
      officer('10', 'Zed', 'Young', overdue('2026-02-20', -10)),
      officer('11', 'Amy', 'Young', overdue('2026-02-20', -10)),
      officer('12', 'Bo', 'Adams', overdue('2026-02-20', -10)),
      officer('13', 'Cy', 'Zimmer', overdue('2026-01-05', -56)),
    ];
    const [overdueGroup] = groupDigest(officers, AS_OF);
    expect(overdueGroup?.officers.map((o) => o.officer.license)).toEqual(['13', '12', '11', '10']);
    const m = digest(officers);
    const at = ['Cy Zimmer', 'Bo Adams', 'Amy Young', 'Zed Young'].map((n) => m.text.indexOf(n));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('substitutes with more served days (fewer left before day 60) first', () => {
    const groups = groupDigest(
      [officer('1', 'A', 'Able', substitute(46)), officer('2', 'B', 'Baker', substitute(55))],
      AS_OF,
    );
    expect(groups.find((g) => g.id === 'SUBSTITUTE_NEAR_LIMIT')?.officers.map((o) => o.officer.license)).toEqual([
      '2',
      '1',
    ]);
  });
});

describe('when all is well', () => {
  const officers = [
    officer('1', 'Lee', 'Andersen', {}),
    officer('2', 'Kim', 'Berg', {}),
    officer('3', 'Jo', 'Cole', substitute(12)),
    officer('4', 'Pat', 'Olson', { status: 'INACTIVE', qualifyingTraining: null }),
  ];
  const m = digest(officers);

  it('says so plainly, in the subject and both parts', () => {
    expect(m.subject).toBe('[SRO training] Weekly digest for Albert Lea Police Department — all 3 officers compliant');
    bothParts(m, 'All 3 officers are compliant; nothing needs your attention this week.');
    expect(m.text).not.toContain('Overdue (');
  });

  it('still lists the compliant and unassigned officers', () => {
    bothParts(m, 'Compliant (3)');
    bothParts(m, 'Not currently assigned (1)');
    bothParts(m, 'Pat Olson (#4)');
  });

  it('with only far-off deadlines, says nothing is due within 90 days', () => {
    const later = digest([officer('1', 'Lee', 'Andersen', {}), officer('8', 'Dana', 'Larson', due('2027-05-31', 455))]);
    expect(later.subject).toBe(
      '[SRO training] Weekly digest for Albert Lea Police Department — nothing due within 90 days',
    );
    bothParts(later, 'Nothing needs your attention this week: no officer is overdue or due within 90 days.');
  });
});

describe('counts in the subject', () => {
  it('2 overdue and 1 due within 30 days', () => {
    const m = digest([
      officer('1', 'Nolan', 'Berg', overdue('2026-01-05', -56)),
      officer('2', 'Ana', 'Quist', overdue('2026-02-17', -13)),
      officer('3', 'Grace', 'Period', due('2026-04-01', 30, 'IN_GRACE')),
      officer('4', 'Lee', 'Andersen', {}),
    ]);
    expect(m.subject).toBe(
      '[SRO training] Weekly digest for Albert Lea Police Department — 2 overdue, 1 due within 30 days',
    );
  });
});

describe('NO_CONTACT_ON_FILE is shown, never dropped', () => {
  it('names the officer whose alerts reach nobody, at the top and in the row', () => {
    const m = digest([
      officer('2', 'Ana', 'Quist', overdue('2026-02-17', -13), ['NO_CONTACT_ON_FILE']),
      officer('3', 'Lee', 'Andersen', {}, ['NO_CONTACT_ON_FILE']),
    ]);
    bothParts(m, 'the alerts about Officer Ana Quist (#2), Officer Lee Andersen (#3) go to');
    bothParts(m, 'no e-mail address on file for alerts about this officer');
    expect(m.text).not.toContain('PRIMARY');
    // A compliant officer whose only issue is the missing contact is listed under issues, not "all is well".
    expect(m.text).not.toContain('nothing needs your attention');
    bothParts(m, 'Missing certificate, policy review or contact (1)');
  });
});

describe('RULES.md 4 NO_CONTACT_ON_FILE: the digest names the party whose address is missing', () => {
  it("given a charter school without a primary contact, it asks for the school's contact, not the chief's e-mail", () => {
    const m = digest([
      {
        ...officer('2', 'Ana', 'Quist', overdue('2026-02-17', -13), ['NO_CONTACT_ON_FILE']),
        missingContacts: [
          {
            kind: 'DISTRICT_PRIMARY',
            districtId: 'CH4001',
            districtName: 'Lakes Charter Academy',
            districtKind: 'CHARTER',
          },
        ],
      },
    ]);
    bothParts(
      m,
      "Lakes Charter Academy (charter school) has no primary SRO contact on file, so alerts about Officer Ana Quist (#2) reach nobody there: add the school's contact to the SRO roster.",
    );
    expect(m.text).not.toContain("chief's e-mail");
  });

  it("given an agency without a chief e-mail and PUBLIC_URL, it asks for the chief's e-mail on the agency's page", () => {
    const m = digest(
      [
        {
          ...officer('3', 'Lee', 'Andersen', {}, ['NO_CONTACT_ON_FILE']),
          missingContacts: [{ kind: 'CHIEF', agencyId: 'MN0240100', agencyName: 'Albert Lea Police Department' }],
        },
      ],
      { consoleUrl: 'https://sro.district.example' },
    );
    bothParts(
      m,
      "The chief of Albert Lea Police Department has no e-mail address on file, so alerts about Officer Lee Andersen (#3) reach no chief: add the chief's e-mail on the agency's page in the console.",
    );
  });
});

describe('hostile roster text', () => {
  it('HTML escapes officer and scope names', () => {
    const m = digest([officer('1', '<script>alert(1)</script>', '<b>Bob</b>', overdue('2026-01-05', -56))], {
      scope: { kind: 'DISTRICT', id: 'ISD241', name: 'Schools & <i>Co</i>' },
    });
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;Bob&lt;/b&gt; (#1)');
    expect(m.html).toContain('Schools &amp; &lt;i&gt;Co&lt;/i&gt;');
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>Bob</b>');
    bothParts(m, 'SRO contact of Schools & <i>Co</i>');
  });

  it.each([
    ['scope name', { scope: { kind: 'AGENCY', id: 'A', name: 'Albert Lea PD\r\nBcc: victim@example.com' } }],
    ['recipient address', { recipient: { ...CHIEF, email: 'chief@albertlea-pd.example\nBcc: victim@example.com' } }],
    ['recipient name', { recipient: { ...CHIEF, name: 'Chief\rEllis' } }],
    ['ledger key', { ledgerKey: 'WEEKLY_DIGEST\n' }],
  ] as [string, Partial<DigestMailInput>][])('CR/LF in the %s throws HEADER_INJECTION', (_label, over) => {
    let code: string | undefined;
    try {
      digest([officer('1', 'Lee', 'Andersen', {})], over);
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    expect(code).toBe('HEADER_INJECTION');
  });
});

describe('hostile roster text: what the digest tests above leave out', () => {
  it('escapes the recipient name in the greeting', () => {
    const m = digest([officer('1', 'Lee', 'Andersen', {})], {
      recipient: { ...CHIEF, name: '<script>alert(1)</script>' },
    });
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('Dear &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(m.text).toContain('Dear <script>alert(1)</script>,');
  });

  it.each(['\u0085', '\u2028', '\u2029', '\t', '\u0000'])(
    'a %j in the scope name (it goes into the Subject) throws HEADER_INJECTION',
    (sep) => {
      let code: string | undefined;
      try {
        digest([officer('1', 'Lee', 'Andersen', {})], {
          scope: { kind: 'AGENCY', id: 'A', name: `Albert Lea PD${sep}Bcc: victim@example.com` },
        });
      } catch (e) {
        code = (e as { code?: string }).code;
      }
      expect(code).toBe('HEADER_INJECTION');
    },
  );

  it('property: officer names are body-only, so any of them renders, escaped, without touching a header', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.constantFrom('<script>alert(1)</script>', '<b>Bob</b>', '=SUM(1)'),
        (first, last) => {
          const m = digest([officer('1', first, last, overdue('2026-01-05', -56))]);
          expect(m.subject).not.toMatch(/[\r\n]/);
          for (const v of Object.values(m.headers)) expect(v).not.toMatch(/[\r\n]/);
          expect(m.html).not.toContain('<script>');
          expect(m.html).not.toContain('<b>Bob</b>');
        },
      ),
      { numRuns: 200 },
    );
  });
});
