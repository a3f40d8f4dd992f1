// Scenario 4: the mail server is down for a while: first it refuses connections, then it
// answers 451 (try again later), then it is back. Transient failures are retried with
// exponential backoff (SEND_ATTEMPTS, from 1 s): every alert is delivered after recovery,
// once, and the ledger shows the retries.
import { describe, expect, it } from 'vitest';
import { expectLedgerSettled, report, scenarioFile, sleep } from './harness.ts';

const startScenario = scenarioFile();

describe('scenario 4: SMTP receiver down, then deferring, then back', () => {
  it('given the receiver refusing connections, then answering 451, then accepting, every owed e-mail arrives once and the retries are in the ledger', async () => {
    const s = await startScenario('smtp-outage', {
      officers: 60,
      smtpMode: 'down',
      workerEnv: { SMTP_RATE_PER_SECOND: '60' },
    });
    const workers = await s.startWorkers(2);

    // Given the scan has written the ledger while connections are refused…
    await s.until('the scan to write the ledger', 30_000, async () => (await s.ledger()).length > 0);
    await sleep(3000);
    expect(s.smtp.received).toHaveLength(0);
    const refusedAttempts = (await s.ledger()).filter((r) => r.last_error !== null).length;
    // …when the server answers 451 for a while…
    await s.smtp.setMode('defer');
    await s.until('a 451', 30_000, () => s.smtp.deferred > 0);
    await sleep(3000);
    expect(s.smtp.received).toHaveLength(0);
    // …and then accepts again,
    await s.smtp.setMode('accept');

    // then every owed e-mail arrives, once, each row SENT after more than one attempt for some.
    const { t, ledger } = await s.settle(120_000);
    const sent = ledger.filter((r) => r.status === 'SENT');
    const retried = sent.filter((r) => r.attempts > 1).length;
    const maxAttempts = Math.max(...sent.map((r) => r.attempts));
    report(
      '4 SMTP refused, 451, back',
      t,
      `${retried}/${sent.length} rows sent after retries (max ${maxAttempts} attempts); ${s.smtp.deferred} transactions deferred`,
    );

    expect(refusedAttempts).toBeGreaterThan(0);
    expect(t.missing).toEqual([]);
    expect(t.unexpected).toEqual([]);
    expect([...t.duplicated.keys()]).toEqual([]);
    expectLedgerSettled(s, ledger);
    expect(retried).toBeGreaterThan(0);
    // markSent clears the transient error: a delivered row does not look failed.
    expect(sent.filter((r) => r.last_error !== null)).toEqual([]);
    expect(workers.every((w) => w.running())).toBe(true);
  });
});
