// The readiness probe's question to PostgreSQL, and the commands' check that it answers.
import pg from 'pg';
import { redactUrl } from '../config.ts';
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

/** "PostgreSQL at DATABASE_URL=postgresql://postgres:***@127.0.0.1:1/sro is not reachable: ECONNREFUSED …" */
export function unreachableMessage(service: string, variable: string, url: string, cause: unknown): string {
  const err = cause as Error & { code?: string };
  const why = err.code && !err.message.includes(err.code) ? `${err.code} ${err.message}` : err.message;
  return `${service} at ${variable}=${redactUrl(url)} is not reachable: ${why}`;
}
