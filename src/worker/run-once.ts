// `sro scan` / `sro digest` without --dry-run: put the job on the real queue, process it
// and the send jobs it fans out in this process, and return when everything is sent or failed.
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Runtime } from './runtime.ts';
import type { z } from 'zod';
import { type AnyJob, type Queues, addJob } from '../../jobs/definition.ts';
import { type DeliveryCounts, runDelivery } from '../db/ledger.ts';

export type { DeliveryCounts };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForJob(queue: Queue, id: string, signal: AbortSignal): Promise<unknown> {
  for (;;) {
    if (signal.aborted) throw new Error('interrupted');
    const job = await bounded(queue.getJob(id), signal);
    if (job) {
      const state = await bounded(job.getState(), signal);
      // Re-read: the job object fetched before completion has no return value yet.
      if (state === 'completed') return (await bounded(queue.getJob(id), signal))?.returnvalue;
      if (state === 'failed' && job.attemptsMade >= (job.opts.attempts ?? 1))
        throw new Error(`${queue.name} job failed: ${job.failedReason}`);
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

export interface RunOptions {
  /** Stop waiting after this long (`--wait`); what is still PENDING stays owed. Default: no limit. */
  waitMs?: number;
}

/** `--wait` ran out before everything was delivered; the run's e-mails still pending stay owed. */
class WaitExpired extends Error {
  readonly code = 'WAIT_EXPIRED';
}

/**
 * Adds `name` with a unique id (a manual run is never swallowed by the day's cron job id),
 * waits for it, for the jobs it fanned out to on the same queue (a result naming `parts`),
 * and for the e-mails it wrote (ledger rows carrying its run id; rows another run or the
 * worker owes are theirs to count). `parts` holds those jobs' results.
 */
export async function runJobToCompletion<D extends AnyJob>(
  runtime: Runtime,
  def: D,
  payload: z.input<D['payload']>,
  signal: AbortSignal,
  options: RunOptions = {},
): Promise<{
  result: Awaited<ReturnType<D['process']>>;
  parts: Awaited<ReturnType<D['process']>>[];
  delivery: DeliveryCounts;
  waitExpired: boolean;
}> {
  type T = Awaited<ReturnType<D['process']>>;
  const queue = queueOf(runtime.queues, def);
  const baseId = def.jobId(payload);
  const id = `${baseId}-run-${randomBytes(4).toString('hex')}`;
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.waitMs === undefined ? null : setTimeout(() => stop.abort(new WaitExpired('wait expired')), options.waitMs);
  try {
    await bounded(
      addJob(queue, def, { ...(payload as object), runId: id } as z.input<D['payload']>, runtime.config, { jobId: id }),
      stop.signal,
    );
    const result = (await waitForJob(queue, id, stop.signal)) as T;
    const partIds = (result as { parts?: unknown } | null)?.parts;
    const parts = Array.isArray(partIds)
      ? ((await Promise.all(partIds.map((p) => waitForJob(queue, String(p), stop.signal)))) as T[])
      : [];
    for (;;) {
      const delivery = await runDelivery(runtime.pool, id);
      if (delivery.PENDING === 0) return { result, parts, delivery, waitExpired: false };
      if (stop.signal.aborted) {
        if (!(stop.signal.reason instanceof WaitExpired)) throw new Error('interrupted');
        return { result, parts, delivery, waitExpired: true };
      }
      await sleep(100);
    }
  } catch (e) {
    if (stop.signal.reason instanceof WaitExpired && !signal.aborted)
      throw new WaitExpired(
        `gave up waiting after ${Math.round((options.waitMs ?? 0) / 1000)} s (--wait) before the ${def.name} job finished`,
      );
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** The queue a definition's jobs go to. */
function queueOf(queues: Queues, def: AnyJob): Queue {
  const q = [queues.scan, queues.send, queues.digest].find((x) => x.name === def.queue);
  if (!q) throw new Error(`no queue for job ${def.name}`);
  return q;
}

/** Rejects when `signal` aborts, whatever the promise does (a Redis command queued while Redis is gone never settles). */
function bounded<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('interrupted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('interrupted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}
