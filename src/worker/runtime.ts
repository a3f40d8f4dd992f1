// Builds the worker's moving parts from the configuration: one pg pool, the BullMQ queues
// and workers, the mail transport. Used by `sro worker` (long-running) and by `sro scan` /
// `sro digest` (process their jobs in-process, then exit).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { type Job, Worker } from 'bullmq';
import { type Config, alertConfigOf, redactUrl, rulesOf } from '../config.ts';
import type { AlertConfig } from '../domain/alerts.ts';
import type { RulesConfig } from '../domain/types.ts';
import { createPool } from '../db/pool.ts';
import { createMailTransport, type MailTransport } from '../mail/transport.ts';
import { createQueues, createWorkQueue, redisConnection } from './queue.ts';
import type { Logger } from '../shell/log.ts';
import { type WorkerMetrics, createMetrics } from './metrics.ts';
import { startSweep } from '../app/sweep-owed.ts';
import { directoryByVersion } from '../db/officer-reader.ts';
import { settlesWithin } from '../shell/timing.ts';
import type { AnyJob, JobDeps, Queues } from '../../jobs/definition.ts';
import { JOBS } from '../../jobs/index.ts';
import type { WorkQueue } from '../app/ports.ts';

export interface Runtime {
  workerId: string;
  config: Config;
  pool: pg.Pool;
  queues: Queues;
  /** The use cases' way onto those queues. */
  work: WorkQueue;
  transport: MailTransport;
  metrics: WorkerMetrics;
  workers: Worker[];
  rules: RulesConfig;
  alerts: AlertConfig;
  /** Stops taking jobs, lets in-flight ones finish (or hands them back), closes every connection. */
  close(options?: { force?: boolean }): Promise<void>;
}

/**
 * The logger of one job: every line carries the job's queue and id, and for a send its
 * alert key (the ledger key without the recipient's address, which stays out of logs).
 */
function jobLogger(log: Logger, def: AnyJob, job: Job): Logger {
  const ledgerKey = (job.data as { ledgerKey?: unknown } | null)?.ledgerKey;
  const alertKey = typeof ledgerKey === 'string' ? ledgerKey.replace(/:to=.*$/, '') : undefined;
  return log.child({ queue: def.queue, job: job.id, ...(alertKey ? { alertKey } : {}) });
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
    log.warn('idle database connection lost; the next query reconnects', {
      database: redactUrl(config.databaseUrl),
      error: e.message,
    }),
  );
  // Redis gone: ioredis reconnects every few seconds and each attempt errors; say so once a minute.
  let lastRedisWarning = 0;
  const redisError = (source: string) => (e: Error) => {
    if (Date.now() - lastRedisWarning < 60_000) return;
    lastRedisWarning = Date.now();
    log.warn('queue connection error (retrying)', { source, redis: redactUrl(config.redisUrl), error: e.message });
  };
  const queues = createQueues(config.redisUrl, config.queuePrefix, redisError('queue'));
  const work = createWorkQueue(queues, config);
  const transport = options.transport ?? createMailTransport(config);
  const rules = rulesOf(config);
  const alerts = alertConfigOf(config);
  const metrics = createMetrics({ pool, queues, prefix: config.queuePrefix });

  const workers: Worker[] = [];
  let sweep: { stop(): void } | null = null;
  if (options.work) {
    const connection = redisConnection(config.redisUrl);
    const deps: JobDeps = {
      config,
      pool,
      work,
      transport,
      rules,
      alerts,
      log,
      metrics: metrics.jobs,
      workerId,
      directory: directoryByVersion(pool),
      now: () => new Date(),
    };
    // One BullMQ worker per job definition: wiring only, the job is in jobs/.
    for (const def of Object.values(JOBS) as AnyJob[]) {
      workers.push(
        new Worker(
          def.queue,
          (job: Job, token?: string) =>
            def.process({ ...deps, log: jobLogger(log, def, job) }, def.payload.parse(job.data), { job, token }),
          {
            connection,
            prefix: config.queuePrefix,
            ...def.worker(config),
          },
        ),
      );
    }
    if (options.sweep) sweep = startSweep(pool, work, config, log);
    for (const w of workers) {
      // A worker error (Redis gone, lock lost) is logged; BullMQ reconnects by itself.
      w.on('error', redisError(`worker ${w.name}`));
      // Delivery failures are logged by the send job (addresses left out); this is the rest:
      // a scan or digest that failed, a send job that failed before its claim.
      w.on('failed', (job, err) =>
        log.warn('job failed', { queue: w.name, job: job?.id, attemptsMade: job?.attemptsMade, err }),
      );
    }
  }

  let closing: Promise<void> | null = null;
  return {
    workerId,
    config,
    pool,
    queues,
    work,
    transport,
    metrics,
    workers,
    rules,
    alerts,
    close(opts = {}) {
      closing ??= (async () => {
        sweep?.stop();
        // Worker.close() waits for in-flight jobs; force hands them back (they stall and re-run elsewhere,
        // where the ledger claim keeps them from sending twice). Bounded by SHUTDOWN_SECONDS whatever
        // Redis does: a worker whose Redis is gone may never finish closing.
        const graceful = await settlesWithin(
          Promise.allSettled(workers.map((w) => w.close(opts.force ?? false))),
          config.shutdownSeconds * 800,
        );
        if (!graceful) {
          log.warn(
            `shutdown: in-flight jobs did not finish within SHUTDOWN_SECONDS=${config.shutdownSeconds}; handing them back`,
          );
          await settlesWithin(Promise.allSettled(workers.map((w) => w.close(true))), 1000);
        }
        await settlesWithin(Promise.allSettled([queues.close(), transport.close()]), 2000);
        await settlesWithin(
          pool.end().catch(() => undefined),
          2000,
        );
      })();
      return closing;
    },
  };
}
