// The status snapshot (migration 20261202000000): every officer's report as of one day, so
// the console's admin view of a large roster reads one page and precomputed counts instead
// of evaluating every officer per request. Written whole by `writeStatusSnapshot` (one
// transaction: readers see the old snapshot until it commits); read a page at a time.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CivilDate } from '../domain/civil-date.ts';
import type { OfficerReport } from '../domain/report.ts';
import type { OfficerStatusCode } from '../domain/types.ts';

/** What the snapshot holds and how current it is. */
export interface SnapshotMeta {
  asOf: CivilDate | null;
  rosterVersion: string | null;
  refreshedAt: Date | null;
  counts: Partial<Record<OfficerStatusCode, number>> | null;
}

export async function readSnapshotMeta(pool: pg.Pool): Promise<SnapshotMeta> {
  const r = await pool.query(
    `SELECT as_of, roster_version::text AS roster_version, refreshed_at, counts FROM status_snapshot WHERE id = 1`,
  );
  const row = r.rows[0] ?? {};
  return {
    asOf: row.as_of ?? null,
    rosterVersion: row.roster_version ?? null,
    refreshedAt: row.refreshed_at ?? null,
    counts: row.counts ?? null,
  };
}

/** roster_version now: bumped by every statement that writes the roster. */
export async function readRosterVersion(pool: Pick<pg.Pool, 'query'>): Promise<string> {
  const r = await pool.query<{ version: string }>(`SELECT version::text AS version FROM roster_version WHERE id = 1`);
  return r.rows[0]?.version ?? '0';
}

/** One snapshot row: the report and the columns of its urgency order and filters. */
export interface SnapshotRow {
  report: OfficerReport;
  districtIds: readonly string[];
  rank: number;
}

// COPY text format: backslash, tab, newline and carriage return escaped.
const copyText = (s: string) =>
  s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
const arrayLiteral = (items: readonly string[]) =>
  `{${items.map((i) => `"${i.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

function copyLine(r: SnapshotRow): string {
  const o = r.report;
  return `${[
    copyText(o.license),
    copyText(o.agencyId),
    copyText(arrayLiteral(r.districtIds)),
    o.status,
    String(r.rank),
    o.daysRemaining === null ? '\\N' : String(o.daysRemaining),
    String(o.contactDays),
    String(o.issues.length),
    copyText(`${o.license} ${o.name}`.toLowerCase()),
    copyText(JSON.stringify(o)),
  ].join('\t')}\n`;
}

/**
 * Replaces the snapshot with `rows` (batches, as the report reads them), labelled with the
 * day and the roster version they were evaluated on, in one transaction on `client`.
 */
export async function writeStatusSnapshot(
  client: pg.PoolClient,
  label: { asOf: CivilDate; rosterVersion: string },
  rows: AsyncIterable<readonly SnapshotRow[]>,
): Promise<number> {
  let n = 0;
  await client.query('BEGIN');
  try {
    await client.query('DELETE FROM officer_status');
    const copy = client.query(
      copyFrom(
        `COPY officer_status (license, agency_id, district_ids, status, rank, days_remaining, contact_days, issue_count, search, report) FROM STDIN`,
      ),
    );
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const batch of rows) {
            n += batch.length;
            yield batch.map(copyLine).join('');
          }
        })(),
      ),
      copy,
    );
    await client.query(
      `UPDATE status_snapshot SET as_of = $1, roster_version = $2, refreshed_at = now(),
         counts = (SELECT coalesce(jsonb_object_agg(status, n), '{}') FROM (SELECT status, count(*) AS n FROM officer_status GROUP BY status) c)
       WHERE id = 1`,
      [label.asOf, label.rosterVersion],
    );
    await client.query('COMMIT');
    return n;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

export interface SnapshotFilter {
  status: OfficerStatusCode | null;
  agency: string | null;
  district: string | null;
  /** Lower-cased part of a license or name. */
  search: string | null;
}

function where(f: SnapshotFilter, params: unknown[], withStatus: boolean): string {
  const w: string[] = [];
  if (withStatus && f.status) w.push(`status = $${params.push(f.status)}`);
  if (f.agency) w.push(`agency_id = $${params.push(f.agency)}`);
  if (f.district) w.push(`district_ids @> ARRAY[$${params.push(f.district)}::text]`);
  if (f.search) w.push(`strpos(search, $${params.push(f.search.toLowerCase())}) > 0`);
  return w.length ? `WHERE ${w.join(' AND ')}` : '';
}

const URGENCY = `rank, days_remaining, contact_days DESC, issue_count DESC, license COLLATE "C"`;

/** One page of the snapshot by urgency (the counts come with the snapshot, or from countSnapshot). */
export async function readSnapshotPage(
  pool: pg.Pool,
  f: SnapshotFilter,
  offset: number,
  limit: number,
): Promise<OfficerReport[]> {
  const params: unknown[] = [];
  const page = await pool.query<{ report: OfficerReport }>(
    `SELECT report FROM officer_status ${where(f, params, true)} ORDER BY ${URGENCY} LIMIT ${limit | 0} OFFSET ${offset | 0}`,
    params,
  );
  return page.rows.map((r) => r.report);
}

/** Counts by status of the rows that pass the filter but its status. */
export async function countSnapshot(pool: pg.Pool, f: SnapshotFilter): Promise<Record<string, number>> {
  const params: unknown[] = [];
  const r = await pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM officer_status ${where(f, params, false)} GROUP BY status`,
    params,
  );
  return Object.fromEntries(r.rows.map((row) => [row.status, row.n]));
}

/** Seconds a stream's transaction may wait on its reader before the server ends it. */
const STALLED_READER_SECONDS = 60;

/**
 * Every row that passes the filter, by urgency, in batches of `batch`, each passed through
 * `each` on the same connection (a server-side cursor holds it for the whole stream). One
 * connection per stream, never two: a stream that needed a second one per batch could, with
 * enough streams at once, hold every connection of the pool while each waits for another.
 *
 * Whatever ends the stream early (the reader hung up, so the generator is returned; a query
 * failed) rolls the transaction and its cursor back before the connection goes back to the
 * pool, or destroys the connection when even that fails: a connection left inside BEGIN READ
 * ONLY would fail the next write that borrows it.
 */
export async function* streamSnapshot<T>(
  pool: pg.Pool,
  f: SnapshotFilter,
  each: (q: Pick<pg.PoolClient, 'query'>, reports: OfficerReport[]) => Promise<T>,
  batch = 5000,
): AsyncGenerator<T> {
  const client = await pool.connect();
  // A connection lost while this stream holds it goes back to the pool at once, destroyed
  // (without a listener it would be an uncaught 'error' event); the next FETCH then fails.
  let released = false;
  const onLost = (e: Error) => {
    if (released) return;
    released = true;
    client.release(e);
  };
  client.on('error', onLost);
  let finished = false;
  try {
    await client.query('BEGIN READ ONLY');
    // A reader who stops reading without hanging up holds this connection at a yield: the
    // server ends a transaction left idle for a minute, so such readers cannot hold the pool.
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${STALLED_READER_SECONDS}s'`);
    const params: unknown[] = [];
    await client.query(
      `DECLARE snapshot_rows NO SCROLL CURSOR FOR SELECT report FROM officer_status ${where(f, params, true)} ORDER BY ${URGENCY}`,
      params,
    );
    for (;;) {
      const r = await client.query<{ report: OfficerReport }>(`FETCH ${batch | 0} FROM snapshot_rows`);
      if (r.rows.length === 0) break;
      yield await each(
        client,
        r.rows.map((row) => row.report),
      );
    }
    await client.query('COMMIT');
    finished = true;
  } finally {
    client.off('error', onLost);
    if (!released && finished) client.release();
    else if (!released) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (e) {
        client.release(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
}

/** How many officers the roster holds (whether a live evaluation of everyone is cheap). */
export async function countOfficers(pool: pg.Pool): Promise<number> {
  const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM officer`);
  return r.rows[0]!.n;
}

const SNAPSHOT_LOCK = "hashtext('sro:status-snapshot')";

/** Takes the snapshot's writer lock on `client` (a session lock), or answers false when another process holds it. */
export async function tryLockSnapshot(client: pg.PoolClient): Promise<boolean> {
  const r = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${SNAPSHOT_LOCK}) AS ok`);
  return r.rows[0]!.ok;
}

export async function unlockSnapshot(client: pg.PoolClient): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock(${SNAPSHOT_LOCK})`);
}
