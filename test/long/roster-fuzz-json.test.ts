// Property-based fuzzing of `sro import` on a JSON roster (INTERFACE.md "Roster: JSON"): valid.json,
// mutated with hostile values, is rejected with every error naming its file and its row or
// field, and the database (pre-loaded with the valid roster) is byte-for-byte unchanged.
// Values that are hostile only downstream (HTML, spreadsheet formulas) are valid roster data:
// they are imported exactly as written, and made inert where they are rendered
// (test/unit/render-*.test.ts). The project has no CSV export, so formula prefixes (= + - @)
// have nothing to neutralise here; see SECURITY.md.
//
// Real PostgreSQL, a database of this file's own. Validation failures are found before the
// import transaction (cheap); dangling references only inside it, against the database.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RosterError, formatRosterError } from '../../src/roster/load.ts';
import { parseJsonRoster } from '../oracle/roster-in-memory.ts';
import { importRosterObject } from '../helpers/roster-import.ts';
import { type TestDatabase, createTestDatabase, databaseFingerprint, queryRows } from '../helpers/db.ts';
import {
  type Row,
  type RosterDoc,
  clone,
  expectLocated,
  hostileValidName,
  importValid,
  readValid,
} from '../helpers/roster-fuzz.ts';
import { applyMutations, mutationList, within } from '../helpers/roster-fuzz-mutations.ts';

const FILE = 'fuzz.json';
/** Bad rosters in the property. */
const JSON_RUNS = 600;

let t: TestDatabase;
let valid: RosterDoc;

beforeAll(async () => {
  t = await createTestDatabase('roster_fuzz_json');
  valid = await readValid();
  await importValid(t.url);
});
afterAll(async () => {
  await t?.drop();
});

function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return queryRows<T>(t.url, text, params);
}

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
    await importValid(t.url);
  });
});
