// PostgreSQL plumbing shared by the test suite (test/helpers) and the benchmarks (bench/):
// one migrated template database per migrations checksum, cloned into a fresh database per
// test file or benchmark run (CREATE DATABASE … TEMPLATE takes milliseconds, a migrate run
// seconds). Not product code (sro never clones databases), and free of vitest: bench/ runs
// under plain tsx.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, migrationsChecksum } from '../src/db/migrate.ts';

/** The database `name` on the server of `serverUrl` (same host, port, user and options). */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `fn` on a connection of its own to `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A connection cut while idle (PostgreSQL restarted, database dropped) must not become an
  // unhandled 'error' event; a query on it rejects, which the caller sees.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` connected to the server's `postgres` database (to create and drop others). */
function withAdmin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withClient(databaseUrlFor(serverUrl, 'postgres'), fn);
}

/** The template of the current migrations: `${prefix}_template_<checksum>`. */
export function templateName(prefix: string): string {
  return `${prefix}_template_${migrationsChecksum()}`;
}

/**
 * Creates the migrated database `template` unless it exists. Built under another name and
 * renamed when complete, under an advisory lock so that parallel runs do not both build it.
 */
export async function ensureTemplate(serverUrl: string, template: string): Promise<void> {
  const exists = async (c: pg.Client) =>
    Boolean((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount);
  await withAdmin(serverUrl, async (c) => {
    if (await exists(c)) return;
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    try {
      if (await exists(c)) return;
      const building = `${template}_building`;
      await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await applyMigrations(databaseUrlFor(serverUrl, building));
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
}

export interface ClonedDatabase {
  name: string;
  url: string;
}

/** A new database cloned from `template`, named `${prefix}_<label>_<random>`. */
export async function cloneDatabase(
  serverUrl: string,
  template: string,
  prefix: string,
  label: string,
): Promise<ClonedDatabase> {
  const name = `${prefix}_${label
    .replace(/[^a-z0-9_]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return { name, url: databaseUrlFor(serverUrl, name) };
}

/** Drops the database `name`, closing the connections still open to it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
