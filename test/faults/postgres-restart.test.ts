// Scenario 5: PostgreSQL restarts under a running worker (a fast shutdown cuts every
// connection, as a failover does). The worker stays up: /livez stays 200 (a liveness probe
// must not restart it), /readyz (and its alias /healthz) says 503 naming the database while
// it lasts and 200 after, the pool reconnects, and every owed e-mail arrives once.
import { describe, expect, inject, it } from 'vitest';
import { expectLedgerSettled, report, scenarioFile, sleep } from './harness.ts';
import { pgCtl } from './services.ts';

let postgresDown = false;
const startScenario = scenarioFile(async () => {
  // Never leave the suite's cluster stopped for the scenarios after this one.
  if (postgresDown) await pgCtl(inject('faultPostgres'), 'start');
  postgresDown = false;
});

interface HealthProbe {
  status: number;
  body: { status: string; database: string; redis: string };
}

async function health(http: string, path = '/healthz'): Promise<HealthProbe> {
  const r = await fetch(`${http}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: r.status, body: (await r.json()) as HealthProbe['body'] };
}

async function live(http: string): Promise<number> {
  return (await fetch(`${http}/livez`, { signal: AbortSignal.timeout(5000) })).status;
}

describe('scenario 5: PostgreSQL restarted under the worker', () => {
  it('given a worker sending the 2026-03-02 batch, when PostgreSQL stops for a few seconds and starts again, /healthz reports it and every owed e-mail arrives once', async () => {
    // A relay that takes 400 ms per message keeps sends in flight when the database goes away.
    const s = await startScenario('pg-restart', {
      officers: 90,
      smtp: { latencyMs: 400 },
      workerEnv: { SMTP_RATE_PER_SECOND: '20', SMTP_POOL_SIZE: '8', SEND_LEASE_SECONDS: '20' },
    });
    const worker = await s.startWorker();
    expect(await health(worker.http)).toMatchObject({
      status: 200,
      body: { status: 'ok', database: 'up', redis: 'up' },
    });

    // When PostgreSQL stops in the middle of the batch, with sends in flight…
    await s.until('a quarter of the batch to arrive', 60_000, () => s.smtp.received.length >= s.expected.size / 4);
    await s.until(
      '3 sends in flight',
      30_000,
      async () => (await s.ledger()).filter((r) => r.status === 'PENDING' && r.claimed_by !== null).length >= 3,
    );
    postgresDown = true;
    await pgCtl(inject('faultPostgres'), 'stop');
    const receivedAtStop = s.smtp.received.length;
    // …then /healthz says so for as long as it lasts (polled over 4 s)…
    const during: HealthProbe[] = [];
    const readyDuring: HealthProbe[] = [];
    const liveDuring: number[] = [];
    for (let i = 0; i < 8; i++) {
      during.push(await health(worker.http));
      readyDuring.push(await health(worker.http, '/readyz'));
      liveDuring.push(await live(worker.http));
      await sleep(500);
    }
    await pgCtl(inject('faultPostgres'), 'start');
    postgresDown = false;
    // …and recovers once it is back,
    const after = await s.until('/healthz to answer 200 again', 30_000, async () => {
      const h = await health(worker.http);
      return h.status === 200 ? h : undefined;
    });

    // and the worker carries on: every owed e-mail arrives, once.
    const { t, ledger } = await s.settle(120_000);
    // Sends the server accepted while the database was down: their SENT record waited for it.
    const sentRecordsWaited = worker.log().match(/retrying the SENT record/g)?.length ?? 0;
    report(
      '5 PostgreSQL restarted',
      t,
      `stopped after ${receivedAtStop}/${t.expected} arrived; /readyz 503 on ${readyDuring.filter((h) => h.status === 503).length}/${readyDuring.length} polls while down (/healthz ${during.filter((h) => h.status === 503).length}/${during.length}), /livez 200 on ${liveDuring.filter((c) => c === 200).length}/${liveDuring.length}; 200 after; ${sentRecordsWaited} SENT-record retries`,
    );

    expect(receivedAtStop).toBeLessThan(t.expected);
    for (const h of [...during, ...readyDuring])
      expect(h).toMatchObject({ status: 503, body: { status: 'degraded', database: 'down', redis: 'up' } });
    expect(liveDuring).toEqual(liveDuring.map(() => 200));
    expect(await health(worker.http, '/readyz')).toMatchObject({ status: 200 });
    expect(after).toMatchObject({ status: 200, body: { status: 'ok', database: 'up', redis: 'up' } });
    expect(sentRecordsWaited).toBeGreaterThan(0);
    expect(t.missing).toEqual([]);
    expect(t.unexpected).toEqual([]);
    expect([...t.duplicated.keys()]).toEqual([]);
    expectLedgerSettled(s, ledger);
    expect(worker.running()).toBe(true);
  });
});
