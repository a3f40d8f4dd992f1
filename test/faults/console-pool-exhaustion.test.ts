// Console scenario: more admin lists at once than the pool has connections (issue 19,
// security 2 and 3). Above 20,000 officers an admin's GET /api/officers streams the status
// snapshot through a cursor that holds one pooled connection; the pool has 10. Two dozen at
// once must each end, with the whole list or 503 when no connection was free within the
// acquire timeout, never wedge the console; with ten readers stalled mid-list (every
// connection held) one more is shed with 503; readers who hang up mid-list must not leave
// their connections inside the list's transaction. Afterwards /readyz is 200, no session is
// idle in a transaction, and writes succeed on every connection.
import { describe, expect, it } from 'vitest';
import { generateRoster } from '../../bench/generate-roster.ts';
import { withClient } from '../../support/postgres.ts';
import { WebClient } from '../helpers/console.ts';
import { type ConsoleProcess, consoleScenarioFile, cookieOf, stalledGet, startConsoleProcess } from './console.ts';
import { until } from './services.ts';

const ADMIN = 'admin@faults.example';
const OFFICERS = 21_000;
const AT_ONCE = 24;
/** Each request's bound: the acquire timeout (5 s) and a 21,000-officer list, with room for a loaded machine. */
const BOUND_MS = 60_000;

consoleScenarioFile();

/** Status, bytes and whether the body is a whole JSON list, read to the end; null status past the bound. */
async function drain(c: ConsoleProcess, cookie: string): Promise<{ status: number | null; whole: boolean }> {
  try {
    const res = await fetch(new URL('/api/officers', c.url), {
      headers: { cookie },
      signal: AbortSignal.timeout(BOUND_MS),
    });
    let tail = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      tail = (tail + Buffer.from(chunk).toString('latin1')).slice(-2);
    return { status: res.status, whole: tail === ']}' };
  } catch {
    return { status: null, whole: false };
  }
}

describe('console scenario: the admin list under load', () => {
  it(`given ${OFFICERS.toLocaleString('en-US')} officers, ${AT_ONCE} admin lists at once each end (200 or 503), stalled readers shed the next with 503, readers hanging up poison nothing, and readiness recovers`, async () => {
    const c = await startConsoleProcess('pool-exhaustion', {
      env: { ADMIN_EMAILS: ADMIN },
      prepare: async (url) => {
        await generateRoster({ officers: OFFICERS, databaseUrl: url, seed: 19, log: () => undefined });
      },
    });
    // The console evaluates everyone into the snapshot at start.
    await until('the status snapshot', 120_000, () =>
      withClient(c.databaseUrl, async (db) => {
        const r = await db.query<{ ok: boolean }>(`SELECT as_of IS NOT NULL AS ok FROM status_snapshot WHERE id = 1`);
        return r.rows[0]!.ok;
      }),
    );
    const cookie = cookieOf(await c.signIn(ADMIN));

    // When two dozen lists are asked at once…
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: AT_ONCE }, () => drain(c, cookie)));
    const seconds = (Date.now() - started) / 1000;
    const ok = answers.filter((a) => a.status === 200);
    const shed = answers.filter((a) => a.status === 503);
    console.log(
      `console pool exhaustion: ${AT_ONCE} admin lists of ${OFFICERS} officers at once: ${ok.length} x 200, ${shed.length} x 503 in ${seconds.toFixed(1)} s`,
    );
    // …each ends, with the whole list or 503 (load shed), none hangs.
    expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    expect(ok.every((a) => a.whole)).toBe(true);
    expect(ok.length).toBeGreaterThan(0);

    // When ten readers stop reading in the middle of the list, holding the pool's ten connections…
    const stalled = await Promise.all(Array.from({ length: 10 }, () => stalledGet(c.url, '/api/officers', cookie)));
    expect(stalled.map((r) => r.status)).toEqual(Array(10).fill(200));
    // …one more is shed with 503 once the acquire timeout has passed, not queued without end…
    const shedStarted = Date.now();
    const extra = await fetch(new URL('/api/officers', c.url), {
      headers: { cookie },
      signal: AbortSignal.timeout(BOUND_MS),
    });
    const shedSeconds = (Date.now() - shedStarted) / 1000;
    await extra.text();
    console.log(
      `console pool exhaustion: with 10 stalled readers, one more list: ${extra.status} in ${shedSeconds.toFixed(1)} s`,
    );
    expect(extra.status).toBe(503);
    expect(extra.headers.get('retry-after')).not.toBeNull();
    expect(shedSeconds).toBeLessThan(15);
    // …and when those readers hang up mid-list, their connections are rolled back, not reused inside the list's transaction.
    for (const r of stalled) r.hangUp();

    // …readiness recovers, no connection is left inside a transaction…
    await until('/readyz 200', 15_000, async () => (await fetch(new URL('/readyz', c.url))).status === 200);
    await until(
      'no session idle in a transaction',
      10_000,
      async () => (await c.sessions('idle in transaction%')) === 0,
    );
    // …and writes succeed on every pooled connection (spending a link is an UPDATE; a connection
    // left read-only would answer 500), ten at a time, ten times over.
    for (let round = 0; round < 10; round++) {
      const statuses = await Promise.all(
        Array.from(
          { length: 10 },
          async () => (await new WebClient(c.url).post('/login/verify', { form: { token: 'never-issued' } })).status,
        ),
      );
      expect(statuses).toEqual(Array(10).fill(400));
    }
    expect((await drain(c, cookie)).status).toBe(200);
  });
});
