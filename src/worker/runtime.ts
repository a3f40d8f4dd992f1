// Builds the worker's moving parts from the configuration: one pg pool, the BullMQ queues
// and workers, the mail transport. Used by `sro worker` (long-running) and by `sro scan` /
// `sro digest` (process their jobs in-process, then exit).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { type Job, type Queue, Worker } from 'bullmq';
import { type Config, alertConfigOf, redactUrl, rulesOf } from '../config.ts';
import type { AlertConfig } from '../domain/alerts.ts';
import type { RulesConfig } from '../domain/types.ts';
import { createPool } from '../db/pool.ts';
import { type Directory, readDirectory } from '../db/officer-reader.ts';
import { countLedgerByStatus, readDueForRetry } from '../db/ledger.ts';
import { enqueueSends } from '../app/alert-scan.ts';
import { createMailTransport, type MailTransport } from '../mail/transport.ts';
import { createQueues, redisConnection } from './queue.ts';
import type { Logger } from '../shell/log.ts';
import { Metrics } from './metrics.ts';
import type { AnyJob, JobDeps, JobMetrics, Queues } from '../../jobs/definition.ts';
import { JOBS } from '../../jobs/index.ts';

export interface Runtime {
  workerId: string;
  config: Config;
  pool: pg.Pool;
  queues: Queues;
  transport: MailTransport;
  metrics: Metrics;
  workers: Worker[];
  rules: RulesConfig;
  alerts: AlertConfig;
  /** Stops taking jobs, lets in-flight ones finish (or hands them back), closes every connection. */
  close(options?: { force?: boolean }): Promise<void>;
}

/**
 * Agencies and districts change rarely: read once per directory_version (a counter a
 * trigger bumps on every write to them, read with each claim), so an import that replaces
 * a chief is seen by the very next send, never a cached chief.
 */
function directoryByVersion(pool: pg.Pool): (version: string) => Promise<Directory> {
  let cached: { version: string; value: Promise<Directory> } | null = null;
  return (version) => {
    if (cached?.version !== version) {
      const entry = { version, value: readDirectory(pool) };
      cached = entry;
      entry.value.catch(() => {
        if (cached === entry) cached = null;
      });
    }
    return cached.value;
  };
}

/**
 * Hands PENDING rows back to the send queue when Redis has lost their jobs (a flush, a
 * failover without persistence, a job removed after BullMQ's own attempts ran out): the
 * ledger, not Redis, says what is owed. Rows whose retry is not yet due are left alone;
 * a job id already in Redis is not added twice.
 */
async function sweepPending(pool: pg.Pool, queue: Queue, config: Config): Promise<number> {
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const due = await readDueForRetry(pool, { leaseSeconds: config.sendLeaseSeconds, quietSeconds: config.sendSweepSeconds, limit: 5000, afterKey: after });
    if (due.length === 0) return total;
    total += await enqueueSends(queue, due, config.sendAttempts);
    after = due[due.length - 1]!.key;
  }
}

/** Whether `p` settles within `ms` (it keeps running either way; the caller stops waiting). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  const result = await Promise.race([p.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

export interface RuntimeOptions {
  /** Start BullMQ workers (false: only enqueue, e.g. a dry run). */
  work: boolean;
  /** Re-enqueue PENDING rows Redis lost, every SEND_SWEEP_SECONDS (the long-running worker). */
  sweep?: boolean;
  transport?: MailTransport;
}

export function createRuntime(config: Config, log: Logger, options: RuntimeOptions): Runtime {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pool = createPool(config.databaseUrl, Math.max(4, Math.min(config.sendConcurrency + 2, 20)), (e) =>
    log.warn('idle database connection lost; the next query reconnects', { database: redactUrl(config.databaseUrl), error: e.message }),
  );
  // Redis gone: ioredis reconnects every few seconds and each attempt errors; say so once a minute.
  let lastRedisWarning = 0;
  const redisError = (source: string) => (e: Error) => {
    if (Date.now() - lastRedisWarning < 60_000) return;
    lastRedisWarning = Date.now();
    log.warn('queue connection error (retrying)', { source, redis: redactUrl(config.redisUrl), error: e.message });
  };
  const queues = createQueues(config.redisUrl, config.queuePrefix, redisError('queue'));
  const transport = options.transport ?? createMailTransport(config);
  const rules = rulesOf(config);
  const alerts = alertConfigOf(config);
  const metrics = new Metrics();
  const sent = metrics.counter('sro_alerts_sent_total', 'E-mails accepted by the mail server or written to the outbox, by kind.');
  const outcomes = metrics.counter('sro_send_outcomes_total', 'send-alert job outcomes.');
  const failures = metrics.counter('sro_send_failures_total', 'send-alert attempts that failed, by class.');
  const givenUp = metrics.counter(
    'sro_send_given_up_total',
    'E-mails recorded FAILED because transient delivery failures outlasted SEND_RETRY_FOR_HOURS (alarm on any increase).',
  );
  const scans = metrics.counter('sro_scans_total', 'Completed scans.');
  const digests = metrics.counter('sro_digest_runs_total', 'Completed weekly-digest runs.');
  const jobMetrics: JobMetrics = { sent, sendOutcome: outcomes, sendFailure: failures, givenUp, scanDone: () => scans(), digestDone: () => digests() };
  metrics.gauge('sro_ledger_rows', 'Alert ledger rows by status.', async () => {
    return (await countLedgerByStatus(pool)).map((row) => ({ labels: { status: row.status }, value: row.n }));
  });
  metrics.gauge('sro_queue_jobs', 'BullMQ jobs by queue and state.', async () => {
    const out: { labels: Record<string, string>; value: number }[] = [];
    for (const q of [queues.scan, queues.send, queues.digest]) {
      const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, n] of Object.entries(counts)) out.push({ labels: { queue: q.name, state }, value: n });
    }
    return out;
  });

  const workers: Worker[] = [];
  let sweepTimer: NodeJS.Timeout | null = null;
  if (options.work) {
    const connection = redisConnection(config.redisUrl);
    const deps: JobDeps = { config, pool, queues, transport, rules, alerts, log, metrics: jobMetrics, workerId, directory: directoryByVersion(pool), now: () => new Date() };
    // One BullMQ worker per job definition: wiring only, the job is in jobs/.
    for (const def of Object.values(JOBS) as AnyJob[]) {
      workers.push(
        new Worker(def.queue, (job: Job, token?: string) => def.process(deps, def.payload.parse(job.data), { job, token }), {
          connection,
          prefix: config.queuePrefix,
          ...def.worker(config),
        }),
      );
    }
    if (options.sweep) {
      let sweeping = false;
      sweepTimer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        sweepPending(pool, queues.send, config)
          .then((n) => {
            if (n > 0) log.info('owed e-mails handed back to the queue', { rows: n });
          })
          .catch((e: Error) => log.warn('sweep of owed e-mails failed; next try in SEND_SWEEP_SECONDS', { error: e.message }))
          .finally(() => {
            sweeping = false;
          });
      }, config.sendSweepSeconds * 1000);
      sweepTimer.unref();
    }
    for (const w of workers) {
      // A worker error (Redis gone, lock lost) is logged; BullMQ reconnects by itself.
      w.on('error', redisError(`worker ${w.name}`));
    }
  }

  let closing: Promise<void> | null = null;
  return {
    workerId,
    config,
    pool,
    queues,
    transport,
    metrics,
    workers,
    rules,
    alerts,
    close(opts = {}) {
      closing ??= (async () => {
        if (sweepTimer) clearInterval(sweepTimer);
        // Worker.close() waits for in-flight jobs; force hands them back (they stall and re-run elsewhere,
        // where the ledger claim keeps them from sending twice). Bounded by SHUTDOWN_SECONDS whatever
        // Redis does: a worker whose Redis is gone may never finish closing.
        const graceful = await settlesWithin(Promise.allSettled(workers.map((w) => w.close(opts.force ?? false))), config.shutdownSeconds * 800);
        if (!graceful) {
          log.warn(`shutdown: in-flight jobs did not finish within SHUTDOWN_SECONDS=${config.shutdownSeconds}; handing them back`);
          await settlesWithin(Promise.allSettled(workers.map((w) => w.close(true))), 1000);
        }
        await settlesWithin(Promise.allSettled([queues.close(), transport.close()]), 2000);
        await settlesWithin(pool.end().catch(() => undefined), 2000);
      })();
      return closing;
    },
  };
}
