// `sro scan` / `sro digest` without --dry-run: put the job on the real queue, process it
// and the send jobs it fans out in this process, and return when everything is sent or failed.
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Runtime } from './runtime.ts';
import { TRIGGER_JOB_OPTIONS } from './queue.ts';

export interface DeliveryCounts {
  SENT: number;
  FAILED: number;
  SUPERSEDED: number;
  PENDING: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForJob(queue: Queue, id: string, signal: AbortSignal): Promise<unknown> {
  for (;;) {
    if (signal.aborted) throw new Error('interrupted');
    const job = await queue.getJob(id);
    if (job) {
      const state = await job.getState();
      // Re-read: the job object fetched before completion has no return value yet.
      if (state === 'completed') return (await queue.getJob(id))?.returnvalue;
      if (state === 'failed' && job.attemptsMade >= (job.opts.attempts ?? 1)) throw new Error(`${queue.name} job failed: ${job.failedReason}`);
    }
    await sleep(25);
  }
}

export async function waitForSendQueueDrained(runtime: Runtime, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) throw new Error('interrupted');
    const c = await runtime.queues.send.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (Object.values(c).every((n) => n === 0)) return;
    await sleep(25);
  }
}

/**
 * Adds `name` with a unique id (a manual run is never swallowed by the day's cron job id),
 * waits for it, for the jobs it fanned out to on the same queue (a result naming `parts`),
 * and for their sends. `parts` holds those jobs' results.
 */
export async function runJobToCompletion<T>(runtime: Runtime, queue: Queue, name: string, baseId: string, data: object, signal: AbortSignal): Promise<{ result: T; parts: T[]; delivery: DeliveryCounts; startedAt: Date }> {
  const startedAt = new Date((await runtime.pool.query('SELECT now() AS t')).rows[0].t as Date);
  const id = `${baseId}-run-${randomBytes(4).toString('hex')}`;
  await queue.add(name, data, { ...TRIGGER_JOB_OPTIONS, jobId: id });
  const result = (await waitForJob(queue, id, signal)) as T;
  const partIds = (result as { parts?: unknown } | null)?.parts;
  const parts = Array.isArray(partIds) ? ((await Promise.all(partIds.map((p) => waitForJob(queue, String(p), signal)))) as T[]) : [];
  await waitForSendQueueDrained(runtime, signal);
  const r = await runtime.pool.query(
    `SELECT status::text AS status, count(*)::int AS n FROM alert_ledger WHERE updated_at >= $1 AND recipient <> 'NO_CONTACT_ON_FILE' GROUP BY status`,
    [startedAt],
  );
  const delivery: DeliveryCounts = { SENT: 0, FAILED: 0, SUPERSEDED: 0, PENDING: 0 };
  for (const row of r.rows) delivery[row.status as keyof DeliveryCounts] = row.n as number;
  return { result, parts, delivery, startedAt };
}
