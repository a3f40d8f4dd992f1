// `sro migrate`: create the database if it does not exist, then apply the Prisma
// migrations in prisma/migrations with the Prisma CLI's JS schema engine (offline).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { processEnvironment } from '../config.ts';
import { packageRoot } from '../shell/version.ts';

export const projectRoot = packageRoot();

/**
 * A short digest of prisma/migrations (names and SQL): names the migrated template
 * databases the tests and benchmarks clone, so a schema change builds a new one.
 */
export function migrationsChecksum(): string {
  const dir = join(projectRoot, 'prisma', 'migrations');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.toml')) continue;
    hash.update(name);
    hash.update(readFileSync(join(dir, name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 12);
}

class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
}

/** Creates the database named in `databaseUrl` when missing. Returns true if it created it. */
async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new MigrationError('DATABASE_URL names no database');
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    } catch (cause) {
      // 42P04: another process created it between our check and our CREATE.
      if ((cause as { code?: string }).code === '42P04') return false;
      throw cause;
    }
    return true;
  } finally {
    await client.end();
  }
}

async function upToDate(databaseUrl: string): Promise<boolean> {
  const dir = join(projectRoot, 'prisma', 'migrations');
  const local = readdirSync(dir)
    .filter((name) => !name.endsWith('.toml'))
    .map((name) => ({
      name,
      checksum: createHash('sha256')
        .update(readFileSync(join(dir, name, 'migration.sql')))
        .digest('hex'),
    }));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present`);
    if (!table.rows[0].present) return false;
    const applied = await client.query(
      `SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(applied.rows.map((r) => [r.migration_name as string, r.checksum as string]));
    // A migration applied here but not in the folder (a newer build ran) is Prisma's to report.
    return done.size === local.length && local.every((m) => done.get(m.name) === m.checksum);
  } finally {
    await client.end();
  }
}

/** What `prisma migrate deploy` prints when it has finished successfully. */
const DONE_MARKERS = ['All migrations have been successfully applied', 'No pending migrations to apply'];

/** Applies pending migrations; idempotent. Output of the Prisma CLI goes to `log`. */
export async function applyMigrations(databaseUrl: string, log: (line: string) => void = () => {}): Promise<void> {
  await ensureDatabase(databaseUrl);
  // An up-to-date database (every migration folder applied, with the checksum Prisma records:
  // the SHA-256 of its migration.sql) needs no Prisma CLI, whose start alone takes seconds.
  if (await upToDate(databaseUrl)) {
    log('No pending migrations to apply.');
    return;
  }
  const require = createRequire(import.meta.url);
  const prismaCli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
  const child = spawn(process.execPath, [prismaCli, 'migrate', 'deploy'], {
    cwd: projectRoot,
    env: {
      ...processEnvironment(),
      DATABASE_URL: databaseUrl,
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let done = false;
  const onData = (b: Buffer) => {
    output += b.toString();
    // Prisma 6.19's wasm schema engine leaves a 10 s timer behind after it has printed its
    // result: once the result is out, the work is done and the process is only idling.
    if (!done && DONE_MARKERS.some((m) => output.includes(m))) {
      done = true;
      setTimeout(() => child.kill('SIGTERM'), 50).unref();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  for (const line of output.split('\n')) if (line.trim()) log(line);
  if (code !== 0 && !done) throw new MigrationError(`prisma migrate deploy exited with ${code}:\n${output.trim()}`);
}
