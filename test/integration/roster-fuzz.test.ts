// Property-based fuzzing of `sro import` (INTERFACE.md "Roster: JSON" and "Roster: CSV
// folder"): a valid roster, mutated with hostile values, is rejected with every error naming
// its file and its row or field, and the database (pre-loaded with the valid roster) is
// byte-for-byte unchanged. Values that are hostile only downstream (HTML, spreadsheet
// formulas) are valid roster data: they are imported exactly as written, and made inert
// where they are rendered (test/unit/render-*.test.ts). The project has no CSV export, so
// formula prefixes (= + - @) have nothing to neutralise here; see SECURITY.md.
//
// Real PostgreSQL, a database of this file's own. Validation failures are found before the
// import transaction (cheap); dangling references only inside it, against the database.
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RosterError, formatRosterError } from '../../src/roster/load.ts';
import { loadRoster, parseJsonRoster } from '../oracle/roster-in-memory.ts';
import { importRosterObject } from '../helpers/roster-import.ts';
import {
  MAX_CONTACTS_PER_DISTRICT,
  MAX_EMAIL_LENGTH,
  MAX_ESCALATION_EMAILS,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  ROSTER_SECTIONS as SECTIONS,
  type RosterSection as Section,
} from '../../src/roster/schema.ts';
import { type TestDatabase, createTestDatabase, databaseFingerprint, queryRows } from '../helpers/db.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rosters');
const FILE = 'fuzz.json';

/** Bad rosters in the JSON property; the CSV properties add a few dozen each. */
const JSON_RUNS = 600;
const CSV_RUNS = 40;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Row = Record<string, Json>;
type RosterDoc = Record<string, Json>;

let t: TestDatabase;
let tmp: string;
let valid: RosterDoc;

async function importValid(): Promise<void> {
  const loaded = await loadRoster(join(FIXTURES, 'valid.json'));
  if (!loaded.ok) throw new Error(loaded.errors.map(formatRosterError).join('\n'));
  const r = await importRosterObject(t.url, loaded.roster, { replace: true });
  if (!r.ok) throw new Error(r.errors.map(formatRosterError).join('\n'));
}

beforeAll(async () => {
  t = await createTestDatabase('roster_fuzz');
  tmp = await mkdtemp(join(tmpdir(), 'sro-roster-fuzz-'));
  valid = JSON.parse(await readFile(join(FIXTURES, 'valid.json'), 'utf8')) as RosterDoc;
  await importValid();
});

afterAll(async () => {
  await t?.drop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return queryRows<T>(t.url, text, params);
}

/** Every error names its file, and a row or a field: what a clerk needs to find the mistake. */
function expectLocated(errors: readonly RosterError[], file: string | ((f: string) => boolean)): void {
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
// Hostile values, each of which makes the field it goes into invalid (schema.ts).

/** Not calendar days, or not YYYY-MM-DD. */
const BAD_DATES = [
  '2026-02-30',
  '2026-13-01',
  '',
  '2026-1-1',
  '2025-02-29',
  '2026-04-31',
  '2026-00-10',
  '2026-01-00',
  '0000-01-01',
  '2026/01/01',
  '01/02/2026',
  '20260101',
  '2026-01-01T00:00:00Z',
  ' 2026-01-01',
  '2026-01-01 ',
  '2026-01-01\n',
  '２０２６-01-01',
  'tomorrow',
  '=TODAY()',
];
/** Not e-mail addresses (or with a header break): INTERFACE.md's e-mail fields. */
const BAD_EMAILS = [
  'bob@',
  '@albertlea-pd.example',
  'a b@x.example',
  'a@b',
  '<script>@x.example',
  'x@y.example, z@w.example',
  'x@y.example\r\nBcc: victim@example.com',
  'x@y.example\nX-Evil: 1',
  '=HYPERLINK("http://x","y")',
  '@SUM(1)',
  '+cmd',
  '-1+1',
  ' chief@albertlea-pd.example',
  `a@${'x'.repeat(MAX_EMAIL_LENGTH)}.example`,
  '',
];
/** Header-injection attempts in names and ids: CR/LF and friends. */
const LINE_BREAKS = [
  'Dana\r\nBcc: victim@example.com',
  'Dana\nX-Evil: 1',
  'Dana\rOlson',
  'Dana\u2028Olson',
  'Dana\u0085Olson',
  'Dana\u000bOlson',
  'Dana\tOlson',
];

/** Code units schema.ts forbids inside ids and names, plus lone surrogates. */
const forbiddenUnit = fc.oneof(
  fc.integer({ min: 0x00, max: 0x1f }),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.constantFrom(
    0x2028,
    0x2029,
    0x202a,
    0x202b,
    0x202c,
    0x202d,
    0x202e,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
    0xd800,
    0xdbff,
    0xdc00,
    0xdfff,
  ),
);

// ---------------------------------------------------------------------------------------
// The fields of each section, by what makes them invalid. The sections are the schema's own
// (ROSTER_SECTIONS): FIELDS is a Record of them, so a section added there must be described here.

interface Fields {
  /** Trimmed text with a maximum length: ids (64) and names (200). */
  text: [string, number][];
  /** Fields that are required (absent or null is an error). */
  required: string[];
  emails: string[];
  dates: string[];
  enums: string[];
  flags: string[];
  /** References to another section: [field, what it names]. */
  refs: [string, 'agency' | 'district' | 'officer'][];
}

const FIELDS: Record<Section, Fields> = {
  agencies: {
    text: [
      ['id', MAX_ID_LENGTH],
      ['name', MAX_NAME_LENGTH],
    ],
    required: ['id', 'name'],
    emails: [],
    dates: [],
    enums: [],
    flags: [],
    refs: [],
  },
  districts: {
    text: [
      ['id', MAX_ID_LENGTH],
      ['name', MAX_NAME_LENGTH],
    ],
    required: ['id', 'name', 'kind'],
    emails: [],
    dates: [],
    enums: ['kind'],
    flags: [],
    refs: [],
  },
  officers: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['firstName', MAX_NAME_LENGTH],
      ['lastName', MAX_NAME_LENGTH],
      ['agencyId', MAX_ID_LENGTH],
    ],
    required: ['license', 'firstName', 'lastName', 'agencyId'],
    emails: ['email'],
    dates: [],
    enums: [],
    flags: [],
    refs: [['agencyId', 'agency']],
  },
  assignments: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['districtId', MAX_ID_LENGTH],
      ['school', MAX_NAME_LENGTH],
    ],
    required: ['license', 'districtId', 'role', 'startDate'],
    emails: [],
    dates: ['startDate', 'endDate'],
    enums: ['role'],
    flags: ['trainingUnavailable'],
    refs: [
      ['license', 'officer'],
      ['districtId', 'district'],
    ],
  },
  trainings: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['courseNumber', MAX_NAME_LENGTH],
      ['provider', MAX_NAME_LENGTH],
    ],
    required: ['license', 'kind', 'completedOn'],
    emails: [],
    dates: ['completedOn'],
    enums: ['kind'],
    flags: ['certificateOnFile'],
    refs: [['license', 'officer']],
  },
  policyReviews: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['agencyId', MAX_ID_LENGTH],
    ],
    required: ['license', 'agencyId', 'reviewedOn'],
    emails: [],
    dates: ['reviewedOn'],
    enums: [],
    flags: [],
    refs: [
      ['license', 'officer'],
      ['agencyId', 'agency'],
    ],
  },
  contactDays: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['districtId', MAX_ID_LENGTH],
    ],
    required: ['license', 'districtId', 'date'],
    emails: [],
    dates: ['date'],
    enums: [],
    flags: [],
    refs: [
      ['license', 'officer'],
      ['districtId', 'district'],
    ],
  },
};

// ---------------------------------------------------------------------------------------
// Mutations. Each is data (so fast-check shows and shrinks it) and is applied to a deep copy
// of valid.json. `claim` is the row (or whole section) it changes: mutations that would
// overwrite each other's work are dropped, so each one applied still makes the roster
// invalid at a place we can name.

type Pick = { section: Section; index: number; choice: number };
type Mutation =
  | ({ kind: 'badDate'; value: string } & Pick)
  | ({ kind: 'huge'; char: string; boundary: boolean } & Pick)
  | ({ kind: 'forbiddenChar'; unit: number; email: boolean } & Pick)
  | ({ kind: 'lineBreak'; value: string } & Pick)
  | ({ kind: 'badEmail'; value: string } & Pick)
  | ({ kind: 'blank'; value: string } & Pick)
  | ({ kind: 'wrongType'; value: Json } & Pick)
  | ({ kind: 'missing'; asNull: boolean } & Pick)
  | ({ kind: 'badEnum'; value: string } & Pick)
  | ({ kind: 'unknownKey'; key: string; value: Json } & Pick)
  | ({ kind: 'duplicate' } & Pick)
  | ({ kind: 'rowWrongType'; value: Json } & Pick)
  | ({ kind: 'endBeforeStart' } & Pick)
  | ({ kind: 'contact'; bad: 'email' | 'name' | 'role' | 'duplicate' | 'unknownKey'; value: string } & Pick)
  | ({ kind: 'tooMany'; what: 'escalationEmails' | 'contacts' } & Pick)
  | { kind: 'sectionWrongType'; section: Section; value: Json }
  | { kind: 'unknownSection'; name: string }
  // Found only inside the import transaction:
  | ({ kind: 'dangling'; id: string } & Pick)
  | { kind: 'replaceWithoutParent'; section: 'agencies' | 'districts' | 'officers' };

const pick = (sections: readonly Section[] = SECTIONS) =>
  fc.record({ section: fc.constantFrom(...sections), index: fc.nat({ max: 99 }), choice: fc.nat({ max: 99 }) });

const withFields = (has: (f: Fields) => boolean) => SECTIONS.filter((s) => has(FIELDS[s]));

const schemaMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .record({ kind: fc.constant('badDate' as const), value: fc.constantFrom(...BAD_DATES) })
    .chain((m) => pick(withFields((f) => f.dates.length > 0)).map((p) => ({ ...m, ...p }))),
  fc
    .record({
      kind: fc.constant('huge' as const),
      char: fc.constantFrom('x', 'é', '😀', '<', '='),
      boundary: fc.boolean(),
    })
    .chain((m) => pick().map((p) => ({ ...m, ...p }))),
  fc
    .record({ kind: fc.constant('forbiddenChar' as const), unit: forbiddenUnit, email: fc.boolean() })
    .chain((m) => pick().map((p) => ({ ...m, ...p }))),
  fc
    .record({ kind: fc.constant('lineBreak' as const), value: fc.constantFrom(...LINE_BREAKS) })
    .chain((m) => pick().map((p) => ({ ...m, ...p }))),
  fc
    .record({ kind: fc.constant('badEmail' as const), value: fc.constantFrom(...BAD_EMAILS) })
    .chain((m) => pick(['agencies', 'officers']).map((p) => ({ ...m, ...p }))),
  fc
    .record({ kind: fc.constant('blank' as const), value: fc.constantFrom('', ' ', '   ', '\u00a0', '\u3000 ') })
    .chain((m) => pick().map((p) => ({ ...m, ...p }))),
  fc
    .record({
      kind: fc.constant('wrongType' as const),
      value: fc.constantFrom<Json>(42, 0, -1.5, 12345, true, false, [], ['12345'], {}, { value: 'x' }),
    })
    .chain((m) => pick().map((p) => ({ ...m, ...p }))),
  fc
    .record({ kind: fc.constant('missing' as const), asNull: fc.boolean() })
    .chain((m) => pick().map((p) => ({ ...m, ...p }))),
  fc
    .record({
      kind: fc.constant('badEnum' as const),
      value: fc.constantFrom(
        'regular',
        'Regular',
        'SRO',
        '',
        'DISTRICT ',
        'PRIMARY\n',
        '<script>',
        'SRO_MANDATED;DROP',
      ),
    })
    .chain((m) => pick(withFields((f) => f.enums.length > 0)).map((p) => ({ ...m, ...p }))),
  fc
    .record({
      kind: fc.constant('unknownKey' as const),
      key: fc.constantFrom(
        'emial',
        'Email',
        'first_name',
        'startdate',
        'id ',
        '',
        '__proto__',
        'constructor',
        'toString',
        'licence',
      ),
      value: fc.constantFrom<Json>('x', null, 1, {}, []),
    })
    .chain((m) => pick().map((p) => ({ ...m, ...p }))),
  pick().map((p) => ({ kind: 'duplicate' as const, ...p })),
  fc
    .record({
      kind: fc.constant('rowWrongType' as const),
      value: fc.constantFrom<Json>(null, 42, 'officer', [], [{}], true),
    })
    .chain((m) => pick().map((p) => ({ ...m, ...p }))),
  pick(['assignments']).map((p) => ({ kind: 'endBeforeStart' as const, ...p })),
  fc
    .record({
      kind: fc.constant('contact' as const),
      bad: fc.constantFrom(
        'email' as const,
        'name' as const,
        'role' as const,
        'duplicate' as const,
        'unknownKey' as const,
      ),
      value: fc.constantFrom('Pat\r\nBcc: victim@example.com', 'bob@', '', 'primary ', 'x'.repeat(100_000)),
    })
    .chain((m) => pick(['districts']).map((p) => ({ ...m, ...p }))),
  fc
    .constantFrom('escalationEmails' as const, 'contacts' as const)
    .chain((what) =>
      pick([what === 'contacts' ? 'districts' : 'agencies']).map((p) => ({ kind: 'tooMany' as const, what, ...p })),
    ),
  fc.record({
    kind: fc.constant('sectionWrongType' as const),
    section: fc.constantFrom(...SECTIONS),
    value: fc.constantFrom<Json>({}, 'officers', 42, true, { 0: {} }),
  }),
  fc.record({
    kind: fc.constant('unknownSection' as const),
    name: fc.constantFrom('officer', 'contact_days', 'Officers', 'schools', '$schemas', 'district_contacts'),
  }),
);

/** Ids no roster or database here holds: dangling by construction. */
const unknownId = fc.stringMatching(/^[A-Z0-9]{1,20}$/).map((s) => `ZZ-${s}`);

const dbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ kind: fc.constant('dangling' as const), id: unknownId })
      .chain((m) => pick(withFields((f) => f.refs.length > 0)).map((p) => ({ ...m, ...p }))),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replaceWithoutParent' as const),
      section: fc.constantFrom('agencies' as const, 'districts' as const, 'officers' as const),
    }),
  },
);

interface Applied {
  doc: RosterDoc;
  replace: boolean;
  /** Where an error must be reported: a field path prefix (officers[1] or officers[1].email) and the row. */
  expected: { level: 'schema' | 'db'; field: string; row: number | null; code?: RosterError['code'] }[];
  applied: Mutation[];
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

const at = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

function validEmail(n: number): string {
  return `extra-${n}@fuzz.example`;
}

/** A copy of valid.json with the mutations applied; mutations on a row already changed are skipped. */
function applyMutations(base: RosterDoc, mutations: readonly Mutation[], replace: boolean): Applied {
  const doc = clone(base);
  const claimed = new Set<string>();
  const wholeSections = new Set<string>();
  const expected: Applied['expected'] = [];
  const applied: Mutation[] = [];
  const claim = (key: string, section: string | null): boolean => {
    // A whole-section claim conflicts with every row of it, and a row with its section.
    if (section === null) {
      if (wholeSections.has(key) || [...claimed].some((k) => k === key || k.startsWith(`${key}[`))) return false;
      wholeSections.add(key);
      claimed.add(key);
      return true;
    }
    if (claimed.has(key) || wholeSections.has(section)) return false;
    claimed.add(key);
    return true;
  };
  let forceReplace = false;

  for (const m of mutations) {
    if (m.kind === 'unknownSection') {
      if (!claim(m.name, null)) continue;
      doc[m.name] = [];
      expected.push({ level: 'schema', field: m.name, row: null, code: 'UNKNOWN_FIELD' });
      applied.push(m);
      continue;
    }
    if (m.kind === 'sectionWrongType') {
      if (!claim(m.section, null)) continue;
      doc[m.section] = m.value;
      expected.push({ level: 'schema', field: m.section, row: null });
      applied.push(m);
      continue;
    }
    if (m.kind === 'replaceWithoutParent') {
      if (!claim(m.section, null)) continue;
      doc[m.section] = [];
      forceReplace = true;
      expected.push({ level: 'db', field: '', row: null, code: 'DANGLING_REFERENCE' });
      applied.push(m);
      continue;
    }
    const rows = doc[m.section];
    if (!Array.isArray(rows) || rows.length === 0) continue;
    // A duplicate copies an untouched row (claimed, so nothing changes it afterwards).
    if (m.kind === 'duplicate' && !claim(`${m.section}[${m.index % rows.length}]`, m.section)) continue;
    const index = m.kind === 'duplicate' ? rows.length : m.index % rows.length;
    const rowKey = `${m.section}[${index}]`;
    if (!claim(rowKey, m.section)) continue;
    const f = FIELDS[m.section];
    const row = rows[index] as Row;
    const field = (name: string) => ({ field: `${rowKey}.${name}`, row: index + 1 });
    const fieldOf = (names: readonly string[]) => at(names, m.choice);
    switch (m.kind) {
      case 'badDate':
      case 'badEnum': {
        const name = fieldOf(m.kind === 'badDate' ? f.dates : f.enums);
        row[name] = m.value;
        expected.push({ level: 'schema', ...field(name) });
        break;
      }
      case 'huge': {
        const [name, max] = at(f.text, m.choice);
        // Just over the limit, or 100,000 characters (a pasted document, a binary blob).
        const length = m.boundary ? max + 1 : 100_000;
        row[name] = m.char.repeat(Math.ceil(length / m.char.length)).slice(0, length);
        // Limits count characters (code points), not UTF-16 units: 65 emoji for a 64-character id.
        if (m.char === '😀') row[name] = '😀'.repeat(length);
        expected.push({ level: 'schema', ...field(name) });
        break;
      }
      case 'forbiddenChar': {
        const c = String.fromCharCode(m.unit);
        if (m.email && f.emails.length > 0) {
          const name = fieldOf(f.emails);
          row[name] = `chief${c}x@albertlea-pd.example`;
          expected.push({ level: 'schema', ...field(name) });
        } else {
          const [name] = at(f.text, m.choice);
          // Inside the value: leading and trailing whitespace would be trimmed away.
          row[name] = `Ab${c}Cd`;
          expected.push({ level: 'schema', ...field(name) });
        }
        break;
      }
      case 'lineBreak': {
        const [name] = at(f.text, m.choice);
        row[name] = m.value;
        expected.push({ level: 'schema', ...field(name) });
        break;
      }
      case 'badEmail': {
        if (m.section === 'officers') {
          row.email = m.value;
          expected.push({ level: 'schema', ...field('email') });
        } else if (m.choice % 2 === 0) {
          row.chief = { name: 'Chief Fuzz', email: m.value };
          expected.push({ level: 'schema', ...field('chief.email') });
        } else {
          row.escalationEmails = ['ok@albertlea-pd.example', m.value];
          expected.push({ level: 'schema', ...field('escalationEmails[1]') });
        }
        break;
      }
      case 'blank': {
        const required = f.text.filter(([n]) => f.required.includes(n));
        const [name] = at(required, m.choice);
        row[name] = m.value;
        expected.push({ level: 'schema', ...field(name) });
        break;
      }
      case 'wrongType': {
        const names = [...f.text.map(([n]) => n), ...f.dates, ...f.enums, ...f.emails, ...f.flags];
        const name = fieldOf(names);
        let value = m.value;
        // true/false are right for a flag; give it text instead.
        if (f.flags.includes(name) && typeof value === 'boolean') value = value ? 'yes' : 'false';
        row[name] = value;
        expected.push({ level: 'schema', ...field(name) });
        break;
      }
      case 'missing': {
        const name = fieldOf(f.required);
        if (m.asNull) row[name] = null;
        else delete row[name];
        expected.push({ level: 'schema', ...field(name) });
        break;
      }
      case 'unknownKey': {
        // JSON.parse makes "__proto__" an own key, as a file would.
        Object.defineProperty(row, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
        expected.push({ level: 'schema', field: rowKey, row: index + 1, code: 'UNKNOWN_FIELD' });
        break;
      }
      case 'duplicate': {
        const copy = clone(at(rows, m.index)) as Row;
        // Same natural key, other details changed: still the same row twice.
        if ('name' in copy) copy.name = `${String(copy.name)} (again)`;
        if ('firstName' in copy) copy.firstName = 'Other';
        if ('school' in copy) copy.school = 'Another School';
        rows.push(copy);
        expected.push({ level: 'schema', field: rowKey, row: index + 1, code: 'DUPLICATE_KEY' });
        break;
      }
      case 'rowWrongType': {
        rows[index] = m.value;
        expected.push({ level: 'schema', field: rowKey, row: index + 1 });
        break;
      }
      case 'endBeforeStart': {
        row.startDate = '2026-03-01';
        row.endDate = '2026-02-28';
        expected.push({ level: 'schema', ...field('endDate') });
        break;
      }
      case 'contact': {
        const contacts = row.contacts as Row[];
        const j = m.choice % contacts.length;
        const contact = contacts[j]!;
        const where = `${rowKey}.contacts[${j}]`;
        switch (m.bad) {
          case 'email':
            contact.email = m.value === 'primary ' ? 'bob@' : m.value;
            break;
          case 'name':
            contact.name = m.value === 'bob@' ? '   ' : m.value === 'primary ' ? 'Pat\u0007' : m.value;
            break;
          case 'role':
            contact.role = m.value;
            break;
          case 'duplicate':
            contacts.push({ ...clone(contact), name: 'Someone Else' });
            expected.push({
              level: 'schema',
              field: `${rowKey}.contacts[${contacts.length - 1}]`,
              row: index + 1,
              code: 'DUPLICATE_KEY',
            });
            break;
          case 'unknownKey':
            contact.phone = m.value;
            break;
        }
        if (m.bad !== 'duplicate') expected.push({ level: 'schema', field: where, row: index + 1 });
        break;
      }
      case 'tooMany': {
        if (m.what === 'escalationEmails') {
          row.escalationEmails = Array.from({ length: MAX_ESCALATION_EMAILS + 1 }, (_, i) => validEmail(i));
          expected.push({ level: 'schema', ...field('escalationEmails') });
        } else {
          row.contacts = Array.from({ length: MAX_CONTACTS_PER_DISTRICT + 1 }, (_, i) => ({
            name: `Contact ${i}`,
            email: validEmail(i),
            role: 'PRIMARY',
          }));
          expected.push({ level: 'schema', ...field('contacts') });
        }
        break;
      }
      case 'dangling': {
        const [name] = at(f.refs, m.choice);
        row[name] = m.id;
        expected.push({ level: 'db', ...field(name), code: 'DANGLING_REFERENCE' });
        break;
      }
      default: {
        const _exhaustive: never = m;
        throw new Error(`unhandled mutation ${JSON.stringify(_exhaustive)}`);
      }
    }
    applied.push(m);
  }
  return { doc, replace: replace || forceReplace, expected, applied };
}

/** `field` is `prefix` or a path inside it (officers[1] matches officers[1].email, not officers[10]). */
function within(field: string | null, prefix: string): boolean {
  if (field === null) return false;
  if (prefix === '') return true;
  return field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
}

const mutationList = fc.oneof(
  // Mostly schema problems, sometimes mixed with a reference that only the database can refute.
  {
    weight: 3,
    arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: schemaMutation }, { weight: 1, arbitrary: dbMutation }), {
      minLength: 1,
      maxLength: 4,
    }),
  },
  // A roster valid in itself whose references dangle: these reach the import transaction.
  { weight: 1, arbitrary: fc.array(dbMutation, { minLength: 1, maxLength: 3 }) },
);

describe('fuzz: a hostile JSON roster is rejected, every error is located, and the database is unchanged', () => {
  it(`${JSON_RUNS} mutated rosters`, async () => {
    const before = await databaseFingerprint(t.url);
    const stats = { runs: 0, reachedDb: 0, errors: 0, codes: new Map<string, number>() };
    const started = performance.now();

    await fc.assert(
      fc.asyncProperty(mutationList, fc.boolean(), async (mutations, replace) => {
        const m = applyMutations(valid, mutations, replace);
        fc.pre(m.applied.length > 0);
        stats.runs += 1;
        const loaded = parseJsonRoster(JSON.stringify(m.doc), FILE);
        let errors: RosterError[];
        if (loaded.ok) {
          // Only references are left to refute, and only the database can.
          expect(m.expected.every((e) => e.level === 'db')).toBe(true);
          stats.reachedDb += 1;
          const imported = await importRosterObject(t.url, loaded.roster, { replace: m.replace });
          expect(imported.ok, JSON.stringify(m.applied)).toBe(false);
          errors = imported.ok ? [] : imported.errors;
          expect(errors.every((e) => e.code === 'DANGLING_REFERENCE')).toBe(true);
          // The transaction rolled back: checked after every import that ran.
          expect(await databaseFingerprint(t.url)).toEqual(before);
        } else {
          errors = loaded.errors;
        }
        expectLocated(errors, FILE);
        stats.errors += errors.length;
        for (const e of errors) stats.codes.set(e.code, (stats.codes.get(e.code) ?? 0) + 1);

        // Each mutation is reported where it was made: schema problems all at once; the
        // references only when nothing else is wrong (they are checked in the transaction).
        const level = m.expected.some((e) => e.level === 'schema') ? 'schema' : 'db';
        for (const want of m.expected.filter((e) => e.level === level)) {
          const found = errors.some(
            (e) =>
              within(e.field, want.field) &&
              (want.row === null || e.row === want.row) &&
              (want.code === undefined || e.code === want.code),
          );
          expect(
            found,
            `${JSON.stringify(want)} not in:\n${errors.map(formatRosterError).join('\n').slice(0, 4000)}`,
          ).toBe(true);
        }
      }),
      { numRuns: JSON_RUNS, endOnFailure: true },
    );

    // Validation failures never open a transaction; one check at the end covers them too.
    expect(await databaseFingerprint(t.url)).toEqual(before);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `roster fuzz (JSON): ${stats.runs} bad rosters in ${seconds} s, ${stats.reachedDb} reached the import transaction; ${stats.errors} errors:`,
      Object.fromEntries(stats.codes),
    );
    expect(stats.runs).toBeGreaterThanOrEqual(500);
    expect(stats.reachedDb).toBeGreaterThanOrEqual(50);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------
// Valid but hostile downstream: markup and spreadsheet formulas are names like any other.

/** Accepted by schema.ts (no control characters); dangerous only if rendered or exported unescaped. */
const HOSTILE_VALID_NAMES = [
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

const hostileValidName = fc.oneof(
  fc.constantFrom(...HOSTILE_VALID_NAMES),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
    .filter((s) => s.trim() !== '' && !/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/.test(s)),
);

describe('valid data that is hostile only downstream (HTML, formulas) is imported exactly as written', () => {
  it('officer and district-contact names round-trip byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(hostileValidName, hostileValidName, hostileValidName, async (first, last, contact) => {
        const doc = clone(valid);
        const officer = (doc.officers as Row[])[0]!;
        officer.firstName = first;
        officer.lastName = last;
        ((doc.districts as Row[])[0]!.contacts as Row[])[0]!.name = contact;
        const loaded = parseJsonRoster(JSON.stringify(doc), FILE);
        if (!loaded.ok) throw new Error(loaded.errors.map(formatRosterError).join('\n'));
        const r = await importRosterObject(t.url, loaded.roster, { replace: false });
        expect(r.ok).toBe(true);
        const [stored] = await sql<{ first_name: string; last_name: string }>(
          'SELECT first_name, last_name FROM officer WHERE license = $1',
          [officer.license],
        );
        // Trimmed (schema.ts), otherwise unchanged: not escaped, not stripped of = + - @.
        expect(stored).toEqual({ first_name: first.trim(), last_name: last.trim() });
        const [c] = await sql<{ name: string }>(
          "SELECT name FROM district_contact WHERE email = 'sro-liaison@isd241.example'",
        );
        expect(c?.name).toBe(contact.trim());
      }),
      { numRuns: 30 },
    );
    await importValid();
  });
});

// ---------------------------------------------------------------------------------------
// CSV folders written to disk and read by loadRoster, as `sro import FOLDER` does.

const CSV_SPEC: Record<string, { columns: string[]; rows: (doc: RosterDoc) => string[][] }> = {
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

interface CsvStyle {
  bom: boolean;
  eol: '\n' | '\r\n';
  quoteAll: boolean;
  /** Spaces around unquoted cells (trimmed by the reader). */
  pad: boolean;
}

const csvStyle: fc.Arbitrary<CsvStyle> = fc.record({
  bom: fc.boolean(),
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  quoteAll: fc.boolean(),
  pad: fc.boolean(),
});

function csvCell(value: string, style: CsvStyle): string {
  if (style.quoteAll || /[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replaceAll('"', '""')}"`;
  return style.pad && value !== '' ? ` ${value} ` : value;
}

function csvText(columns: readonly string[], rows: readonly string[][], style: CsvStyle): string {
  const lines = [columns, ...rows].map((cells) => cells.map((c) => csvCell(c, style)).join(','));
  return `${style.bom ? '\uFEFF' : ''}${lines.join(style.eol)}${style.eol}`;
}

let folders = 0;
async function writeCsvFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = join(tmp, `csv-${++folders}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

function csvFiles(doc: RosterDoc, style: CsvStyle): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CSV_SPEC).map(([file, spec]) => [file, csvText(spec.columns, spec.rows(doc), style)]),
  );
}

/** A CSV-level corruption of officers.csv, and where it must be reported (physical line, column). */
type CsvBreak =
  | { kind: 'embeddedNewline'; column: 'first_name' | 'last_name'; eol: string }
  | { kind: 'formulaEmail'; value: string }
  | { kind: 'badDate'; value: string }
  | { kind: 'unclosedQuote' }
  | { kind: 'extraCell'; value: string }
  | { kind: 'unknownColumn'; name: string }
  | { kind: 'duplicateColumn' }
  | { kind: 'badFlag'; value: string }
  | { kind: 'notUtf8' }
  | { kind: 'danglingAgency' };

const csvBreak: fc.Arbitrary<CsvBreak> = fc.oneof(
  fc.record({
    kind: fc.constant('embeddedNewline' as const),
    column: fc.constantFrom('first_name' as const, 'last_name' as const),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
  }),
  fc.record({
    kind: fc.constant('formulaEmail' as const),
    value: fc.constantFrom('=HYPERLINK("http://x","y")', '+cmd', '-1+1', '@SUM(1)', '=1+1@x.example'),
  }),
  fc.record({
    kind: fc.constant('badDate' as const),
    value: fc.constantFrom('2026-02-30', '2026-13-01', '2026-1-1', '=TODAY()', '3/2/2026'),
  }),
  fc.constant({ kind: 'unclosedQuote' as const }),
  fc.record({ kind: fc.constant('extraCell' as const), value: fc.constantFrom('', 'x', '=1+1') }),
  fc.record({ kind: fc.constant('unknownColumn' as const), name: fc.constantFrom('emial', 'phone', '=cmd') }),
  fc.constant({ kind: 'duplicateColumn' as const }),
  fc.record({ kind: fc.constant('badFlag' as const), value: fc.constantFrom('maybe', '1', 'y', '=TRUE()') }),
  fc.constant({ kind: 'notUtf8' as const }),
  fc.constant({ kind: 'danglingAgency' as const }),
);

/** The physical line where officers.csv row `i` (0-based) starts, with the header on line 1. */
const officerLine = (i: number) => i + 2;

describe('fuzz: CSV folders with BOM, quoting, CRLF and formula prefixes', () => {
  it('valid folders in any quoting, line-ending and BOM style import to the same facts; formula-prefixed names are kept as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvStyle,
        hostileValidName,
        fc.constantFrom(...HOSTILE_VALID_NAMES),
        async (style, first, school) => {
          const doc = clone(valid);
          (doc.officers as Row[])[1]!.firstName = first;
          (doc.assignments as Row[])[0]!.school = school;
          const dir = await writeCsvFolder(csvFiles(doc, style));
          const loaded = await loadRoster(dir);
          if (!loaded.ok) throw new Error(loaded.errors.map(formatRosterError).join('\n'));
          expect(loaded.roster.officers[1]!.firstName).toBe(first.trim());
          const r = await importRosterObject(t.url, loaded.roster, { replace: false });
          expect(r.ok).toBe(true);
          const [o] = await sql<{ first_name: string }>("SELECT first_name FROM officer WHERE license = '23456'");
          const [a] = await sql<{ school: string }>(
            "SELECT school FROM assignment WHERE license = '12345' AND start_date = '2025-10-01'",
          );
          expect(o?.first_name).toBe(first.trim());
          expect(a?.school).toBe(school);
        },
      ),
      { numRuns: CSV_RUNS },
    );
    await importValid();
  });

  it('a corrupted officers.csv is rejected with file, line and column, and nothing is written', async () => {
    await importValid();
    const before = await databaseFingerprint(t.url);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(csvStyle, csvBreak, fc.nat({ max: 2 }), async (style, brk, i) => {
        runs += 1;
        const files: Record<string, string | Uint8Array> = csvFiles(valid, style);
        const spec = CSV_SPEC['officers.csv']!;
        const columns = [...spec.columns];
        const rows = spec.rows(valid);
        const row = rows[i]!;
        let text: string | Uint8Array | null = null;
        let want: { row: number | null; field: string | null; code: RosterError['code'] };
        switch (brk.kind) {
          case 'embeddedNewline':
            // A quoted cell may span lines (RFC 4180); a name may not (header injection).
            row[columns.indexOf(brk.column)] = `Dana${brk.eol}Bcc: victim@example.com`;
            want = { row: officerLine(i), field: brk.column, code: 'INVALID_VALUE' };
            break;
          case 'formulaEmail':
            row[columns.indexOf('email')] = brk.value;
            want = { row: officerLine(i), field: 'email', code: 'INVALID_VALUE' };
            break;
          case 'badDate': {
            const a = CSV_SPEC['assignments.csv']!;
            const aRows = a.rows(valid);
            aRows[i]![a.columns.indexOf('start_date')] = brk.value;
            files['assignments.csv'] = csvText(a.columns, aRows, style);
            want = { row: i + 2, field: 'start_date', code: 'INVALID_VALUE' };
            break;
          }
          case 'unclosedQuote': {
            const lines = csvText(columns, rows, { ...style, quoteAll: false }).split(style.eol);
            lines[i + 1] = lines[i + 1]!.replace(',', ',"');
            text = `${lines.join(style.eol)}`;
            want = { row: null, field: null, code: 'CSV_SYNTAX' };
            break;
          }
          case 'extraCell':
            row.push(brk.value);
            want = { row: officerLine(i), field: null, code: 'FIELD_COUNT' };
            break;
          case 'unknownColumn':
            columns.push(brk.name);
            for (const r of rows) r.push('x');
            want = { row: 1, field: brk.name, code: 'UNKNOWN_COLUMN' };
            break;
          case 'duplicateColumn':
            columns.push('email');
            for (const r of rows) r.push('');
            want = { row: 1, field: 'email', code: 'DUPLICATE_COLUMN' };
            break;
          case 'badFlag': {
            const a = CSV_SPEC['trainings.csv']!;
            const tRows = a.rows(valid);
            tRows[i % tRows.length]![a.columns.indexOf('certificate_on_file')] = brk.value;
            files['trainings.csv'] = csvText(a.columns, tRows, style);
            want = { row: (i % tRows.length) + 2, field: 'certificate_on_file', code: 'INVALID_VALUE' };
            break;
          }
          case 'notUtf8': {
            const good = Buffer.from(csvText(columns, rows, style), 'utf8');
            text = Buffer.concat([good, Buffer.from([0x31, 0x2c, 0xff, 0xfe, 0x2c, 0x78, 0x0a])]);
            want = { row: null, field: null, code: 'NOT_UTF8' };
            break;
          }
          case 'danglingAgency':
            row[columns.indexOf('agency_id')] = 'ZZ-NOWHERE';
            want = { row: officerLine(i), field: 'agency_id', code: 'DANGLING_REFERENCE' };
            break;
        }
        files['officers.csv'] = text ?? csvText(columns, rows, style);
        const dir = await writeCsvFolder(files);
        const loaded = await loadRoster(dir);
        let errors: RosterError[];
        if (loaded.ok) {
          expect(brk.kind).toBe('danglingAgency');
          const r = await importRosterObject(t.url, loaded.roster, { replace: false });
          expect(r.ok).toBe(false);
          errors = r.ok ? [] : r.errors;
          expect(await databaseFingerprint(t.url)).toEqual(before);
        } else {
          errors = loaded.errors;
        }
        const wantFile =
          brk.kind === 'badDate' ? 'assignments.csv' : brk.kind === 'badFlag' ? 'trainings.csv' : 'officers.csv';
        // CSV_SYNTAX and NOT_UTF8 name the file and the line; the rest also the column.
        expectLocated(errors, wantFile);
        const found = errors.some(
          (e) =>
            e.code === want.code &&
            (want.row === null || e.row === want.row) &&
            (want.field === null || e.field === want.field),
        );
        expect(found, `${JSON.stringify(want)} not in:\n${errors.map(formatRosterError).join('\n')}`).toBe(true);
      }),
      { numRuns: CSV_RUNS },
    );
    expect(await databaseFingerprint(t.url)).toEqual(before);
    expect(runs).toBe(CSV_RUNS);
  });
});

// ---------------------------------------------------------------------------------------

describe('a 100,000-row contact_days.csv with one bad date in its last row', () => {
  it('is rejected naming the file, the line and the column; nothing is written', async () => {
    await importValid();
    const before = await databaseFingerprint(t.url);
    const rows = 100_000;
    const lines = ['license,district_id,date'];
    // Consecutive calendar days from 1900-01-01 (about 274 years, to 2173; a roster's dates
    // run from 1900 to 2200): all distinct, all real.
    const day = new Date(Date.UTC(1900, 0, 1));
    for (let i = 0; i < rows - 1; i++) {
      lines.push(`34567,CHTR4001,${day.toISOString().slice(0, 10)}`);
      day.setUTCDate(day.getUTCDate() + 1);
    }
    lines.push('34567,CHTR4001,2026-02-30');
    const files = csvFiles(valid, { bom: false, eol: '\n', quoteAll: false, pad: false });
    files['contact_days.csv'] = `${lines.join('\n')}\n`;
    const dir = await writeCsvFolder(files);

    const started = performance.now();
    const loaded = await loadRoster(dir);
    const ms = performance.now() - started;
    console.info(`100,000-row contact_days.csv with a bad last date: rejected in ${ms.toFixed(0)} ms`);

    expect(loaded.ok).toBe(false);
    const errors = loaded.ok ? [] : loaded.errors;
    expect(errors.map(formatRosterError)).toEqual([
      `contact_days.csv:${rows + 1}: date: "2026-02-30" is not a calendar date (YYYY-MM-DD)`,
    ]);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });
});
