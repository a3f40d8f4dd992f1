// The report table's layout and the CSV cell encoding, without a database: whatever the
// names (long, wide CJK and emoji, combining accents, control characters), every line of
// the table fits 120 terminal columns, a row per officer in the given order; CSV text cells
// are RFC 4180 fields that no spreadsheet reads as a formula.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OfficerReportWithDelivery, ReportLine } from '../../src/app/status-report.ts';
import { formatReportTable } from '../../src/app/report-table.ts';
import { csvTextField } from '../../src/app/report-csv.ts';
import { displayWidth, escapeControls } from '../../src/shell/terminal-text.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import { OFFICER_STATUSES, parseOfficerStatus } from '../../src/domain/report.ts';
import { OFFICER_ALERT_KINDS } from '../helpers/alert-fixtures.ts';

/** Terminal columns, counted independently of the code under test for the characters used here. */
function columns(line: string): number {
  let n = 0;
  for (const c of line) n += /\p{M}/u.test(c) ? 0 : /[\u4e00-\u9fff]|\p{Extended_Pictographic}/u.test(c) ? 2 : 1;
  return n;
}

// Characters of known width: ASCII, a precomposed and a combining accent, CJK, an emoji, controls.
const TOKENS = [
  'a',
  'Z',
  '7',
  ' ',
  '-',
  "'",
  ',',
  '"',
  '=',
  'é',
  'e\u0301',
  '漢',
  '字',
  '😀',
  '\u009b',
  '\u001b',
  '\r\n',
  '\u202e',
];
const text = (max: number) =>
  fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: max }).map((t) => t.join(''));
const day = fc
  .integer({ min: 0, max: 100_000 })
  .map((n) => new Date(Date.UTC(1900, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));

const line = fc.record({
  license: fc.stringMatching(/^[A-Z0-9]{1,24}$/),
  name: text(60),
  agency: text(60),
  districts: fc.array(text(50), { maxLength: 3 }),
  status: fc.constantFrom(...OFFICER_STATUSES),
  due: fc.option(day),
  days: fc.integer({ min: -110_000, max: 110_000 }),
  contactDays: fc.integer({ min: 0, max: 400 }),
  projected: fc.option(day),
  issues: fc.subarray(['CERTIFICATE_MISSING', 'NO_CONTACT_ON_FILE', 'POLICY_REVIEW_MISSING'] as const),
  late: fc.boolean(),
  alert: fc.option(
    fc.record({
      kind: fc.constantFrom(...OFFICER_ALERT_KINDS) as fc.Arbitrary<never>,
      day,
    }),
  ),
});

describe('the report table', () => {
  it('given any officers, names and codes, then every line fits 120 columns, no control character is printed raw, and there is one row per officer in order', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (generated) => {
        const agencies = new Map<string, string>();
        const districts = new Map<string, string>();
        const lines: ReportLine[] = generated.map((g, i) => {
          const license = `${g.license}${i}`;
          agencies.set(`A${i}`, g.agency);
          g.districts.forEach((name, j) => districts.set(`D${i}-${j}`, name));
          const hasDue = g.status === 'DUE' || g.status === 'IN_GRACE' || g.status === 'OVERDUE';
          const officer: OfficerReportWithDelivery = {
            license,
            name: g.name,
            agencyId: `A${i}`,
            status: g.status,
            reason: g.status === 'OVERDUE' ? 'NO_TRAINING_BEFORE_DUTIES' : null,
            dueDate: hasDue && g.due ? civilDate(g.due) : null,
            daysRemaining: hasDue && g.due ? g.days : null,
            contactDays: g.contactDays,
            projected60thDay: g.projected ? civilDate(g.projected) : null,
            restrictedDuties: [],
            issues: [...g.issues],
            completedLate: g.late,
            lastAlert: g.alert
              ? { kind: g.alert.kind, alertKey: 'k', sentAt: `${g.alert.day}T12:00:00.000Z`, recipients: [] }
              : null,
          };
          return { officer, districtIds: g.districts.map((_, j) => `D${i}-${j}`) };
        });
        const table = formatReportTable(lines, civilDate('2026-03-02'), {
          names: { agencies, districts },
          filter: { agencies: ['A0'], statuses: ['OVERDUE'] },
        });
        const printed = table.split('\n');
        expect(printed.at(-1)).toBe('');
        for (const l of printed) {
          expect(columns(l)).toBeLessThanOrEqual(120);
          expect(displayWidth(l)).toBe(columns(l));
          expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
        }
        const titles = printed.findIndex((l) => l.startsWith('LICENSE '));
        const rows = printed.slice(titles + 1, -1);
        expect(rows).toHaveLength(lines.length);
        rows.forEach((r, i) => {
          const license = lines[i]!.officer.license;
          // A license is cut only beyond 12 characters.
          expect(r.startsWith(license.length <= 12 ? `${license} ` : license.slice(0, 11))).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('given short cells, then nothing is cut and the columns line up under their titles', () => {
    const officer: OfficerReportWithDelivery = {
      license: '1',
      name: 'Ann Lee',
      agencyId: 'A',
      status: 'OVERDUE',
      reason: 'GRACE_PERIOD_EXPIRED',
      dueDate: civilDate('2026-01-05'),
      daysRemaining: -56,
      contactDays: 0,
      projected60thDay: null,
      restrictedDuties: [],
      issues: ['NO_CONTACT_ON_FILE'],
      completedLate: false,
      lastAlert: { kind: 'DEADLINE_MISSED', alertKey: 'k', sentAt: '2026-03-02T05:59:59.000Z', recipients: [] },
    };
    const table = formatReportTable([{ officer, districtIds: ['D'] }], civilDate('2026-03-02'), {
      names: { agencies: new Map([['A', 'City PD']]), districts: new Map([['D', 'ISD 1']]) },
    });
    expect(table).toBe(
      [
        'Status as of 2026-03-02: 1 officers (1 OVERDUE)',
        '',
        'LICENSE  NAME     AGENCY   DISTRICT  STATUS   DUE         DAYS  NOTES                      LAST ALERT SENT',
        // 05:59:59 UTC on March 2 is still March 1 in Chicago.
        '1        Ann Lee  City PD  ISD 1     OVERDUE  2026-01-05   -56  grace expired, no contact  missed 2026-03-01',
        '',
      ].join('\n'),
    );
  });

  it('given a name and an agency too long for 120 columns, then they are cut and end with …, and the row keeps its columns', () => {
    const officer: OfficerReportWithDelivery = {
      license: '1',
      name: 'Maximiliana Alexandrina Wilhelmina Bartholomew-Christophersen',
      agencyId: 'A',
      status: 'DUE',
      reason: null,
      dueDate: civilDate('2026-04-15'),
      daysRemaining: 44,
      contactDays: 0,
      projected60thDay: null,
      restrictedDuties: [],
      issues: [],
      completedLate: false,
      lastAlert: null,
    };
    const agency = 'Minnesota Department of Natural Resources Enforcement Division, Region 3';
    const [, , header, row] = formatReportTable([{ officer, districtIds: ['D'] }], civilDate('2026-03-02'), {
      names: { agencies: new Map([['A', agency]]), districts: new Map([['D', 'ISD 1']]) },
    }).split('\n') as [string, string, string, string];
    expect(displayWidth(row)).toBeLessThanOrEqual(120);
    const cell = (title: string, next: string) => row.slice(header.indexOf(title), header.indexOf(next)).trimEnd();
    expect(cell('NAME', 'AGENCY')).toMatch(/^Maximiliana .*…$/);
    expect(cell('AGENCY', 'DISTRICT')).toMatch(/^Minnesota .*…$/);
    expect(cell('DISTRICT', 'STATUS')).toBe('ISD 1');
    expect(row.slice(header.indexOf('STATUS'))).toMatch(/^DUE +2026-04-15 +44$/);
  });
});

describe('CSV text cells', () => {
  it.each([
    ['plain', 'Albert Lea Police Department', 'Albert Lea Police Department'],
    ['a comma', 'Lee, Ann', '"Lee, Ann"'],
    ['quotes', 'Ann "Red" Lee', '"Ann ""Red"" Lee"'],
    ['=', '=1+2', "'=1+2"],
    ['+', '+1', "'+1"],
    ['-', '-2+3', "'-2+3"],
    ['@', '@SUM(A1)', "'@SUM(A1)"],
    ['a tab', '\t=1', "'\\u0009=1"],
    ['a carriage return', '\r=1', "'\\u000d=1"],
    ['a formula with a comma and quotes', '=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a line break inside', 'Ann\nLee', 'Ann\\u000aLee'],
    ['CSI and a direction override', 'Ann\u009b31m\u202e', 'Ann\\u009b31m\\u202e'],
  ])('given a cell with %s, then it is written %s', (_what, value, written) => {
    expect(csvTextField(value)).toBe(written);
  });

  it('given any text, then the field holds no raw control character and, unquoted, does not start a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const field = csvTextField(s);
        expect(field).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        const value = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
        expect(value).not.toMatch(/^[=+\-@\t\r]/);
        expect(value).toBe((/^[=+\-@\t\r]/.test(s) ? "'" : '') + escapeControls(s));
      }),
    );
  });
});

describe('--status values', () => {
  it('given a status in any letter case, then it is that status; given anything else, null', () => {
    for (const s of OFFICER_STATUSES) {
      expect(parseOfficerStatus(s)).toBe(s);
      expect(parseOfficerStatus(s.toLowerCase())).toBe(s);
    }
    expect(parseOfficerStatus('LATE')).toBeNull();
    expect(parseOfficerStatus('OVERDUE,DUE')).toBeNull();
    expect([...OFFICER_STATUSES].sort()).toEqual([
      'COMPLIANT',
      'DUE',
      'EXEMPT_SUBSTITUTE',
      'INACTIVE',
      'IN_GRACE',
      'OVERDUE',
    ]);
  });
});
