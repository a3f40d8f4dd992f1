// Shared plumbing of the benchmark scripts: a fresh database per run (cloned from a migrated
// template) and Redis prefix cleanup (both from support/, which the tests use too), RSS
// sampling, the send queue and scan settings both benchmarks drive (the scan rig), argument
// parsing, table printing, and the script's main (print the table, drop the template).
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { type Config, alertConfigOf, loadConfig, rulesOf } from '../src/config.ts';
import { createPool } from '../src/db/pool.ts';
import type { CivilDate } from '../src/domain/civil-date.ts';
import { createQueues, createWorkQueue } from '../src/worker/queue.ts';
import type { WorkQueue } from '../src/app/ports.ts';
import { cloneDatabase, dropDatabase, ensureTemplate, templateName } from '../support/postgres.ts';
import { deletePrefix as deleteKeysUnder, uniquePrefix as prefixOf } from '../support/redis.ts';

export const BENCH_PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The as-of date every benchmark scans at (a school day in the 2025-2026 school year). */
export const BENCH_AS_OF = '2026-02-02';

/**
 * A migrated template per migrations checksum, built once per bench run (prisma migrate
 * deploy takes seconds; a clone, milliseconds). BENCH_TEMPLATE_DATABASE names an existing
 * migrated template instead (the test suite passes its own).
 */
async function benchTemplate(): Promise<string> {
  if (process.env.BENCH_TEMPLATE_DATABASE) return process.env.BENCH_TEMPLATE_DATABASE;
  const template = templateName('sro_bench');
  await ensureTemplate(BENCH_PG_URL, template);
  return template;
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database; drop() removes it (call it in a finally). */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const { name, url } = await cloneDatabase(BENCH_PG_URL, await benchTemplate(), 'sro_bench', label);
  return { name, url, drop: () => dropDatabase(BENCH_PG_URL, name) };
}

/** Drops the template this module built (end of a bench run: leave nothing behind). */
export async function dropBenchTemplate(): Promise<void> {
  if (process.env.BENCH_TEMPLATE_DATABASE) return;
  await dropDatabase(BENCH_PG_URL, templateName('sro_bench'));
}

export function uniquePrefix(label: string): string {
  return prefixOf('sro-bench', label);
}

/** Deletes every Redis key under `prefix:`. */
export function deletePrefix(prefix: string, redisUrl = BENCH_REDIS_URL): Promise<void> {
  return deleteKeysUnder(redisUrl, prefix);
}

/** What runScan takes from the configuration: the rules and the alert settings. */
function scanConfigOf(config: Config) {
  return { rules: rulesOf(config), alerts: alertConfigOf(config) };
}

export interface ScanRig {
  /** This run's queue prefix: its Redis keys are deleted by close(). */
  prefix: string;
  /** The configuration's environment: the database, the bench Redis, the prefix, and the extra variables. */
  env: Record<string, string>;
  pool: pg.Pool;
  /** The send-alert queue under `prefix`. */
  queue: Queue;
  /** The scan's way onto the queues under `prefix` (runScan's `work`). */
  work: WorkQueue;
  /** What runScan takes besides its queue (and batch size): as of BENCH_AS_OF, with the configuration's rules. */
  scanOptions: { asOf: CivilDate } & ReturnType<typeof scanConfigOf>;
  /** Closes the queues, deletes the prefix's keys and ends the pool. */
  close(): Promise<void>;
}

/**
 * What a benchmark drives runScan with on `databaseUrl`: a fresh queue prefix (`label`), the
 * configuration of the bench database and Redis plus `env`, a pg pool of `poolSize`
 * connections (createPool's default when absent), and the send queue.
 */
export function openScanRig(
  label: string,
  databaseUrl: string,
  options: { env?: Record<string, string>; poolSize?: number } = {},
): ScanRig {
  const prefix = uniquePrefix(label);
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: prefix, ...options.env };
  const config = loadConfig(env);
  const pool = createPool(databaseUrl, options.poolSize);
  const queues = createQueues(BENCH_REDIS_URL, prefix);
  const queue = queues.send;
  return {
    prefix,
    env,
    pool,
    queue,
    work: createWorkQueue(queues, config),
    scanOptions: { asOf: BENCH_AS_OF as CivilDate, ...scanConfigOf(config) },
    async close() {
      await queues.close();
      await deletePrefix(prefix);
      await pool.end();
    },
  };
}

/** Log lines go to stderr: stdout carries only the figures. */
export function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A script's main: runs the benchmark, prints what it returns, and drops the template it built. */
export async function printBench(run: () => Promise<string>): Promise<void> {
  try {
    console.log(await run());
  } finally {
    await dropBenchTemplate();
  }
}

/** Samples resident set size while `fn` runs; returns its result, the wall time and the peak (MB). */
export async function measure<T>(
  fn: () => Promise<T>,
  sampleMs = 25,
): Promise<{ result: T; ms: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, sampleMs);
  const started = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, ms, peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** `--name value` pairs and bare `--flag`s. */
export function parseArgs(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) out.set(a.slice(2), argv[++i]!);
    else out.set(a.slice(2), 'true');
  }
  return out;
}

export function intArg(args: Map<string, string>, name: string, fallback: number): number {
  const v = args.get(name);
  if (v === undefined) return fallback;
  const n = Number(v.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${v}`);
  return n;
}

/** True when `moduleUrl` is the script node was started with (not imported). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  s: (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1),
  x: (r: number) => `${r.toFixed(2)}×`,
  mb: (m: number) => m.toFixed(0),
};
