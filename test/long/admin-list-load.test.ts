// An admin's officer list of a large roster under load (issue 19, security 2 and 3): above
// 20,000 officers GET /api/officers streams the status snapshot through a cursor. Many of
// them at once must each finish (200, or 503 when no connection is free in time), never
// wedge the console; with every connection held by readers who stopped reading, the next is
// shed with 503 before any byte of a list; and a reader who hangs up mid-answer must not
// leave its connection inside the cursor's read-only transaction for the next request.
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStatusSnapshot } from '../../src/app/status-snapshot.ts';
import { rulesOf } from '../../src/config.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { generateRoster } from '../../bench/generate-roster.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { queryRows } from '../helpers/db.ts';

const ADMIN = 'admin@example.org';
const OFFICERS = 21_000; // above LIVE_LIMIT (20,000): the admin's list is the snapshot's
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let rig: ConsoleRig;
let admin: WebClient;

beforeAll(async () => {
  rig = await startConsoleRig('admin-list-load', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '100000' });
  await generateRoster({ officers: OFFICERS, databaseUrl: rig.database.url, seed: 19, log: () => undefined });
  const pool = new pg.Pool({ connectionString: rig.database.url, max: 4 }); // refreshStatusSnapshot holds 4 at once
  try {
    await refreshStatusSnapshot(pool, civilDateIn(rig.config.timeZone), rulesOf(rig.config));
  } finally {
    await pool.end();
  }
  admin = await rig.signIn(ADMIN);
}, 180_000);
afterAll(async () => {
  await rig?.close();
});

const cookieOf = (c: WebClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** The status and the byte count of an answer read to its end; and whether it is a whole JSON list. */
async function drain(path: string): Promise<{ status: number; bytes: number; whole: boolean }> {
  const res = await fetch(new URL(path, rig.url), { headers: { cookie: cookieOf(admin) } });
  let bytes = 0;
  let tail = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    tail = (tail + Buffer.from(chunk).toString('latin1')).slice(-2);
  }
  return { status: res.status, bytes, whole: tail === ']}' };
}

/**
 * GET /api/officers on a connection of its own (never a kept-alive one, whose grown buffers
 * could hold a whole list): its status once the first bytes are in, then nothing more is
 * read (the server is held mid-list by back-pressure) until hangUp() closes the connection.
 */
function stalledList(): Promise<{ status: number; hangUp(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL('/api/officers', rig.url), { agent: false, headers: { cookie: cookieOf(admin) } });
    req.on('error', () => undefined); // hangUp() destroys it
    req.once('response', (res) => {
      res.once('error', () => undefined);
      res.once('data', () => {
        res.pause();
        resolve({ status: res.statusCode!, hangUp: () => req.destroy() });
      });
    });
    req.once('error', reject);
  });
}

/** Sessions of the rig's database left inside a transaction with nothing running. */
async function idleInTransaction(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    rig.database.url,
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
  );
  return row!.n;
}

async function until(what: string, ms: number, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

describe('an admin’s list of 21,000 officers, asked 12 times at once (the console’s pool holds 10)', () => {
  it('every request ends within 60 s, 200 with the whole list or 503; then /readyz is 200 and no session is idle in a transaction', async () => {
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 12 }, () => drain('/api/officers')));
    expect(Date.now() - started).toBeLessThan(60_000);
    for (const a of answers) {
      expect([200, 503]).toContain(a.status);
      if (a.status === 200) expect(a.whole).toBe(true);
    }
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);

    expect((await rig.client().get('/readyz')).status).toBe(200);
    await until('no session idle in a transaction', 5000, async () => (await idleInTransaction()) === 0);
    // And the console still answers the list.
    expect((await drain('/api/officers')).status).toBe(200);
  }, 90_000);
});

describe('ten admins who stop reading in the middle of the list (every connection of the pool held)', () => {
  it('one more list is shed with 503 and Retry-After within seconds; once they hang up the console answers again', async () => {
    const stalled = await Promise.all(Array.from({ length: 10 }, stalledList));
    expect(stalled.map((r) => r.status)).toEqual(Array(10).fill(200));
    const started = Date.now();
    const extra = await fetch(new URL('/api/officers', rig.url), { headers: { cookie: cookieOf(admin) } });
    await extra.text();
    expect(extra.status).toBe(503);
    expect(extra.headers.get('retry-after')).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(15_000);
    for (const r of stalled) r.hangUp();
    await until('no session idle in a transaction', 5000, async () => (await idleInTransaction()) === 0);
    expect((await drain('/api/officers')).status).toBe(200);
  }, 60_000);
});

describe('an admin who hangs up in the middle of the list', () => {
  it('leaves no connection inside the list’s transaction: writes after it succeed on every pooled connection', async () => {
    const list = await stalledList();
    expect(list.status).toBe(200);
    await sleep(300);
    list.hangUp();

    await until('no session idle in a transaction', 5000, async () => (await idleInTransaction()) === 0);
    // Sign-in attempts write (a link is spent by an UPDATE); ten at a time, ten times over,
    // take every connection of the pool: a connection still read-only would answer 500.
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => rig.client().post('/login/verify', { form: { token: 'never-issued' } })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(400));
    }
  }, 60_000);
});
