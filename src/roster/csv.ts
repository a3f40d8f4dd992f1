// A roster as a folder of CSV files (INTERFACE.md "Roster: CSV folder"): one file per
// section, header row required, UTF-8 with or without BOM, snake_case columns. Each file is
// converted to the JSON roster's shape and validated by the same zod schema; every problem
// is mapped back to the file, the physical line where the record starts, and the column.
//
// Choices where INTERFACE.md is silent:
// - District contacts (district_contacts.csv) must name a district listed in districts.csv,
//   because in the roster's shape contacts belong to their district.
// - Header names are matched after trimming and lower-casing; cells are trimmed; an empty
//   cell is an absent value; rows whose cells are all empty are skipped (spreadsheet
//   exports leave them); enum cells (kind, role) are upper-cased.
// - Unknown columns and unknown *.csv files are errors, so a typo cannot silently empty a
//   section (which --replace would then delete; importRoster also refuses to let --replace
//   empty a section only because its file is absent, unless told to with allowEmpty).
//   Entries that are not *.csv files are ignored, each named in a warning.
// - A *.csv entry that is a symbolic link is read through it (deploy tools and shared drives
//   make them); a link that is broken, loops, or leads to something other than a regular
//   file (a folder, a pipe) is an error naming it, as is a *.csv entry that is a folder.
// - `training_unavailable` and `certificate_on_file` take true/false/yes/no/empty, any case.
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { plural } from '../domain/plural.ts';
import { escapeUnseen, quote } from '../shell/quote.ts';
import { ROSTER_SECTIONS, type RosterSection } from './schema.ts';
import {
  type AbsentFile,
  type LocatedError,
  type RosterLocation,
  type RosterLocator,
  type RosterPath,
  type ValidationResult,
  located,
  sectionOrder,
  MAX_ROSTER_FILE_BYTES,
  sortedErrors,
  tooLargeMessage,
  validateRosterInput,
  withAbsentFiles,
} from './validate.ts';

export type CsvFileKey = RosterSection | 'districtContacts';

type CellKind = 'text' | 'enum' | 'flag' | 'list';

interface ColumnSpec {
  name: string;
  required: boolean;
  kind: CellKind;
}

export interface FileSpec {
  key: CsvFileKey;
  file: string;
  columns: readonly ColumnSpec[];
}

const req = (name: string, kind: CellKind = 'text'): ColumnSpec => ({ name, required: true, kind });
const opt = (name: string, kind: CellKind = 'text'): ColumnSpec => ({ name, required: false, kind });

/** The files of a roster folder, in the order they are read and reported. */
export const CSV_FILES: readonly FileSpec[] = [
  {
    key: 'agencies',
    file: 'agencies.csv',
    columns: [req('id'), req('name'), opt('chief_name'), opt('chief_email'), opt('escalation_emails', 'list')],
  },
  { key: 'districts', file: 'districts.csv', columns: [req('id'), req('name'), req('kind', 'enum')] },
  {
    key: 'districtContacts',
    file: 'district_contacts.csv',
    columns: [req('district_id'), req('name'), req('email'), req('role', 'enum')],
  },
  {
    key: 'officers',
    file: 'officers.csv',
    columns: [req('license'), req('first_name'), req('last_name'), opt('email'), req('agency_id')],
  },
  {
    key: 'assignments',
    file: 'assignments.csv',
    columns: [
      req('license'),
      req('district_id'),
      opt('school'),
      req('role', 'enum'),
      req('start_date'),
      opt('end_date'),
      opt('training_unavailable', 'flag'),
    ],
  },
  {
    key: 'trainings',
    file: 'trainings.csv',
    columns: [
      req('license'),
      req('kind', 'enum'),
      req('completed_on'),
      opt('certificate_on_file', 'flag'),
      opt('course_number'),
      opt('provider'),
    ],
  },
  { key: 'policyReviews', file: 'policy_reviews.csv', columns: [req('license'), req('agency_id'), req('reviewed_on')] },
  { key: 'contactDays', file: 'contact_days.csv', columns: [req('license'), req('district_id'), req('date')] },
];

export const FILE_OF: Record<CsvFileKey, string> = Object.fromEntries(CSV_FILES.map((f) => [f.key, f.file])) as Record<
  CsvFileKey,
  string
>;

/** Sort key of a file: its section's place, contacts right after districts. */
export function fileOrder(key: CsvFileKey): number {
  return key === 'districtContacts' ? sectionOrder('districts') + 0.5 : sectionOrder(key);
}

const camelCache = new Map<string, string>();
/** first_name → firstName (column names are few: remembered, a roster converts millions of cells). */
const snakeToCamel = (s: string) => {
  let out = camelCache.get(s);
  if (out === undefined) camelCache.set(s, (out = s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())));
  return out;
};
const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The column a path inside one row (['chief', 'email'], ['escalationEmails', 2]) came from. */
export function columnOf(rest: RosterPath): string | null {
  const [first, second] = rest;
  if (typeof first !== 'string') return null;
  if (first === 'chief') return second === 'email' ? 'chief_email' : 'chief_name';
  return camelToSnake(first);
}

/** 'true' | 'yes' → true, 'false' | 'no' → false, '' → absent; anything else is null (an error). */
function parseFlag(cell: string): boolean | undefined | null {
  switch (cell.toLowerCase()) {
    case '':
      return undefined;
    case 'true':
    case 'yes':
      return true;
    case 'false':
    case 'no':
      return false;
    default:
      return null;
  }
}

// A quoted cell may span lines, so a record starts on the line where it ends minus the line
// breaks inside its cells. Both are counted here the same way (CRLF, CR and LF each end one
// line, as editors show them): csv-parse's own `info.lines` counts a CRLF inside a quoted
// cell of an LF file as two lines, which put errors one line too low.
export function lineBreaks(cells: readonly string[]): number {
  let n = 0;
  for (const c of cells) n += c.match(/\r\n|\r|\n/g)?.length ?? 0;
  return n;
}

/** The line (1-based) on which a record ends, from csv-parse's `info.bytes` (UTF-8 bytes read so far, its delimiter included). Call with increasing offsets. */
function lineCounter(bytes: Uint8Array): (end: number) => number {
  let pos = 0;
  let breaks = 0;
  return (end) => {
    for (; pos < end && pos < bytes.length; pos++) {
      const b = bytes[pos];
      if (b === 0x0d || (b === 0x0a && bytes[pos - 1] !== 0x0d)) breaks++;
    }
    const last = bytes[Math.min(end, bytes.length) - 1];
    // The break that ends the record belongs to it; without one the record ends the file.
    return last === 0x0a || last === 0x0d ? breaks : breaks + 1;
  };
}

export interface ParsedRow {
  line: number;
  cells: Map<string, string>;
}

interface ParsedFile {
  rows: ParsedRow[];
}

function decode(
  bytes: Uint8Array,
  where: (row: number | null, field: string | null) => RosterLocation,
  errors: LocatedError[],
): string | null {
  try {
    // ignoreBOM keeps a BOM in the text; csv-parse's `bom` option removes it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    // The decoder throws a TypeError for bytes that are not UTF-8; anything else (a RangeError
    // for a text longer than V8 can hold) is not about the encoding.
    if (!(cause instanceof TypeError)) {
      const message =
        bytes.length > MAX_ROSTER_FILE_BYTES
          ? tooLargeMessage(bytes.length)
          : `cannot be read as text (${String(cause)})`;
      errors.push(
        located(bytes.length > MAX_ROSTER_FILE_BYTES ? 'TOO_LARGE' : 'UNREADABLE', where(null, null), message),
      );
      return null;
    }
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const bad = lossy.indexOf('\uFFFD');
    const line = bad < 0 ? null : lossy.slice(0, bad).split('\n').length;
    errors.push(located('NOT_UTF8', where(line, null), CSV_NOT_UTF8));
    return null;
  }
}

/** csv-parse's options for a roster file (sync and streaming alike). */
export const CSV_OPTIONS = {
  bom: true,
  info: true,
  relax_column_count: true,
  skip_empty_lines: true,
  // Every line ending: csv-parse otherwise takes it from the first line, and a CRLF file with
  // LF rows appended (one edited on Windows, then on a server) would merge those rows.
  record_delimiter: ['\r\n', '\n', '\r'],
};

/** `is not valid CSV: …` at the line csv-parse names. */
export function csvSyntaxError(
  cause: unknown,
  where: (row: number | null, field: string | null) => RosterLocation,
): LocatedError {
  const err = cause as { message?: string; lines?: number; code?: string };
  // A streamed file's bound on one record (csv-stream.ts MAX_CSV_RECORD_CHARS), in the user's words.
  const message =
    err.code === 'CSV_MAX_RECORD_SIZE'
      ? `a row runs past ${String(err.message).match(/ of (\d+)/)?.[1] ?? 'a million'} characters without ending (a roster row is a few hundred); is this a CSV file?`
      : String(err.message ?? cause).replace(/^Invalid Record Length: |^Quote Not Closed: /, '');
  return located(
    'CSV_SYNTAX',
    where(typeof err.lines === 'number' ? err.lines : null, null),
    `is not valid CSV: ${message}`,
  );
}

/** The message of a CSV file that is not UTF-8. */
export const CSV_NOT_UTF8 =
  'is not UTF-8 text; save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8 (Comma delimited))';

function parseFile(spec: FileSpec, content: string | Uint8Array, errors: LocatedError[]): ParsedFile {
  const order = fileOrder(spec.key) * 1e9;
  const where = (row: number | null, field: string | null): RosterLocation => ({
    file: spec.file,
    row,
    field,
    order: order + (row ?? 0),
  });
  const text = typeof content === 'string' ? content : decode(content, where, errors);
  if (text === null) return { rows: [] };

  let records: { record: string[]; info: { lines: number; bytes: number } }[];
  try {
    records = parse(text, CSV_OPTIONS) as unknown as typeof records;
  } catch (cause) {
    errors.push(csvSyntaxError(cause, where));
    return { rows: [] };
  }

  const header = records[0];
  if (header === undefined) {
    errors.push(
      located(
        'MISSING_HEADER',
        where(null, null),
        `is empty; it needs a header row (${spec.columns.map((c) => c.name).join(',')})`,
      ),
    );
    return { rows: [] };
  }
  const endLine = lineCounter(typeof content === 'string' ? new TextEncoder().encode(content) : content);
  const names = checkHeader(spec, header.record, endLine(header.info.bytes) - lineBreaks(header.record), where, errors);
  // With a header that cannot be trusted, cells would land in the wrong fields.
  if (names === null) return { rows: [] };

  const rows: ParsedRow[] = [];
  for (const { record, info } of records.slice(1)) {
    const row = checkRecord(record, endLine(info.bytes) - lineBreaks(record), names, where, errors);
    if (row !== null) rows.push(row);
  }
  return { rows };
}

/** The header's column names (trimmed, lower case), or null when it cannot be trusted (each problem in `errors`). */
export function checkHeader(
  spec: FileSpec,
  record: readonly string[],
  headerLine: number,
  where: (row: number | null, field: string | null) => RosterLocation,
  errors: LocatedError[],
): string[] | null {
  const names = record.map((h) => h.trim().toLowerCase());
  const known = new Map(spec.columns.map((c) => [c.name, c]));
  let headerOk = true;
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') {
      errors.push(located('UNKNOWN_COLUMN', where(headerLine, null), `column ${i + 1} of the header has no name`));
      headerOk = false;
    } else if (!known.has(name)) {
      const expected = spec.columns.map((c) => c.name).join(', ');
      errors.push(
        located(
          'UNKNOWN_COLUMN',
          where(headerLine, name),
          `unknown column ${quote(name)} in ${spec.file} (its columns are ${expected})`,
        ),
      );
      headerOk = false;
    } else if (seen.has(name)) {
      errors.push(
        located('DUPLICATE_COLUMN', where(headerLine, name), `column ${quote(name)} appears twice in the header`),
      );
      headerOk = false;
    }
    seen.add(name);
  });
  for (const col of spec.columns) {
    if (col.required && !seen.has(col.name)) {
      errors.push(
        located(
          'MISSING_COLUMN',
          where(headerLine, col.name),
          `${spec.file} has no column ${JSON.stringify(col.name)} in its header row`,
        ),
      );
      headerOk = false;
    }
  }
  return headerOk ? names : null;
}

/** A record after the header as a row of cells by column, or null: blank (skipped) or with the wrong cell count (an error). */
export function checkRecord(
  record: readonly string[],
  line: number,
  names: readonly string[],
  where: (row: number | null, field: string | null) => RosterLocation,
  errors: LocatedError[],
): ParsedRow | null {
  if (record.every((c) => c.trim() === '')) return null;
  if (record.length !== names.length) {
    errors.push(
      located(
        'FIELD_COUNT',
        where(line, null),
        `has ${plural(record.length, 'cell')} but the header has ${plural(names.length, 'column')} (a comma inside a value needs "quotes")`,
      ),
    );
    return null;
  }
  const cells = new Map<string, string>();
  names.forEach((name, i) => cells.set(name, (record[i] ?? '').trim()));
  return { line, cells };
}

/** One CSV row in the JSON roster's field names; an empty cell leaves the field out. */
export function toObject(spec: FileSpec, row: ParsedRow, errors: LocatedError[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const order = fileOrder(spec.key) * 1e9 + row.line;
  for (const col of spec.columns) {
    const cell = row.cells.get(col.name) ?? '';
    if (cell === '') continue;
    const field = snakeToCamel(col.name);
    switch (col.kind) {
      case 'text':
        out[field] = cell;
        break;
      case 'enum':
        out[field] = cell.toUpperCase();
        break;
      case 'list':
        out[field] = cell
          .split(';')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        break;
      case 'flag': {
        const v = parseFlag(cell);
        if (v === null) {
          const where = { file: spec.file, row: row.line, field: col.name, order };
          errors.push(located('INVALID_VALUE', where, `${quote(cell)} is not true, false, yes or no (or empty)`));
        } else if (v !== undefined) out[field] = v;
        break;
      }
      default: {
        const _exhaustive: never = col.kind;
        throw new Error(`unhandled column kind ${String(_exhaustive)}`);
      }
    }
  }
  if (spec.key === 'agencies') {
    const { chiefName, chiefEmail, ...rest } = out;
    if (chiefName !== undefined || chiefEmail !== undefined) rest.chief = { name: chiefName, email: chiefEmail };
    return rest;
  }
  return out;
}

function csvLocator(folder: string, lines: Map<RosterSection, number[]>, contactLines: number[][]): RosterLocator {
  const locate = (path: RosterPath): RosterLocation => {
    const [section, index, ...rest] = path;
    if (typeof section !== 'string' || !ROSTER_SECTIONS.includes(section as RosterSection)) {
      return { file: folder, row: null, field: null, order: -1 };
    }
    const key = section as RosterSection;
    if (key === 'districts' && typeof index === 'number' && rest[0] === 'contacts' && typeof rest[1] === 'number') {
      const row = contactLines[index]?.[rest[1]] ?? null;
      return {
        file: FILE_OF.districtContacts,
        row,
        field: columnOf(rest.slice(2)),
        order: fileOrder('districtContacts') * 1e9 + (row ?? 0),
      };
    }
    const row = typeof index === 'number' ? (lines.get(key)?.[index] ?? null) : null;
    return { file: FILE_OF[key], row, field: columnOf(rest), order: fileOrder(key) * 1e9 + (row ?? 0) };
  };
  return {
    locate,
    describe(path) {
      const at = locate(path);
      return at.row === null ? at.file : `line ${at.row}`;
    },
  };
}

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The roster file a mis-saved or misspelt name probably meant (trainings.xlsx, training.txt), if any. */
export function likelyRosterFile(name: string): string | null {
  const stem = name
    .toLowerCase()
    .replace(/^\.+/, '')
    .split('.')[0]!
    .replace(/[\s-]+/g, '_');
  let best: { file: string; d: number } | null = null;
  for (const f of CSV_FILES) {
    const d = distance(stem, f.file.slice(0, -'.csv'.length));
    if (d <= 2 && (best === null || d < best.d)) best = { file: f.file, d };
  }
  return best?.file ?? null;
}

export const ROSTER_FILE_LIST = CSV_FILES.map((f) => f.file).join(', ');

/**
 * A roster from the contents of a folder's *.csv files, by file name (pure: the caller reads
 * the files). `folder` names the folder in errors about the folder itself; `earlier` holds
 * the problems the caller met reading the folder (they are listed with the others).
 */
export function parseCsvRoster(
  files: ReadonlyMap<string, string | Uint8Array>,
  folder: string,
  earlier: readonly LocatedError[] = [],
): ValidationResult {
  const errors: LocatedError[] = [...earlier, ...folderErrors(files.keys(), folder, earlier.length === 0)];
  if (errors.some((e) => e.error.code === 'NO_ROSTER_FILES')) return { ok: false, errors: sortedErrors(errors) };

  const roster: Record<RosterSection, Record<string, unknown>[]> = {
    agencies: [],
    districts: [],
    officers: [],
    assignments: [],
    trainings: [],
    policyReviews: [],
    contactDays: [],
  };
  const lines = new Map<RosterSection, number[]>(ROSTER_SECTIONS.map((s) => [s, []]));
  const contactLines: number[][] = [];

  for (const spec of CSV_FILES) {
    const content = files.get(spec.file);
    if (content === undefined) continue; // a missing file is an empty section
    const { rows } = parseFile(spec, content, errors);
    if (spec.key === 'districtContacts') {
      addContacts(spec, rows, roster.districts, contactLines, errors);
      continue;
    }
    for (const row of rows) {
      const object = toObject(spec, row, errors);
      if (spec.key === 'districts') {
        object.contacts = [];
        contactLines.push([]);
      }
      roster[spec.key].push(object);
      lines.get(spec.key)!.push(row.line);
    }
  }
  const result = validateRosterInput(roster, csvLocator(folder, lines, contactLines), errors);
  if (!result.ok) return result;
  const absent: AbsentFile[] = CSV_FILES.filter((f) => !files.has(f.file)).map((f) => ({
    section: f.key,
    file: f.file,
  }));
  return { ok: true, roster: withAbsentFiles(result.roster, absent) };
}

function addContacts(
  spec: FileSpec,
  rows: readonly ParsedRow[],
  districts: Record<string, unknown>[],
  contactLines: number[][],
  errors: LocatedError[],
): void {
  const districtIndex = new Map<string, number>();
  districts.forEach((d, i) => {
    if (typeof d.id === 'string' && !districtIndex.has(d.id)) districtIndex.set(d.id, i);
  });
  for (const row of rows) {
    const { districtId, ...contact } = toObject(spec, row, errors);
    const where = { file: spec.file, row: row.line, field: 'district_id', order: fileOrder(spec.key) * 1e9 + row.line };
    if (typeof districtId !== 'string') {
      errors.push(located('INVALID_VALUE', where, 'is required'));
      continue;
    }
    const i = districtIndex.get(districtId);
    if (i === undefined) {
      errors.push(
        located(
          'DANGLING_REFERENCE',
          where,
          `no district ${quote(districtId)} in districts.csv (list the district there too: contacts are imported with their district)`,
        ),
      );
      continue;
    }
    (districts[i]!.contacts as unknown[]).push(contact);
    contactLines[i]!.push(row.line);
  }
}

/** What a folder entry that is not a roster file is, for the warning that it is ignored. */
export function entryKind(entry: Dirent): string {
  if (entry.isDirectory()) return 'folder';
  if (entry.isSymbolicLink()) return 'symbolic link';
  if (entry.isFile()) return 'file';
  return 'special file';
}

/** What a *.csv entry leads to when it is not a regular file. */
function notAFile(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isSocket()) return 'a socket';
  return 'a device';
}

/** Checks one *.csv entry of the folder, following a symbolic link: its path when it is a file that can be read, or null (the problem in `errors`). */
async function checkEntry(
  folder: string,
  entry: Dirent,
  errors: LocatedError[],
  maxBytes: number | null,
): Promise<string | null> {
  const path = join(folder, entry.name);
  const fail = (code: 'UNREADABLE' | 'TOO_LARGE', message: string) => {
    errors.push(located(code, { file: entry.name, row: null, field: null, order: -1 }, message));
    return null;
  };
  const link = entry.isSymbolicLink() ? await readlink(path).catch(() => null) : null;
  const linkTo = link === null ? 'is a symbolic link' : `is a symbolic link to ${quote(link)}`;
  let s: Stats;
  try {
    s = await stat(path); // follows links: a linked file is read like any other
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (entry.isSymbolicLink() && code === 'ENOENT')
      return fail(
        'UNREADABLE',
        `${linkTo}, which does not exist (a broken link); fix the link, or put the file itself in the folder`,
      );
    if (code === 'ELOOP')
      return fail('UNREADABLE', `${linkTo} that leads back to itself (a loop of links); fix the link`);
    return fail('UNREADABLE', `cannot be read (${code ?? String(cause)})`);
  }
  if (!s.isFile()) {
    const what = notAFile(s);
    return fail(
      'UNREADABLE',
      entry.isSymbolicLink() ? `${linkTo}, which is ${what}, not a file` : `is ${what}, not a file`,
    );
  }
  // Only a file read whole into one string has a limit (readCsvRoster); a streamed one has none.
  if (maxBytes !== null && s.size > maxBytes) return fail('TOO_LARGE', tooLargeMessage(s.size));
  return path;
}

/** Reads one *.csv entry of the folder, following a symbolic link; a problem is an error naming the file. */
async function readEntry(folder: string, entry: Dirent, errors: LocatedError[]): Promise<Uint8Array | null> {
  const path = await checkEntry(folder, entry, errors, MAX_ROSTER_FILE_BYTES);
  if (path === null) return null;
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    errors.push(
      located('UNREADABLE', { file: entry.name, row: null, field: null, order: -1 }, `cannot be read (${code})`),
    );
    return null;
  }
}

export interface CsvFolder {
  /** The folder's *.csv files that can be read, by name, with their paths. */
  files: Map<string, string>;
  /** What is wrong with the folder's entries (a broken link, a file too large, an unknown *.csv). */
  errors: LocatedError[];
  /** The entries that were ignored (not *.csv files), one message each. */
  warnings: string[];
}

/** Lists `folder` as a roster: its *.csv files (checked, not read), what is wrong with them, and what is ignored. */
export async function scanCsvFolder(folder: string): Promise<CsvFolder> {
  const files = new Map<string, string>();
  const errors: LocatedError[] = [];
  const warnings = await eachCsvEntry(folder, async (entry) => {
    const path = await checkEntry(folder, entry, errors, null); // streamed: any size
    if (path !== null) files.set(entry.name, path);
  });
  errors.push(...folderErrors(files.keys(), folder, errors.length === 0));
  return { files, errors, warnings };
}

/** Unknown *.csv files, and (when nothing else was wrong) a folder holding no roster file at all. */
export function folderErrors(names: Iterable<string>, folder: string, checkEmpty: boolean): LocatedError[] {
  const out: LocatedError[] = [];
  const byName = new Set(CSV_FILES.map((f) => f.file));
  let any = false;
  for (const name of names) {
    if (byName.has(name)) {
      any = true;
      continue;
    }
    out.push(
      located(
        'UNKNOWN_FILE',
        { file: name, row: null, field: null, order: -1 },
        `is not a roster file; a roster folder holds ${ROSTER_FILE_LIST} (rename the file, or move it out of the folder)`,
      ),
    );
  }
  if (checkEmpty && !any) {
    out.push(
      located(
        'NO_ROSTER_FILES',
        { file: folder, row: null, field: null, order: -1 },
        `holds none of ${CSV_FILES.map((f) => f.file).join(', ')}`,
      ),
    );
  }
  return out;
}

/**
 * Visits `folder`'s *.csv entries in name order, one at a time; returns the other entries,
 * which a roster folder ignores, one warning each.
 */
async function eachCsvEntry(folder: string, visit: (entry: Dirent) => Promise<void>): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const warnings: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.name.toLowerCase().endsWith('.csv')) {
      warnings.push(ignoredEntry(entry, entries));
      continue;
    }
    await visit(entry);
  }
  return warnings;
}

function ignoredEntry(entry: Dirent, entries: readonly Dirent[]): string {
  const meant = likelyRosterFile(entry.name);
  const hint =
    meant !== null && !entries.some((e) => e.name === meant)
      ? `; if it holds the ${meant.slice(0, -4).replace(/_/g, ' ')}, save it as ${meant}`
      : '';
  return `${escapeUnseen(entry.name)}: ignored: this ${entryKind(entry)} is not a *.csv file${hint} (a roster folder holds ${ROSTER_FILE_LIST})`;
}

export type CsvReadResult = ValidationResult & {
  /** The folder's entries that were ignored (not *.csv files), one message each. */
  warnings: string[];
};

/**
 * Reads every *.csv file of `folder` (through symbolic links) and parses them as a roster.
 * Entries that are not *.csv files are left out, each named in `warnings`.
 */
export async function readCsvRoster(folder: string): Promise<CsvReadResult> {
  const files = new Map<string, Uint8Array>();
  const errors: LocatedError[] = [];
  const warnings = await eachCsvEntry(folder, async (entry) => {
    const content = await readEntry(folder, entry, errors);
    if (content !== null) files.set(entry.name, content);
  });
  return { ...parseCsvRoster(files, folder, errors), warnings };
}
