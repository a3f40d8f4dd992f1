// Builds the worker's moving parts from the configuration: one pg pool, the BullMQ queues
// and workers, the mail transport. Used by `sro worker` (long-running) and by `sro scan` /
// `sro digest` (process their jobs in-process, then exit).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Config } from './config.ts';
import type { AlertConfig } from './domain/alerts.ts';
import type { RulesConfig } from './domain/types.ts';
import { createPool } from './db/pool.ts';
import { type Directory, readDirectory } from './db/officer-reader.ts';
import { createMailTransport, type MailTransport } from './mail/transport.ts';
import { type Queues, QUEUE_NAMES, createQueues, redisConnection } from './queue.ts';
import type { Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { scan, scanPayload } from '../jobs/scan.ts';
import { RetryLater, sendAlert, sendAlertPayload } from '../jobs/send-alert.ts';
import { weeklyDigest, weeklyDigestPayload } from '../jobs/weekly-digest.ts';

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

export function rulesOf(config: Config): RulesConfig {
  return { schoolYearStart: config.schoolYearStart };
}

export function alertConfigOf(config: Config): AlertConfig {
  return {
    reminderLeadDays: config.reminderLeadDays,
    escalationDays: config.escalationDays,
    substituteDayThresholds: config.substituteDayThresholds,
  };
}

/** Agencies and districts change rarely; re-read at most every 30 s. */
function cachedDirectory(pool: pg.Pool, ttlMs = 30_000): () => Promise<Directory> {
  let value: Promise<Directory> | null = null;
  let at = 0;
  return () => {
    if (!value || Date.now() - at > ttlMs) {
      at = Date.now();
      value = readDirectory(pool);
      value.catch(() => {
        value = null;
      });
    }
    return value;
  };
}

export interface RuntimeOptions {
  /** Start BullMQ workers (false: only enqueue, e.g. a dry run). */
  work: boolean;
  transport?: MailTransport;
}

export function createRuntime(config: Config, log: Logger, options: RuntimeOptions): Runtime {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pool = createPool(config.databaseUrl, Math.max(4, Math.min(config.sendConcurrency + 2, 20)));
  const queues = createQueues(config.redisUrl, config.queuePrefix);
  const transport = options.transport ?? createMailTransport(config);
  const rules = rulesOf(config);
  const alerts = alertConfigOf(config);
  const metrics = new Metrics();
  const sent = metrics.counter('sro_alerts_sent_total', 'E-mails accepted by the mail server or written to the outbox, by kind.');
  const outcomes = metrics.counter('sro_send_outcomes_total', 'send-alert job outcomes.');
  const failures = metrics.counter('sro_send_failures_total', 'send-alert attempts that failed, by class.');
  const scans = metrics.counter('sro_scans_total', 'Completed scans.');
  const digests = metrics.counter('sro_digest_runs_total', 'Completed weekly-digest runs.');
  metrics.gauge('sro_ledger_rows', 'Alert ledger rows by status.', async () => {
    const r = await pool.query('SELECT status::text AS status, count(*)::int AS n FROM alert_ledger GROUP BY status');
    return r.rows.map((row) => ({ labels: { status: row.status as string }, value: row.n as number }));
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
  if (options.work) {
    const connection = redisConnection(config.redisUrl);
    const prefix = config.queuePrefix;
    const directory = cachedDirectory(pool);
    const sendDeps = { pool, transport, rules, alerts, mailFrom: config.mailFrom, workerId, directory, log, now: () => new Date(), leaseSeconds: config.sendLeaseSeconds };

    workers.push(
      new Worker(
        QUEUE_NAMES.scan,
        async (job: Job) => {
          const payload = scanPayload.parse(job.data);
          const started = Date.now();
          const summary = await scan(
            { pool, scanQueue: queues.scan, sendQueue: queues.send, partitionSize: config.scanPartitionSize, rules, alerts, sendAttempts: config.sendAttempts },
            payload,
            String(job.id),
          );
          scans();
          log.info('scan finished', { ...summary, ms: Date.now() - started });
          return summary;
        },
        { connection, prefix, concurrency: 1, lockDuration: 120_000 },
      ),
      new Worker(
        QUEUE_NAMES.digest,
        async (job: Job) => {
          const payload = weeklyDigestPayload.parse(job.data);
          const summary = await weeklyDigest({ pool, sendQueue: queues.send, sendAttempts: config.sendAttempts }, payload);
          digests();
          log.info('weekly digest enqueued', { ...summary });
          return summary;
        },
        { connection, prefix, concurrency: 1, lockDuration: 120_000 },
      ),
      new Worker(
        QUEUE_NAMES.send,
        async (job: Job, token?: string) => {
          const payload = sendAlertPayload.parse(job.data);
          const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          try {
            const outcome = await sendAlert(sendDeps, payload, finalAttempt);
            outcomes({ outcome });
            if (outcome === 'SENT') sent({ kind: payload.ledgerKey.split(':')[0] ?? 'UNKNOWN' });
            return outcome;
          } catch (e) {
            failures({ class: (e as { code?: string }).code ?? (e as Error).name });
            if (e instanceof RetryLater && token !== undefined) {
              // Another worker holds the row's claim: look again in a few seconds, until it is
              // released or its lease has run out, without spending one of SEND_ATTEMPTS (they are
              // for the mail server's transient errors). A worker killed mid-send leaves its claims
              // behind; its stalled jobs used to spend every attempt (1 + 2 + 4 … s of backoff)
              // before the lease expired and left the rows PENDING until the next day's scan
              // (test/faults, scenario 2).
              await job.moveToDelayed(Date.now() + Math.min(config.sendLeaseSeconds, 5) * 1000, token);
              throw new DelayedError();
            }
            throw e;
          }
        },
        {
          connection,
          prefix,
          concurrency: config.sendConcurrency,
          limiter: { max: config.smtpRatePerSecond, duration: 1000 },
        },
      ),
    );
    for (const w of workers) {
      // A worker error (Redis gone, lock lost) is logged; BullMQ reconnects by itself.
      w.on('error', (e) => log.warn('queue worker error', { queue: w.name, error: e.message }));
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
        // Worker.close() waits for in-flight jobs; force hands them back (they stall and re-run elsewhere,
        // where the ledger claim keeps them from sending twice).
        await Promise.allSettled(workers.map((w) => w.close(opts.force ?? false)));
        await Promise.allSettled([queues.close(), transport.close()]);
        await pool.end().catch(() => undefined);
      })();
      return closing;
    },
  };
}
