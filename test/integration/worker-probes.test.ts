// `sro worker` as operators watch it (a real process, real PostgreSQL, Redis and SMTP):
// /livez and /readyz (HEAD like GET), and /metrics from prom-client after a real scan and
// sends: process metrics, send and scan histograms, last-success timestamps, build info,
// the ledger by every status, BullMQ's queue metrics; one HELP and TYPE per metric.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { useWorkerRig } from '../helpers/worker-process.ts';

const rig = useWorkerRig('probes');
const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(metrics: string, pattern: RegExp): number | undefined {
  const m = new RegExp(`^${pattern.source} (\\S+)$`, 'm').exec(metrics);
  return m ? Number(m[1]) : undefined;
}

describe('sro worker probes and metrics', () => {
  it('given a worker that scanned and sent, then /livez and /readyz answer 200 (HEAD too) and /metrics names every metric operators alarm on', async () => {
    const started = Date.now() / 1000;
    const { smtp, until, start } = rig();
    const { worker, http } = await start(['--as-of', '2026-03-02'], {
      SCAN_CRON: '* * * * * *',
      DIGEST_CRON: '* * * * * *',
    });
    await until(
      '7 alerts and the digest e-mails',
      30_000,
      () =>
        smtp.received.filter((m) => m.kind !== 'WEEKLY_DIGEST').length >= 7 &&
        smtp.received.some((m) => m.kind === 'WEEKLY_DIGEST'),
    );

    for (const path of ['/livez', '/readyz', '/healthz']) {
      const get = await fetch(`${http}${path}`);
      expect(get.status, path).toBe(200);
      const head = await fetch(`${http}${path}`, { method: 'HEAD' });
      expect(head.status, `HEAD ${path}`).toBe(200);
      expect(await head.text()).toBe('');
    }
    expect(await (await fetch(`${http}/livez`)).json()).toMatchObject({ status: 'alive' });
    expect(await (await fetch(`${http}/readyz`)).json()).toMatchObject({ status: 'ok', database: 'up', redis: 'up' });
    expect((await fetch(`${http}/metrics`, { method: 'POST' })).status).toBe(405);

    const metrics = await until('a scrape with the ledger settled', 10_000, async () => {
      const text = await (await fetch(`${http}/metrics`)).text();
      return sample(text, /sro_ledger_rows\{status="PENDING"\}/) === 0 ? text : undefined;
    });
    // The process (prom-client's default metrics).
    expect(sample(metrics, /process_cpu_user_seconds_total/)).toBeGreaterThan(0);
    expect(sample(metrics, /nodejs_heap_size_used_bytes/)).toBeGreaterThan(0);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds \S+$/m);
    expect(metrics).toMatch(/^nodejs_gc_duration_seconds_count\{kind="\w+"\} \d+$/m);
    // What the jobs did.
    expect(sample(metrics, /sro_alerts_sent_total\{kind="DEADLINE_MISSED"\}/)).toBe(4);
    expect(sample(metrics, /sro_send_duration_seconds_count\{outcome="SENT"\}/)).toBeGreaterThanOrEqual(7);
    expect(sample(metrics, /sro_scan_duration_seconds_count/)).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, /sro_last_scan_success_timestamp_seconds/)).toBeGreaterThan(started);
    expect(sample(metrics, /sro_last_digest_success_timestamp_seconds/)).toBeGreaterThan(started);
    expect(sample(metrics, /sro_send_given_up_total/) ?? 0).toBe(0);
    expect(sample(metrics, new RegExp(`sro_build_info\\{version="${version.replace(/\./g, '\\.')}"\\}`))).toBe(1);
    // The ledger, every status, zeros included.
    expect(sample(metrics, /sro_ledger_rows\{status="SENT"\}/)).toBeGreaterThanOrEqual(7);
    for (const status of ['PENDING', 'FAILED', 'SUPERSEDED'])
      expect(sample(metrics, new RegExp(`sro_ledger_rows\\{status="${status}"\\}`)), status).toBeGreaterThanOrEqual(0);
    // BullMQ's own queue metrics, for each queue.
    for (const queue of ['scan', 'send-alert', 'weekly-digest'])
      expect(metrics).toMatch(new RegExp(`^bullmq_job_count\\{queue="${queue}", state="waiting"[^}]*\\} \\d+$`, 'm'));
    // A valid exposition: one HELP and one TYPE per metric.
    const help = [...metrics.matchAll(/^# HELP (\S+)/gm)].map((m) => m[1]);
    expect(help.length).toBeGreaterThan(20);
    expect(new Set(help).size).toBe(help.length);

    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
