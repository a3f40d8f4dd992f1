// `sro alerts --json` prints a whole document or nothing (real `sro` child processes, real
// PostgreSQL): with the database unreachable, or its connections killed mid-listing, stdout
// stays empty and the exit is 3; otherwise the whole ledger comes out.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, adminUrl, createTestDatabase, queryRows } from '../helpers/db.ts';
import { spawnSro } from '../helpers/sro-cli.ts';

let t: TestDatabase;

function sro(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnSro(args, { DATABASE_URL: t.url, ...env });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  t = await createTestDatabase('alertsjson');
  // 60,000 ledger rows: 30 pages of listLedger.
  await queryRows(
    t.url,
    `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, as_of, status, created_at, updated_at)
     SELECT 'k' || i, 'a' || i, 'DEADLINE_REMINDER', 'L' || (i % 40), 'r' || i || '@district.example', '2026-03-02', 'SENT',
            timestamptz '2026-03-02 12:00:00Z' + i * interval '1 millisecond', now()
     FROM generate_series(1, 60000) i`,
  );
});
afterAll(async () => {
  await t?.drop();
});

describe('sro alerts --json prints a whole document or nothing', () => {
  it('with the database unreachable: empty stdout, exit 3, one line on stderr naming the failure', async () => {
    const r = await sro(['alerts', '--json'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/sro' });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^sro alerts: .*ECONNREFUSED.*127\.0\.0\.1:1\n$/);
  });

  it('with its connections killed while it pages through 60,000 ledger rows: a whole document (exit 0) or nothing (exit 3)', async () => {
    const app = 'sro-alerts-victim';
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    let killed = 0;
    let running = true;
    try {
      const killing = (async () => {
        // Every connection the command opens is terminated as soon as it shows up, over and over.
        while (running) {
          const r = await admin.query(
            `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
            [t.name, app],
          );
          killed += r.rows[0].n as number;
        }
      })();
      const r = await sro(['alerts', '--json'], { DATABASE_URL: `${t.url}?application_name=${app}` });
      running = false;
      await killing;
      expect(killed).toBeGreaterThan(0);
      if (r.code === 0) expect((JSON.parse(r.stdout) as { alerts: unknown[] }).alerts).toHaveLength(60000);
      else {
        expect(r.code).toBe(3);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^sro alerts: .+\n$/);
      }
    } finally {
      running = false;
      await admin.end();
    }
  });

  it('a ledger of 60,000 rows comes out whole, in order, through the temporary file', async () => {
    const r = await sro(['alerts', '--json']);
    expect(r.code).toBe(0);
    const alerts = (JSON.parse(r.stdout) as { alerts: { key: string; createdAt: string }[] }).alerts;
    expect(alerts).toHaveLength(60000);
    expect(alerts[0]!.key).toBe('k1');
    expect(alerts.at(-1)!.key).toBe('k60000');
  });
});
