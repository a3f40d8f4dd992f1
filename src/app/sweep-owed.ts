// The worker's sweep (RULES.md 5 "A relay that is down delays, never drops"): every
// SEND_SWEEP_SECONDS, the PENDING rows whose retry is due go back to the send queue,
// whatever Redis remembers.
import type pg from 'pg';
import type { Config } from '../config.ts';
import { readDueForRetry } from '../db/ledger.ts';
import type { Logger } from '../shell/log.ts';
import type { WorkQueue } from './ports.ts';

/**
 * Hands PENDING rows back to the send queue when Redis has lost their jobs (a flush, a
 * failover without persistence, a job removed after BullMQ's own attempts ran out): the
 * ledger, not Redis, says what is owed. Rows whose retry is not yet due are left alone;
 * a job id already in Redis is not added twice.
 */
async function sweepPending(
  pool: pg.Pool,
  work: Pick<WorkQueue, 'sendAlerts'>,
  config: Pick<Config, 'sendLeaseSeconds' | 'sendSweepSeconds'>,
): Promise<number> {
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const due = await readDueForRetry(pool, {
      leaseSeconds: config.sendLeaseSeconds,
      quietSeconds: config.sendSweepSeconds,
      limit: 5000,
      afterKey: after,
    });
    if (due.length === 0) return total;
    total += await work.sendAlerts(due);
    after = due[due.length - 1]!.key;
  }
}

/** Runs `sweepPending` every SEND_SWEEP_SECONDS, one sweep at a time. */
export function startSweep(
  pool: pg.Pool,
  work: Pick<WorkQueue, 'sendAlerts'>,
  config: Pick<Config, 'sendLeaseSeconds' | 'sendSweepSeconds'>,
  log: Logger,
): { stop(): void } {
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepPending(pool, work, config)
      .then((n) => {
        if (n > 0) log.info('owed e-mails handed back to the queue', { rows: n });
      })
      .catch((e: Error) => log.warn('sweep of owed e-mails failed; next try in SEND_SWEEP_SECONDS', { err: e }))
      .finally(() => {
        sweeping = false;
      });
  }, config.sendSweepSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
