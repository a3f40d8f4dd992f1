// What the roster fuzz tests share (test/long/roster-fuzz-*.test.ts): the roster as JSON
// data, the valid fixture it is mutated from, how every error must be located, names that
// are valid but hostile downstream, and a roster written out as a CSV folder in any style.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { type RosterError, formatRosterError } from '../../src/roster/load.ts';
import { loadRoster } from '../oracle/roster-in-memory.ts';
import { importRosterObject } from './roster-import.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rosters');

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Row = Record<string, Json>;
export type RosterDoc = Record<string, Json>;

/** valid.json as data, for mutations. */
export async function readValid(): Promise<RosterDoc> {
  return JSON.parse(await readFile(join(FIXTURES, 'valid.json'), 'utf8')) as RosterDoc;
}

/** Makes the database at `url` hold exactly valid.json (an import with --replace). */
export async function importValid(url: string): Promise<void> {
  const loaded = await loadRoster(join(FIXTURES, 'valid.json'));
  if (!loaded.ok) throw new Error(loaded.errors.map(formatRosterError).join('\n'));
  const r = await importRosterObject(url, loaded.roster, { replace: true });
  if (!r.ok) throw new Error(r.errors.map(formatRosterError).join('\n'));
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Every error names its file, and a row or a field: what a clerk needs to find the mistake. */
export function expectLocated(errors: readonly RosterError[], file: string | ((f: string) => boolean)): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(typeof e.file === 'string' && e.file !== '', formatRosterError(e)).toBe(true);
    if (typeof file === 'string') expect(e.file).toBe(file);
    else expect(file(e.file), formatRosterError(e)).toBe(true);
    const hasField = typeof e.field === 'string' && e.field !== '';
    const hasRow = typeof e.row === 'number' && e.row >= 1;
    expect(hasField || hasRow, formatRosterError(e)).toBe(true);
    expect(e.message.length).toBeGreaterThan(0);
  }
}

// ---------------------------------------------------------------------------------------
// Valid but hostile downstream: markup and spreadsheet formulas are names like any other.

/** Accepted by schema.ts (no control characters); dangerous only if rendered or exported unescaped. */
export const HOSTILE_VALID_NAMES = [
  '<b>Bob</b>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://x","y")',
  '+cmd',
  '-1+1',
  '@SUM(1)',
  "=cmd|' /C calc'!A0",
  "Robert'); DROP TABLE officer;--",
  'O\'Brien, "Jr."',
  'Zoë Ødegård',
  '李小龍',
  '😀',
  '\\u0000',
  '%s%n',
  '${process.env.SMTP_URL}',
];

export const hostileValidName = fc.oneof(
  fc.constantFrom(...HOSTILE_VALID_NAMES),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
    .filter((s) => s.trim() !== '' && !/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/.test(s)),
);

// ---------------------------------------------------------------------------------------
// CSV folders written to disk and read by loadRoster, as `sro import FOLDER` does.

export const CSV_SPEC: Record<string, { columns: string[]; rows: (doc: RosterDoc) => string[][] }> = {
  'agencies.csv': {
    columns: ['id', 'name', 'chief_name', 'chief_email', 'escalation_emails'],
    rows: (doc) =>
      (doc.agencies as Row[]).map((a) => {
        const chief = (a.chief ?? {}) as Row;
        return [
          a.id,
          a.name,
          chief.name ?? '',
          chief.email ?? '',
          ((a.escalationEmails ?? []) as string[]).join('; '),
        ].map(String);
      }),
  },
  'districts.csv': {
    columns: ['id', 'name', 'kind'],
    rows: (doc) => (doc.districts as Row[]).map((d) => [d.id, d.name, d.kind].map(String)),
  },
  'district_contacts.csv': {
    columns: ['district_id', 'name', 'email', 'role'],
    rows: (doc) =>
      (doc.districts as Row[]).flatMap((d) =>
        (d.contacts as Row[]).map((c) => [d.id, c.name, c.email, c.role].map(String)),
      ),
  },
  'officers.csv': {
    columns: ['license', 'first_name', 'last_name', 'email', 'agency_id'],
    rows: (doc) =>
      (doc.officers as Row[]).map((o) => [o.license, o.firstName, o.lastName, o.email ?? '', o.agencyId].map(String)),
  },
  'assignments.csv': {
    columns: ['license', 'district_id', 'school', 'role', 'start_date', 'end_date', 'training_unavailable'],
    rows: (doc) =>
      (doc.assignments as Row[]).map((a) =>
        [
          a.license,
          a.districtId,
          a.school ?? '',
          a.role,
          a.startDate,
          a.endDate ?? '',
          a.trainingUnavailable === undefined ? '' : a.trainingUnavailable,
        ].map(String),
      ),
  },
  'trainings.csv': {
    columns: ['license', 'kind', 'completed_on', 'certificate_on_file', 'course_number', 'provider'],
    rows: (doc) =>
      (doc.trainings as Row[]).map((x) =>
        [x.license, x.kind, x.completedOn, x.certificateOnFile ?? '', x.courseNumber ?? '', x.provider ?? ''].map(
          String,
        ),
      ),
  },
  'policy_reviews.csv': {
    columns: ['license', 'agency_id', 'reviewed_on'],
    rows: (doc) => (doc.policyReviews as Row[]).map((r) => [r.license, r.agencyId, r.reviewedOn].map(String)),
  },
  'contact_days.csv': {
    columns: ['license', 'district_id', 'date'],
    rows: (doc) => (doc.contactDays as Row[]).map((d) => [d.license, d.districtId, d.date].map(String)),
  },
};

export interface CsvStyle {
  bom: boolean;
  eol: '\n' | '\r\n';
  quoteAll: boolean;
  /** Spaces around unquoted cells (trimmed by the reader). */
  pad: boolean;
}

export const csvStyle: fc.Arbitrary<CsvStyle> = fc.record({
  bom: fc.boolean(),
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  quoteAll: fc.boolean(),
  pad: fc.boolean(),
});

export function csvCell(value: string, style: CsvStyle): string {
  if (style.quoteAll || /[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replaceAll('"', '""')}"`;
  return style.pad && value !== '' ? ` ${value} ` : value;
}

export function csvText(columns: readonly string[], rows: readonly string[][], style: CsvStyle): string {
  const lines = [columns, ...rows].map((cells) => cells.map((c) => csvCell(c, style)).join(','));
  return `${style.bom ? '\uFEFF' : ''}${lines.join(style.eol)}${style.eol}`;
}

/** Writes `files` into a new folder under `parent` (named `csv-N`); its path. */
export function csvFolderWriter(parent: () => string): (files: Record<string, string | Uint8Array>) => Promise<string> {
  let folders = 0;
  return async (files) => {
    const dir = join(parent(), `csv-${++folders}`);
    await mkdir(dir);
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    return dir;
  };
}

export function csvFiles(doc: RosterDoc, style: CsvStyle): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CSV_SPEC).map(([file, spec]) => [file, csvText(spec.columns, spec.rows(doc), style)]),
  );
}
