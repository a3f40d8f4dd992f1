// Fuzzing the CSV roster's syntax itself (issue 19, security 6): a quote inside an unquoted
// cell (24102,Maria,O"Hara,…), an undoubled quote in a quoted cell, text after a closing
// quote, a quote never closed, a stray quote in a header, bytes that are not UTF-8, a row of
// too many cells and a row without end, in any file, row and column of valid.json written as
// a CSV folder. Each is an error list naming the file and the line (and the column where the
// cell is known), never a hang: through the import `sro import` runs (the streaming reader
// staging by COPY), through `sro import` itself, and through the console's upload. The
// database is unchanged and the import lock free after each.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFeed } from '../../src/roster/import.ts';
import { openRosterFeed } from '../../src/roster/load.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { ADMIN } from '../helpers/console-fixtures.ts';
import { databaseFingerprint, queryRows } from '../helpers/db.ts';
import {
  CSV_SPEC,
  type CsvStyle,
  type RosterDoc,
  csvCell,
  csvFolderWriter,
  csvStyle,
  importValid,
  readValid,
} from '../helpers/roster-fuzz.ts';
import { runSro } from '../helpers/sro-cli.ts';

/** Well past a real run's second; a hang shows as this, not as a test timeout. */
const BOUND_MS = 15_000;

let rig: ConsoleRig;
let admin: WebClient;
let tmp: string;
let valid: RosterDoc;
let before: Record<string, string>;
const writeCsvFolder = csvFolderWriter(() => tmp);

beforeAll(async () => {
  rig = await startConsoleRig('roster-fuzz-csv-parse', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
  tmp = await mkdtemp(join(tmpdir(), 'sro-roster-fuzz-csv-parse-'));
  valid = await readValid();
  await importValid(rig.database.url);
  before = await databaseFingerprint(rig.database.url);
  admin = await rig.signIn(ADMIN);
});
afterAll(async () => {
  await rig?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** What csv-parse (or the reader around it) cannot read, put into one cell, row or header. */
type Break =
  | { kind: 'quoteInside'; before: string; after: string } // INVALID_OPENING_QUOTE: O"Hara, Hara"
  | { kind: 'spaceBeforeQuote'; text: string } // INVALID_OPENING_QUOTE:  "Hara"
  | { kind: 'undoubledQuote'; before: string; after: string } // CSV_INVALID_CLOSING_QUOTE: "O"Hara"
  | { kind: 'textAfterClosingQuote'; text: string; tail: string } // CSV_INVALID_CLOSING_QUOTE: "Hara" x
  | { kind: 'neverClosed'; text: string } // CSV_QUOTE_NOT_CLOSED: "Hara,…
  | { kind: 'headerQuote' } // INVALID_OPENING_QUOTE on line 1
  | { kind: 'notUtf8' } // Latin-1 bytes
  | { kind: 'extraCell' } // CSV_RECORD_INCONSISTENT_FIELDS_LENGTH in a strict parser: FIELD_COUNT here
  | { kind: 'noLineEnd' }; // CSV_MAX_RECORD_SIZE

const word = fc.stringMatching(/^[A-Za-z][A-Za-z .']{0,10}$/);
const csvBreak: fc.Arbitrary<Break> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('quoteInside' as const),
      before: word,
      after: fc.stringMatching(/^[A-Za-z .']{0,8}$/),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('spaceBeforeQuote' as const), text: word }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('undoubledQuote' as const), before: word, after: word }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('textAfterClosingQuote' as const),
      text: word,
      tail: fc.constantFrom(' ', 'x', ' Jr'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('neverClosed' as const), text: word }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'headerQuote' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'notUtf8' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'extraCell' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'noLineEnd' as const }) },
);

/** Where one break goes: a file of the folder, a data row of it, a column. */
const place = fc.record({
  file: fc.constantFrom(...Object.keys(CSV_SPEC)),
  row: fc.nat({ max: 99 }),
  column: fc.nat({ max: 99 }),
});

interface Reported {
  code: string;
  file: string;
  row: number | null;
  field: string | null;
}

interface Case {
  files: Record<string, string | Uint8Array>;
  /** The error that must be in the list. `row` null: any line at or after `atLeastRow`. */
  want: Reported & { atLeastRow?: number };
}

/** valid.json as a folder in `style`, with `brk` written into one cell, row or header of `file`. */
function corrupt(style: CsvStyle, brk: Break, at: { file: string; row: number; column: number }): Case {
  const files: Record<string, string | Uint8Array> = {};
  let want: Case['want'] | null = null;
  for (const [file, spec] of Object.entries(CSV_SPEC)) {
    const rows = spec.rows(valid);
    const lines = [spec.columns.map((c) => csvCell(c, style)), ...rows.map((r) => r.map((c) => csvCell(c, style)))];
    if (file === at.file) {
      expect(rows.length, `valid.json has no row for ${file}`).toBeGreaterThan(0);
      const i = 1 + (at.row % rows.length); // a data row: lines[0] is the header
      const j = at.column % spec.columns.length;
      const line = i + 1;
      const field = spec.columns[j]!;
      const cells = lines[i]!;
      switch (brk.kind) {
        case 'quoteInside':
          cells[j] = `${brk.before}"${brk.after}`;
          want = { code: 'CSV_SYNTAX', file, row: line, field };
          break;
        case 'spaceBeforeQuote':
          cells[j] = ` "${brk.text}"`;
          want = { code: 'CSV_SYNTAX', file, row: line, field };
          break;
        case 'undoubledQuote':
          cells[j] = `"${brk.before}"${brk.after}"`;
          want = { code: 'CSV_SYNTAX', file, row: line, field };
          break;
        case 'textAfterClosingQuote':
          cells[j] = `"${brk.text}"${brk.tail}`;
          want = { code: 'CSV_SYNTAX', file, row: line, field };
          break;
        case 'neverClosed':
          // The quote runs to the end of the file (a later quote may close it and fail there).
          cells[j] = `"${brk.text}`;
          want = { code: 'CSV_SYNTAX', file, row: null, field: null, atLeastRow: line };
          break;
        case 'headerQuote':
          lines[0]![j] = `${spec.columns[j]}"x`;
          want = { code: 'CSV_SYNTAX', file, row: 1, field: null };
          break;
        case 'notUtf8':
          cells[j] = '\u0000NOT-UTF8\u0000';
          want = { code: 'NOT_UTF8', file, row: line, field: null };
          break;
        case 'extraCell':
          cells.push('extra');
          want = { code: 'FIELD_COUNT', file, row: line, field: null };
          break;
        case 'noLineEnd':
          cells[j] = 'x'.repeat(1_100_000);
          want = { code: 'CSV_SYNTAX', file, row: line, field: null };
          break;
      }
    }
    const text = `${style.bom ? '\uFEFF' : ''}${lines.map((cells) => cells.join(',')).join(style.eol)}${style.eol}`;
    // Two bytes that are not UTF-8 in place of the marker, the rest UTF-8 as written.
    const [head, tail] = text.split('\u0000NOT-UTF8\u0000');
    files[file] =
      tail === undefined
        ? text
        : Buffer.concat([Buffer.from(head!, 'utf8'), Buffer.from([0xff, 0xfe]), Buffer.from(tail, 'utf8')]);
  }
  return { files, want: want! };
}

function expectReported(errors: readonly Reported[], want: Case['want'], context: string): void {
  expect(errors.length, context).toBeGreaterThan(0);
  // Every error is located (its file, and a line or a column); the break's own is among them.
  for (const e of errors) expect(e.file.endsWith('.csv') && (e.row !== null || e.field !== null), context).toBe(true);
  const found = errors.some(
    (e) =>
      e.code === want.code &&
      e.file === want.file &&
      (want.row === null ? (e.row ?? 0) >= (want.atLeastRow ?? 0) : e.row === want.row) &&
      (want.field === null || e.field === want.field),
  );
  expect(found, `${JSON.stringify(want)} not in ${JSON.stringify(errors)}\n${context}`).toBe(true);
}

/** Nothing written, no session of the database left inside a transaction, the import lock free. */
async function expectUntouched(): Promise<void> {
  expect(await databaseFingerprint(rig.database.url)).toEqual(before);
  const [busy] = await queryRows<{ n: number }>(
    rig.database.url,
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
  );
  expect(busy!.n).toBe(0);
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: the import hangs`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

describe('fuzz: csv-parse errors anywhere in a CSV roster folder end in an error list, never a hang', () => {
  it('through the import sro import runs (streaming reader, COPY): 60 folders', async () => {
    await fc.assert(
      fc.asyncProperty(csvStyle, csvBreak, place, async (style, brk, at) => {
        const c = corrupt(style, brk, at);
        const opened = await openRosterFeed(await writeCsvFolder(c.files));
        if (!opened.ok) throw new Error(JSON.stringify(opened.errors));
        const r = await within(BOUND_MS, importFeed(rig.database.url, opened.feed, { replace: false, lockWaitMs: 0 }));
        expect(r.ok).toBe(false);
        expectReported(r.ok ? [] : r.errors, c.want, JSON.stringify({ brk, at }));
        await expectUntouched();
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('through sro import FOLDER --json: exit 1 with the list, 8 folders', async () => {
    await fc.assert(
      fc.asyncProperty(csvStyle, csvBreak, place, async (style, brk, at) => {
        const c = corrupt(style, brk, at);
        const dir = await writeCsvFolder(c.files);
        const run = await runSro(['import', dir, '--json'], { DATABASE_URL: rig.database.url }, { timeout: BOUND_MS });
        expect(run.ms).toBeLessThan(BOUND_MS);
        expect(run.code, run.stderr).toBe(1);
        const { errors } = JSON.parse(run.stdout) as { errors: Reported[] };
        expectReported(errors, c.want, JSON.stringify({ brk, at }));
        await expectUntouched();
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('through POST /api/imports: 400 with {errors: [{file, row, field, problem}]}, 12 uploads', async () => {
    await fc.assert(
      fc.asyncProperty(csvStyle, csvBreak, place, async (style, brk, at) => {
        const c = corrupt(style, brk, at);
        const form = new FormData();
        for (const [name, bytes] of Object.entries(c.files)) form.append('roster', new Blob([bytes]), name);
        const token = await admin.csrfToken();
        const res = await fetch(new URL('/api/imports', rig.url), {
          method: 'POST',
          headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': token },
          body: form,
          signal: AbortSignal.timeout(BOUND_MS),
        });
        const body = (await res.json()) as { errors: (Reported & { problem: string })[] };
        expect(res.status, JSON.stringify(body)).toBe(400);
        for (const e of body.errors) expect(e.problem.length).toBeGreaterThan(0);
        expectReported(body.errors, c.want, JSON.stringify({ brk, at }));
        await expectUntouched();
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
