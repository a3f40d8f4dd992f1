// The rig of the `sro import` safety tests (test/integration/roster-import-safety-*.test.ts):
// one database per test file holding exactly the valid fixture before each test, a scratch
// folder for the rosters a case writes, and `sro` run as a child process against both.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { formatRosterError } from '../../src/roster/load.ts';
import { type TestDatabase, createTestDatabase, queryRows } from './db.ts';
import { importRosterPath } from './roster-import.ts';
import { deletePrefix, uniquePrefix } from './redis.ts';
import { type SroRun, runSro } from './sro-cli.ts';

export const FIXTURES = join(projectRoot, 'test', 'fixtures', 'rosters');
export const VALID_CSV = join(FIXTURES, 'valid-csv');
const CSV_FILES = [
  'agencies.csv',
  'districts.csv',
  'district_contacts.csv',
  'officers.csv',
  'assignments.csv',
  'trainings.csv',
  'policy_reviews.csv',
  'contact_days.csv',
];

/** The per-section count lines `sro import` prints. */
export const countLines = (r: SroRun) => r.stderr.split('\n').filter((l) => /^\w+\s+created \d+/.test(l));

export interface ImportSafetyRig {
  /** Set before the file's first test. */
  readonly database: TestDatabase;
  readonly scratch: string;
  readonly prefix: string;
  sro(args: string[]): Promise<SroRun>;
  /** The database holds exactly the valid fixture. */
  resetToValid(): Promise<void>;
  /** A fresh folder holding the valid CSV fixture's files, except those in `leaveOut`. */
  csvFolder(leaveOut?: readonly string[]): Promise<string>;
  count(table: string): Promise<number>;
}

/** The rig of one test file, `label` naming its database, queue prefix and scratch folder. */
export function importSafetyRig(label: string): ImportSafetyRig {
  let database: TestDatabase | undefined;
  let scratch: string | undefined;
  let folders = 0;
  const prefix = uniquePrefix(label);
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the import safety rig is used before its beforeAll');
    return value;
  };
  const rig: ImportSafetyRig = {
    get database() {
      return ready(database);
    },
    get scratch() {
      return ready(scratch);
    },
    prefix,
    sro: (args) =>
      runSro(args, {}, { base: { DATABASE_URL: rig.database.url, QUEUE_PREFIX: prefix }, timeout: 90_000 }),
    async resetToValid() {
      const r = await importRosterPath(rig.database.url, join(FIXTURES, 'valid.json'), { replace: true });
      if (!r.ok) throw new Error(r.errors.map(formatRosterError).join('\n'));
    },
    async csvFolder(leaveOut = []) {
      const dir = join(rig.scratch, `roster-${++folders}`);
      await mkdir(dir);
      for (const f of CSV_FILES) if (!leaveOut.includes(f)) await copyFile(join(VALID_CSV, f), join(dir, f));
      return dir;
    },
    count: async (table) =>
      (await queryRows<{ n: number }>(rig.database.url, `SELECT count(*)::int AS n FROM ${table}`))[0]!.n,
  };
  beforeAll(async () => {
    database = await createTestDatabase(label);
    scratch = await mkdtemp(join(tmpdir(), `sro-${label.replace(/_/g, '-')}-`));
  });
  afterAll(async () => {
    await deletePrefix(prefix);
    await database?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });
  beforeEach(() => rig.resetToValid());
  return rig;
}
