// `sro import` of a CSV folder that csv-parse cannot read (issue 19, security 6): a stray
// quote in an unquoted cell (24102,Maria,O"Hara,…) used to leave the import waiting for ever
// inside COPY … FROM STDIN, its transaction holding the import lock. Every csv-parse error is
// now the file's one FILE:ROW: FIELD: problem line, exit 1, nothing written, within seconds;
// and the lock is free for the next import.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createTestDatabase, databaseFingerprint, queryRows } from '../helpers/db.ts';
import { runSro } from '../helpers/sro-cli.ts';

const VALID_CSV = join(import.meta.dirname, '..', 'fixtures', 'rosters', 'valid-csv');
/** Line 3 of the fixture's officers.csv. */
const MIGUEL = '23456,Miguel,Reyes,,MN0240100';
/** Well past a bug's wait, well above a real run's second. */
const BOUND_MS = 20_000;

let t: TestDatabase;
let tmp: string;
let folders = 0;

beforeAll(async () => {
  t = await createTestDatabase('csv_parse_errors');
  tmp = await mkdtemp(join(tmpdir(), 'sro-csv-errors-'));
  const first = await runSro(['import', VALID_CSV], { DATABASE_URL: t.url });
  expect(first.code, first.stderr).toBe(0);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await t?.drop();
});

/** The valid folder with `file` replaced by what `edit` makes of its text (or by bytes). */
async function folderWith(file: string, edit: (text: string) => string | Buffer): Promise<string> {
  const dir = join(tmp, `roster-${++folders}`);
  await cp(VALID_CSV, dir, { recursive: true });
  await writeFile(join(dir, file), edit(await readFile(join(dir, file), 'utf8')));
  return dir;
}

const replaceMiguel = (row: string) => (text: string) => {
  expect(text).toContain(MIGUEL);
  return text.replace(MIGUEL, row);
};

/** Each csv-parse error this roster's files can raise, and the error line `sro import` prints. */
const CASES: { name: string; file: string; edit: (text: string) => string | Buffer; error: RegExp }[] = [
  {
    name: 'a quote inside an unquoted cell (INVALID_OPENING_QUOTE)',
    file: 'officers.csv',
    edit: replaceMiguel('23456,Miguel,O"Reyes,,MN0240100'),
    error:
      /^error: officers\.csv:3: last_name: is not valid CSV: a quote \("\) inside a cell that does not start with one; put the whole cell in double quotes and double each quote inside it, as in "O""Hara"$/m,
  },
  {
    name: 'a quote at the end of an unquoted cell (INVALID_OPENING_QUOTE)',
    file: 'officers.csv',
    edit: replaceMiguel('23456,Miguel,Reyes",,MN0240100'),
    error: /^error: officers\.csv:3: last_name: is not valid CSV: a quote \("\) inside a cell/m,
  },
  {
    name: 'a quoted cell with an undoubled quote inside (CSV_INVALID_CLOSING_QUOTE)',
    file: 'officers.csv',
    edit: replaceMiguel('23456,Miguel,"O"Reyes",,MN0240100'),
    error:
      /^error: officers\.csv:3: last_name: is not valid CSV: a quoted cell goes on after its closing quote; put the whole cell in double quotes/m,
  },
  {
    name: 'a space after a closing quote (CSV_INVALID_CLOSING_QUOTE)',
    file: 'officers.csv',
    edit: replaceMiguel('23456,Miguel,"Reyes" ,,MN0240100'),
    error: /^error: officers\.csv:3: last_name: is not valid CSV: a quoted cell goes on after its closing quote/m,
  },
  {
    name: 'a quote opened and never closed (CSV_QUOTE_NOT_CLOSED)',
    file: 'officers.csv',
    edit: replaceMiguel('23456,Miguel,"Reyes,,MN0240100'),
    error: /^error: officers\.csv:\d+: is not valid CSV: a quoted cell is still open at the end of the file/m,
  },
  {
    name: 'a stray quote in the header row',
    file: 'officers.csv',
    edit: (text) => text.replace('last_name', 'last"name'),
    error: /^error: officers\.csv:1: is not valid CSV: a quote \("\) inside a cell/m,
  },
  {
    name: 'a row of more cells than the header (CSV_RECORD_INCONSISTENT_FIELDS_LENGTH in a strict parser)',
    file: 'officers.csv',
    edit: replaceMiguel('23456,Miguel,Reyes,,MN0240100,extra'),
    error: /^error: officers\.csv:3: /m,
  },
  {
    name: 'a row with no line end for over a million characters (CSV_MAX_RECORD_SIZE)',
    file: 'officers.csv',
    edit: replaceMiguel(`23456,Miguel,${'R'.repeat(1_100_000)}`),
    error: /^error: officers\.csv:3: is not valid CSV: a row runs past 1048576 characters without ending/m,
  },
  {
    name: 'Latin-1 bytes (not UTF-8)',
    file: 'officers.csv',
    edit: (text) => Buffer.from(text.replace('Reyes', 'Nuñez'), 'latin1'),
    error: /^error: officers\.csv:3: is not UTF-8 text; save it as "CSV UTF-8"/m,
  },
  {
    name: 'a stray quote on the last of 30,000 contact days (the COPY well under way)',
    file: 'contact_days.csv',
    edit: (text) => {
      const [header] = text.split(/\r?\n/);
      const rows = Array.from({ length: 30_000 }, (_, i) => {
        const day = new Date(Date.UTC(2025, 8, 2) + i * 86_400_000).toISOString().slice(0, 10);
        return `12345,ISD241,${day}`;
      });
      rows[rows.length - 1] = '12345,ISD"241,2027-01-01';
      return `${header}\n${rows.join('\n')}\n`;
    },
    error: /^error: contact_days\.csv:30001: district_id: is not valid CSV: a quote \("\) inside a cell/m,
  },
];

describe('sro import of a CSV folder csv-parse cannot read', () => {
  it.each(CASES)('$name: exit 1 with the error list, within seconds, nothing written', async (c) => {
    const dir = await folderWith(c.file, c.edit);
    const before = await databaseFingerprint(t.url);
    const run = await runSro(['import', dir], { DATABASE_URL: t.url }, { timeout: BOUND_MS });
    expect(run.ms).toBeLessThan(BOUND_MS);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(c.error);
    expect(run.stderr).toMatch(/nothing was imported$/m);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });

  it('leaves no transaction open and the import lock free: the next import runs at once', async () => {
    const stray = await folderWith('officers.csv', replaceMiguel('23456,Miguel,O"Reyes,,MN0240100'));
    expect((await runSro(['import', stray], { DATABASE_URL: t.url }, { timeout: BOUND_MS })).code).toBe(1);
    const open = await queryRows<{ n: number }>(
      t.url,
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
    );
    expect(open[0]!.n).toBe(0);
    const fixed = await folderWith('officers.csv', replaceMiguel('23456,Miguel,"O""Reyes",,MN0240100'));
    const run = await runSro(['import', fixed, '--json'], { DATABASE_URL: t.url }, { timeout: BOUND_MS });
    expect(run.code, run.stderr).toBe(0);
    const [miguel] = await queryRows<{ last_name: string }>(
      t.url,
      `SELECT last_name FROM officer WHERE license = '23456'`,
    );
    expect(miguel!.last_name).toBe('O"Reyes');
  });
});
