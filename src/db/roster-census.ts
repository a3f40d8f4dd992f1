// How many officers a database holds beyond a given list (`sro demo` refuses a database in use).
import pg from 'pg';

/** 0 for a database that does not exist yet or has no roster tables. */
export async function countOfficersNotIn(databaseUrl: string, licenses: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (e) {
    if ((e as { code?: string }).code === '3D000') return 0; // no such database: the demo creates it
    throw e;
  }
  try {
    const table = await client.query(`SELECT to_regclass('public.officer') IS NOT NULL AS present`);
    if (!table.rows[0].present) return 0;
    const r = await client.query(`SELECT count(*)::int AS n FROM officer WHERE NOT (license = ANY($1))`, [licenses]);
    return r.rows[0].n as number;
  } finally {
    await client.end();
  }
}
