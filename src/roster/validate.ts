// What JSON and CSV rosters share after parsing: the error type, the map from a position in
// the roster (a path such as ['officers', 3, 'email']) back to a file, row and field, row
// validation with messages a clerk can act on, and how a duplicate natural key is worded.
import type { z } from 'zod';
import { escapeUnseen, quote } from '../shell/quote.ts';
import { ROSTER_SECTIONS, type RosterSection } from './schema.ts';

export type RosterErrorCode =
  /** A value fails the schema (bad date, not an e-mail, unknown enum value, required field missing). */
  | 'INVALID_VALUE'
  /** A field or section the format does not have (usually a typo). */
  | 'UNKNOWN_FIELD'
  /** Two rows with the same natural key. */
  | 'DUPLICATE_KEY'
  /** A reference to an agency, district or officer that is neither in the roster nor (without --replace) in the database. */
  | 'DANGLING_REFERENCE'
  | 'INVALID_JSON'
  | 'CSV_SYNTAX'
  | 'NOT_UTF8'
  | 'MISSING_HEADER'
  | 'MISSING_COLUMN'
  | 'UNKNOWN_COLUMN'
  | 'DUPLICATE_COLUMN'
  /** A CSV row with more or fewer cells than the header. */
  | 'FIELD_COUNT'
  /** A .csv file in the roster folder whose name is not a section. */
  | 'UNKNOWN_FILE'
  | 'NO_ROSTER_FILES'
  | 'UNREADABLE'
  | 'UNSUPPORTED_PATH'
  /** With --replace, a CSV folder lacks the file of a section the database holds rows of (see --allow-empty). */
  | 'ABSENT_FILE'
  /** With --replace, an officer the roster lacks holds facts recorded in the console (RULES.md 7: an import never deletes them). */
  | 'HOLDS_CONSOLE_FACTS';

/**
 * One problem with a roster.
 *
 * CSV: `file` is the file name (officers.csv), `row` the physical line number where the
 * record starts (the header is line 1), `field` the column (first_name).
 * JSON: `file` is the file name (roster.json), `row` the 1-based position within its
 * section (the 4th officer is row 4), `field` the JSON path with 0-based indexes, as jq and
 * JavaScript write it (officers[3].email).
 * `row` and `field` are null when the problem is not about one row or field (bad JSON
 * syntax, a missing column).
 */
export interface RosterError {
  code: RosterErrorCode;
  file: string;
  row: number | null;
  field: string | null;
  message: string;
}

/** `officers.csv:4: email: "bob@" is not an e-mail address`; FILE[:ROW]: [FIELD: ]message. */
export function formatRosterError(e: RosterError): string {
  // File and column names come from the folder and the header: what does not show is escaped.
  return `${escapeUnseen(e.file)}${e.row === null ? '' : `:${e.row}`}: ${e.field === null ? '' : `${escapeUnseen(e.field)}: `}${e.message}`;
}

export type RosterPath = readonly PropertyKey[];

export interface RosterLocation {
  file: string;
  row: number | null;
  field: string | null;
  /** Sort key: errors are listed by section, then row. */
  order: number;
}

/** Where a position in the roster object came from. */
export interface RosterLocator {
  locate(path: RosterPath): RosterLocation;
  /** Names another row in a message ("same as line 3", "same as officers[1]"). */
  describe(path: RosterPath): string;
}

/** An error with its sort key. */
export interface LocatedError {
  order: number;
  error: RosterError;
}

export function located(code: RosterErrorCode, where: RosterLocation, message: string): LocatedError {
  return { order: where.order, error: { code, file: where.file, row: where.row, field: where.field, message } };
}

/** Sorted by section and row; errors at the same place keep the order they were found in. */
export function sortedErrors(errors: readonly LocatedError[]): RosterError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.order - b.e.order || a.i - b.i)
    .map(({ e }) => e.error);
}

export function sectionOrder(section: unknown): number {
  const i = ROSTER_SECTIONS.indexOf(section as RosterSection);
  return i < 0 ? -1 : i;
}

/** `officers[3].email`, `districts[0].contacts[1].role`, `["odd key"]`. */
function formatPath(path: RosterPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${quote(String(seg))}]`;
  }
  return out;
}

/** Positions in a JSON roster file (see RosterError). */
export function jsonLocator(file: string): RosterLocator {
  return {
    locate(path) {
      const [section, index] = path;
      const order = sectionOrder(section) * 1e9 + (typeof index === 'number' ? index + 1 : 0);
      return {
        file,
        row: typeof index === 'number' ? index + 1 : null,
        field: path.length === 0 ? null : formatPath(path),
        order,
      };
    },
    describe(path) {
      return formatPath(path);
    },
  };
}

/** A section whose CSV file was not in the folder (INTERFACE.md: "A missing file is an empty section"). */
export interface AbsentFile {
  /** The section as the import counts it: a roster section, or districtContacts. */
  section: RosterSection | 'districtContacts';
  file: string;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the text ${quote(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  number: 'a number',
};

// Messages for the issues whose schema does not bring its own (schema.ts words dates,
// e-mails and control characters itself). The field is named by the location, not here,
// because JSON and CSV call it differently.
export function issueMessage(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'is required';
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describeValue(iss.input)}`;
    case 'invalid_value':
      return `${quote(iss.input)} is not one of ${iss.values.map(String).join(', ')}`;
    case 'too_small':
      return iss.origin === 'string' ? 'must not be empty' : `needs at least ${iss.minimum}`;
    case 'too_big':
      return iss.origin === 'string'
        ? `is longer than ${iss.maximum} characters`
        : `has more than ${iss.maximum} entries`;
    default:
      return undefined;
  }
}

export function issueErrors(issues: readonly z.core.$ZodIssue[], locator: RosterLocator): LocatedError[] {
  const out: LocatedError[] = [];
  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        const message =
          iss.path.length === 0
            ? `unknown section ${quote(key)} (the sections are ${ROSTER_SECTIONS.join(', ')})`
            : `unknown field ${quote(key)}`;
        out.push(located('UNKNOWN_FIELD', locator.locate([...iss.path, key]), message));
      }
    } else {
      out.push(located('INVALID_VALUE', locator.locate(iss.path), iss.message));
    }
  }
  return out;
}

const KEY_LABEL: Record<string, string> = {
  districtId: 'district',
  agencyId: 'agency',
  startDate: 'start date',
  completedOn: 'completed on',
  reviewedOn: 'reviewed on',
  email: 'e-mail',
};

/** `duplicate officer license "12345": same as officers[0]`; `earlier` names the first row with the key. */
export function duplicateMessage(
  what: string,
  fields: readonly string[],
  values: readonly string[],
  earlier: string,
): string {
  const described =
    fields.length === 1
      ? `${fields[0] === 'id' ? 'id' : (KEY_LABEL[fields[0]!] ?? fields[0])} ${quote(values[0])}`
      : `(${fields.map((f, i) => `${KEY_LABEL[f] ?? f} ${quote(values[i])}`).join(', ')})`;
  return `duplicate ${what} ${described}: same as ${earlier}`;
}

/**
 * Validates one row of a section with its schema (the same as the whole roster's), its issues
 * located at `prefix` (['officers', 3]) and after: what a streaming reader does row by row.
 * A row that fails names its fields with a problem too (`fields`: agencyId, email).
 */
export function validateRow<T>(
  schema: z.ZodType<T>,
  row: unknown,
  prefix: RosterPath,
  locator: RosterLocator,
): { ok: true; value: T } | { ok: false; errors: LocatedError[]; fields: string[] } {
  const parsed = schema.safeParse(row, { error: issueMessage });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((iss) => ({ ...iss, path: [...prefix, ...iss.path] }));
  // The row's own fields with a problem (an unknown field is the row's: its path is empty).
  const fields = new Set<string>();
  for (const iss of parsed.error.issues) if (typeof iss.path[0] === 'string') fields.add(iss.path[0]);
  return { ok: false, errors: issueErrors(issues as z.core.$ZodIssue[], locator), fields: [...fields] };
}
