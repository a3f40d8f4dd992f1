// A pg pool for the bulk read paths (scan, report) and the console. DATE columns come back as
// the 'YYYY-MM-DD' text PostgreSQL sends, i.e. civil dates, never as JS Dates at midnight.
import pg from 'pg';
import { ServiceBusy } from '../errors.ts';

const DATE_OID = 1082;

interface PoolOptions {
  /**
   * Milliseconds a caller waits for a free connection (or a new one to open) before it gets
   * ServiceBusy; unset, it waits as long as it takes (the batch paths, which size their pool
   * to what they hold). A request-serving process sets it so that load is shed, not queued
   * without end.
   */
  acquireTimeoutMs?: number;
}

// pg-pool's words for "no connection within connectionTimeoutMillis": a full pool, or a
// connection that did not open in time.
const ACQUIRE_TIMEOUT = /^timeout exceeded when trying to connect$|^Connection terminated due to connection timeout$/;

/** ServiceBusy for a connection not had in time (the cause kept); any other error as it is. */
function busyOr(e: unknown): unknown {
  return e instanceof Error && ACQUIRE_TIMEOUT.test(e.message)
    ? new ServiceBusy('the database has no connection free right now: try again in a moment', { cause: e })
    : e;
}

type ConnectCallback = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/** pg.Pool whose connect (and so query, which connects through it) says ServiceBusy on an acquire timeout. */
class SheddingPool extends pg.Pool {
  // Both forms pg-pool offers: a promise, and the callback its own query() uses.
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (callback)
      return super.connect(((err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) =>
        callback(err ? (busyOr(err) as Error) : err, client, done)) as never);
    return super.connect().catch((e: unknown) => {
      throw busyOr(e);
    });
  }
}

export function createPool(
  databaseUrl: string,
  max = 4,
  onError: (e: Error) => void = () => {},
  options: PoolOptions = {},
): pg.Pool {
  const pool = new SheddingPool({
    connectionString: databaseUrl,
    max,
    ...(options.acquireTimeoutMs ? { connectionTimeoutMillis: options.acquireTimeoutMs } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID
          ? (v: string) => v
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (database restart) must not crash the process
  // (graphile/worker's installErrorHandlers): it is reported, and the next query gets a
  // fresh connection.
  pool.on('error', onError);
  return pool;
}
