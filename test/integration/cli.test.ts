// INTERFACE.md: the `sro` command line as scripts use it (child processes, real PostgreSQL).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { createTestDatabase, databaseFingerprint, type TestDatabase } from '../helpers/db.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { type Env, type SroRun, runSro } from '../helpers/sro-cli.ts';

const fixtures = join(projectRoot, 'test', 'fixtures', 'rosters');
let t: TestDatabase;
const prefix = uniquePrefix('cli');

const sro = (args: string[], env: Env = {}): Promise<SroRun> =>
  runSro(args, env, { base: { DATABASE_URL: t?.url ?? '', QUEUE_PREFIX: prefix } });

beforeAll(async () => {
  t = await createTestDatabase('cli');
});
afterAll(async () => {
  await deletePrefix(prefix);
  await t?.drop();
});

describe('exit codes and help', () => {
  it('--help teaches every command and exits 0', async () => {
    const r = await sro(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['migrate', 'import', 'report', 'scan', 'digest', 'alerts', 'worker', 'demo'])
      expect(r.stdout).toContain(`sro ${c}`);
    const scan = await sro(['scan', '--help']);
    expect(scan.code).toBe(0);
    expect(scan.stdout).toContain('--dry-run');
  });
  it('usage errors exit 2 and say what is wrong', async () => {
    expect((await sro(['frobnicate'])).code).toBe(2);
    const badDate = await sro(['report', '--as-of', '2026-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('2026-02-30');
    expect((await sro(['report', '--bogus'])).code).toBe(2);
    expect((await sro(['import'])).code).toBe(2);
  });
  it('a bad configuration exits 1 with one line per variable', async () => {
    const r = await sro(['report'], { TZ: 'Nowhere/Land', ESCALATION_DAYS: 'x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ {2}TZ: /m);
    expect(r.stderr).toMatch(/^ {2}ESCALATION_DAYS: /m);
  });
});

describe('import → report → scan --dry-run, as scripts see them', () => {
  it('an invalid roster exits 1, lists every error with file, row and field, and writes nothing', async () => {
    const before = await databaseFingerprint(t.url);
    const r = await sro(['import', join(fixtures, 'three-errors.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/three-errors\.json:\d+: \S+: /g)).toHaveLength(3);
    expect(await databaseFingerprint(t.url)).toEqual(before);
  });

  it('report --json prints RULES.md section 3 for every officer; scan --dry-run --json matches INTERFACE.md', async () => {
    expect((await sro(['import', join(fixtures, 'valid.json')])).code).toBe(0);
    const report = await sro(['report', '--as-of', '2026-03-02', '--json']);
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.stdout) as { asOf: string; officers: Record<string, unknown>[] };
    expect(parsed.asOf).toBe('2026-03-02');
    expect(parsed.officers.length).toBeGreaterThan(0);
    for (const o of parsed.officers) {
      expect(Object.keys(o).sort()).toEqual(
        [
          'agencyId',
          'completedLate',
          'contactDays',
          'daysRemaining',
          'dueDate',
          'issues',
          'license',
          'name',
          'projected60thDay',
          'reason',
          'restrictedDuties',
          'status',
          'lastAlert',
        ].sort(),
      );
      // Nothing was sent yet: the delivery column is empty.
      expect(o.lastAlert).toBeNull();
    }
    const scan = await sro(['scan', '--as-of', '2026-03-02', '--dry-run', '--json']);
    expect(scan.code).toBe(0);
    const s = JSON.parse(scan.stdout) as { asOf: string; alerts: Record<string, unknown>[] };
    expect(s.asOf).toBe('2026-03-02');
    expect(s.alerts.length).toBeGreaterThan(0);
    for (const a of s.alerts) {
      for (const k of ['kind', 'license', 'dueDate', 'lead', 'level', 'threshold', 'recipients', 'key'])
        expect(a).toHaveProperty(k);
    }
    // A dry run writes nothing.
    const alerts = await sro(['alerts', '--json']);
    expect(JSON.parse(alerts.stdout)).toEqual({ alerts: [] });
  });
});
