// A roster's CSV files (INTERFACE.md "Roster: CSV folder"): one file per section, header
// row required, UTF-8 with or without BOM, snake_case columns. Each record is converted to
// the JSON roster's shape and validated by the same zod schemas (csv-stream.ts); every
// problem is mapped back to the file, the physical line where the record starts, and the
// column. The folder as a whole is csv-folder.ts's.
//
// Choices where INTERFACE.md is silent:
// - District contacts (district_contacts.csv) must name a district listed in districts.csv,
//   because in the roster's shape contacts belong to their district.
// - Header names are matched after trimming and lower-casing; cells are trimmed; an empty
//   cell is an absent value; rows whose cells are all empty are skipped (spreadsheet
//   exports leave them); enum cells (kind, role) are upper-cased.
// - Unknown columns are errors, so a typo cannot silently drop a column; the import refuses
//   to let --replace empty a section only because its file is absent, unless told to with
//   allowEmpty.
// - `training_unavailable`, `certificate_on_file` and `non_school_day` take true/false/yes/no/empty, any case.
// - Dates take M/D/YYYY (8/15/2025, 08/15/2025), as spreadsheets write them (INTERFACE.md
//   "Imports that say everything at once"), beside YYYY-MM-DD; a JSON roster takes YYYY-MM-DD.
import { parseCivilDate } from '../domain/civil-date.ts';
import { plural } from '../domain/plural.ts';
import { quote } from '../shell/quote.ts';
import type { RosterSection } from './schema.ts';
import { type LocatedError, type RosterLocation, type RosterPath, located, sectionOrder } from './validate.ts';

export type CsvFileKey = RosterSection | 'districtContacts';

type CellKind = 'text' | 'enum' | 'flag' | 'list' | 'date';

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
      req('start_date', 'date'),
      opt('end_date', 'date'),
      opt('training_unavailable', 'flag'),
    ],
  },
  {
    key: 'trainings',
    file: 'trainings.csv',
    columns: [
      req('license'),
      req('kind', 'enum'),
      req('completed_on', 'date'),
      opt('certificate_on_file', 'flag'),
      opt('course_number'),
      opt('provider'),
    ],
  },
  {
    key: 'policyReviews',
    file: 'policy_reviews.csv',
    columns: [req('license'), req('agency_id'), req('reviewed_on', 'date')],
  },
  {
    key: 'contactDays',
    file: 'contact_days.csv',
    columns: [req('license'), req('district_id'), req('date', 'date'), opt('non_school_day', 'flag')],
  },
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

const SPREADSHEET_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * A date cell written with slashes as the day it names (8/15/2025 → 2025-08-15), null when it
 * names none (2/30/2025, 8/15/25); undefined for a cell without slashes (YYYY-MM-DD, or a
 * typo the schema names).
 */
function spreadsheetDate(cell: string): string | null | undefined {
  if (!cell.includes('/')) return undefined;
  const m = SPREADSHEET_DATE.exec(cell);
  if (m === null) return null;
  const day = `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  return parseCivilDate(day) === null ? null : day;
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

export interface ParsedRow {
  line: number;
  cells: Map<string, string>;
}

/** csv-parse's options for a roster file. */
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

/**
 * One CSV row in the JSON roster's field names; an empty cell leaves the field out. A cell
 * refused here (in `errors`) is not refused again by the schema: its field is left to this
 * error (csv-stream.ts, and the test oracle, drop the schema's at the same column).
 */
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
      case 'date': {
        const day = spreadsheetDate(cell);
        // A cell that names no day keeps what was written (so no "is required" follows), and
        // is refused here in the CSV file's words: the schema's own refusal of it gives way.
        out[field] = day ?? cell;
        if (day === null) {
          const where = { file: spec.file, row: row.line, field: col.name, order };
          errors.push(
            located('INVALID_VALUE', where, `${quote(cell)} is not a calendar date (M/D/YYYY or YYYY-MM-DD)`),
          );
        }
        break;
      }
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
