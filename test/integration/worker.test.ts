// `sro worker` as a real process: cron fires the scan, queue workers send, /healthz and
// /metrics answer, and SIGTERM shuts it down gracefully.
import { describe, expect, it } from 'vitest';
import { useWorkerRig } from '../helpers/worker-process.ts';

const rig = useWorkerRig('worker');

describe('sro worker', () => {
  it('given a cron firing every second, sends what is due once, serves /healthz and /metrics, and stops on SIGTERM', async () => {
    const { smtp, until, start } = rig();
    const { worker, http } = await start(['--as-of', '2026-03-02'], { SCAN_CRON: '* * * * * *' });

    const health = await fetch(`${http}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up', redis: 'up' });

    await until('7 e-mails', 20_000, () => smtp.received.length >= 7 || undefined);
    // Several more firings for the same day add nothing.
    await new Promise((r) => setTimeout(r, 3000));
    expect(smtp.received).toHaveLength(7);

    const metrics = await (await fetch(`${http}/metrics`)).text();
    expect(metrics).toMatch(/^sro_alerts_sent_total\{kind="DEADLINE_MISSED"\} 4$/m);
    expect(metrics).toMatch(/^sro_ledger_rows\{status="SENT"\} 7$/m);

    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(rig().stderr).toContain('worker stopped');
  }, 60_000);
});
