// Each test file gets its own database cloned from the migrated template, and drops it after.
import { inject } from 'vitest';
import { cloneDatabase, databaseUrlFor as urlOn, dropDatabase, withClient } from '../../support/postgres.ts';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function adminUrl(): string {
  return databaseUrlFor('postgres');
}

export function databaseUrlFor(name: string): string {
  return urlOn(TEST_PG_URL, name);
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database for one test file. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const template = inject('templateDatabase' as never) as string;
  const { name, url } = await cloneDatabase(TEST_PG_URL, template, 'sro_test', label);
  return {
    name,
    url,
    async drop() {
      await dropDatabase(TEST_PG_URL, name);
    },
  };
}

/** Row counts and an md5 of every fact table's sorted content: "byte-for-byte unchanged". */
export async function databaseFingerprint(url: string): Promise<Record<string, string>> {
  const tables = [
    'agency',
    'district',
    'district_contact',
    'officer',
    'assignment',
    'training',
    'policy_review',
    'contact_day',
    'alert_ledger',
  ];
  return withClient(url, async (client) => {
    const out: Record<string, string> = {};
    for (const t of tables) {
      const r = await client.query(
        `SELECT count(*)::text AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM "${t}" x`,
      );
      out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
    }
    return out;
  });
}

/** Runs one query on the database at `url` (its own connection) and returns the rows. */
export async function queryRows<T = Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(text, params)).rows as T[]);
}
