// What JSON and CSV rosters share after parsing: the error type, the map from a position in
// the roster object (a path such as ['officers', 3, 'email']) back to a file, row and field,
// schema validation with messages a clerk can act on, and duplicate natural keys.
import { constants } from 'node:buffer';
import type { z } from 'zod';
import { escapeUnseen, quote } from '../shell/quote.ts';
import { ROSTER_SECTIONS, type Roster, type RosterSection, rosterSchema } from './schema.ts';

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
  /** A file larger than loadRoster can hold as text (MAX_ROSTER_FILE_BYTES); `sro import` streams, and has no limit. */
  | 'TOO_LARGE'
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

/**
 * The largest roster file (a .json file, or one .csv file of a folder) that loadRoster can
 * read (the whole roster in memory: tests, the demo; `sro import` streams and has no limit):
 * it decodes a file into one string, and V8 holds no string longer than this (2^29 - 24 UTF-16
 * units on 64-bit, just under 512 MiB). UTF-8 never decodes to more units than it has bytes,
 * so every file up to this size fits.
 */
export const MAX_ROSTER_FILE_BYTES: number = constants.MAX_STRING_LENGTH;

const MIB = 1024 * 1024;

/** `is 513.0 MiB (537919489 bytes); a roster file can be at most …`. */
export function tooLargeMessage(bytes: number): string {
  const limit =
    MAX_ROSTER_FILE_BYTES % MIB === 0
      ? `${MAX_ROSTER_FILE_BYTES / MIB} MiB`
      : `just under ${Math.ceil(MAX_ROSTER_FILE_BYTES / MIB)} MiB`;
  return (
    `is ${(bytes / MIB).toFixed(1)} MiB (${bytes} bytes); a roster file can be at most ${MAX_ROSTER_FILE_BYTES} bytes (${limit}, the longest text Node.js can hold); ` +
    'import the roster in parts (without --replace), or check that this is the right file'
  );
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
export function formatPath(path: RosterPath): string {
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

// The locator travels with the roster (a non-enumerable property, invisible to JSON and
// to spreading), so importRoster can name CSV lines in reference errors without every
// caller passing the source along. A roster built in code falls back to JSON paths.
const LOCATOR = Symbol('sro.roster.locator');

export function withLocator<T extends object>(roster: T, locator: RosterLocator): T {
  Object.defineProperty(roster, LOCATOR, { value: locator, enumerable: false });
  return roster;
}

export function locatorOf(roster: object): RosterLocator {
  return (roster as { [LOCATOR]?: RosterLocator })[LOCATOR] ?? jsonLocator('roster');
}

/** A section whose CSV file was not in the folder (INTERFACE.md: "A missing file is an empty section"). */
export interface AbsentFile {
  /** The section as importRoster counts it: a roster section, or districtContacts. */
  section: RosterSection | 'districtContacts';
  file: string;
}

// Which files a CSV folder lacked travels with the roster the same way, so that importRoster
// can refuse to let --replace empty a section only because its file is missing.
const ABSENT = Symbol('sro.roster.absentFiles');

export function withAbsentFiles<T extends object>(roster: T, absent: readonly AbsentFile[]): T {
  Object.defineProperty(roster, ABSENT, { value: absent, enumerable: false });
  return roster;
}

/** The sections a CSV folder had no file for; none for a JSON file or a roster built in code. */
export function absentFilesOf(roster: object): readonly AbsentFile[] {
  return (roster as { [ABSENT]?: readonly AbsentFile[] })[ABSENT] ?? [];
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

interface KeySpec {
  section: RosterSection;
  what: string;
  fields: readonly string[];
}

const NATURAL_KEYS: readonly KeySpec[] = [
  { section: 'agencies', what: 'agency', fields: ['id'] },
  { section: 'districts', what: 'district', fields: ['id'] },
  { section: 'officers', what: 'officer', fields: ['license'] },
  { section: 'assignments', what: 'assignment', fields: ['license', 'districtId', 'startDate'] },
  { section: 'trainings', what: 'training', fields: ['license', 'kind', 'completedOn'] },
  { section: 'policyReviews', what: 'policy review', fields: ['license', 'agencyId', 'reviewedOn'] },
  { section: 'contactDays', what: 'contact day', fields: ['license', 'districtId', 'date'] },
];

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
 */
export function validateRow<T>(
  schema: z.ZodType<T>,
  row: unknown,
  prefix: RosterPath,
  locator: RosterLocator,
): { ok: true; value: T } | { ok: false; errors: LocatedError[] } {
  const parsed = schema.safeParse(row, { error: issueMessage });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((iss) => ({ ...iss, path: [...prefix, ...iss.path] }));
  return { ok: false, errors: issueErrors(issues as z.core.$ZodIssue[], locator) };
}

interface KeyedRow {
  path: RosterPath;
  values: readonly unknown[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function duplicatesIn(
  rows: readonly KeyedRow[],
  what: string,
  fields: readonly string[],
  locator: RosterLocator,
): LocatedError[] {
  const out: LocatedError[] = [];
  const first = new Map<string, RosterPath>();
  for (const row of rows) {
    // Rows whose key is not text are reported by the schema; the schema trims ids.
    if (!row.values.every((v) => typeof v === 'string')) continue;
    const values = (row.values as string[]).map((v) => v.trim());
    const key = JSON.stringify(values);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, row.path);
      continue;
    }
    const where = locator.locate(fields.length === 1 ? [...row.path, fields[0]!] : row.path);
    out.push(located('DUPLICATE_KEY', where, duplicateMessage(what, fields, values, locator.describe(earlier))));
  }
  return out;
}

/**
 * Every row whose natural key (INTERFACE.md) repeats an earlier row's, naming both rows.
 * Works on the unvalidated input, so duplicates are listed together with schema errors.
 */
export function duplicateKeyErrors(input: unknown, locator: RosterLocator): LocatedError[] {
  if (!isRecord(input)) return [];
  const out: LocatedError[] = [];
  for (const spec of NATURAL_KEYS) {
    const list = input[spec.section];
    if (!Array.isArray(list)) continue;
    const rows: KeyedRow[] = [];
    list.forEach((row, i) => {
      if (isRecord(row)) rows.push({ path: [spec.section, i], values: spec.fields.map((f) => row[f]) });
    });
    // Appended one by one: a spread of a huge list into push() overflows the call stack.
    for (const e of duplicatesIn(rows, spec.what, spec.fields, locator)) out.push(e);
    if (spec.section === 'districts') {
      const contacts: KeyedRow[] = [];
      list.forEach((district, i) => {
        if (!isRecord(district) || !Array.isArray(district.contacts)) return;
        district.contacts.forEach((c, j) => {
          if (isRecord(c))
            contacts.push({ path: ['districts', i, 'contacts', j], values: [district.id, c.email, c.role] });
        });
      });
      for (const e of duplicatesIn(contacts, 'district contact', ['districtId', 'email', 'role'], locator)) out.push(e);
    }
  }
  return out;
}

export type ValidationResult = { ok: true; roster: Roster } | { ok: false; errors: RosterError[] };

/**
 * Validates a roster in the JSON shape (parsed JSON, or CSV converted to it) and lists every
 * problem: schema issues, duplicate keys, and `earlier` (problems the reader already found).
 */
export function validateRosterInput(
  input: unknown,
  locator: RosterLocator,
  earlier: readonly LocatedError[] = [],
): ValidationResult {
  const parsed = rosterSchema.safeParse(input, { error: issueMessage });
  const errors = [
    ...earlier,
    ...(parsed.success ? [] : issueErrors(parsed.error.issues, locator)),
    ...duplicateKeyErrors(input, locator),
  ];
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: sortedErrors(errors) };
  return { ok: true, roster: withLocator(parsed.data, locator) };
}
