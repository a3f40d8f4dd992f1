// Scenario 1, RULES.md 5 "Once": four `sro worker` replicas whose cron fires the scan every
// two seconds, all pinned to the same as-of date, send every alert exactly once.
import { describe, expect, it } from 'vitest';
import { SCAN_EVERY_2S, expectLedgerSettled, report, scenarioFile, sentByWorker } from './harness.ts';

const startScenario = scenarioFile();

describe('scenario 1: four workers, cron every 2 s, one as-of date', () => {
  it('given 4 workers firing the 2026-03-02 scan every 2 s, every owed e-mail arrives exactly once', async () => {
    const s = await startScenario('concurrent', {
      officers: 150,
      workerEnv: { SCAN_CRON: SCAN_EVERY_2S, SMTP_RATE_PER_SECOND: '60' },
    });

    // When four replicas start together and keep firing the same day's scan…
    const workers = await s.startWorkers(4);
    // …and several more firings (each replica, every 2 s) come and go once all has arrived,
    const { t, ledger } = await s.settle(90_000, 5000);

    // then every owed e-mail arrived exactly once, and nothing else did.
    const perWorker = await Promise.all(workers.map(sentByWorker));
    report('1 four workers, cron every 2 s', t, `sent per worker ${perWorker.join('/')}`);
    expect(t.missing).toEqual([]);
    expect(t.unexpected).toEqual([]);
    expect([...t.duplicated.keys()]).toEqual([]);
    expect(s.smtp.received).toHaveLength(t.expected);
    expectLedgerSettled(s, ledger);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(t.expected);
    expect(workers.every((w) => w.running())).toBe(true);
  });
});
