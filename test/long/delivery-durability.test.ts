// RULES.md 5 "A relay that is down delays, never drops" and "Nobody to send to is not sent",
// with real parts (PostgreSQL, Redis, an SMTP receiver on loopback): transient failures keep
// the row PENDING past SEND_ATTEMPTS, until SEND_RETRY_FOR_HOURS; `--wait` stops waiting but
// leaves the e-mails owed; the worker's sweep restores jobs Redis lost; a run counts only its
// own e-mails; the send worker sees an import's new chief at once.
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/worker/runtime.ts';
import { runJobToCompletion } from '../../src/worker/run-once.ts';
import { scanJob } from '../../jobs/scan.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';
import { deletePrefix } from '../helpers/redis.ts';
import { CHIEF, PRIMARY, pipelineRoster } from '../fixtures/pipeline-roster.ts';

let p: Pipeline | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const never = () => new AbortController().signal;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end)
      throw new Error(
        `timed out waiting for ${what}: ${JSON.stringify(p ? (await p.ledger()).map((r) => [r.status, r.attempts, r.last_error]) : null)}`,
      );
    await sleep(100);
  }
}

/** Whether the ledger holds the run's e-mail rows and each has been tried at least `n` times. */
async function triedAtLeast(q: Pipeline, n: number): Promise<boolean> {
  const rows = (await q.ledger()).filter((r) => r.recipient !== 'NO_CONTACT_ON_FILE' && r.status !== 'SUPERSEDED');
  return rows.length >= EXPECTED && rows.every((r) => r.attempts >= n);
}

/** The 7 e-mails the pipeline roster owes as of 2026-03-02 (reminder ×2, certificate ×1, level 3 ×4). */
const EXPECTED = 7;

describe('RULES 5 a relay that is down delays, never drops', () => {
  it('given SEND_ATTEMPTS=2 and a relay refusing connections for longer than those attempts, then the rows stay PENDING and every e-mail arrives once when it returns', async () => {
    p = await startPipeline('relay_down', { SEND_ATTEMPTS: '2', SEND_RETRY_MAX_DELAY_SECONDS: '1' });
    await p.load(pipelineRoster());
    await p.smtp.setMode('down');
    const run = p.scan('2026-03-02');
    // Attempt 1, then 1 s, 2 s (the quick retries), then every 1 s: well past 2 attempts.
    await until('4 attempts on every row', () => triedAtLeast(p!, 4));
    const during = await p.ledger();
    expect(during.filter((r) => r.status === 'FAILED')).toEqual([]);
    expect(during.filter((r) => r.status === 'PENDING')).toHaveLength(EXPECTED);
    expect(
      during
        .filter((r) => r.status === 'PENDING')
        .every((r) => /ESOCKET|ECONNREFUSED|DELIVERY_DEFERRED/.test(r.last_error ?? '')),
    ).toBe(true);
    await p.smtp.setMode('accept');
    const { delivery } = await run;
    expect(delivery).toMatchObject({ SENT: EXPECTED, FAILED: 0, PENDING: 0 });
    const keys = p.smtp.received.map((m) => `${m.key} ${m.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(EXPECTED);
  }, 60_000);

  it('given SEND_RETRY_FOR_HOURS elapsed since the first attempt with the relay still down, then the rows are FAILED with DELIVERY_GIVEN_UP and counted in sro_send_given_up_total', async () => {
    // 0.001 h = 3.6 s of retrying.
    p = await startPipeline('relay_given_up', {
      SEND_ATTEMPTS: '2',
      SEND_RETRY_MAX_DELAY_SECONDS: '1',
      SEND_RETRY_FOR_HOURS: '0.001',
    });
    await p.load(pipelineRoster());
    await p.smtp.setMode('down');
    const { delivery } = await p.scan('2026-03-02');
    expect(delivery).toMatchObject({ SENT: 0, FAILED: EXPECTED, PENDING: 0 });
    const failed = (await p.ledger()).filter((r) => r.status === 'FAILED' && r.recipient !== 'NO_CONTACT_ON_FILE');
    expect(failed).toHaveLength(EXPECTED);
    expect(failed.every((r) => r.last_error?.startsWith('DELIVERY_GIVEN_UP') && r.attempts >= 3)).toBe(true);
    // Given up only once the whole window had passed since the first attempt, not one retry early.
    const windows = await p.runtime.pool.query(
      `SELECT extract(epoch FROM updated_at - first_attempt_at) * 1000 AS ms FROM alert_ledger WHERE status = 'FAILED' AND recipient <> 'NO_CONTACT_ON_FILE'`,
    );
    expect(windows.rows.every((r) => Number(r.ms) >= 3600)).toBe(true);
    const metrics = await p.runtime.metrics.render();
    const givenUp = [...metrics.matchAll(/^sro_send_given_up_total\{[^}]*\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    expect(givenUp).toBe(EXPECTED);
  }, 60_000);

  it('given --wait runs out while the relay is down, then the run reports the e-mails still pending and they stay owed: a worker delivers them once the relay is back', async () => {
    p = await startPipeline('relay_wait', { SEND_ATTEMPTS: '2', SEND_RETRY_MAX_DELAY_SECONDS: '1' });
    await p.load(pipelineRoster());
    await p.smtp.setMode('down');
    const scanner = p.spawnReplica();
    const run = await runJobToCompletion(scanner, scanJob, { asOf: '2026-03-02' }, never(), { waitMs: 2000 });
    expect(run.waitExpired).toBe(true);
    expect(run.delivery).toMatchObject({ SENT: 0, FAILED: 0, PENDING: EXPECTED });
    await scanner.close();
    // The scan's process is gone; its delayed jobs stay in Redis for the worker (p.runtime).
    await p.smtp.setMode('accept');
    await until('every e-mail delivered', async () => p!.smtp.received.length >= EXPECTED);
    await sleep(1500);
    expect(p.smtp.received).toHaveLength(EXPECTED);
    expect((await p.ledger()).filter((r) => r.status === 'PENDING')).toEqual([]);
  }, 60_000);

  it('given Redis loses every job while rows wait for their retry, then the worker sweep hands them back and each e-mail arrives once', async () => {
    p = await startPipeline('relay_sweep', {
      SEND_ATTEMPTS: '2',
      SEND_RETRY_MAX_DELAY_SECONDS: '1',
      SEND_SWEEP_SECONDS: '1',
      SEND_LEASE_SECONDS: '5',
    });
    await p.load(pipelineRoster());
    await p.smtp.setMode('down');
    const run = p.scan('2026-03-02');
    await until('2 attempts on every row', () => triedAtLeast(p!, 2));
    // The process that ran the scan goes away, then Redis loses every job (a flush, a failover).
    await p.runtime.close({ force: true });
    await run.catch(() => undefined);
    await deletePrefix(p.prefix);
    // A worker process with the sweep on, as `sro worker` runs it: nothing in Redis tells it what is owed.
    const worker = createRuntime(p.config, silentLogger, { work: true, sweep: true });
    const pending = async () =>
      (await worker.pool.query(`SELECT count(*)::int AS n FROM alert_ledger WHERE status = 'PENDING'`)).rows[0]
        .n as number;
    try {
      expect(await pending()).toBe(EXPECTED);
      await p.smtp.setMode('accept');
      await until('every e-mail delivered after the flush', async () => p!.smtp.received.length >= EXPECTED, 40_000);
      await sleep(1500);
      expect(p.smtp.received).toHaveLength(EXPECTED);
      expect(await pending()).toBe(0);
    } finally {
      await worker.close();
    }
  }, 90_000);
});

describe('a run counts only its own e-mails', () => {
  it('given two scans of the same day started together, then their delivery summaries add up to the e-mails sent, each counted once', async () => {
    p = await startPipeline('two_runs');
    await p.load(pipelineRoster());
    const other = p.spawnReplica();
    const [a, b] = await Promise.all([p.scan('2026-03-02'), p.scan('2026-03-02', other)]);
    expect(p.smtp.received).toHaveLength(EXPECTED);
    expect(a.delivery.SENT + b.delivery.SENT).toBe(EXPECTED);
    expect(a.delivery.SUPERSEDED + b.delivery.SUPERSEDED).toBe(0);
  }, 60_000);
});

describe('the send worker sees an import at once', () => {
  it('given a worker that just sent to the chief, when an import replaces the chief, then the next alert goes to the new chief, not the old one', async () => {
    p = await startPipeline('new_chief');
    await p.load(pipelineRoster());
    await p.scan('2026-03-02');
    expect(p.smtp.received.some((m) => m.to === CHIEF)).toBe(true);
    const NEW_CHIEF = 'chief.new@lakeside-pd.example';
    const roster = pipelineRoster();
    roster.agencies[0]!.chief = { name: 'Chief New', email: NEW_CHIEF };
    await p.load(roster);
    const before = p.smtp.received.length;
    // 2026-03-18: the 14-day reminder of officer 10001 (due 2026-04-01).
    const { delivery } = await p.scan('2026-03-18');
    const sent = p.smtp.received
      .slice(before)
      .map((m) => m.to)
      .sort();
    expect(sent).toEqual([NEW_CHIEF, PRIMARY].sort());
    expect(delivery).toMatchObject({ SENT: 2, SUPERSEDED: 0 });
  }, 60_000);
});

describe('RULES 5 "Nobody to send to is not sent": a gap filled later', () => {
  it('given steps recorded NO_CONTACT_ON_FILE while the chief had no e-mail, when the e-mail is imported, then the next scan sends those steps to the chief and the gap rows stop counting as FAILED', async () => {
    p = await startPipeline('gap_filled');
    const roster = pipelineRoster();
    roster.agencies[0]!.chief = { name: 'Chief Ruth Anders' } as (typeof roster.agencies)[0]['chief'];
    await p.load(roster);
    await p.scan('2026-03-02');
    const gaps = (await p.ledger()).filter((r) => r.recipient === 'NO_CONTACT_ON_FILE' && r.status === 'FAILED');
    expect(gaps.length).toBeGreaterThan(0);
    expect(p.smtp.received.some((m) => m.to === CHIEF)).toBe(false);
    await p.load(pipelineRoster());
    const { delivery } = await p.scan('2026-03-02');
    const toChief = p.smtp.received
      .filter((m) => m.to === CHIEF)
      .map((m) => m.kind)
      .sort();
    expect(toChief).toEqual(['CERTIFICATE_MISSING', 'DEADLINE_MISSED', 'DEADLINE_REMINDER']);
    expect(delivery.SENT).toBe(toChief.length);
    const after = (await p.ledger()).filter((r) => r.recipient === 'NO_CONTACT_ON_FILE');
    expect(after.filter((r) => r.status === 'FAILED')).toEqual([]);
    expect(
      after
        .filter((r) => gaps.some((g) => g.key === r.key))
        .every((r) => r.status === 'SUPERSEDED' && /filled/.test(r.last_error ?? '')),
    ).toBe(true);
  }, 60_000);
});
