// Scenario 1, RULES.md 5 "Once": four `sro worker` replicas whose cron fires the scan every
// two seconds, all pinned to the same as-of date, send every alert exactly once.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  SCAN_EVERY_2S,
  type Scenario,
  expectLedgerSettled,
  killAllWorkers,
  report,
  sentByWorker,
  sleep,
  startScenario,
} from './harness.ts';

let s: Scenario | undefined;
afterEach(killAllWorkers);
afterAll(async () => {
  await s?.close();
});

describe('scenario 1: four workers, cron every 2 s, one as-of date', () => {
  it('given 4 workers firing the 2026-03-02 scan every 2 s, every owed e-mail arrives exactly once', async () => {
    s = await startScenario('concurrent', {
      officers: 150,
      workerEnv: { SCAN_CRON: SCAN_EVERY_2S, SMTP_RATE_PER_SECOND: '60' },
    });

    // When four replicas start together and keep firing the same day's scan…
    const workers = await Promise.all([1, 2, 3, 4].map(() => s!.startWorker()));
    await s.waitForEverythingDelivered(90_000);
    // …and several more firings (each replica, every 2 s) come and go,
    await sleep(5000);

    // then every owed e-mail arrived exactly once, and nothing else did.
    const t = s.tally();
    const perWorker = await Promise.all(workers.map(sentByWorker));
    const ledger = await s.ledger();
    report({
      scenario: '1 four workers, cron every 2 s',
      delivered: t.delivered,
      expected: t.expected,
      duplicates: t.duplicates,
      note: `sent per worker ${perWorker.join('/')}`,
    });
    expect(t.missing).toEqual([]);
    expect(t.unexpected).toEqual([]);
    expect([...t.duplicated.keys()]).toEqual([]);
    expect(s.smtp.received).toHaveLength(t.expected);
    expectLedgerSettled(s, ledger);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(t.expected);
    expect(workers.every((w) => w.running())).toBe(true);
  });
});
