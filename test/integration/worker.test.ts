// `sro worker` as a real process: cron fires the scan, queue workers send, /healthz and
// /metrics answer, and SIGTERM shuts it down gracefully.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { rosterSchema } from '../../src/roster/schema.ts';
import { importRoster } from '../../src/roster/import.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp.ts';
import { pipelineRoster } from '../fixtures/pipeline-roster.ts';

let t: TestDatabase;
let smtp: SmtpReceiver;
let worker: ChildProcess | undefined;
const prefix = uniquePrefix('worker');
let stderr = '';

async function until<T>(what: string, ms: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker stderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await createTestDatabase('worker');
  const r = await importRoster(t.db, rosterSchema.parse(pipelineRoster()), { replace: false });
  if (!r.ok) throw new Error('fixture');
  smtp = await startSmtpReceiver();
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await smtp?.close();
  await deletePrefix(prefix);
  await t?.drop();
});

describe('sro worker', () => {
  it('given a cron firing every second, sends what is due once, serves /healthz and /metrics, and stops on SIGTERM', async () => {
    worker = spawn(process.execPath, [join(projectRoot, 'bin', 'sro.js'), 'worker', '--as-of', '2026-03-02'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, SMTP_URL: smtp.url, SCAN_CRON: '* * * * * *', HTTP_PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    worker.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const http = await until('worker started', 20_000, () => /"http":"(http:\/\/[^"]+)"/.exec(stderr)?.[1]);

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

    const exited = new Promise<number | null>((resolve) => worker!.on('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('worker stopped');
  }, 60_000);
});
