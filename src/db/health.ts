// The readiness probe's question to PostgreSQL, and the commands' check that it answers.
import pg from 'pg';
import { unreachableMessage } from '../shell/unreachable.ts';
import { ServiceUnreachableError } from '../errors.ts';

export async function pingDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1');
}

/** Fails within `timeoutMs`, naming PostgreSQL and DATABASE_URL (password masked), when the database does not answer. */
export async function assertPostgresReachable(databaseUrl: string, timeoutMs = 10_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new ServiceUnreachableError(unreachableMessage('PostgreSQL', 'DATABASE_URL', databaseUrl, e), { cause: e });
  } finally {
    await client.end().catch(() => undefined);
  }
}
