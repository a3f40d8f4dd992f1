// Roster formats (INTERFACE.md "Roster: JSON", "Roster: CSV folder"): parsing and every kind
// of error, with the exact file, row and field a clerk is pointed at. Pure: no database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvRoster } from '../../src/roster/csv.ts';
import { type LoadResult, formatRosterError, loadRoster, parseJsonRoster } from '../../src/roster/load.ts';
import { officerSchema, renderRosterJsonSchema, rosterSchema, trainingSchema } from '../../src/roster/schema.ts';
import type { RosterError } from '../../src/roster/validate.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'rosters');

type Json = Record<string, unknown>;
type Row = Record<string, unknown>;

function validRoster(): Json {
  return JSON.parse(readFileSync(join(FIXTURES, 'valid.json'), 'utf8')) as Json;
}

function rows(roster: Json, section: string): Row[] {
  return roster[section] as Row[];
}

function json(roster: unknown): LoadResult {
  return parseJsonRoster(JSON.stringify(roster, null, 2), 'roster.json');
}

function csv(files: Record<string, string | Uint8Array>): LoadResult {
  return parseCsvRoster(new Map(Object.entries(files)), 'export');
}

function errorsOf(r: LoadResult): RosterError[] {
  if (r.ok) throw new Error('expected the roster to be rejected');
  return r.errors;
}

function ok(r: LoadResult) {
  if (!r.ok) throw new Error(`expected a valid roster, got:\n${r.errors.map(formatRosterError).join('\n')}`);
  return r.roster;
}

const OFFICERS_HEADER = 'license,first_name,last_name,email,agency_id';

describe('the shipped JSON Schema', () => {
  it('given the zod schema, then schema/roster.schema.json is what `npm run schema` writes (run it after changing src/roster/schema.ts)', () => {
    const committed = readFileSync(join(ROOT, 'schema', 'roster.schema.json'), 'utf8');
    expect(committed).toBe(renderRosterJsonSchema());
  });

  it('describes the file a user writes: strict objects, calendar-date and e-mail formats, optional sections', () => {
    const schema = JSON.parse(renderRosterJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toBeUndefined();
    expect(schema.$defs.Officer.required).toEqual(['license', 'firstName', 'lastName', 'agencyId']);
    expect(schema.$defs.Assignment.properties.startDate.format).toBe('date');
    expect(schema.$defs.Training.properties.kind.enum).toEqual([
      'SRO_MANDATED',
      'SRO_SUPPLEMENTAL',
      'LEGACY_BASIC_SSC',
      'LEGACY_BASIC_NASRO',
    ]);
  });

  it('states the identifier and date rules as patterns that agree with the validator', () => {
    const schema = JSON.parse(renderRosterJsonSchema());
    const license = officerSchema.shape.license;
    const idPattern = new RegExp(schema.$defs.Officer.properties.license.pattern, 'u');
    expect(schema.$defs.Officer.properties.license.description).toContain('Visible characters only');
    for (const id of [
      '24101',
      ' 24101 ',
      'MN0240100',
      'ISD-241/A',
      'Zoë',
      '李',
      '😀',
      '24101\u200B',
      '\u200B',
      'MN 1',
      'MN\u00a01',
      'e\u0301',
      '\u3164',
      '\u2800',
      'x\uE000',
      'A\u00ADB',
    ]) {
      expect([id, idPattern.test(id)]).toEqual([id, license.safeParse(id).success]);
    }
    const completedOn = trainingSchema.shape.completedOn;
    const datePattern = new RegExp(schema.$defs.Training.properties.completedOn.pattern, 'u');
    for (const d of [
      '1900-01-01',
      '2026-03-02',
      '2200-12-31',
      '1899-12-31',
      '2201-01-01',
      '9999-12-31',
      '0001-01-01',
    ]) {
      expect([d, datePattern.test(d)]).toEqual([d, completedOn.safeParse(d).success]);
    }
  });
});

describe('JSON roster', () => {
  it('given the valid fixture, then absent optionals come out as null, false or [] and dates as YYYY-MM-DD', () => {
    const roster = ok(json(validRoster()));
    expect(roster.agencies[1]).toEqual({
      id: 'MN0240000',
      name: "Freeborn County Sheriff's Office",
      chief: { name: 'Sheriff Kurt Freitag', email: null },
      escalationEmails: [],
    });
    expect(roster.officers[2]!.email).toBeNull();
    expect(roster.assignments[2]).toEqual({
      license: '23456',
      districtId: 'CHTR4001',
      school: null,
      role: 'REGULAR',
      startDate: '2025-08-25',
      endDate: null,
      trainingUnavailable: false,
    });
    expect(roster.districts[1]!.contacts).toHaveLength(1);
  });

  it('given an empty object, then every section is empty (an agency without a chief is legal too)', () => {
    const roster = ok(json({}));
    expect(roster.officers).toEqual([]);
    expect(ok(json({ agencies: [{ id: 'A1', name: 'No Chief PD' }] })).agencies[0]!.chief).toBeNull();
  });

  it('given a UTF-8 BOM, then it is ignored', () => {
    expect(ok(parseJsonRoster(`\uFEFF${JSON.stringify(validRoster())}`, 'roster.json')).officers).toHaveLength(3);
  });

  it('given surrounding spaces in ids and names, then they are dropped', () => {
    const r = validRoster();
    rows(r, 'officers')[0]!.license = ' 12345 ';
    rows(r, 'officers')[0]!.firstName = 'Dana ';
    const roster = ok(json(r));
    expect(roster.officers[0]).toMatchObject({ license: '12345', firstName: 'Dana' });
  });

  it('given invalid JSON syntax, then the error names the file and the line', () => {
    expect(errorsOf(parseJsonRoster('{\n  "officers": [\n    { "license": "1", }\n  ]\n}', 'roster.json'))).toEqual([
      {
        code: 'INVALID_JSON',
        file: 'roster.json',
        row: null,
        field: null,
        message: 'is not valid JSON: Expected double-quoted property name at line 3, column 23',
      },
    ]);
    expect(errorsOf(parseJsonRoster('{"officers": [', 'r.json'))[0]).toMatchObject({
      code: 'INVALID_JSON',
      file: 'r.json',
    });
    const [big] = errorsOf(parseJsonRoster(`{"a": tru, "pad": "${'x'.repeat(5000)}"}`, 'r.json'));
    expect(big!.message.length).toBeLessThan(200); // V8 would quote the whole file
  });

  it('given a list instead of an object, then it says what a roster is', () => {
    expect(errorsOf(json([]))[0]).toMatchObject({ code: 'INVALID_VALUE', file: 'roster.json', row: null, field: null });
  });

  it('given a date that is not on the calendar (2026-02-30), then it is rejected with its row and field', () => {
    const r = validRoster();
    rows(r, 'assignments')[1]!.startDate = '2026-02-30';
    expect(errorsOf(json(r))).toEqual([
      {
        code: 'INVALID_VALUE',
        file: 'roster.json',
        row: 2,
        field: 'assignments[1].startDate',
        message: '"2026-02-30" is not a calendar date (YYYY-MM-DD)',
      },
    ]);
  });

  it.each([['2026-2-3'], ['2026-02-03T00:00:00Z'], ['03/02/2026'], ['2025-02-29'], ['']])(
    'given the date %j, then it is rejected',
    (date) => {
      const r = validRoster();
      rows(r, 'contactDays')[0]!.date = date;
      expect(errorsOf(json(r))).toEqual([
        {
          code: 'INVALID_VALUE',
          file: 'roster.json',
          row: 1,
          field: 'contactDays[0].date',
          message: `${JSON.stringify(date)} is not a calendar date (YYYY-MM-DD)`,
        },
      ]);
    },
  );

  it('given 2028-02-29 (a leap day), then it is accepted', () => {
    const r = validRoster();
    rows(r, 'contactDays')[0]!.date = '2028-02-29';
    expect(ok(json(r)).contactDays[0]!.date).toBe('2028-02-29');
  });

  it('given an unknown training kind, then the error lists the kinds', () => {
    const r = validRoster();
    rows(r, 'trainings')[0]!.kind = 'SRO_BASIC';
    expect(errorsOf(json(r))).toEqual([
      {
        code: 'INVALID_VALUE',
        file: 'roster.json',
        row: 1,
        field: 'trainings[0].kind',
        message: '"SRO_BASIC" is not one of SRO_MANDATED, SRO_SUPPLEMENTAL, LEGACY_BASIC_SSC, LEGACY_BASIC_NASRO',
      },
    ]);
  });

  it.each([['bob@'], ['bob'], ['bob@example'], [' bob@example.org'], ['bob@exa mple.org'], ['a@b.co\r\nBcc: x@y.org']])(
    'given the e-mail %j, then it is rejected',
    (email) => {
      const r = validRoster();
      rows(r, 'officers')[1]!.email = email;
      expect(errorsOf(json(r))).toEqual([
        {
          code: 'INVALID_VALUE',
          file: 'roster.json',
          row: 2,
          field: 'officers[1].email',
          message: `${JSON.stringify(email)} is not an e-mail address`,
        },
      ]);
    },
  );

  it('given bad addresses in a chief, an escalation list and a district contact, then each is named by its path', () => {
    const r = validRoster();
    rows(r, 'agencies')[0]!.chief = { name: 'Chief', email: 'chief@' };
    rows(r, 'agencies')[0]!.escalationEmails = ['ok@agency.example', 'nope'];
    (rows(r, 'districts')[0]!.contacts as Row[])[1]!.email = 'super@@isd241.example';
    expect(errorsOf(json(r)).map((e) => [e.row, e.field])).toEqual([
      [1, 'agencies[0].chief.email'],
      [1, 'agencies[0].escalationEmails[1]'],
      [1, 'districts[0].contacts[1].email'],
    ]);
  });

  it('given a line break or a tab inside a name or an id, then it is rejected', () => {
    const r = validRoster();
    rows(r, 'officers')[0]!.lastName = 'Olson\nBcc: everyone';
    rows(r, 'districts')[1]!.id = 'CHTR\t4001';
    expect(errorsOf(json(r))).toEqual([
      {
        code: 'INVALID_VALUE',
        file: 'roster.json',
        row: 2,
        field: 'districts[1].id',
        message:
          '"CHTR\\t4001" contains a control character (U+0009 at position 5); line breaks, tabs and other control characters are not allowed',
      },
      {
        code: 'INVALID_VALUE',
        file: 'roster.json',
        row: 1,
        field: 'officers[0].lastName',
        message:
          '"Olson\\nBcc: everyone" contains a control character (U+000A at position 6); line breaks, tabs and other control characters are not allowed',
      },
    ]);
  });

  it('given over-long values, then they are rejected', () => {
    const r = validRoster();
    rows(r, 'officers')[0]!.license = '9'.repeat(65);
    rows(r, 'officers')[1]!.firstName = 'M'.repeat(201);
    expect(errorsOf(json(r)).map((e) => [e.field, e.message])).toEqual([
      ['officers[0].license', 'is longer than 64 characters'],
      ['officers[1].firstName', 'is longer than 200 characters'],
    ]);
  });

  it('given a missing required field, an empty name and a wrong type, then each says what is expected', () => {
    const r = validRoster();
    delete rows(r, 'officers')[0]!.agencyId;
    rows(r, 'officers')[1]!.lastName = '  ';
    rows(r, 'trainings')[0]!.certificateOnFile = 'yes';
    expect(errorsOf(json(r)).map((e) => [e.field, e.message])).toEqual([
      ['officers[0].agencyId', 'is required'],
      ['officers[1].lastName', 'must not be empty'],
      ['trainings[0].certificateOnFile', 'expected true or false, got the text "yes"'],
    ]);
  });

  it('given a misspelt field or section, then it is an unknown-field error (not silently ignored)', () => {
    const r = validRoster();
    rows(r, 'officers')[2]!.emial = 'jo@example.org';
    r.oficers = [];
    expect(errorsOf(json(r))).toEqual([
      {
        code: 'UNKNOWN_FIELD',
        file: 'roster.json',
        row: null,
        field: 'oficers',
        message:
          'unknown section "oficers" (the sections are agencies, districts, officers, assignments, trainings, policyReviews, contactDays)',
      },
      {
        code: 'UNKNOWN_FIELD',
        file: 'roster.json',
        row: 3,
        field: 'officers[2].emial',
        message: 'unknown field "emial"',
      },
    ]);
  });

  it('given an end date before the start date, then the end date is rejected', () => {
    const r = validRoster();
    rows(r, 'assignments')[1]!.endDate = '2024-08-25';
    expect(errorsOf(json(r))).toEqual([
      {
        code: 'INVALID_VALUE',
        file: 'roster.json',
        row: 2,
        field: 'assignments[1].endDate',
        message: '2024-08-25 is before the start date 2024-08-26',
      },
    ]);
  });

  it('given duplicate natural keys in every section, then every duplicate is reported naming both rows', () => {
    const r = validRoster();
    const dup = (section: string, i: number, patch: Row = {}) =>
      rows(r, section).push({ ...rows(r, section)[i], ...patch });
    dup('agencies', 0, { name: 'Other name, same id' });
    dup('districts', 1, { contacts: [] });
    dup('officers', 0);
    dup('officers', 0, { license: ' 12345' }); // the same license once spaces are dropped
    dup('assignments', 2, { school: 'Different school, same key' });
    dup('trainings', 1, { certificateOnFile: true });
    dup('policyReviews', 1);
    dup('contactDays', 2);
    (rows(r, 'districts')[0]!.contacts as Row[]).push({
      name: 'Pat Again',
      email: 'sro-liaison@isd241.example',
      role: 'PRIMARY',
    });
    expect(errorsOf(json(r)).map(formatRosterError)).toEqual([
      'roster.json:3: agencies[2].id: duplicate agency id "MN0240100": same as agencies[0]',
      'roster.json:1: districts[0].contacts[2]: duplicate district contact (district "ISD241", e-mail "sro-liaison@isd241.example", role "PRIMARY"): same as districts[0].contacts[0]',
      'roster.json:3: districts[2].id: duplicate district id "CHTR4001": same as districts[1]',
      'roster.json:4: officers[3].license: duplicate officer license "12345": same as officers[0]',
      'roster.json:5: officers[4].license: duplicate officer license "12345": same as officers[0]',
      'roster.json:5: assignments[4]: duplicate assignment (license "23456", district "CHTR4001", start date "2025-08-25"): same as assignments[2]',
      'roster.json:3: trainings[2]: duplicate training (license "23456", kind "SRO_MANDATED", completed on "2026-01-20"): same as trainings[1]',
      'roster.json:3: policyReviews[2]: duplicate policy review (license "34567", agency "MN0240000", reviewed on "2025-09-03"): same as policyReviews[1]',
      'roster.json:4: contactDays[3]: duplicate contact day (license "34567", district "CHTR4001", date "2025-09-10"): same as contactDays[2]',
    ]);
    expect(errorsOf(json(r)).every((e) => e.code === 'DUPLICATE_KEY')).toBe(true);
  });

  it('given a roster with three distinct errors, then all three are reported, by section and row', () => {
    const roster = JSON.parse(readFileSync(join(FIXTURES, 'three-errors.json'), 'utf8'));
    expect(errorsOf(parseJsonRoster(JSON.stringify(roster), 'three-errors.json')).map(formatRosterError)).toEqual([
      'three-errors.json:2: officers[1].email: "miguel.reyes@" is not an e-mail address',
      'three-errors.json:1: assignments[0].startDate: "2026-02-30" is not a calendar date (YYYY-MM-DD)',
      'three-errors.json:1: trainings[0].kind: "SRO_BASIC" is not one of SRO_MANDATED, SRO_SUPPLEMENTAL, LEGACY_BASIC_SSC, LEGACY_BASIC_NASRO',
    ]);
  });

  it('given a roster object built in code, then rosterSchema.parse gives the same roster as the JSON reader', () => {
    expect(rosterSchema.parse(validRoster())).toEqual(ok(json(validRoster())));
  });
});

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

  it('given a BOM before the header, then the first column is still recognised', () => {
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
