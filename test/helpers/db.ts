// Each test file gets its own database cloned from the migrated template, and drops it after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Db, createDb } from '../../src/db/client.ts';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function adminUrl(): string {
  return databaseUrlFor('postgres');
}

export function databaseUrlFor(name: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated, empty database for one test file. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const template = inject('templateDatabase' as never) as string;
  const name = `sro_test_${label.replace(/[^a-z0-9_]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = databaseUrlFor(name);
  const db = createDb(url);
  return {
    name,
    url,
    db,
    async drop() {
      await db.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Row counts and an md5 of every fact table's sorted content: "byte-for-byte unchanged". */
export async function databaseFingerprint(url: string): Promise<Record<string, string>> {
  const tables = ['agency', 'district', 'district_contact', 'officer', 'assignment', 'training', 'policy_review', 'contact_day', 'alert_ledger'];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const t of tables) {
      const r = await client.query(
        `SELECT count(*)::text AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM "${t}" x`,
      );
      out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Runs one query on the database at `url` (its own connection) and returns the rows. */
export async function queryRows<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}
