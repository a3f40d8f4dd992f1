// `sro import` against a real PostgreSQL (INTERFACE.md): upsert by natural keys, counts,
// --replace, and all-or-nothing: on any invalid input the database is byte-for-byte unchanged.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportResult, type SectionCounts, RosterImportError } from '../../src/roster/import.ts';
import { formatRosterError } from '../../src/roster/load.ts';
import { rosterSchema } from '../../src/roster/schema.ts';
import { type TestDatabase, createTestDatabase, databaseFingerprint, queryRows } from '../helpers/db.ts';
import { importRosterObject, importRosterPath } from '../helpers/roster-import.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rosters');
const fixture = (name: string) => join(FIXTURES, name);

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('roster_import');
});

afterAll(async () => {
  await t?.drop();
});

/** What `sro import PATH [--replace]` does: the file or folder streamed into the database. */
function importPath(path: string, replace = false): Promise<ImportResult> {
  return importRosterPath(t.url, path, { replace });
}

async function importOk(path: string, replace = false) {
  const r = await importPath(path, replace);
  if (!r.ok) throw new Error(`expected the import to succeed:\n${r.errors.map(formatRosterError).join('\n')}`);
  return r.counts;
}

/** The database holds exactly the valid fixture (and whatever the ledger holds). */
async function resetToValid(): Promise<void> {
  await importOk(fixture('valid.json'), true);
}

function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return queryRows<T>(t.url, text, params);
}

const c = (created: number, updated: number, unchanged: number, deleted: number): SectionCounts => ({
  created,
  updated,
  unchanged,
  deleted,
});

describe('importing a roster into an empty database', () => {
  it('given the valid JSON roster, then every row is created and counted', async () => {
    expect(await importOk(fixture('valid.json'))).toEqual({
      agencies: c(2, 0, 0, 0),
      districts: c(2, 0, 0, 0),
      districtContacts: c(3, 0, 0, 0),
      officers: c(3, 0, 0, 0),
      assignments: c(4, 0, 0, 0),
      trainings: c(2, 0, 0, 0),
      policyReviews: c(2, 0, 0, 0),
      contactDays: c(3, 0, 0, 0),
    });
  });

  it('then the facts are stored as written: civil dates without a time-zone shift, nulls, arrays, enums', async () => {
    expect(await sql(`SELECT id, chief_name, chief_email, escalation_emails FROM agency ORDER BY id`)).toEqual([
      { id: 'MN0240000', chief_name: 'Sheriff Kurt Freitag', chief_email: null, escalation_emails: [] },
      {
        id: 'MN0240100',
        chief_name: 'Chief Ruth Anders',
        chief_email: 'chief@albertlea-pd.example',
        escalation_emails: ['deputy-chief@albertlea-pd.example', 'captain@albertlea-pd.example'],
      },
    ]);
    expect(
      await sql(
        `SELECT license, district_id, school, role::text, start_date::text, end_date::text, training_unavailable FROM assignment ORDER BY license, start_date`,
      ),
    ).toEqual([
      {
        license: '12345',
        district_id: 'ISD241',
        school: 'Albert Lea High School',
        role: 'REGULAR',
        start_date: '2025-10-01',
        end_date: null,
        training_unavailable: true,
      },
      {
        license: '23456',
        district_id: 'ISD241',
        school: 'Southwest Middle School',
        role: 'REGULAR',
        start_date: '2024-08-26',
        end_date: '2025-06-06',
        training_unavailable: false,
      },
      {
        license: '23456',
        district_id: 'CHTR4001',
        school: null,
        role: 'REGULAR',
        start_date: '2025-08-25',
        end_date: null,
        training_unavailable: false,
      },
      {
        license: '34567',
        district_id: 'CHTR4001',
        school: 'Riverland Academy',
        role: 'SUBSTITUTE',
        start_date: '2025-09-02',
        end_date: null,
        training_unavailable: false,
      },
    ]);
    expect(await sql(`SELECT date::text FROM contact_day ORDER BY date`)).toEqual([
      { date: '2025-09-08' },
      { date: '2025-09-09' },
      { date: '2025-09-10' },
    ]);
    expect(
      await sql(`SELECT district_id, email, role::text FROM district_contact ORDER BY district_id, email`),
    ).toEqual([
      { district_id: 'CHTR4001', email: 'director@riverland.example', role: 'PRIMARY' },
      { district_id: 'ISD241', email: 'sro-liaison@isd241.example', role: 'PRIMARY' },
      { district_id: 'ISD241', email: 'superintendent@isd241.example', role: 'ESCALATION' },
    ]);
  });
});

describe('importing again', () => {
  it('given the same JSON roster, then every row is unchanged and nothing is written', async () => {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    const counts = await importOk(fixture('valid.json'));
    for (const [section, n] of Object.entries(counts)) {
      expect({ section, ...n }).toEqual({ section, created: 0, updated: 0, unchanged: n.unchanged, deleted: 0 });
    }
    expect(counts.officers.unchanged).toBe(3);
    expect(counts.contactDays.unchanged).toBe(3);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });

  it('given the CSV folder holding the same facts, then every row is unchanged', async () => {
    await resetToValid();
    const counts = await importOk(fixture('valid-csv'));
    expect(Object.values(counts).every((n) => n.created === 0 && n.updated === 0 && n.deleted === 0)).toBe(true);
    expect(counts.districtContacts.unchanged).toBe(3);
  });

  it('given changed fields and a new contact day, then those rows are updated or created and the rest unchanged', async () => {
    await resetToValid();
    expect(await importOk(fixture('changed.json'))).toEqual({
      agencies: c(0, 0, 2, 0),
      districts: c(0, 0, 2, 0),
      districtContacts: c(0, 1, 2, 0),
      officers: c(0, 1, 2, 0),
      assignments: c(0, 1, 3, 0),
      trainings: c(0, 1, 1, 0),
      policyReviews: c(0, 0, 2, 0),
      contactDays: c(1, 0, 3, 0),
    });
    expect(await sql(`SELECT email FROM officer WHERE license = '12345'`)).toEqual([
      { email: 'dana.olson@alpd.example' },
    ]);
    expect(await sql(`SELECT end_date::text FROM assignment WHERE license = '34567'`)).toEqual([
      { end_date: '2026-06-05' },
    ]);
    expect(await sql(`SELECT name FROM district_contact WHERE email = 'sro-liaison@isd241.example'`)).toEqual([
      { name: 'Pat Liaison-Berg' },
    ]);
  });

  it('given a roster that leaves rows out, without --replace, then nothing is deleted but the contacts its districts no longer list', async () => {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    const { districtContacts, ...counts } = await importOk(fixture('smaller.json'));
    expect(Object.values(counts).every((n) => n.deleted === 0 && n.created === 0 && n.updated === 0)).toBe(true);
    // INTERFACE.md: a district in an imported roster brings its whole contact list.
    expect(districtContacts).toEqual(c(0, 0, 2, 1));
    const { district_contact: _contacts, ...after } = await databaseFingerprint(t.url);
    const { district_contact: _before, ...rest } = before;
    expect(after).toEqual(rest);
  });

  it('given a roster that references rows only the database holds, without --replace, then it is accepted', async () => {
    await resetToValid();
    const roster = rosterSchema.parse({
      trainings: [{ license: '12345', kind: 'SRO_MANDATED', completedOn: '2026-02-02', certificateOnFile: true }],
    });
    const r = await importRosterObject(t.url, roster, { replace: false });
    expect(r.ok && r.counts.trainings).toEqual(c(1, 0, 0, 0));
  });
});

describe('--replace', () => {
  it('given a roster that leaves rows out, then the database is made equal to it, and the alert ledger is kept', async () => {
    await resetToValid();
    await sql(
      `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, as_of) VALUES ('k:to=chief@x.example', 'k', 'DEADLINE_REMINDER', '34567', 'chief@x.example', '2026-03-02')`,
    );
    expect(await importOk(fixture('smaller.json'), true)).toEqual({
      agencies: c(0, 0, 1, 1),
      districts: c(0, 0, 2, 0),
      districtContacts: c(0, 0, 2, 1),
      officers: c(0, 0, 2, 1),
      assignments: c(0, 0, 3, 1),
      trainings: c(0, 0, 2, 0),
      policyReviews: c(0, 0, 1, 1),
      contactDays: c(0, 0, 0, 3),
    });
    expect(await sql(`SELECT license FROM officer ORDER BY license`)).toEqual([
      { license: '12345' },
      { license: '23456' },
    ]);
    expect(await sql(`SELECT count(*)::int AS n FROM contact_day`)).toEqual([{ n: 0 }]);
    expect(await sql(`SELECT key FROM alert_ledger`)).toEqual([{ key: 'k:to=chief@x.example' }]);
  });

  it('given the full roster again, then the deleted rows come back as created', async () => {
    await importOk(fixture('smaller.json'), true);
    const counts = await importOk(fixture('valid.json'), true);
    expect(counts.officers).toEqual(c(1, 0, 2, 0));
    expect(counts.contactDays).toEqual(c(3, 0, 0, 0));
  });

  it('given an empty roster, then every fact is deleted but the ledger stays', async () => {
    await resetToValid();
    const r = await importRosterObject(t.url, rosterSchema.parse({}), { replace: true });
    expect(r.ok && r.counts.officers).toEqual(c(0, 0, 0, 3));
    expect(r.ok && r.counts.agencies).toEqual(c(0, 0, 0, 2));
    expect(
      await sql(
        `SELECT (SELECT count(*) FROM agency)::int AS agencies, (SELECT count(*) FROM alert_ledger)::int AS ledger`,
      ),
    ).toEqual([{ agencies: 0, ledger: 1 }]);
  });
});

describe('invalid input writes nothing and lists every error', () => {
  /** Imports `path` into a database holding the valid roster; returns the errors after checking nothing changed. */
  async function rejected(path: string, replace = false) {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    const r = await importPath(path, replace);
    expect(await databaseFingerprint(t.url)).toEqual(before);
    if (r.ok) throw new Error('expected the import to be rejected');
    return r.errors.map(formatRosterError);
  }

  it('given a date that is not on the calendar (2026-02-30)', async () => {
    expect(await rejected(fixture('bad-date.json'))).toEqual([
      'bad-date.json:1: assignments[0].startDate: "2026-02-30" is not a calendar date (YYYY-MM-DD)',
    ]);
  });

  it('given an unknown training kind', async () => {
    expect(await rejected(fixture('unknown-training-kind.json'))).toEqual([
      'unknown-training-kind.json:1: trainings[0].kind: "SRO_BASIC" is not one of SRO_MANDATED, SRO_SUPPLEMENTAL, LEGACY_BASIC_SSC, LEGACY_BASIC_NASRO',
    ]);
  });

  it('given an e-mail address that is not one', async () => {
    expect(await rejected(fixture('bad-email.json'))).toEqual([
      'bad-email.json:1: officers[0].email: "dana.olson@" is not an e-mail address',
    ]);
  });

  it('given a duplicate natural key', async () => {
    expect(await rejected(fixture('duplicate-key.json'))).toEqual([
      'duplicate-key.json:4: officers[3].license: duplicate officer license "12345": same as officers[0]',
    ]);
  });

  it('given a CSV header without a required column', async () => {
    expect(await rejected(fixture('csv-missing-column'))).toEqual([
      'officers.csv:1: last_name: officers.csv has no column "last_name" in its header row',
    ]);
  });

  it('given references to a missing agency, district and officer, then all three are listed (and the valid rows are not written either)', async () => {
    expect(await rejected(fixture('dangling-references.json'))).toEqual([
      'dangling-references.json:1: officers[0].agencyId: no agency "MN9999999" in the roster or the database',
      'dangling-references.json:1: assignments[0].districtId: no district "ISD999" in the roster or the database',
      'dangling-references.json:1: trainings[0].license: no officer "99999" in the roster or the database',
    ]);
  });

  it('given --replace, then references to rows only the database holds are dangling too', async () => {
    const errors = await rejected(fixture('dangling-references.json'), true);
    expect(errors).toHaveLength(5);
    expect(errors.slice(3)).toEqual([
      'dangling-references.json:1: policyReviews[0].license: no officer "12345" in the roster (with --replace, everything referenced must be in the roster)',
      'dangling-references.json:1: policyReviews[0].agencyId: no agency "MN0240100" in the roster (with --replace, everything referenced must be in the roster)',
    ]);
  });

  it('given dangling references in a CSV folder, then they name the CSV file, line and column', async () => {
    expect(await rejected(fixture('csv-dangling'))).toEqual([
      'officers.csv:3: agency_id: no agency "MN9999999" in the roster or the database',
      'contact_days.csv:3: district_id: no district "ISD999" in the roster or the database',
    ]);
  });

  it('given a roster with three distinct errors, then all three are listed', async () => {
    expect(await rejected(fixture('three-errors.json'))).toHaveLength(3);
  });

  it('given a roster built in code with a duplicate key, then the import rejects it before writing', async () => {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    const officer = { license: '77777', firstName: 'Ana', lastName: 'Lund', agencyId: 'MN0240100' };
    const r = await importRosterObject(t.url, rosterSchema.parse({ officers: [officer, officer] }), { replace: false });
    expect(r.ok ? [] : r.errors.map(formatRosterError)).toEqual([
      'roster:2: officers[1].license: duplicate officer license "77777": same as officers[0]',
    ]);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });

  it('given the database fails after some rows are written, then the transaction is rolled back', async () => {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    await sql(
      `CREATE FUNCTION fail_contact_day() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$`,
    );
    await sql(
      `CREATE TRIGGER fail_contact_day BEFORE INSERT ON contact_day FOR EACH ROW EXECUTE FUNCTION fail_contact_day()`,
    );
    try {
      // changed.json updates officers, assignments and trainings before it inserts a contact day.
      await expect(importPath(fixture('changed.json'))).rejects.toThrow(RosterImportError);
      await expect(importPath(fixture('changed.json'))).rejects.toThrow(/rolled back.*disk full \(simulated\)/s);
      // The database's own words, nothing before or after them.
      await expect(importPath(fixture('changed.json'))).rejects.toThrow(
        /^the roster import failed and was rolled back: disk full \(simulated\)$/,
      );
    } finally {
      await sql(`DROP TRIGGER fail_contact_day ON contact_day`);
      await sql(`DROP FUNCTION fail_contact_day()`);
    }
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });
});

describe('size', () => {
  it('given 20,000 officers with assignments and trainings (60,000 rows), then one import creates them and a second finds them unchanged', async () => {
    const n = 20_000;
    const license = (i: number) => String(100000 + i);
    const roster = rosterSchema.parse({
      agencies: [{ id: 'BULK', name: 'Bulk PD' }],
      districts: [{ id: 'BULKD', name: 'Bulk District', kind: 'DISTRICT' }],
      officers: Array.from({ length: n }, (_, i) => ({
        license: license(i),
        firstName: 'F',
        lastName: `L${i}`,
        agencyId: 'BULK',
      })),
      assignments: Array.from({ length: n }, (_, i) => ({
        license: license(i),
        districtId: 'BULKD',
        role: 'REGULAR',
        startDate: '2025-10-01',
      })),
      trainings: Array.from({ length: n }, (_, i) => ({
        license: license(i),
        kind: 'SRO_MANDATED',
        completedOn: '2025-09-15',
      })),
    });
    await resetToValid();
    const first = await importRosterObject(t.url, roster, { replace: true });
    expect(first.ok && first.counts.trainings).toEqual(c(n, 0, 0, 2));
    const second = await importRosterObject(t.url, roster, { replace: true });
    expect(second.ok && second.counts.officers).toEqual(c(0, 0, n, 0));
  }, 120_000);
});
