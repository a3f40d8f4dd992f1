// Roster formats (INTERFACE.md "Roster: JSON", "Roster: CSV folder"): parsing and every kind
// of error, with the exact file, row and field a clerk is pointed at. Pure: no database, the
// roster read whole by the test oracle (test/oracle/roster-in-memory.ts), whose rules the
// streamed import shares (test/integration/roster-import-scale.test.ts compares the two).
// This file: the CSV folder, and the paths loadRoster takes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRosterError } from '../../src/roster/load.ts';
import { type LoadResult, loadRoster, parseCsvRoster } from '../oracle/roster-in-memory.ts';
import { ROOT, FIXTURES, errorsOf, ok } from '../helpers/roster-results.ts';

function csv(files: Record<string, string | Uint8Array>): LoadResult {
  return parseCsvRoster(new Map(Object.entries(files)), 'export');
}

const OFFICERS_HEADER = 'license,first_name,last_name,email,agency_id';

describe('CSV folder', () => {
  it('given the CSV fixture (BOM, CRLF, quoted commas, yes/no, lower-case enums, a blank line), then it equals the JSON fixture', async () => {
    const fromCsv = ok(await loadRoster(join(FIXTURES, 'valid-csv')));
    const fromJson = ok(await loadRoster(join(FIXTURES, 'valid.json')));
    expect(fromCsv).toEqual(fromJson);
  });

  it('given quoted fields with commas, quotes and line breaks, then they are read and later line numbers stay physical', () => {
    const r = csv({
      'agencies.csv': 'id,name\nA1,"Lake ""North"" PD, Unit 2"\nA2,"Long\nName\nPD"\nA3,\n',
    });
    expect(errorsOf(r)).toEqual([
      {
        code: 'INVALID_VALUE',
        file: 'agencies.csv',
        row: 3,
        field: 'name',
        message:
          '"Long\\nName\\nPD" contains a control character (U+000A at position 5); line breaks, tabs and other control characters are not allowed',
      },
      { code: 'INVALID_VALUE', file: 'agencies.csv', row: 6, field: 'name', message: 'is required' },
    ]);
    const fine = ok(
      csv({ 'agencies.csv': 'id,name\r\nA1,"Lake ""North"" PD, Unit 2"\r\nA2,"Trailing break\r\n"\r\n' }),
    );
    expect(fine.agencies.map((a) => a.name)).toEqual(['Lake "North" PD, Unit 2', 'Trailing break']);
  });

  it('given a BOM before the header, then the first column is still recognized', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`${OFFICERS_HEADER}\n1,A,B,,AG\n`)]);
    expect(ok(csv({ 'officers.csv': bytes })).officers[0]!.license).toBe('1');
    expect(ok(csv({ 'officers.csv': `\uFEFF${OFFICERS_HEADER}\n1,A,B,,AG\n` })).officers[0]!.license).toBe('1');
  });

  it('given training_unavailable and certificate_on_file as true/false/yes/no/empty in any case, then they are booleans', () => {
    const roster = ok(
      csv({
        'assignments.csv':
          'license,district_id,role,start_date,training_unavailable\n1,D,REGULAR,2025-09-01,yes\n1,D,REGULAR,2025-09-02,NO\n1,D,REGULAR,2025-09-03,True\n1,D,REGULAR,2025-09-04,false\n1,D,REGULAR,2025-09-05,\n',
        'trainings.csv': 'license,kind,completed_on,certificate_on_file\n1,SRO_MANDATED,2025-08-01,YES\n',
      }),
    );
    expect(roster.assignments.map((a) => a.trainingUnavailable)).toEqual([true, false, true, false, false]);
    expect(roster.trainings[0]!.certificateOnFile).toBe(true);
  });

  it('given a boolean that is not one, then the error names the line and column', () => {
    expect(
      errorsOf(
        csv({
          'assignments.csv': 'license,district_id,role,start_date,training_unavailable\n1,D,REGULAR,2025-09-01,maybe\n',
        }),
      ),
    ).toEqual([
      {
        code: 'INVALID_VALUE',
        file: 'assignments.csv',
        row: 2,
        field: 'training_unavailable',
        message: '"maybe" is not true, false, yes or no (or empty)',
      },
    ]);
  });

  it('given escalation e-mails separated by ";", then each is checked and a bad one is named', () => {
    const good = ok(csv({ 'agencies.csv': 'id,name,escalation_emails\nA1,PD,a@pd.example;  b@pd.example ;\n' }));
    expect(good.agencies[0]!.escalationEmails).toEqual(['a@pd.example', 'b@pd.example']);
    expect(
      errorsOf(csv({ 'agencies.csv': 'id,name,chief_email,escalation_emails\nA1,PD,chief@,a@pd.example;b@\n' })).map(
        formatRosterError,
      ),
    ).toEqual([
      'agencies.csv:2: chief_email: "chief@" is not an e-mail address',
      'agencies.csv:2: escalation_emails: "b@" is not an e-mail address',
    ]);
  });

  it('given a bad e-mail, date and kind, then each error names the file, physical line and snake_case column', () => {
    const r = csv({
      'officers.csv': `${OFFICERS_HEADER}\n1,Ann,Lee,,AG\n\n2,"Bob","Ray",bob@,AG\n`,
      'assignments.csv':
        'license,district_id,role,start_date,end_date\n1,D,REGULAR,2026-02-30,\n1,D,ROVING,2025-09-01,2025-08-31\n',
    });
    expect(errorsOf(r).map(formatRosterError)).toEqual([
      'officers.csv:4: email: "bob@" is not an e-mail address',
      'assignments.csv:2: start_date: "2026-02-30" is not a calendar date (YYYY-MM-DD)',
      'assignments.csv:3: role: "ROVING" is not one of REGULAR, SUBSTITUTE',
      'assignments.csv:3: end_date: 2025-08-31 is before the start date 2025-09-01',
    ]);
  });

  it('given a header without a required column, then the error names the file and the column', () => {
    expect(errorsOf(csv({ 'officers.csv': 'license,first_name,email,agency_id\n1,Ann,,AG\n' }))).toEqual([
      {
        code: 'MISSING_COLUMN',
        file: 'officers.csv',
        row: 1,
        field: 'last_name',
        message: 'officers.csv has no column "last_name" in its header row',
      },
    ]);
  });

  it('given optional columns left out of the header, then those fields are absent', () => {
    const roster = ok(csv({ 'trainings.csv': 'license,kind,completed_on\n1,SRO_MANDATED,2025-08-01\n' }));
    expect(roster.trainings[0]).toEqual({
      license: '1',
      kind: 'SRO_MANDATED',
      completedOn: '2025-08-01',
      certificateOnFile: false,
      courseNumber: null,
      provider: null,
    });
  });

  it('given an unknown or repeated column, then it is an error (a typo must not drop a column)', () => {
    expect(errorsOf(csv({ 'officers.csv': `${OFFICERS_HEADER},emial\n1,Ann,Lee,,AG,x\n` }))).toEqual([
      {
        code: 'UNKNOWN_COLUMN',
        file: 'officers.csv',
        row: 1,
        field: 'emial',
        message:
          'unknown column "emial" in officers.csv (its columns are license, first_name, last_name, email, agency_id)',
      },
    ]);
    expect(errorsOf(csv({ 'officers.csv': `${OFFICERS_HEADER},email\n` }))[0]).toMatchObject({
      code: 'DUPLICATE_COLUMN',
      row: 1,
      field: 'email',
    });
  });

  it('given header names in another case or with spaces, then they are matched', () => {
    expect(
      ok(csv({ 'officers.csv': 'License, First_Name ,LAST_NAME,Email,agency_id\n1,Ann,Lee,,AG\n' })).officers,
    ).toHaveLength(1);
  });

  it('given an empty file, then it needs a header row', () => {
    expect(errorsOf(csv({ 'officers.csv': '' }))[0]).toMatchObject({
      code: 'MISSING_HEADER',
      file: 'officers.csv',
      row: null,
    });
  });

  it('given missing files, then those sections are empty; given no roster file at all, then it is an error', () => {
    const roster = ok(csv({ 'districts.csv': 'id,name,kind\nD1,District One,DISTRICT\n' }));
    expect(roster.officers).toEqual([]);
    expect(roster.districts[0]!.contacts).toEqual([]);
    expect(errorsOf(csv({}))[0]).toMatchObject({ code: 'NO_ROSTER_FILES', file: 'export' });
  });

  it('given a *.csv file whose name is not a section, then it is an error (it would otherwise be ignored)', () => {
    expect(errorsOf(csv({ 'officers.csv': `${OFFICERS_HEADER}\n`, 'officer.csv': `${OFFICERS_HEADER}\n` }))).toEqual([
      {
        code: 'UNKNOWN_FILE',
        file: 'officer.csv',
        row: null,
        field: null,
        message:
          'is not a roster file; a roster folder holds agencies.csv, districts.csv, district_contacts.csv, officers.csv, assignments.csv, trainings.csv, policy_reviews.csv, contact_days.csv (rename the file, or move it out of the folder)',
      },
    ]);
  });

  it('given a row with too many cells, then it is reported (an unquoted comma), and the other rows still checked', () => {
    expect(
      errorsOf(csv({ 'districts.csv': 'id,name,kind\nD1,Riverland Academy, Inc.,CHARTER\nD2,,DISTRICT\n' })).map(
        formatRosterError,
      ),
    ).toEqual([
      'districts.csv:2: has 4 cells but the header has 3 columns (a comma inside a value needs "quotes")',
      'districts.csv:3: name: is required',
    ]);
  });

  it('given an unclosed quote, then the file is reported as invalid CSV', () => {
    expect(errorsOf(csv({ 'districts.csv': 'id,name,kind\nD1,"Riverland,CHARTER\nD2,X,DISTRICT\n' }))[0]).toMatchObject(
      { code: 'CSV_SYNTAX', file: 'districts.csv' },
    );
  });

  it('given a file that is not UTF-8 (Windows-1252 from Excel), then it says how to save it', () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode(`${OFFICERS_HEADER}\n1,`),
      0x4a,
      0xf6,
      0x72,
      0x67,
      ...new TextEncoder().encode(',Lee,,AG\n'),
    ]);
    expect(errorsOf(csv({ 'officers.csv': latin1 }))[0]).toMatchObject({
      code: 'NOT_UTF8',
      file: 'officers.csv',
      row: 2,
    });
  });

  it('given contacts, then they join their district; a contact of a district not in districts.csv is an error', () => {
    const r = csv({
      'districts.csv': 'id,name,kind\nD1,District One,DISTRICT\n',
      'district_contacts.csv':
        'district_id,name,email,role\nD1,Pat,pat@d1.example,PRIMARY\nD9,Sam,sam@d9.example,ESCALATION\nD1,Kim,kim@,ESCALATION\n',
    });
    expect(errorsOf(r).map(formatRosterError)).toEqual([
      'district_contacts.csv:3: district_id: no district "D9" in districts.csv (list the district there too: contacts are imported with their district)',
      'district_contacts.csv:4: email: "kim@" is not an e-mail address',
    ]);
  });

  it('given duplicate keys, then each names the other line', () => {
    const r = csv({
      'officers.csv': `${OFFICERS_HEADER}\n1,Ann,Lee,,AG\n2,Bob,Ray,,AG\n1,Ann,Lee,,AG\n`,
      'districts.csv': 'id,name,kind\nD1,District One,DISTRICT\n',
      'district_contacts.csv':
        'district_id,name,email,role\nD1,Pat,pat@d1.example,PRIMARY\nD1,Pat P.,pat@d1.example,PRIMARY\n',
      'contact_days.csv': 'license,district_id,date\n2,D1,2025-09-08\n"2",D1,2025-09-08\n',
    });
    expect(errorsOf(r).map(formatRosterError)).toEqual([
      'district_contacts.csv:3: duplicate district contact (district "D1", e-mail "pat@d1.example", role "PRIMARY"): same as line 2',
      'officers.csv:4: license: duplicate officer license "1": same as line 2',
      'contact_days.csv:3: duplicate contact day (license "2", district "D1", date "2025-09-08"): same as line 2',
    ]);
  });
});

describe('loadRoster paths', () => {
  it('given a path that is neither a .json file nor a folder, then it says what it expects', async () => {
    expect(errorsOf(await loadRoster(join(ROOT, 'package-lock.json'))).length).toBeGreaterThan(0);
    expect(errorsOf(await loadRoster(join(ROOT, 'tsconfig.json')))[0]!.code).toBe('UNKNOWN_FIELD');
    expect(errorsOf(await loadRoster(join(ROOT, 'README.md')))).toEqual([
      {
        code: 'UNSUPPORTED_PATH',
        file: join(ROOT, 'README.md'),
        row: null,
        field: null,
        message: 'is neither a .json file nor a folder of CSV files',
      },
    ]);
    expect(errorsOf(await loadRoster(join(FIXTURES, 'valid-csv', 'officers.csv')))[0]!.code).toBe('UNSUPPORTED_PATH');
    expect(errorsOf(await loadRoster(join(FIXTURES, 'no-such-roster.json')))[0]).toMatchObject({
      code: 'UNREADABLE',
      message: 'no such file or folder',
    });
  });

  it('formats errors as FILE:ROW: FIELD: message, leaving out what is unknown', () => {
    expect(
      formatRosterError({
        code: 'INVALID_VALUE',
        file: 'officers.csv',
        row: 4,
        field: 'email',
        message: '"bob@" is not an e-mail address',
      }),
    ).toBe('officers.csv:4: email: "bob@" is not an e-mail address');
    expect(
      formatRosterError({ code: 'INVALID_JSON', file: 'r.json', row: null, field: null, message: 'is not valid JSON' }),
    ).toBe('r.json: is not valid JSON');
  });
});
