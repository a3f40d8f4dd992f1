// The readiness probe's question to PostgreSQL.
import type pg from 'pg';

export async function pingDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1');
}
