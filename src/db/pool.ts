// A pg pool for the bulk read paths (scan, report). DATE columns come back as the
// 'YYYY-MM-DD' text PostgreSQL sends, i.e. civil dates, never as JS Dates at midnight.
import pg from 'pg';

const DATE_OID = 1082;

export function createPool(databaseUrl: string, max = 4, onError: (e: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
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
