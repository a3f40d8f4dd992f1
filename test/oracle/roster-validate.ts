// The oracle's whole-roster validation (test/oracle/roster-in-memory.ts): the roster held in
// memory is checked by the whole roster's zod schema and its duplicate keys found in memory,
// where the import (src/roster/import.ts) checks row by row while it stages and finds
// duplicates in SQL. Tests compare the two (roster-import-scale) and use this one where no
// database is at hand. Moved here from src/roster/validate.ts when `sro demo` and the tests
// went over to the streaming import (issue 19); nothing under src/ uses it.
import { constants } from 'node:buffer';
import { type Roster, type RosterSection, rosterSchema } from '../../src/roster/schema.ts';
import {
  type AbsentFile,
  type LocatedError,
  type RosterError,
  type RosterLocator,
  type RosterPath,
  duplicateMessage,
  issueErrors,
  issueMessage,
  jsonLocator,
  located,
  sortedErrors,
} from '../../src/roster/validate.ts';

/** A file too large for the oracle, which holds it as one string (the import streams and has no limit). */
export const TOO_LARGE = 'TOO_LARGE' as RosterError['code'];

/**
 * The largest roster file (a .json file, or one .csv file of a folder) that loadRoster can
 * read (the whole roster in memory; `sro import` streams and has no limit):
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

// The locator travels with the roster (a non-enumerable property, invisible to JSON and
// to spreading), so the roster's import (test/helpers/roster-import.ts) can name CSV lines in
// reference errors without every caller passing the source along. A roster built in code
// falls back to JSON paths.
const LOCATOR = Symbol('sro.roster.locator');

function withLocator<T extends object>(roster: T, locator: RosterLocator): T {
  Object.defineProperty(roster, LOCATOR, { value: locator, enumerable: false });
  return roster;
}

export function locatorOf(roster: object): RosterLocator {
  return (roster as { [LOCATOR]?: RosterLocator })[LOCATOR] ?? jsonLocator('roster');
}

// Which files a CSV folder lacked travels with the roster the same way, so that its import
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
function duplicateKeyErrors(input: unknown, locator: RosterLocator): LocatedError[] {
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
  // A CSV cell the reader refused (a date that is no day) is not refused again by the schema.
  const at = (e: LocatedError) => `${e.error.file}\u0000${e.error.row}\u0000${e.error.field}`;
  const refused = new Set(earlier.filter((e) => e.error.field !== null).map(at));
  const errors = [
    ...earlier,
    ...(parsed.success ? [] : issueErrors(parsed.error.issues, locator).filter((e) => !refused.has(at(e)))),
    ...duplicateKeyErrors(input, locator),
  ];
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: sortedErrors(errors) };
  return { ok: true, roster: withLocator(parsed.data, locator) };
}
