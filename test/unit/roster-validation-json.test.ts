// Roster formats (INTERFACE.md "Roster: JSON", "Roster: CSV folder"): parsing and every kind
// of error, with the exact file, row and field a clerk is pointed at. Pure: no database, the
// roster read whole by the test oracle (test/oracle/roster-in-memory.ts), whose rules the
// streamed import shares (test/integration/roster-import-scale.test.ts compares the two).
// This file: the shipped JSON Schema and the JSON roster.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRosterError } from '../../src/roster/load.ts';
import { type LoadResult, parseJsonRoster } from '../oracle/roster-in-memory.ts';
import { officerSchema, renderRosterJsonSchema, rosterSchema, trainingSchema } from '../../src/roster/schema.ts';
import { ROOT, FIXTURES, errorsOf, ok } from '../helpers/roster-results.ts';

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
