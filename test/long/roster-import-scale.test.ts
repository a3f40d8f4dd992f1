// `sro import` at scale (issue 15): the roster streamed into staging tables, checked and
// merged by SQL in one transaction. Real PostgreSQL, a database of this file's own: an error
// in the last row of a large file, more than 1,000 errors, duplicates far apart, sections
// valid and invalid together, two imports at once, a snapshot read during an import. The
// streamed readers beside the readers in memory: roster-import-oracle.test.ts.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { openSnapshot } from '../../src/db/snapshot.ts';
import { MAX_LISTED_ERRORS } from '../../src/roster/error-list.ts';
import { type ImportResult, ImportBusyError, importFeed } from '../../src/roster/import.ts';
import { formatRosterError, openRosterFeed } from '../../src/roster/load.ts';
import { loadRoster } from '../oracle/roster-in-memory.ts';
import { type TestDatabase, createTestDatabase, databaseFingerprint, queryRows } from '../helpers/db.ts';
import { importRosterObject } from '../helpers/roster-import.ts';
import { runSro } from '../helpers/sro-cli.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rosters');
type Json = Record<string, unknown>;
let t: TestDatabase;
let scratch: string;
let folders = 0;

beforeAll(async () => {
  t = await createTestDatabase('import_scale');
  scratch = await mkdtemp(join(tmpdir(), 'sro-import-scale-'));
});
afterAll(async () => {
  await t?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** What `sro import PATH` runs: the streamed feed, imported over a connection of its own. */
async function importPath(path: string, options: { replace?: boolean; lockWaitMs?: number } = {}) {
  const opened = await openRosterFeed(path);
  if (!opened.ok) return { ok: false as const, errors: opened.errors };
  return importFeed(t.url, opened.feed, { replace: options.replace ?? false, lockWaitMs: options.lockWaitMs });
}

const messages = (r: ImportResult) => (r.ok ? [] : r.errors.map(formatRosterError));

async function resetToValid(): Promise<void> {
  const r = await importPath(join(FIXTURES, 'valid.json'), { replace: true });
  expect(messages(r)).toEqual([]);
}

/** A fresh folder holding `files` (name → text). */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = join(scratch, `roster-${++folders}`);
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** A CSV roster of `n` officers of one agency, each with an assignment and two contact days. */
function bigCsv(n: number, edit: (files: Record<string, string[]>) => void = () => {}): Record<string, string> {
  const license = (i: number) => `S${String(i).padStart(7, '0')}`;
  const files: Record<string, string[]> = {
    'agencies.csv': ['id,name,chief_email', 'SCALE,Scale PD,chief@scale.example'],
    'districts.csv': ['id,name,kind', 'SCALED,Scale District,DISTRICT'],
    'district_contacts.csv': ['district_id,name,email,role', 'SCALED,Pat Primary,pat@scale.example,PRIMARY'],
    'officers.csv': ['license,first_name,last_name,email,agency_id'],
    'assignments.csv': ['license,district_id,role,start_date'],
    'contact_days.csv': ['license,district_id,date'],
    // Header rows alone: with --replace, an absent file would refuse the import.
    'trainings.csv': ['license,kind,completed_on'],
    'policy_reviews.csv': ['license,agency_id,reviewed_on'],
  };
  for (let i = 0; i < n; i++) {
    files['officers.csv']!.push(`${license(i)},Ana,Lund${i},,SCALE`);
    files['assignments.csv']!.push(`${license(i)},SCALED,SUBSTITUTE,2025-09-02`);
    files['contact_days.csv']!.push(`${license(i)},SCALED,2025-09-08`, `${license(i)},SCALED,2025-09-09`);
  }
  edit(files);
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, `${v.join('\n')}\n`]));
}

describe('an error in the last row of a large file', () => {
  it('given 100,000 contact days whose last date is 2026-02-30, then that line is named and nothing is written', async () => {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    const dir = await folder(
      bigCsv(50_000, (f) => {
        const days = f['contact_days.csv']!;
        days[days.length - 1] = days[days.length - 1]!.replace('2025-09-09', '2026-02-30');
      }),
    );
    const r = await importPath(dir);
    expect(messages(r)).toEqual(['contact_days.csv:100001: date: "2026-02-30" is not a calendar date (YYYY-MM-DD)']);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  }, 120_000);

  it('given a JSON roster of 50,000 officers whose last one names an unknown agency, then it is named and nothing is written', async () => {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    const officers = Array.from({ length: 50_000 }, (_, i) => ({
      license: `J${i}`,
      firstName: 'Ana',
      lastName: 'Lund',
      agencyId: i === 49_999 ? 'NOWHERE' : 'MN0240100',
    }));
    const path = join(scratch, 'last-row.json');
    await writeFile(path, JSON.stringify({ officers }));
    expect(messages(await importPath(path))).toEqual([
      'last-row.json:50000: officers[49999].agencyId: no agency "NOWHERE" in the roster or the database',
    ]);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  }, 120_000);
});

describe('more than 1,000 errors', () => {
  it('given 3,000 bad e-mails and 600 duplicate licenses, then the first 1,000 are listed in file order and every error is counted by kind', async () => {
    const dir = await folder(
      bigCsv(3_000, (f) => {
        const officers = f['officers.csv']!;
        for (let i = 1; i < officers.length; i++)
          officers[i] = officers[i]!.replace(',,SCALE', ',not-an-address,SCALE');
        for (let i = 0; i < 600; i++) officers.push(`S${String(i).padStart(7, '0')},Dup,Licate,,SCALE`);
      }),
    );
    const r = await importPath(dir);
    if (r.ok) throw new Error('expected the import to be rejected');
    expect(r.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(r.totalErrors).toBe(3_600);
    expect(r.errorCounts).toEqual({ INVALID_VALUE: 3_000, DUPLICATE_KEY: 600 });
    expect(formatRosterError(r.errors[0]!)).toBe('officers.csv:2: email: "not-an-address" is not an e-mail address');
    expect(r.errors.map((e) => e.row)).toEqual(Array.from({ length: MAX_LISTED_ERRORS }, (_, i) => i + 2));

    const cli = await runSro(['import', dir, '--json'], {}, { base: { DATABASE_URL: t.url }, timeout: 90_000 });
    expect(cli.code).toBe(1);
    expect(cli.stderr.split('\n').filter((l) => l.startsWith('error: officers.csv:'))).toHaveLength(MAX_LISTED_ERRORS);
    expect(cli.stderr).toContain(
      'error: 3600 errors (INVALID_VALUE 3000, DUPLICATE_KEY 600); the first 1000 are listed; nothing was imported',
    );
    const json = JSON.parse(cli.stdout) as { totalErrors: number; errors: unknown[]; errorCounts: object };
    expect([json.totalErrors, json.errors.length, json.errorCounts]).toEqual([
      3_600,
      MAX_LISTED_ERRORS,
      { INVALID_VALUE: 3_000, DUPLICATE_KEY: 600 },
    ]);
  }, 120_000);
});

describe('duplicate natural keys far apart', () => {
  it('given an officer on line 2 repeated on the last line of 120,000, then both lines are named', async () => {
    const dir = await folder(
      bigCsv(120_000, (f) => {
        f['officers.csv']!.push('S0000000,Other,Person,,SCALE');
      }),
    );
    expect(messages(await importPath(dir))).toEqual([
      'officers.csv:120002: license: duplicate officer license "S0000000": same as line 2',
    ]);
  }, 120_000);

  it('given a contact day repeated across the file, and a district contact twice, then each is named with the first', async () => {
    const dir = await folder(
      bigCsv(2_000, (f) => {
        f['contact_days.csv']!.push('S0000005,SCALED,2025-09-08');
        f['district_contacts.csv']!.push('SCALED,Pat Again,pat@scale.example,PRIMARY');
      }),
    );
    expect(messages(await importPath(dir))).toEqual([
      'district_contacts.csv:3: duplicate district contact (district "SCALED", e-mail "pat@scale.example", role "PRIMARY"): same as line 2',
      'contact_days.csv:4002: duplicate contact day (license "S0000005", district "SCALED", date "2025-09-08"): same as line 12',
    ]);
  }, 60_000);
});

describe('valid and invalid sections together', () => {
  it('given valid agencies, districts and assignments and one invalid officer, then only the officer is named and nothing is written', async () => {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    const dir = await folder(
      bigCsv(1_000, (f) => {
        f['officers.csv']![500] = f['officers.csv']![500]!.replace('Ana', '');
      }),
    );
    expect(messages(await importPath(dir))).toEqual(['officers.csv:501: first_name: is required']);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });
});

describe('two imports at once', () => {
  it('given an import running, then a second is refused naming the other, and the first commits whole', async () => {
    await resetToValid();
    const dir = await folder(bigCsv(60_000));
    const first = importPath(dir);
    // The first takes the lock as it begins; wait until it holds it.
    for (let i = 0; i < 100; i++) {
      const held = await queryRows<{ n: number }>(
        t.url,
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 4626848 AND objid = 2 AND granted`,
      );
      if (held[0]!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const second = importPath(join(FIXTURES, 'changed.json'), { lockWaitMs: 300 });
    await expect(second).rejects.toThrow(ImportBusyError);
    await expect(second).rejects.toThrow(
      /^another import is running \(PostgreSQL process \d+, application "sro import"/,
    );
    const r = await first;
    expect(r.ok && r.counts.officers).toEqual({ created: 60_000, updated: 0, unchanged: 0, deleted: 0 });
    expect((await queryRows<{ n: number }>(t.url, 'SELECT count(*)::int AS n FROM contact_day'))[0]!.n).toBe(120_003);
  }, 120_000);
});

describe('a scan during an import', () => {
  it('given snapshot reads while a --replace import runs, then each sees the roster before or after, never half', async () => {
    await resetToValid();
    const before = { officers: 3, contactDays: 3 };
    const dir = await folder(bigCsv(40_000));
    const pool = createPool(t.url, 4);
    const seen: string[] = [];
    try {
      let done = false;
      const importing = importPath(dir, { replace: true }).finally(() => {
        done = true;
      });
      while (!done) {
        const snapshot = await openSnapshot(pool);
        try {
          const officers = (await snapshot.query('SELECT count(*)::int AS n FROM officer')).rows[0].n as number;
          await new Promise((resolve) => setTimeout(resolve, 20));
          const days = (await snapshot.query('SELECT count(*)::int AS n FROM contact_day')).rows[0].n as number;
          seen.push(`${officers}/${days}`);
        } finally {
          await snapshot.release();
        }
      }
      const r = await importing;
      expect(r.ok).toBe(true);
    } finally {
      await pool.end();
    }
    const after = '40000/80000';
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen.filter((s) => s !== `${before.officers}/${before.contactDays}` && s !== after))).toEqual(
      new Set(),
    );
  }, 120_000);
});

describe('--dry-run', () => {
  it('given a roster that changes the database, then the counts are those the import makes, and nothing is written', async () => {
    await resetToValid();
    const before = await databaseFingerprint(t.url);
    const dry = await runSro(
      ['import', join(FIXTURES, 'changed.json'), '--dry-run', '--json'],
      {},
      {
        base: { DATABASE_URL: t.url },
        timeout: 60_000,
      },
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('dry run: would import');
    expect(await databaseFingerprint(t.url)).toEqual(before);
    const real = await importPath(join(FIXTURES, 'changed.json'));
    const out = JSON.parse(dry.stdout) as { changes: Record<string, Record<string, unknown[]>> };
    expect(real.ok && out).toEqual({
      path: join(FIXTURES, 'changed.json'),
      replace: false,
      dryRun: true,
      counts: real.ok ? real.counts : null,
      changes: expect.any(Object),
    });
    // Who would change, as many as the counts say (INTERFACE.md "Imports that say everything at once").
    for (const [section, c] of Object.entries(real.ok ? real.counts : {}))
      expect([section, ...['created', 'updated', 'deleted'].map((l) => out.changes[section]![l]!.length)]).toEqual([
        section,
        c.created,
        c.updated,
        c.deleted,
      ]);
  });
});

describe('facts recorded in the console (RULES.md 7)', () => {
  it('given a CONSOLE contact day the roster lacks and a CONSOLE training it lists, then --replace keeps the first and makes the second ROSTER', async () => {
    await resetToValid();
    await queryRows(
      t.url,
      `INSERT INTO contact_day (license, district_id, date, source, recorded_by, recorded_at)
       VALUES ('34567', 'CHTR4001', '2025-09-11', 'CONSOLE', 'chief@x.example', now())`,
    );
    await queryRows(t.url, `UPDATE training SET source = 'CONSOLE' WHERE license = '23456' AND kind = 'SRO_MANDATED'`);
    const r = await importPath(join(FIXTURES, 'valid.json'), { replace: true });
    expect(r.ok && [r.counts.contactDays, r.counts.trainings]).toEqual([
      { created: 0, updated: 0, unchanged: 3, deleted: 0 },
      { created: 0, updated: 1, unchanged: 1, deleted: 0 },
    ]);
    expect(
      await queryRows(t.url, `SELECT date::text, source::text FROM contact_day WHERE source = 'CONSOLE' ORDER BY date`),
    ).toEqual([{ date: '2025-09-11', source: 'CONSOLE' }]);
    expect(
      await queryRows(t.url, `SELECT source::text FROM training WHERE license = '23456' AND kind = 'SRO_MANDATED'`),
    ).toEqual([{ source: 'ROSTER' }]);
    await queryRows(t.url, `DELETE FROM contact_day WHERE source = 'CONSOLE'`);
  });

  // Decision (RULES.md 7, issue 14): removing an officer would cascade to their CONSOLE
  // facts, so such a --replace is refused, all or nothing, one error per officer.
  it('given officers holding CONSOLE facts left out of the roster, then --replace from JSON or CSV is refused with one error per officer, and nothing changes', async () => {
    await resetToValid();
    await queryRows(t.url, `UPDATE training SET source = 'CONSOLE' WHERE license = '23456'`);
    await queryRows(t.url, `UPDATE policy_review SET source = 'CONSOLE' WHERE license = '34567'`);
    await queryRows(
      t.url,
      `INSERT INTO contact_day (license, district_id, date, source, recorded_by, recorded_at)
       VALUES ('34567', 'CHTR4001', '2025-09-11', 'CONSOLE', 'chief@x.example', now())`,
    );
    const gone = new Set(['23456', '34567']);
    const valid = JSON.parse(await readFile(join(FIXTURES, 'valid.json'), 'utf8')) as Record<string, Json[]>;
    const without = Object.fromEntries(
      Object.entries(valid).map(([k, rows]) => [k, rows.filter((row) => !gone.has(String(row.license)))]),
    );
    const json = join(scratch, 'without-two.json');
    await writeFile(json, JSON.stringify(without));
    const files: Record<string, string> = {};
    for (const name of [
      'agencies',
      'districts',
      'district_contacts',
      'officers',
      'assignments',
      'trainings',
      'policy_reviews',
      'contact_days',
    ]) {
      const text = await readFile(join(FIXTURES, 'valid-csv', `${name}.csv`), 'utf8');
      files[`${name}.csv`] = text
        .split('\n')
        .filter((line) => !gone.has(line.split(',')[0]!))
        .join('\n');
    }
    const csv = await folder(files);
    const refusal = (file: string) => [
      `${file}: officer "23456" is not in the file but holds facts recorded in the console (2 trainings); keep the officer in the roster, or delete those facts in the console first`,
      `${file}: officer "34567" is not in the file but holds facts recorded in the console (1 policy review, 1 contact day); keep the officer in the roster, or delete those facts in the console first`,
    ];
    const before = await databaseFingerprint(t.url);
    const fromJson = await importPath(json, { replace: true });
    expect(messages(fromJson)).toEqual(refusal('without-two.json'));
    expect(fromJson.ok || fromJson.errors.map((e) => [e.code, e.row, e.field])).toEqual([
      ['HOLDS_CONSOLE_FACTS', null, null],
      ['HOLDS_CONSOLE_FACTS', null, null],
    ]);
    expect(messages(await importPath(csv, { replace: true }))).toEqual(refusal('officers.csv'));
    // The same from a roster read whole into memory (the oracle) and the CLI, dry run included.
    const loaded = await loadRoster(json);
    expect(loaded.ok && messages(await importRosterObject(t.url, loaded.roster, { replace: true }))).toEqual(
      refusal('without-two.json'),
    );
    const cli = await runSro(['import', csv, '--replace', '--dry-run'], { DATABASE_URL: t.url });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`error: ${refusal('officers.csv')[1]}`);
    expect(await databaseFingerprint(t.url)).toEqual(before);
    // Without --replace nothing is deleted, so nothing is refused.
    expect(messages(await importPath(csv))).toEqual([]);

    await queryRows(t.url, `DELETE FROM contact_day WHERE source = 'CONSOLE'`);
    await resetToValid();
  });
});
