// The JSON roster fuzz test's mutations (test/long/roster-fuzz-json.test.ts): what can
// be wrong with a roster, as data fast-check shows and shrinks, applied to a copy of
// valid.json with the place each error must be reported at.
import fc from 'fast-check';
import type { RosterError } from '../../src/roster/load.ts';
import {
  MAX_CONTACTS_PER_DISTRICT,
  MAX_ESCALATION_EMAILS,
  ROSTER_SECTIONS as SECTIONS,
  type RosterSection as Section,
} from '../../src/roster/schema.ts';
import { type Json, type Row, type RosterDoc, clone } from './roster-fuzz.ts';
import { BAD_DATES, BAD_EMAILS, FIELDS, type Fields, LINE_BREAKS, forbiddenUnit } from './roster-fuzz-fields.ts';

// ---------------------------------------------------------------------------------------
// Mutations. Each is data (so fast-check shows and shrinks it) and is applied to a deep copy
// of valid.json. `claim` is the row (or whole section) it changes: mutations that would
// overwrite each other's work are dropped, so each one applied still makes the roster
// invalid at a place we can name.

type Pick = { section: Section; index: number; choice: number };
export type Mutation =
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

export interface Applied {
  doc: RosterDoc;
  replace: boolean;
  /** Where an error must be reported: a field path prefix (officers[1] or officers[1].email) and the row. */
  expected: { level: 'schema' | 'db'; field: string; row: number | null; code?: RosterError['code'] }[];
  applied: Mutation[];
}

const at = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

function validEmail(n: number): string {
  return `extra-${n}@fuzz.example`;
}

/** A copy of valid.json with the mutations applied; mutations on a row already changed are skipped. */
export function applyMutations(base: RosterDoc, mutations: readonly Mutation[], replace: boolean): Applied {
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
export function within(field: string | null, prefix: string): boolean {
  if (field === null) return false;
  if (prefix === '') return true;
  return field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
}

export const mutationList = fc.oneof(
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
