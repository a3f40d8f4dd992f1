// What every fault scenario stands on: its own database in the private cluster (a clone of
// the one `sro migrate` built, loaded by `sro import`), its own queue prefix, the e-mails owed
// as `sro scan --dry-run --json` lists them before any worker starts, a receiver that counts
// arrivals per (alert key, recipient), and real `sro worker` processes on loopback that the
// scenario can kill. Every wait has a deadline.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, inject } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { ledgerKey } from '../../src/domain/alerts.ts';
import {
  type SmtpMode,
  type SmtpReceiver,
  type SmtpReceiverOptions,
  arrivalId,
  arrivalsByKeyAndRecipient,
  startSmtpReceiver,
} from '../helpers/smtp.ts';
import { type PrivatePostgresInfo, postgresUrl, sleep, until } from './services.ts';
import { type ScenarioResult, formatLine } from './results.ts';
import { FAULTS_AS_OF, faultRoster } from './roster.ts';
import { SRO_BIN, sro } from './sro.ts';
import { withClient } from '../../support/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    faultPostgres: PrivatePostgresInfo;
    /** Migrated once by `sro migrate` (about 12 s); each scenario clones it. */
    faultTemplateDatabase: string;
    faultRedisUrl: string;
    faultResultsFile: string;
  }
}

/** Every scenario's workers: the scan fires every 2 s (6 fields, seconds first). */
export const SCAN_EVERY_2S = '*/2 * * * * *';
// The weekly digest would add e-mails the scan does not list; 29 February at midnight keeps
// it out of any run of this suite.
const DIGEST_NEVER = '0 0 0 29 2 *';

export interface WorkerProcess {
  label: string;
  pid: number;
  /** Base URL of its /healthz and /metrics. */
  http: string;
  /** Its stderr so far (JSON log lines). */
  log(): string;
  running(): boolean;
  exited: Promise<number | null>;
  /** `kill -9`: no shutdown hook runs, in-flight SMTP sessions and claims are abandoned. */
  sigkill(): Promise<void>;
}

const live = new Set<{ child: ChildProcess; exited: Promise<number | null> }>();

/** SIGKILL every worker still running (afterEach/afterAll): no scenario leaves a process behind. */
async function killAllWorkers(): Promise<void> {
  const all = [...live];
  live.clear();
  for (const w of all) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.race([Promise.all(all.map((w) => w.exited)), sleep(10_000)]);
}

export interface Tally {
  delivered: number;
  expected: number;
  /** Arrivals beyond the first, summed over every (key, recipient). */
  duplicates: number;
  /** (key, recipient) pairs that arrived more than once, with their count. */
  duplicated: Map<string, number>;
  /** Pairs that arrived although the dry run did not list them. */
  unexpected: string[];
  /** Pairs listed by the dry run that have not arrived. */
  missing: string[];
}

export interface LedgerRow {
  key: string;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
  claimed_by: string | null;
  claimed_at: Date | null;
  sent_at: Date | null;
}

export interface Scenario {
  label: string;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  smtp: SmtpReceiver;
  /** arrivalId(ledger key, recipient) of every e-mail owed as of FAULTS_AS_OF. */
  expected: ReadonlySet<string>;
  workers: WorkerProcess[];
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** `n` workers started together. */
  startWorkers(n: number, env?: Record<string, string>): Promise<WorkerProcess[]>;
  ledger(): Promise<LedgerRow[]>;
  tally(): Tally;
  /** Until every owed e-mail arrived and no ledger row is PENDING. */
  waitForEverythingDelivered(ms: number): Promise<void>;
  /**
   * waitForEverythingDelivered, then `quietMs` more so that a late second copy would arrive;
   * then the tally and the ledger. `deliveredAt`: when the wait ended (before the quiet time).
   */
  settle(ms: number, quietMs?: number): Promise<{ deliveredAt: number; t: Tally; ledger: LedgerRow[] }>;
  /** The deadline-bound wait, with the receiver's count and the workers' logs on timeout. */
  until<T>(what: string, ms: number, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T>;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  officers: number;
  /** The roster `sro import` loads instead of faultRoster(officers) (same shape; `officers` is then unused). */
  roster?: ReturnType<typeof faultRoster>;
  /** Receiver mode before any worker connects ('down' refuses connections). */
  smtpMode?: SmtpMode;
  smtp?: SmtpReceiverOptions;
  /** Worker environment for this scenario (SMTP_RATE_PER_SECOND, SEND_LEASE_SECONDS, …). */
  workerEnv?: Record<string, string>;
}

async function startScenario(label: string, options: ScenarioOptions): Promise<Scenario> {
  const cluster = inject('faultPostgres');
  const redisUrl = inject('faultRedisUrl');
  const suffix = randomBytes(3).toString('hex');
  const databaseUrl = postgresUrl(cluster, `sro_faults_${label.replace(/\W/g, '_')}_${suffix}`);
  const prefix = `sro-faults-${label}-${suffix}`;
  const cliEnv = { DATABASE_URL: databaseUrl };

  // Given a database cloned from the one `sro migrate` made (global-setup.ts), loaded by `sro import`…
  const name = new URL(databaseUrl).pathname.slice(1);
  await withClient(postgresUrl(cluster, 'postgres'), (c) =>
    c.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('faultTemplateDatabase')}"`),
  );
  const dir = mkdtempSync(join(tmpdir(), 'sro-faults-roster-'));
  const rosterFile = join(dir, 'roster.json');
  writeFileSync(rosterFile, JSON.stringify(options.roster ?? faultRoster(options.officers)));
  const imported = await sro(['import', rosterFile], cliEnv);
  rmSync(dir, { recursive: true, force: true });
  if (imported.code !== 0) throw new Error(`sro import exited ${imported.code}:\n${imported.stderr}`);

  // …the e-mails owed are what the dry run lists, one per (alert, recipient).
  const dry = await sro(['scan', '--as-of', FAULTS_AS_OF, '--dry-run', '--json'], cliEnv);
  if (dry.code !== 0) throw new Error(`sro scan --dry-run exited ${dry.code}:\n${dry.stderr}`);
  const plan = JSON.parse(dry.stdout) as {
    alerts: { key: string; recipients: string[]; noContactOnFile?: string[] }[];
  };
  const expected = new Set<string>();
  for (const a of plan.alerts) {
    if (a.noContactOnFile)
      throw new Error(`fixture roster leaves ${a.key} without a contact: ${a.noContactOnFile.join('; ')}`);
    for (const r of a.recipients) expected.add(arrivalId(ledgerKey(a.key, r), r));
  }
  if (expected.size === 0) throw new Error('fixture roster owes no e-mail as of the pinned date');

  const smtp = await startSmtpReceiver(options.smtp);
  if (options.smtpMode) await smtp.setMode(options.smtpMode);

  const workers: WorkerProcess[] = [];
  const logs = () =>
    workers
      .map(
        (w) =>
          `--- worker ${w.label} (pid ${w.pid}, ${w.running() ? 'running' : 'exited'}) stderr, last 3000 chars:\n${w.log().slice(-3000)}`,
      )
      .join('\n');
  let closed = false;
  let lastLedger: LedgerRow[] = [];
  const stuck = () =>
    lastLedger
      .filter((r) => r.status === 'PENDING')
      .slice(0, 10)
      .map(
        (r) =>
          `  PENDING ${r.key} attempts=${r.attempts} claimed_by=${r.claimed_by} claimed_at=${r.claimed_at?.toISOString()} error=${r.last_error}`,
      )
      .join('\n');
  const progress = () =>
    `received ${scenario.smtp.received.length} e-mails (${scenario.tally().delivered}/${expected.size} owed pairs); ledger ${JSON.stringify(byStatus(lastLedger))}\n${stuck()}\n${logs()}`;

  const scenario: Scenario = {
    label,
    databaseUrl,
    redisUrl,
    prefix,
    smtp,
    expected,
    workers,
    async startWorker(env = {}) {
      const n = workers.length + 1;
      const child = spawn(process.execPath, [SRO_BIN, 'worker', '--as-of', FAULTS_AS_OF], {
        cwd: projectRoot,
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: databaseUrl,
          REDIS_URL: redisUrl,
          QUEUE_PREFIX: prefix,
          SMTP_URL: smtp.url,
          SCAN_CRON: SCAN_EVERY_2S,
          DIGEST_CRON: DIGEST_NEVER,
          HTTP_PORT: '0',
          LOG_LEVEL: 'info',
          ...options.workerEnv,
          ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const entry = { child, exited };
      live.add(entry);
      const http = await until(
        `worker ${n} to start`,
        30_000,
        () => {
          if (child.exitCode !== null) throw new Error(`worker ${n} exited with ${child.exitCode}:\n${stderr}`);
          return /"http":"(http:\/\/[^"]+)"/.exec(stderr)?.[1];
        },
        () => stderr,
      );
      const w: WorkerProcess = {
        label: String(n),
        pid: child.pid!,
        http,
        log: () => stderr,
        running: () => child.exitCode === null && child.signalCode === null,
        exited,
        async sigkill() {
          child.kill('SIGKILL');
          await Promise.race([exited, sleep(10_000)]);
          live.delete(entry);
        },
      };
      workers.push(w);
      return w;
    },
    startWorkers(n, env) {
      return Promise.all(Array.from({ length: n }, () => scenario.startWorker(env)));
    },
    ledger() {
      return withClient(
        databaseUrl,
        async (c) =>
          (
            await c.query<LedgerRow>(
              `SELECT key, recipient, status::text AS status, attempts, last_error, claimed_by, claimed_at, sent_at FROM alert_ledger ORDER BY key`,
            )
          ).rows,
      );
    },
    tally() {
      const arrivals = arrivalsByKeyAndRecipient(smtp.received);
      const duplicated = new Map([...arrivals].filter(([, n]) => n > 1));
      return {
        delivered: [...expected].filter((id) => arrivals.has(id)).length,
        expected: expected.size,
        duplicates: [...duplicated.values()].reduce((sum, n) => sum + n - 1, 0),
        duplicated,
        unexpected: [...arrivals.keys()].filter((id) => !expected.has(id)),
        missing: [...expected].filter((id) => !arrivals.has(id)),
      };
    },
    until(what, ms, probe) {
      // A wait that outlives its test (timed out) stops once the scenario is torn down.
      return until(
        what,
        ms,
        () => (closed ? Promise.reject(new Error(`scenario ${label} closed while waiting for ${what}`)) : probe()),
        progress,
      );
    },
    async waitForEverythingDelivered(ms) {
      await scenario.until('every owed e-mail to arrive and no ledger row left PENDING', ms, async () => {
        const rows = await scenario.ledger().catch(() => null);
        if (!rows) return false;
        lastLedger = rows;
        return scenario.tally().missing.length === 0 && rows.every((r) => r.status !== 'PENDING');
      });
    },
    async settle(ms, quietMs = 3000) {
      await scenario.waitForEverythingDelivered(ms);
      const deliveredAt = Date.now();
      await sleep(quietMs);
      return { deliveredAt, t: scenario.tally(), ledger: await scenario.ledger() };
    },
    async close() {
      closed = true;
      await killAllWorkers();
      await smtp.close();
      await withClient(postgresUrl(cluster, 'postgres'), (c) =>
        c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).catch(() => undefined);
    },
  };
  return scenario;
}

/**
 * The hooks every scenario file needs, registered in the file that calls this: after each
 * test, SIGKILL every worker still running (then `afterEachTest`, if given); after the file,
 * close every scenario it started. Returns the file's startScenario.
 */
export function scenarioFile(
  afterEachTest?: () => Promise<void>,
): (label: string, options: ScenarioOptions) => Promise<Scenario> {
  const started: Scenario[] = [];
  afterEach(async () => {
    await killAllWorkers();
    await afterEachTest?.();
  });
  afterAll(async () => {
    for (const s of started) await s.close();
  });
  return async (label, options) => {
    const s = await startScenario(label, options);
    started.push(s);
    return s;
  };
}

/** Prints `scenario | delivered | expected | duplicates | note` and keeps it for the suite's table. */
export function report(scenario: string, t: Pick<Tally, 'delivered' | 'expected' | 'duplicates'>, note: string): void {
  const result: ScenarioResult = {
    scenario,
    delivered: t.delivered,
    expected: t.expected,
    duplicates: t.duplicates,
    note,
  };
  console.log(formatLine(result));
  appendFileSync(inject('faultResultsFile'), `${JSON.stringify(result)}\n`);
}

/**
 * The ledger once a run is over: exactly the owed e-mails are SENT; the only other rows are
 * the catch-up steps the scan recorded as SUPERSEDED (RULES.md 5 "Catch-up"). Nothing is left
 * PENDING (lost) or FAILED.
 */
export function expectLedgerSettled(s: Scenario, rows: readonly LedgerRow[]): void {
  const sent = rows.filter((r) => r.status === 'SENT').map((r) => arrivalId(r.key, r.recipient));
  expect(sent.sort()).toEqual([...s.expected].sort());
  expect(rows.filter((r) => r.status !== 'SENT' && r.status !== 'SUPERSEDED')).toEqual([]);
}

/** Ledger rows by status, e.g. { SENT: 350 }. */
export function byStatus(rows: readonly LedgerRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

/** The sum of the values of the /metrics lines `line` matches (its first group is the value). */
export async function metric(w: WorkerProcess, line: RegExp): Promise<number> {
  const text = await (await fetch(`${w.http}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(line.source, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** `sro_alerts_sent_total` summed over kinds, from a worker's /metrics. */
export function sentByWorker(w: WorkerProcess): Promise<number> {
  return metric(w, /^sro_alerts_sent_total\{[^}]*\} (\d+)$/);
}

export { FAULTS_AS_OF, sleep };
