// E-mails per second through the whole send path (send-alert job → claim → re-check and
// render → SMTP → ledger SENT) with 1 and 4 worker processes, beside the floor: raw pooled
// nodemailer sends of as many messages to the same loopback receiver (smtp-server in a child
// process). Per worker count: a fresh database, a generated roster, a full scan that writes
// PENDING rows and enqueues their jobs into a paused queue; the workers start, report ready,
// the queue is resumed and the clock runs until no row is PENDING.
//
//   tsx bench/send.ts [--officers 6000] [--workers 1,4] [--concurrency 32] [--pool-size 8] [--profile]
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';
import { projectRoot } from '../src/db/migrate.ts';
import { runScan } from '../src/app/alert-scan.ts';
import { civilDate } from '../src/domain/civil-date.ts';
import { renderAlert } from '../src/mail/render-alert.ts';
import { generateRoster } from './generate-roster.ts';
import {
  BENCH_AS_OF,
  createBenchDatabase,
  fmt,
  intArg,
  isMain,
  logToStderr,
  openScanRig,
  parseArgs,
  printBench,
  table,
} from './support.ts';

export interface SendFigures {
  label: string;
  workers: number | null;
  emails: number;
  ms: number;
  perSecond: number;
  sent?: number;
  otherOutcomes?: number;
}

interface Child {
  proc: ChildProcess;
  /** Resolves with the first stdout line matching `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

function startChild(script: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, script], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const i = waiters.findIndex((w) => w.re.test(line));
    if (i < 0) return void lines.push(line);
    const w = waiters.splice(i, 1)[0]!;
    w.resolve(line.match(w.re)!);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    waitFor(re, timeoutMs = 60_000) {
      const seen = lines.findIndex((l) => re.test(l));
      if (seen >= 0) return Promise.resolve(lines.splice(seen, 1)[0]!.match(re)!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${script}: no line matching ${re} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const onExit = () => reject(new Error(`${script} exited before printing ${re}`));
        proc.once('exit', onExit);
        waiters.push({
          re,
          resolve: (m) => {
            clearTimeout(timer);
            proc.off('exit', onExit);
            resolve(m);
          },
        });
      });
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const force = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(force);
      }
    },
  };
}

const benchDir = new URL('.', import.meta.url).pathname;

/**
 * The floor's message: a real rendered alert (a deadline reminder with its calendar event,
 * the largest kind), rendered once before the clock starts, so the floor pays for MIME
 * encoding and SMTP exactly as the send path does, and nothing else.
 */
function floorMessage(i: number) {
  const dueDate = civilDate('2026-03-02');
  const schoolYear = { label: '2025-2026', start: civilDate('2025-07-01'), end: civilDate('2026-06-30') };
  const license = `L${String(i).padStart(8, '0')}`;
  const key = `DEADLINE_REMINDER:${license}:NEW_SRO:lead=30`;
  const to = `chief@ag${String(i % 1000).padStart(6, '0')}.mn.example`;
  const rendered = renderAlert({
    alert: {
      kind: 'DEADLINE_REMINDER',
      license,
      dueDate,
      lead: 30,
      level: null,
      threshold: null,
      schoolYear: null,
      key,
      recipients: [],
    },
    recipient: { email: to, name: 'Chief Morgan Ellis', role: 'CHIEF', districtId: null },
    officer: { license, firstName: 'Maria', lastName: 'Nguyen' },
    agency: { id: 'MN0020000', name: 'Anoka County Sheriff', chiefName: 'Chief Morgan Ellis' },
    districts: [{ id: 'ISD11', name: 'Anoka-Hennepin School District', kind: 'DISTRICT' }],
    status: {
      license,
      status: 'IN_GRACE',
      reason: null,
      dueDate,
      daysRemaining: 28,
      contactDays: 0,
      projected60thDay: null,
      restrictedDuties: [4, 5],
      issues: [],
      completedLate: false,
      basis: 'GRACE_PERIOD_EXPIRED',
      assumedDutiesOn: civilDate('2025-09-02'),
      schoolYear,
      qualifyingTraining: null,
      firstServedDay: null,
    },
    asOf: civilDate('2026-02-02'),
    ledgerKey: `${key}:to=${to}`,
    generatedAt: '20260202T120000Z',
  });
  return {
    from: 'SRO Compliance <no-reply@localhost>',
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: rendered.headers,
    icalEvent: rendered.icalEvent ?? undefined,
  };
}

/** The floor: raw pooled nodemailer, all messages handed over at once, the pool sends them. */
async function smtpFloor(port: number, count: number, poolSize: number): Promise<SendFigures> {
  const transporter = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    maxConnections: poolSize,
    maxMessages: 1000,
  });
  try {
    await transporter.sendMail(floorMessage(0)); // connect once before the clock starts
    const messages = Array.from({ length: count }, (_, i) => floorMessage(i));
    const started = performance.now();
    const pending = [];
    for (const m of messages) pending.push(transporter.sendMail(m));
    await Promise.all(pending);
    const ms = performance.now() - started;
    return {
      label: `raw pooled nodemailer (${poolSize} connections)`,
      workers: null,
      emails: count,
      ms,
      perSecond: (count * 1000) / ms,
    };
  } finally {
    transporter.close();
  }
}

interface SendPathOptions {
  officers: number;
  workers: number;
  smtpUrl: string;
  concurrency: number;
  poolSize: number;
  seed: number;
  /** Write a CPU profile of each worker process to bench/profiles. */
  profile: boolean;
  log: (line: string) => void;
}

async function sendPath(o: SendPathOptions): Promise<SendFigures> {
  const db = await createBenchDatabase(`send${o.workers}`);
  const workers: Child[] = [];
  const rig = openScanRig('send', db.url, {
    env: {
      SMTP_URL: o.smtpUrl,
      SMTP_RATE_PER_SECOND: '10000',
      SMTP_POOL_SIZE: String(o.poolSize),
      SEND_CONCURRENCY: String(o.concurrency),
      SCAN_CRON: '0 0 1 1 *',
      LOG_LEVEL: 'warn',
    },
  });
  const { env, pool, queue } = rig;
  try {
    await generateRoster({ officers: o.officers, databaseUrl: db.url, seed: o.seed, log: o.log });
    await queue.pause();
    await runScan(pool, { ...rig.scanOptions, work: rig.work });
    const emails = Number(
      (await pool.query(`SELECT count(*) AS n FROM alert_ledger WHERE status = 'PENDING'`)).rows[0].n,
    );
    for (let i = 0; i < o.workers; i++)
      workers.push(
        startChild(
          `${benchDir}send-worker.ts`,
          env,
          o.profile ? ['--cpu-prof', '--cpu-prof-dir', 'bench/profiles'] : [],
        ),
      );
    await Promise.all(workers.map((w) => w.waitFor(/^READY$/)));
    const started = performance.now();
    await queue.resume();
    for (;;) {
      const left = Number(
        (await pool.query(`SELECT count(*) AS n FROM alert_ledger WHERE status = 'PENDING'`)).rows[0].n,
      );
      if (left === 0) break;
      if (performance.now() - started > 600_000)
        throw new Error(`send bench: ${left} rows still PENDING after 10 minutes`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = performance.now() - started;
    const outcome = await pool.query(
      `SELECT status::text AS status, count(*)::int AS n FROM alert_ledger WHERE as_of = $1 GROUP BY status`,
      [BENCH_AS_OF],
    );
    const by = Object.fromEntries(outcome.rows.map((r) => [r.status as string, r.n as number]));
    const sent = by.SENT ?? 0;
    return {
      label: `send path, ${o.workers} worker process${o.workers > 1 ? 'es' : ''} × concurrency ${o.concurrency}`,
      workers: o.workers,
      emails,
      ms,
      perSecond: (sent * 1000) / ms,
      sent,
      otherOutcomes: emails - sent,
    };
  } finally {
    await Promise.allSettled(workers.map((w) => w.stop()));
    await rig.close();
    await db.drop();
  }
}

export interface SendBenchOptions {
  officers?: number;
  workers?: readonly number[];
  concurrency?: number;
  poolSize?: number;
  seed?: number;
  profile?: boolean;
  log?: (line: string) => void;
}

export async function benchSend(options: SendBenchOptions = {}): Promise<SendFigures[]> {
  const log = options.log ?? logToStderr;
  const officers = options.officers ?? 6000;
  const poolSize = options.poolSize ?? 8;
  const concurrency = options.concurrency ?? 32;
  const sink = startChild(`${benchDir}smtp-sink.ts`);
  try {
    const port = Number((await sink.waitFor(/^PORT (\d+)$/))[1]);
    const out: SendFigures[] = [];
    for (const workers of options.workers ?? [1, 4]) {
      log(`send bench: ${fmt.int(officers)} officers, ${workers} worker process(es)`);
      const f = await sendPath({
        officers,
        workers,
        smtpUrl: `smtp://127.0.0.1:${port}?tls=off`,
        concurrency,
        poolSize,
        seed: options.seed ?? 1,
        profile: options.profile ?? false,
        log,
      });
      log(`  ${f.label}: ${fmt.int(f.sent ?? 0)} sent in ${fmt.s(f.ms)} s = ${fmt.int(f.perSecond)}/s`);
      out.push(f);
    }
    // The floor: as many messages as the send path delivered, same receiver, same pool size.
    const floor = await smtpFloor(port, Math.max(...out.map((f) => f.emails)), poolSize);
    log(`  ${floor.label}: ${fmt.int(floor.emails)} in ${fmt.s(floor.ms)} s = ${fmt.int(floor.perSecond)}/s`);
    sink.proc.stdin!.write('COUNT\n');
    const received = Number((await sink.waitFor(/^RECEIVED (\d+)$/))[1]);
    log(`  receiver counted ${fmt.int(received)} messages`);
    return [floor, ...out];
  } finally {
    await sink.stop();
  }
}

export function formatSendFigures(figures: readonly SendFigures[]): string {
  const floor = figures.find((f) => f.workers === null);
  return table(
    ['path', 'e-mails', 'seconds', 'e-mails/s', '÷ floor'],
    figures.map((f) => [
      f.label,
      fmt.int(f.sent ?? f.emails),
      fmt.s(f.ms),
      fmt.int(f.perSecond),
      floor ? `${((100 * f.perSecond) / floor.perSecond).toFixed(0)} %` : '',
    ]),
  );
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  await printBench(async () =>
    formatSendFigures(
      await benchSend({
        officers: intArg(args, 'officers', 6000),
        workers: args.has('workers') ? args.get('workers')!.split(',').map(Number) : [1, 4],
        concurrency: intArg(args, 'concurrency', 32),
        poolSize: intArg(args, 'pool-size', 8),
        seed: intArg(args, 'seed', 1),
        profile: args.has('profile'),
      }),
    ),
  );
}
