// The test oracle: a roster read whole into memory and validated there, as `sro import` did
// before it streamed (issue 15). The import itself reads while it stages (src/roster/load.ts
// openRosterFeed, then importFeed), and nothing under src/ reads a roster this way any more
// (issue 19): the tests that check the format's rules without a database, and the one that
// compares the streamed readers with these (roster-import-scale), use it. A file is decoded
// into one string, so a file over MAX_ROSTER_FILE_BYTES is refused here (TOO_LARGE).
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import {
  CSV_FILES,
  CSV_NOT_UTF8,
  CSV_OPTIONS,
  FILE_OF,
  type FileSpec,
  type ParsedRow,
  checkHeader,
  checkRecord,
  columnOf,
  fileOrder,
  lineBreaks,
  toObject,
} from '../../src/roster/csv.ts';
import { folderErrors, scanCsvFolder } from '../../src/roster/csv-folder.ts';
import { csvParseProblem } from '../../src/roster/csv-parse-errors.ts';
import { ROSTER_SECTIONS, type Roster, type RosterSection } from '../../src/roster/schema.ts';
import {
  type AbsentFile,
  type LocatedError,
  type RosterError,
  type RosterLocation,
  type RosterLocator,
  type RosterPath,
  jsonLocator,
  located,
  sortedErrors,
} from '../../src/roster/validate.ts';
import { quote } from '../../src/shell/quote.ts';
import {
  MAX_ROSTER_FILE_BYTES,
  TOO_LARGE,
  type ValidationResult,
  tooLargeMessage,
  validateRosterInput,
  withAbsentFiles,
} from './roster-validate.ts';

export { MAX_ROSTER_FILE_BYTES } from './roster-validate.ts';

export type LoadResult = ({ ok: true; roster: Roster } | { ok: false; errors: RosterError[] }) & {
  /** What was left out without being an error (a CSV folder's entries that are not *.csv files), one message each. */
  warnings?: string[];
};

function failure(code: RosterError['code'], file: string, message: string): LoadResult {
  return { ok: false, errors: [{ code, file, row: null, field: null, message }] };
}

/** Line and column (1-based) of character `offset` in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * A roster from the text of a JSON file; `file` names it in errors (see RosterError for
 * what row and field mean in a JSON file).
 */
export function parseJsonRoster(content: string | Uint8Array, file: string): LoadResult {
  if (typeof content !== 'string' && content.length > MAX_ROSTER_FILE_BYTES)
    return failure(TOO_LARGE, file, tooLargeMessage(content.length));
  let text: string;
  try {
    text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch (cause) {
    // The decoder throws a TypeError for bytes that are not UTF-8, and nothing else is that.
    if (!(cause instanceof TypeError)) return failure('UNREADABLE', file, `cannot be read as text (${String(cause)})`);
    return failure('NOT_UTF8', file, 'is not UTF-8 text; JSON files must be UTF-8');
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1); // editors on Windows add a BOM
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (cause) {
    // V8 quotes the whole input in some messages; keep the problem, drop the quote.
    let problem = String((cause as Error).message ?? cause)
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/^Unexpected end of JSON input$/, 'the file ends before the JSON does (a missing "}" or "]"?)');
    const at = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(problem);
    if (at) {
      const where = lineAndColumn(text, Number(at[1]));
      problem = `${problem.slice(0, at.index)} at line ${where.line}, column ${where.column}`;
    }
    if (text.trim() === '') problem = 'is empty; a roster is a JSON object such as {"officers": []}';
    return {
      ok: false,
      errors: [{ code: 'INVALID_JSON', file, row: null, field: null, message: `is not valid JSON: ${problem}` }],
    };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return failure('INVALID_VALUE', file, 'must be a JSON object with the sections agencies, districts, officers, …');
  }
  return validateRosterInput(input, jsonLocator(file));
}

/**
 * Loads the roster at `path`: a `.json` file or a folder of CSV files. Never throws for a
 * bad roster or a bad path; every problem found is in `errors`.
 */
export async function loadRoster(path: string): Promise<LoadResult> {
  let kind: 'file' | 'folder' | 'other';
  let size = 0;
  try {
    const s = await stat(path);
    kind = s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other';
    size = s.size;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return failure(
      'UNREADABLE',
      path,
      code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? String(cause)})`,
    );
  }
  try {
    if (kind === 'folder') return await readCsvRoster(path);
    const ext = extname(path).toLowerCase();
    if (kind === 'file' && ext === '.json') {
      // Before reading: a file too large to decode would otherwise be read whole, then fail.
      if (size > MAX_ROSTER_FILE_BYTES) return failure(TOO_LARGE, basename(path), tooLargeMessage(size));
      return parseJsonRoster(await readFile(path), basename(path));
    }
    if (kind === 'file' && ext === '.csv') {
      return failure(
        'UNSUPPORTED_PATH',
        path,
        'is one CSV file; pass the folder that holds the roster\u2019s CSV files (agencies.csv, officers.csv, …)',
      );
    }
    return failure('UNSUPPORTED_PATH', path, 'is neither a .json file nor a folder of CSV files');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return failure('UNREADABLE', path, `cannot be read (${code ?? String(cause)})`);
  }
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
      errors.push(located(bytes.length > MAX_ROSTER_FILE_BYTES ? TOO_LARGE : 'UNREADABLE', where(null, null), message));
      return null;
    }
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const bad = lossy.indexOf('\uFFFD');
    const line = bad < 0 ? null : lossy.slice(0, bad).split('\n').length;
    errors.push(located('NOT_UTF8', where(line, null), CSV_NOT_UTF8));
    return null;
  }
}

/** The header's column names (trimmed, lower case), or null when even the header does not parse. */
function headerNamesOf(text: string): string[] | null {
  try {
    const [header] = parse(text, { ...CSV_OPTIONS, info: false, to: 1 }) as unknown[];
    return Array.isArray(header) ? header.map((h: string) => h.trim().toLowerCase()) : null;
  } catch {
    return null;
  }
}

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
    // Worded as the streamed import words it (a stray quote with its column).
    errors.push(csvParseProblem(cause as CsvError, where, headerNamesOf(text)));
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

/**
 * A roster from the contents of a folder's *.csv files, by file name (pure: the caller reads
 * the files). `folder` names the folder in errors about the folder itself; `earlier` holds
 * the problems the caller met reading the folder (they are listed with the others), among
 * them, when `folderChecked`, the folder's own (csv-folder.ts folderErrors).
 */
export function parseCsvRoster(
  files: ReadonlyMap<string, string | Uint8Array>,
  folder: string,
  earlier: readonly LocatedError[] = [],
  folderChecked = false,
): ValidationResult {
  const errors: LocatedError[] = [
    ...earlier,
    ...(folderChecked ? [] : folderErrors(files.keys(), folder, earlier.length === 0)),
  ];
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

/**
 * Reads every *.csv file of `folder` (through symbolic links) and parses them as a roster.
 * Entries that are not *.csv files are left out, each named in `warnings`.
 */
async function readCsvRoster(folder: string): Promise<ValidationResult & { warnings: string[] }> {
  const scanned = await scanCsvFolder(folder);
  const errors = [...scanned.errors];
  const files = new Map<string, Uint8Array>();
  for (const [name, path] of scanned.files) {
    const fail = (code: RosterError['code'], message: string) =>
      errors.push(located(code, { file: name, row: null, field: null, order: -1 }, message));
    try {
      // Only a file read whole into one string has a limit; the import streams and has none.
      const { size } = await stat(path);
      if (size > MAX_ROSTER_FILE_BYTES) fail(TOO_LARGE, tooLargeMessage(size));
      else files.set(name, await readFile(path));
    } catch (cause) {
      fail('UNREADABLE', `cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`);
    }
  }
  return { ...parseCsvRoster(files, folder, errors, true), warnings: scanned.warnings };
}
