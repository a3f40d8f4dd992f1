// Shared plumbing of the benchmark scripts: a fresh database per run (cloned from a migrated
// template), Redis prefix cleanup, RSS sampling, argument parsing, table printing.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { applyMigrations, migrationsChecksum } from '../src/db/migrate.ts';

export const BENCH_PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The as-of date every benchmark scans at (a school day in the 2025-2026 school year). */
export const BENCH_AS_OF = '2026-02-02';

export function databaseUrlFor(name: string): string {
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrlFor('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const benchTemplate = () => `sro_bench_template_${migrationsChecksum()}`;

/**
 * A migrated template per migrations checksum, built once per bench run (prisma migrate
 * deploy takes seconds; a clone, milliseconds). BENCH_TEMPLATE_DATABASE names an existing
 * migrated template instead (the test suite passes its own).
 */
async function ensureTemplate(): Promise<string> {
  if (process.env.BENCH_TEMPLATE_DATABASE) return process.env.BENCH_TEMPLATE_DATABASE;
  const template = benchTemplate();
  await admin(async (c) => {
    if ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount) return;
    await c.query('SELECT pg_advisory_lock(4626849)');
    try {
      if ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount) return;
      const building = `${template}_building`;
      await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await applyMigrations(databaseUrlFor(building));
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(4626849)');
    }
  });
  return template;
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database; drop() removes it (call it in a finally). */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const template = await ensureTemplate();
  const name = `sro_bench_${label.replace(/[^a-z0-9_]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: databaseUrlFor(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Drops the template this module built (end of a bench run: leave nothing behind). */
export async function dropBenchTemplate(): Promise<void> {
  if (process.env.BENCH_TEMPLATE_DATABASE) return;
  const name = benchTemplate();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export function uniquePrefix(label: string): string {
  return `sro-bench-${label}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every Redis key under `prefix:`. */
export async function deletePrefix(prefix: string, redisUrl = BENCH_REDIS_URL): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Samples resident set size while `fn` runs; returns its result, the wall time and the peak (MB). */
export async function measure<T>(fn: () => Promise<T>, sampleMs = 25): Promise<{ result: T; ms: number; peakRssMb: number }> {
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
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  s: (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1),
  x: (r: number) => `${r.toFixed(2)}×`,
  mb: (m: number) => m.toFixed(0),
};
