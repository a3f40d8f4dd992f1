import type { AddressInfo } from 'node:net';
import { redactUrl } from '../config.ts';
import { startHttp } from '../worker/http.ts';
import { createRuntime } from '../worker/runtime.ts';
import { startSchedules } from '../worker/scheduler.ts';
import { asOfOption } from './as-of.ts';
import type { Command } from './command.ts';

export const workerCommand: Command = {
  help: `Runs until SIGTERM/SIGINT: node-cron fires SCAN_CRON (daily scan) and DIGEST_CRON (weekly
digest) in TZ; each firing only enqueues a job whose id is derived from the date, so any
number of replicas run each scan once. Queue workers send the e-mails (SEND_CONCURRENCY at
a time, at most SMTP_RATE_PER_SECOND). Probes: GET /livez answers 200 while the process's
event loop turns (use it for liveness: a worker whose database is down must not be
restarted); GET /readyz reports PostgreSQL and Redis reachability, 503 naming the part
that is down (/healthz is an alias). GET /metrics is Prometheus text. Served on
HTTP_HOST:HTTP_PORT (127.0.0.1:9464; give each replica on one host its own port, or 0).

Every SEND_SWEEP_SECONDS (60) it hands back to the queue the e-mails the ledger still owes
whose jobs Redis lost (a flush, a failover), once their retry is due.

The first SIGTERM/SIGINT stops the cron, lets in-flight e-mails finish and closes
connections, within SHUTDOWN_SECONDS (30) whatever Redis or PostgreSQL do; a second one
forces exit at once.

Options:
  --as-of D     pin the as-of date of every firing (replays and tests); default: today in TZ`,
  options: { 'as-of': { type: 'string' } },
  async run(ctx) {
    const config = ctx.config();
    const pinned = ctx.values['as-of'];
    // Unpinned, every firing takes today in TZ (not today at start-up).
    const asOf = pinned === undefined ? undefined : asOfOption(pinned, config);
    const runtime = createRuntime(config, ctx.log, { work: true, sweep: true });
    const server = await startHttp({
      host: config.httpHost,
      port: config.httpPort,
      pool: runtime.pool,
      queue: runtime.queues.scan,
      metrics: runtime.metrics,
    });
    const schedules = startSchedules({
      scanCron: config.scanCron,
      digestCron: config.digestCron,
      timeZone: config.timeZone,
      queues: runtime.queues,
      log: ctx.log,
      asOf: asOf ? () => asOf : undefined,
    });
    const port = (server.address() as AddressInfo).port;
    ctx.log.info('worker started', {
      worker: runtime.workerId,
      http: `http://${config.httpHost}:${port}`,
      database: redactUrl(config.databaseUrl),
      redis: redactUrl(config.redisUrl),
      mail: runtime.transport.describe(),
      scanCron: config.scanCron,
      digestCron: config.digestCron,
      timeZone: config.timeZone,
    });
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    ctx.log.info('stopping: cron off, finishing in-flight jobs');
    await schedules.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close();
    ctx.log.info('worker stopped');
    return 0;
  },
};
