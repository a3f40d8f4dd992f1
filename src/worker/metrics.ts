// /metrics for `sro worker` with prom-client: the process's default metrics (CPU, heap,
// event-loop lag, GC), what the jobs count and time, the ledger by status (every status,
// zeros included), the build, and BullMQ's own queue metrics. No globals: the runtime owns
// one registry and passes it down.
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobMetrics, Queues } from '../../jobs/definition.ts';
import { countLedgerByStatus } from '../db/ledger.ts';
import { readBounceTally } from '../db/bounces.ts';
import { packageVersion } from '../shell/version.ts';
import { within } from '../shell/timing.ts';

const LEDGER_STATUSES = ['PENDING', 'SENT', 'FAILED', 'SUPERSEDED', 'BOUNCED'] as const;

/** The kinds of sro_bounces_total, each exported from the start (zeros included). */
const BOUNCE_KINDS = [
  'hard',
  'soft',
  'complaint',
  'duplicate',
  'delivered',
  'unknown_row',
  'unreadable',
  'refused',
  'forged',
] as const;

/**
 * sro_bounces_total{kind} (RULES.md 12): what came back and what became of it, counted in
 * PostgreSQL (bounce_tally) by the bounce receivers and the console's webhook alike, so every
 * process exports the installation's total: aggregate replicas with max(), not sum().
 */
function bounceCounter(registers: Registry[], pool: pg.Pool): void {
  new Counter({
    name: 'sro_bounces_total',
    help: 'Bounces, abuse reports and provider events by what became of them: hard, soft, complaint, duplicate, delivered, unknown_row, unreadable, refused (RCPT TO not a signed address), forged (a provider event whose signature failed). The installation-wide total (max() over replicas).',
    labelNames: ['kind'],
    registers,
    async collect() {
      try {
        const tally = await readBounceTally(pool);
        this.reset();
        for (const kind of new Set([...BOUNCE_KINDS, ...tally.keys()])) this.inc({ kind }, tally.get(kind) ?? 0);
      } catch {
        // The database is down: the last values stay; /readyz says which part is down.
      }
    },
  });
}

/** The registry of `sro bounces`: the process's defaults, the build and sro_bounces_total. */
export function createBounceMetrics(pool: pg.Pool): { render(): Promise<string>; contentType: string } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'sro_build_info',
    help: 'The running version (value 1).',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: packageVersion() }, 1);
  bounceCounter([registry], pool);
  return { render: () => registry.metrics(), contentType: registry.contentType };
}

export interface WorkerMetrics {
  registry: Registry;
  jobs: JobMetrics;
  /** Prometheus text exposition: the registry, then BullMQ's queue metrics. */
  render(): Promise<string>;
  contentType: string;
}

export function createMetrics(deps: { pool: pg.Pool; queues: Queues; prefix: string }): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Gauge({ name: 'sro_build_info', help: 'The running version (value 1).', labelNames: ['version'], registers }).set(
    { version: packageVersion() },
    1,
  );
  const sent = new Counter({
    name: 'sro_alerts_sent_total',
    help: 'E-mails accepted by the mail server or written to the outbox, by kind.',
    labelNames: ['kind'],
    registers,
  });
  const outcomes = new Counter({
    name: 'sro_send_outcomes_total',
    help: 'send-alert job outcomes.',
    labelNames: ['outcome'],
    registers,
  });
  const failures = new Counter({
    name: 'sro_send_failures_total',
    help: 'send-alert attempts that failed, by class.',
    labelNames: ['class'],
    registers,
  });
  const givenUp = new Counter({
    name: 'sro_send_given_up_total',
    help: 'E-mails recorded FAILED because transient delivery failures outlasted SEND_RETRY_FOR_HOURS (alarm on any increase).',
    labelNames: ['kind'],
    registers,
  });
  const sendSeconds = new Histogram({
    name: 'sro_send_duration_seconds',
    help: 'One send-alert attempt, claim to ledger record, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const scans = new Counter({
    name: 'sro_scans_total',
    help: 'Completed scan jobs (a whole roster or one range of it).',
    registers,
  });
  const scanSeconds = new Histogram({
    name: 'sro_scan_duration_seconds',
    help: 'One scan job (a whole roster or one range).',
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 900],
    registers,
  });
  const lastScan = new Gauge({
    name: 'sro_last_scan_success_timestamp_seconds',
    help: 'When a scan job last completed (Unix time): alarm when it is more than a day old.',
    registers,
  });
  const digests = new Counter({ name: 'sro_digest_runs_total', help: 'Completed weekly-digest runs.', registers });
  const lastDigest = new Gauge({
    name: 'sro_last_digest_success_timestamp_seconds',
    help: 'When a weekly-digest run last completed (Unix time): alarm when it is more than a week old.',
    registers,
  });
  new Gauge({
    name: 'sro_ledger_rows',
    help: 'Alert ledger rows by status (every status, zeros included).',
    labelNames: ['status'],
    registers,
    async collect() {
      try {
        const counts = new Map((await countLedgerByStatus(deps.pool)).map((r) => [r.status, r.n]));
        for (const status of LEDGER_STATUSES) this.set({ status }, counts.get(status) ?? 0);
      } catch {
        // The database is down: the gauge keeps its last values; /readyz says which part is down.
      }
    },
  });

  bounceCounter(registers, deps.pool);

  const jobs: JobMetrics = {
    sent: (labels) => sent.inc(labels),
    sendOutcome: (labels) => outcomes.inc(labels),
    sendFailure: (labels) => failures.inc(labels),
    givenUp: (labels) => givenUp.inc(labels),
    sendSeconds: (seconds, outcome) => sendSeconds.observe({ outcome }, seconds),
    scanDone: (seconds) => {
      scans.inc();
      scanSeconds.observe(seconds);
      lastScan.set(Date.now() / 1000);
    },
    digestDone: () => {
      digests.inc();
      lastDigest.set(Date.now() / 1000);
    },
  };

  return {
    registry,
    jobs,
    contentType: registry.contentType,
    async render() {
      const own = await registry.metrics();
      // Redis down: BullMQ's part is left out (a command would wait for the reconnect).
      const queues = await Promise.all(
        [deps.queues.scan, deps.queues.send, deps.queues.digest].map((q) =>
          within(2000, q.exportPrometheusMetrics({ prefix: deps.prefix })).catch(() => ''),
        ),
      );
      return `${own}\n${mergeExpositions(queues)}`;
    },
  };
}

/**
 * One exposition from several (each queue exports the same metric names with its own
 * HELP/TYPE lines): one HELP and TYPE per metric, its samples together, as Prometheus requires.
 */
function mergeExpositions(texts: readonly string[]): string {
  const metrics = new Map<string, { meta: string[]; samples: string[] }>();
  for (const text of texts) {
    let current: { meta: string[]; samples: string[] } | null = null;
    for (const line of text.split('\n')) {
      const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (meta) {
        const name = meta[2]!;
        if (!metrics.has(name)) metrics.set(name, { meta: [], samples: [] });
        current = metrics.get(name)!;
        if (!current.meta.some((m) => m.startsWith(`# ${meta[1]} `))) current.meta.push(line);
      } else if (line.trim() && current) current.samples.push(line);
    }
  }
  return [...metrics.values()].map((m) => [...m.meta, ...m.samples].join('\n')).join('\n') + (metrics.size ? '\n' : '');
}
