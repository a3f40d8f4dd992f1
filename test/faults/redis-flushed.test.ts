// Scenario 3: Redis loses everything (FLUSHALL) in the middle of a run. Redis only carries
// work; the ledger in PostgreSQL is the truth. FLUSHALL also frees the day's scan job id
// (scan-2026-03-02), so the next cron firing runs the scan again, and the scan re-enqueues
// every PENDING ledger row (README "Operations: Redis lost"): nothing lost, nothing twice.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { type Scenario, expectLedgerSettled, report, scenarioFile } from './harness.ts';

const startScenario = scenarioFile();

/** FLUSHALL on the suite's private Redis, never on the machine's shared one. */
async function flushPrivateRedis(url: string): Promise<void> {
  if (new URL(url).port === '6379') throw new Error(`refusing to FLUSHALL ${url}: that is the shared Redis`);
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    await redis.flushall();
  } finally {
    redis.disconnect();
  }
}

const scansFinished = (s: Scenario) =>
  s.workers.reduce((n, w) => n + (w.log().match(/"msg":"scan finished"/g)?.length ?? 0), 0);

describe('scenario 3: Redis FLUSHALL in the middle of a run', () => {
  it('given two workers sending the 2026-03-02 batch, when Redis is flushed, the next scan re-derives what is owed from the ledger: nothing lost, nothing twice', async () => {
    const s = await startScenario('flushed', {
      officers: 150,
      smtp: { latencyMs: 100 },
      workerEnv: { SMTP_RATE_PER_SECOND: '30' },
    });
    const workers = await s.startWorkers(2);

    // When a quarter of the batch has arrived, Redis forgets every job (and the scan's job id)…
    await s.until('a quarter of the batch to arrive', 60_000, () => s.smtp.received.length >= s.expected.size / 4);
    const scansBefore = scansFinished(s);
    await flushPrivateRedis(s.redisUrl);
    const receivedAtFlush = s.smtp.received.length;

    // …then a later cron firing scans again, and every owed e-mail arrives, once.
    const { t, ledger } = await s.settle(120_000);
    const rescans = scansFinished(s) - scansBefore;
    report(
      '3 Redis FLUSHALL mid-run',
      t,
      `flushed after ${receivedAtFlush}/${t.expected} arrived; scans after the flush: ${rescans}`,
    );

    expect(receivedAtFlush).toBeLessThan(t.expected);
    expect(rescans).toBeGreaterThanOrEqual(1);
    expect(t.missing).toEqual([]);
    expect(t.unexpected).toEqual([]);
    expect([...t.duplicated.keys()]).toEqual([]);
    expectLedgerSettled(s, ledger);
    expect(workers.every((w) => w.running())).toBe(true);
  });
});
