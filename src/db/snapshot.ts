// One consistent view of the roster for a whole scan (or range job): the directory and
// every officer batch are read from the same REPEATABLE READ snapshot, so an import that
// commits mid-scan is seen entirely or not at all, never officers of an agency the scan's
// directory does not have. The snapshot is exported to a second connection so the batch
// reader's parallel fact queries keep running in parallel.
import type pg from 'pg';

/** What the readers need of a pool: `query`. A snapshot is one, spread over its connections. */
export type Queryable = Pick<pg.Pool, 'query'>;

export interface Snapshot extends Queryable {
  release(): Promise<void>;
}

/**
 * Opens a read-only REPEATABLE READ snapshot on `connections` clients of the pool (the
 * first exports it, the others import it). Queries go to the least busy client. Release
 * when done; the clients go back to the pool.
 */
export async function openSnapshot(pool: pg.Pool, connections = 2): Promise<Snapshot> {
  const clients: pg.PoolClient[] = [];
  const busy: number[] = [];
  const release = async () => {
    await Promise.allSettled(clients.map((c) => c.query('COMMIT')));
    for (const c of clients) c.release();
    clients.length = 0;
  };
  try {
    const first = await pool.connect();
    clients.push(first);
    await first.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const id = (await first.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    for (let i = 1; i < connections; i++) {
      const c = await pool.connect();
      clients.push(c);
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await c.query(`SET TRANSACTION SNAPSHOT '${id.replace(/'/g, "''")}'`);
    }
  } catch (e) {
    await release();
    throw e;
  }
  // A pg client runs one query at a time (queueing more on it is deprecated): each client has
  // a chain, and a query goes to the client with the fewest waiting, after its last one.
  const tails: Promise<unknown>[] = [];
  for (let i = 0; i < clients.length; i++) {
    busy.push(0);
    tails.push(Promise.resolve());
  }
  const query = ((...args: Parameters<pg.Pool['query']>) => {
    let at = 0;
    for (let i = 1; i < busy.length; i++) if (busy[i]! < busy[at]!) at = i;
    const client = clients[at];
    if (!client) return Promise.reject(new Error('snapshot released'));
    busy[at]! += 1;
    const run = () => (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
    const p = tails[at]!.then(run, run);
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    tails[at] = settled;
    void settled.then(() => {
      busy[at]! -= 1;
    });
    return p;
  }) as pg.Pool['query'];
  return { query, release };
}
