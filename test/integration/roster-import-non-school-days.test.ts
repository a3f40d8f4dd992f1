// RULES.md 9 through the roster import (INTERFACE.md "Roster: CSV folder", "Roster: JSON",
// "Imports that say everything at once"): a contact day on a Saturday, Sunday, legal holiday
// or a day its district lists without school is an error naming file, row and field, listed
// with the roster's other problems, unless the row says `non_school_day` (JSON
// `nonSchoolDay`) true. Real PostgreSQL, a database of this file's own, holding the valid
// fixture roster before each case.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatRosterError } from '../../src/roster/load.ts';
import { type TestDatabase, createTestDatabase, databaseFingerprint, queryRows } from '../helpers/db.ts';
import { importRosterPath } from '../helpers/roster-import.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rosters');

let t: TestDatabase;
let scratch: string;
let made = 0;

beforeAll(async () => {
  t = await createTestDatabase('import_non_school');
  scratch = await mkdtemp(join(tmpdir(), 'sro-import-non-school-'));
});
afterAll(async () => {
  await t?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  await queryRows(t.url, 'DELETE FROM district_non_school_day');
  const r = await importRosterPath(t.url, join(FIXTURES, 'valid.json'), { replace: true });
  expect(r.ok ? [] : r.errors.map(formatRosterError)).toEqual([]);
});

/** The valid CSV folder with contact_days.csv as given. */
async function csvFolder(contactDays: string): Promise<string> {
  const dir = join(scratch, `roster-${++made}`);
  await cp(join(FIXTURES, 'valid-csv'), dir, { recursive: true });
  await writeFile(join(dir, 'contact_days.csv'), contactDays);
  return dir;
}

/** The valid JSON roster with its contact days as given. */
async function jsonRoster(contactDays: object[]): Promise<string> {
  const roster = JSON.parse(await readFile(join(FIXTURES, 'valid.json'), 'utf8')) as Record<string, unknown>;
  const path = join(scratch, `roster-${++made}.json`);
  await writeFile(path, JSON.stringify({ ...roster, contactDays }, null, 2));
  return path;
}

const errorsOf = async (path: string) => {
  const r = await importRosterPath(t.url, path, { replace: false });
  return r.ok ? [] : r.errors.map(formatRosterError);
};

const storedDays = async () =>
  (
    await queryRows<{ date: string }>(
      t.url,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM contact_day WHERE license = '34567' ORDER BY date`,
    )
  ).map((r) => r.date);

const HINT = 'if the officer did serve that day, set non_school_day to true in the row (JSON: "nonSchoolDay": true)';

describe('RULES.md 9: a CSV contact day on a weekend or holiday', () => {
  it('given a Saturday, a legal holiday (M/D/YYYY) and a bad license in contact_days.csv, then all are listed with file, line and column, and nothing is written', async () => {
    const before = await databaseFingerprint(t.url);
    const dir = await csvFolder(
      'license,district_id,date\n34567,CHTR4001,2025-09-08\n34567,CHTR4001,2026-12-05\n34567,CHTR4001,12/25/2026\n 34 567,CHTR4001,2026-12-26\n',
    );
    expect(await errorsOf(dir)).toEqual([
      `contact_days.csv:3: date: Saturday 2026-12-05 is not a school day; ${HINT}`,
      `contact_days.csv:4: date: Friday 2026-12-25 is Christmas Day, a legal holiday, not a school day; ${HINT}`,
      expect.stringMatching(/^contact_days\.csv:5: license: .* contains a space/),
      `contact_days.csv:5: date: Saturday 2026-12-26 is not a school day; ${HINT}`,
    ]);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });

  it('given the same days with non_school_day true (yes, TRUE), then they are imported; false is refused like an empty cell', async () => {
    const ok = await csvFolder(
      'license,district_id,date,non_school_day\n34567,CHTR4001,2026-12-04,\n34567,CHTR4001,2026-12-05,true\n34567,CHTR4001,12/25/2026,YES\n',
    );
    expect(await errorsOf(ok)).toEqual([]);
    expect(await storedDays()).toEqual([
      '2025-09-08',
      '2025-09-09',
      '2025-09-10',
      '2026-12-04',
      '2026-12-05',
      '2026-12-25',
    ]);
    const refused = await csvFolder('license,district_id,date,non_school_day\n34567,CHTR4001,2026-12-06,false\n');
    expect(await errorsOf(refused)).toEqual([
      `contact_days.csv:2: date: Sunday 2026-12-06 is not a school day; ${HINT}`,
    ]);
  });
});

describe('RULES.md 9: a JSON contact day on a weekend or holiday', () => {
  it('given a Sunday and an observed holiday, then each is named by its row and JSON path', async () => {
    const path = await jsonRoster([
      { license: '34567', districtId: 'CHTR4001', date: '2026-12-07' },
      { license: '34567', districtId: 'CHTR4001', date: '2026-12-06' },
      { license: '34567', districtId: 'CHTR4001', date: '2026-07-03' },
    ]);
    const file = path.split('/').pop()!;
    expect(await errorsOf(path)).toEqual([
      `${file}:2: contactDays[1].date: Sunday 2026-12-06 is not a school day; ${HINT}`,
      `${file}:3: contactDays[2].date: Friday 2026-07-03 is Independence Day (observed), a legal holiday, not a school day; ${HINT}`,
    ]);
  });

  it('given "nonSchoolDay": true on those rows, then they are imported', async () => {
    const path = await jsonRoster([
      { license: '34567', districtId: 'CHTR4001', date: '2026-12-06', nonSchoolDay: true },
      { license: '34567', districtId: 'CHTR4001', date: '2026-07-03', nonSchoolDay: true },
    ]);
    expect(await errorsOf(path)).toEqual([]);
    expect(await storedDays()).toContain('2026-12-06');
  });
});

describe("RULES.md 9: the district's own day without school", () => {
  it('given a weekday CHTR4001 lists without school, then the row is refused naming it, with the roster other errors; confirmed, it imports', async () => {
    await queryRows(
      t.url,
      `INSERT INTO district_non_school_day (district_id, date) VALUES ('CHTR4001', '2026-12-28'), ('ISD241', '2026-12-29')`,
    );
    const before = await databaseFingerprint(t.url);
    const dir = await csvFolder(
      'license,district_id,date\n34567,CHTR4001,2026-12-28\n34567,CHTR4001,2026-12-29\n34567,CHTR4001,2026-12-05\n',
    );
    const name = (await queryRows<{ name: string }>(t.url, `SELECT name FROM district WHERE id = 'CHTR4001'`))[0]!.name;
    expect(await errorsOf(dir)).toEqual([
      `contact_days.csv:2: date: Monday 2026-12-28 is a day without school in ${name}; ${HINT}`,
      `contact_days.csv:4: date: Saturday 2026-12-05 is not a school day; ${HINT}`,
    ]);
    expect(await databaseFingerprint(t.url)).toEqual(before);
    const confirmed = await csvFolder('license,district_id,date,non_school_day\n34567,CHTR4001,2026-12-28,true\n');
    expect(await errorsOf(confirmed)).toEqual([]);
    expect(await storedDays()).toContain('2026-12-28');
  });
});
