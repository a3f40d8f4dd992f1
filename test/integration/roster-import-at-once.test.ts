// INTERFACE.md "Imports that say everything at once" (issue 20 item 5), through `sro import` as an
// operator runs it: one run lists every problem of a roster (field errors, duplicate keys and
// references to an agency, district or officer neither the roster nor the database holds),
// CSV dates may be written M/D/YYYY, and a dry run lists who would be created, changed (the
// fields, before and after) and deleted, per section. Real PostgreSQL, a database of this
// file's own, holding the valid fixture roster before each case.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatRosterError } from '../../src/roster/load.ts';
import { type TestDatabase, createTestDatabase, databaseFingerprint, queryRows } from '../helpers/db.ts';
import { importRosterPath } from '../helpers/roster-import.ts';
import { runSro } from '../helpers/sro-cli.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rosters');

let t: TestDatabase;
let scratch: string;
let folders = 0;

beforeAll(async () => {
  t = await createTestDatabase('import_at_once');
  scratch = await mkdtemp(join(tmpdir(), 'sro-import-at-once-'));
});
afterAll(async () => {
  await t?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  const r = await importRosterPath(t.url, join(FIXTURES, 'valid.json'), { replace: true });
  expect(r.ok ? [] : r.errors.map(formatRosterError)).toEqual([]);
});

/** A copy of the valid CSV folder, each file named in `edits` as its function makes it (null: the file left out). */
async function csvFolder(edits: Record<string, (text: string) => string | Buffer | null> = {}): Promise<string> {
  const dir = join(scratch, `roster-${++folders}`);
  await cp(join(FIXTURES, 'valid-csv'), dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const made = edit(await readFile(join(dir, file), 'utf8'));
    if (made === null) await rm(join(dir, file));
    else await writeFile(join(dir, file), made);
  }
  return dir;
}

async function jsonRoster(name: string, roster: object): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, JSON.stringify(roster, null, 2));
  return path;
}

/** `sro import ARGS --json` on this file's database. */
const sro = (args: string[]) => runSro(['import', ...args, '--json'], {}, { base: { DATABASE_URL: t.url } });

const sql = <T = Record<string, unknown>>(text: string) => queryRows<T>(t.url, text);

/** The lines `sro import` wrote to stderr as errors (FILE:ROW: FIELD: problem), without the summary. */
const errorLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('error: ') && !/ errors?[ ;]/.test(l.slice(7, 30)))
    .map((l) => l.slice('error: '.length));

describe('one run lists every problem of a roster', () => {
  it('given officers.csv with a bad e-mail, an unknown agency and a duplicate license, then sro import lists all three, each FILE:ROW: FIELD: problem, and writes nothing', async () => {
    const before = await databaseFingerprint(t.url);
    const dir = await csvFolder({
      'officers.csv': (text) =>
        `${text}45678,Pat,Lund,pat@,MN0240100\n56789,Lee,Berg,,MN9999999\n12345,Dana,Again,,MN0240100\n`,
    });
    const run = await sro([dir]);
    expect(run.code, run.stderr).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      'officers.csv:5: email: "pat@" is not an e-mail address',
      'officers.csv:6: agency_id: no agency "MN9999999" in the roster or the database',
      'officers.csv:7: license: duplicate officer license "12345": same as line 2',
    ]);
    expect(run.stderr).toContain('error: 3 errors; nothing was imported');
    const json = JSON.parse(run.stdout) as { errors: { code: string }[]; totalErrors: number };
    expect(json.errors.map((e) => e.code)).toEqual(['INVALID_VALUE', 'DANGLING_REFERENCE', 'DUPLICATE_KEY']);
    expect(json.totalErrors).toBe(3);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });

  it('given one officer with both a bad e-mail and an unknown agency, then both are named; a reference whose own value is wrong is named once, by that', async () => {
    const before = await databaseFingerprint(t.url);
    const path = await jsonRoster('two-in-a-row.json', {
      officers: [{ license: 'L1', firstName: 'Ana', lastName: 'Lund', email: 'ana@', agencyId: 'NOWHERE' }],
      assignments: [{ license: 'L 2', districtId: 'ISD999', role: 'REGULAR', startDate: '2025-09-02' }],
    });
    const run = await sro([path]);
    expect(run.code, run.stderr).toBe(1);
    const lines = errorLines(run.stderr);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('two-in-a-row.json:1: officers[0].email: "ana@" is not an e-mail address');
    expect(lines[1]).toBe(
      'two-in-a-row.json:1: officers[0].agencyId: no agency "NOWHERE" in the roster or the database',
    );
    expect(lines[2]).toMatch(/^two-in-a-row\.json:1: assignments\[0\]\.license: "L 2" contains a space/);
    expect(lines[3]).toBe(
      'two-in-a-row.json:1: assignments[0].districtId: no district "ISD999" in the roster or the database',
    );
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });

  it('given a file that cannot be read, then its error and the other files\u2019 are listed, and nothing refers to its rows as unknown', async () => {
    const dir = await csvFolder({
      'officers.csv': (text) => Buffer.from(text.replace('Reyes', 'Nu\u00f1ez'), 'latin1'),
      'trainings.csv': (text) => text.replace('LEGACY_BASIC_NASRO', 'SRO_BASIC'),
    });
    const r = await importRosterPath(t.url, dir, { replace: false });
    if (r.ok) throw new Error('expected the import to be refused');
    expect(r.errors.map((e) => [e.code, e.file, e.row, e.field])).toEqual([
      ['NOT_UTF8', 'officers.csv', 3, null],
      ['INVALID_VALUE', 'trainings.csv', 2, 'kind'],
    ]);
  });

  it('given an officer row with a cell too many, then it is named, and references to other sections are still checked', async () => {
    const dir = await csvFolder({
      'officers.csv': (text) => text.replace('23456,Miguel,Reyes,,MN0240100', '23456,Miguel,Reyes,,MN0240100,extra'),
      'contact_days.csv': (text) => text.replace('34567,CHTR4001,2025-09-10', '34567,ISD999,2025-09-10'),
    });
    const r = await importRosterPath(t.url, dir, { replace: false });
    if (r.ok) throw new Error('expected the import to be refused');
    expect(r.errors.map(formatRosterError)).toEqual([
      'officers.csv:3: has 6 cells but the header has 5 columns (a comma inside a value needs "quotes")',
      'contact_days.csv:5: district_id: no district "ISD999" in the roster or the database',
    ]);
  });

  it('given --replace without agencies.csv and a bad e-mail, then the missing file, the e-mail and the references are listed together', async () => {
    const before = await databaseFingerprint(t.url);
    const dir = await csvFolder({
      'agencies.csv': () => null,
      'officers.csv': (text) => text.replace('dana.olson@albertlea-pd.example', 'dana.olson@'),
    });
    const run = await sro([dir, '--replace']);
    expect(run.code, run.stderr).toBe(1);
    const lines = errorLines(run.stderr);
    expect(lines[0]).toBe(
      'agencies.csv: is not in the folder, so --replace would delete all 2 agencies in the database (section agencies); add the file (a header row alone empties the section), or pass --allow-empty agencies to empty it',
    );
    expect(lines).toContain('officers.csv:2: email: "dana.olson@" is not an e-mail address');
    expect(lines).toContain(
      'officers.csv:2: agency_id: no agency "MN0240100" in the roster (with --replace, everything referenced must be in the roster)',
    );
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });
});

describe('CSV dates as spreadsheets write them', () => {
  it('given start dates 10/1/2025 and 08/26/2024 in assignments.csv, then they are imported as those days', async () => {
    const dir = await csvFolder({
      'assignments.csv': (text) => text.replace('2025-10-01', '10/1/2025').replace('2024-08-26', '08/26/2024'),
    });
    const r = await importRosterPath(t.url, dir, { replace: true });
    expect(r.ok ? r.counts.assignments : r.errors.map(formatRosterError)).toEqual({
      created: 0,
      updated: 0,
      unchanged: 4,
      deleted: 0,
    });
    expect(
      await sql(`SELECT license, start_date::text FROM assignment WHERE district_id = 'ISD241' ORDER BY license`),
    ).toEqual([
      { license: '12345', start_date: '2025-10-01' },
      { license: '23456', start_date: '2024-08-26' },
    ]);
  });

  it('given 2/30/2025, then its line and column are named once, with what was written, and nothing is written', async () => {
    const before = await databaseFingerprint(t.url);
    const dir = await csvFolder({ 'assignments.csv': (text) => text.replace('2025-10-01', '2/30/2025') });
    const run = await sro([dir]);
    expect(run.code, run.stderr).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      'assignments.csv:2: start_date: "2/30/2025" is not a calendar date (M/D/YYYY or YYYY-MM-DD)',
    ]);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });
});

interface Listed {
  key: unknown;
  name?: string;
  fields?: Record<string, [unknown, unknown]>;
}
interface Changes {
  created: Listed[];
  updated: Listed[];
  deleted: Listed[];
  unlisted: { created: number; updated: number; deleted: number };
}
const none = { created: 0, updated: 0, deleted: 0 };

describe('a dry run lists the changes', () => {
  it('given a folder that adds, changes and drops officers, and lists a CONSOLE training, then --dry-run --json names each, with the fields before and after, and writes nothing', async () => {
    await sql(`UPDATE training SET source = 'CONSOLE' WHERE license = '23456' AND kind = 'SRO_MANDATED'`);
    const before = await databaseFingerprint(t.url);
    const without34567 = (text: string) =>
      text
        .split('\n')
        .filter((l) => !l.startsWith('34567,'))
        .join('\n');
    const dir = await csvFolder({
      'officers.csv': (text) =>
        `${without34567(text).replace('dana.olson@albertlea-pd.example', 'dana@albertlea-pd.example')}45678,Pat,Lund,,MN0240100\n`,
      'assignments.csv': without34567,
      'policy_reviews.csv': without34567,
      'contact_days.csv': without34567,
    });
    const run = await sro([dir, '--replace', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      dryRun: boolean;
      counts: Record<string, unknown>;
      changes: Record<string, Changes>;
    };
    expect(out.dryRun).toBe(true);
    expect(out.counts.officers).toEqual({ created: 1, updated: 1, unchanged: 1, deleted: 1 });
    expect(out.changes.officers).toEqual({
      created: [{ key: '45678', name: 'Pat Lund' }],
      updated: [
        {
          key: '12345',
          name: 'Dana Olson',
          fields: { email: ['dana.olson@albertlea-pd.example', 'dana@albertlea-pd.example'] },
        },
      ],
      deleted: [{ key: '34567', name: 'Jo Lindqvist' }],
      unlisted: none,
    });
    expect(out.changes.assignments!.deleted).toEqual([
      { key: { license: '34567', districtId: 'CHTR4001', startDate: '2025-09-02' } },
    ]);
    expect(out.changes.contactDays!.deleted.map((d) => d.key)).toEqual(
      ['2025-09-08', '2025-09-09', '2025-09-10'].map((date) => ({ license: '34567', districtId: 'CHTR4001', date })),
    );
    expect(out.changes.trainings).toEqual({
      created: [],
      updated: [
        {
          key: { license: '23456', kind: 'SRO_MANDATED', completedOn: '2026-01-20' },
          fields: { source: ['CONSOLE', 'ROSTER'] },
        },
      ],
      deleted: [],
      unlisted: none,
    });
    expect(out.changes.agencies).toEqual({ created: [], updated: [], deleted: [], unlisted: none });
    expect(Object.keys(out.changes)).toEqual(Object.keys(out.counts));
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });

  it('given a district whose contact changes name and a chief e-mail added, then the fields are named as the roster names them', async () => {
    const dir = await csvFolder({
      'agencies.csv': (text) =>
        text.replace('Sheriff Kurt Freitag,,', 'Sheriff Kurt Freitag,sheriff@freeborn.example,'),
      'district_contacts.csv': (text) => text.replace('Pat Liaison', 'Pat Liaison-Berg'),
    });
    const r = await importRosterPath(t.url, dir, { replace: false, dryRun: true });
    if (!r.ok || !r.changes) throw new Error('expected a dry run with its changes');
    expect(r.changes.agencies.updated).toEqual([
      {
        key: 'MN0240000',
        name: "Freeborn County Sheriff's Office",
        fields: { chiefEmail: [null, 'sheriff@freeborn.example'] },
      },
    ]);
    expect(r.changes.districtContacts.updated).toEqual([
      {
        key: { districtId: 'ISD241', email: 'sro-liaison@isd241.example', role: 'PRIMARY' },
        name: 'Pat Liaison-Berg',
        fields: { name: ['Pat Liaison', 'Pat Liaison-Berg'] },
      },
    ]);
  });

  it('given 1,005 new officers, then the first 1,000 in license order are listed, and the 5 others counted', async () => {
    const licenses = Array.from({ length: 1005 }, (_, i) => `C${String(i + 1).padStart(4, '0')}`);
    const dir = await csvFolder({
      // Written in reverse: the list is in key order, not file order.
      'officers.csv': (text) =>
        `${text}${[...licenses]
          .reverse()
          .map((l) => `${l},Ana,Lund,,MN0240100\n`)
          .join('')}`,
    });
    const r = await importRosterPath(t.url, dir, { replace: false, dryRun: true });
    if (!r.ok || !r.changes) throw new Error('expected a dry run with its changes');
    expect(r.counts.officers.created).toBe(1005);
    expect(r.changes.officers.created.map((o) => o.key)).toEqual(licenses.slice(0, 1000));
    expect(r.changes.officers.unlisted).toEqual({ created: 5, updated: 0, deleted: 0 });
  });
});
