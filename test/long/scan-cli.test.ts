// `sro scan` and `sro digest` as an operator runs them (child processes, real PostgreSQL and
// Redis): a backfill of a past day marks and can skip what today's state makes stale
// (RULES.md 5 "Never stale"); an unreachable Redis fails fast instead of hanging; the
// worker's first SIGTERM ends it within SHUTDOWN_SECONDS whatever Redis does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { type Env, type SroRun, runSro, spawnSro } from '../helpers/sro-cli.ts';

const demoRoster = join(projectRoot, 'examples', 'demo-roster.json');
const prefix = uniquePrefix('scancli');
/** A loopback port nothing listens on. */
const DEAD_REDIS = 'redis://:s3cret-pass@127.0.0.1:1';
let t: TestDatabase;
let outbox = '';

const sro = (args: string[], env: Env = {}): Promise<SroRun> =>
  runSro(args, env, { base: { DATABASE_URL: t.url, QUEUE_PREFIX: prefix, MAIL_OUTBOX_DIR: outbox } });

interface ScanAlert {
  kind: string;
  license: string;
  level: number | null;
  staleToday: boolean;
}

beforeAll(async () => {
  t = await createTestDatabase('scancli');
  outbox = await mkdtemp(join(tmpdir(), 'sro-scancli-'));
  const imported = await sro(['import', demoRoster]);
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(async () => {
  await deletePrefix(prefix);
  await t?.drop();
  if (outbox) await rm(outbox, { recursive: true, force: true });
});

// The demo roster's officer 24103 was OVERDUE on 2025-11-20 (level 2 due) and completed the
// course on 2025-12-01: compliant today. 24112 is still OVERDUE today.
describe('RULES 5 "Never stale": a scan of a past day', () => {
  it('given --dry-run --json of 2025-11-20, then the escalation of an officer compliant today is marked staleToday and the others are not', async () => {
    const r = await sro(['scan', '--as-of', '2025-11-20', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const alerts = (JSON.parse(r.stdout) as { alerts: ScanAlert[] }).alerts;
    const stale = alerts.filter((a) => a.staleToday).map((a) => [a.kind, a.license, a.level]);
    expect(stale).toEqual([['DEADLINE_MISSED', '24103', 2]]);
    expect(alerts.find((a) => a.license === '24112')?.staleToday).toBe(false);
    expect(alerts.every((a) => typeof a.staleToday === 'boolean')).toBe(true);
  });

  it('given the table, then it has a STALE TODAY column and says what --skip-stale would leave out', async () => {
    const r = await sro(['scan', '--as-of', '2025-11-20', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('STALE TODAY');
    expect(r.stdout).toMatch(/1 of them stale today/);
    expect(r.stdout).toMatch(/DEADLINE_MISSED\s+24103\s+2025-11-03\s+level 2\s+yes/);
  });

  it('given --skip-stale, then only the alerts not stale today are sent and the stale one is recorded SUPERSEDED with the reason', async () => {
    const r = await sro(['scan', '--as-of', '2025-11-20', '--skip-stale', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { scan: { staleAlerts: number }; delivery: { SENT: number; PENDING: number } };
    expect(out.scan.staleAlerts).toBe(1);
    expect(out.delivery.PENDING).toBe(0);
    const listed = await sro(['alerts', '--json']);
    const rows = (
      JSON.parse(listed.stdout) as {
        alerts: { kind: string; license: string; level: number | null; status: string; error: string | null }[];
      }
    ).alerts;
    const stale = rows.filter((a) => a.license === '24103' && a.kind === 'DEADLINE_MISSED' && a.level === 2);
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.every((a) => a.status === 'SUPERSEDED' && /STALE_TODAY/.test(a.error ?? ''))).toBe(true);
    expect(rows.filter((a) => a.license === '24112' && a.level === 3).every((a) => a.status === 'SENT')).toBe(true);
    expect(out.delivery.SENT).toBe(rows.filter((a) => a.status === 'SENT').length);
  });
});

describe('Redis unreachable', () => {
  it.each([['scan'], ['digest']])(
    'given REDIS_URL at a closed port, `sro %s` exits 3 within 10 s with one line naming Redis and REDIS_URL, password masked',
    async (command) => {
      const r = await sro([command, '--as-of', '2026-03-02'], { REDIS_URL: DEAD_REDIS });
      expect(r.code).toBe(3);
      expect(r.ms).toBeLessThan(12_000);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('Redis at REDIS_URL=redis://:***@127.0.0.1:1');
      expect(lines[0]).toContain('ECONNREFUSED');
      expect(r.stderr).not.toContain('s3cret-pass');
      expect(r.stdout).toBe('');
    },
    30_000,
  );

  it('given a worker whose Redis is gone, the first SIGTERM ends it within SHUTDOWN_SECONDS', async () => {
    const child = spawnSro(['worker'], {
      DATABASE_URL: t.url,
      REDIS_URL: DEAD_REDIS,
      QUEUE_PREFIX: prefix,
      HTTP_PORT: '0',
      SHUTDOWN_SECONDS: '3',
      MAIL_OUTBOX_DIR: outbox,
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${stderr}`)), 20_000);
      child.stderr.on('data', () => {
        if (stderr.includes('worker started')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Let it try (and fail) to reach Redis for a while, as a worker would over an outage.
    await new Promise((r) => setTimeout(r, 1500));
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(Date.now() - signalled).toBeLessThan(4_500);
    expect(code).not.toBeNull();
    expect(stderr).not.toContain('s3cret-pass');
    // Redis errors are reported, but not as a stack trace a second.
    expect((stderr.match(/Unhandled error event/g) ?? []).length).toBe(0);
  }, 40_000);
});

describe('PostgreSQL unreachable', () => {
  it.each([['report'], ['import', demoRoster], ['scan'], ['digest'], ['alerts', '--json'], ['scan', '--dry-run']])(
    'given DATABASE_URL at a closed port, `sro %s` exits 3 naming PostgreSQL and DATABASE_URL, password masked',
    async (...args) => {
      const r = await sro(args, { DATABASE_URL: 'postgresql://postgres:s3cret-pass@127.0.0.1:1/sro' });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        'PostgreSQL at DATABASE_URL=postgresql://postgres:***@127.0.0.1:1/sro is not reachable',
      );
      expect(r.stderr).not.toContain('s3cret-pass');
    },
    30_000,
  );
});

describe('--wait', () => {
  it('given a --wait that is not a number of seconds, then exit 2 naming the option', async () => {
    const r = await sro(['scan', '--wait', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--wait');
  });
});

describe('sro demo refuses a database in use', () => {
  it('given DATABASE_URL naming a database that holds officers the demo roster does not, then exit 1 naming it, and its roster and ledger are untouched', async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO officer (license, first_name, last_name, agency_id) SELECT 'X0001', 'Real', 'Officer', id FROM agency LIMIT 1`,
      );
      const before = (
        await client.query(
          `SELECT (SELECT count(*) FROM officer) AS officers, (SELECT count(*) FROM alert_ledger) AS ledger`,
        )
      ).rows[0];
      const r = await sro(['demo', '--as-of', '2026-03-02']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/holds 1 officer that the demo roster does not/);
      expect(r.stderr).toContain('Nothing was changed');
      const after = (
        await client.query(
          `SELECT (SELECT count(*) FROM officer) AS officers, (SELECT count(*) FROM alert_ledger) AS ledger`,
        )
      ).rows[0];
      expect(after).toEqual(before);
    } finally {
      await client.query(`DELETE FROM officer WHERE license = 'X0001'`);
      await client.end();
    }
  }, 60_000);
});
