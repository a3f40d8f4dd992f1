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
 * Replaces the snapshot with `rows` (batches, as the report reads them), labeled with the
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
 * The snapshot's rows that pass a filter, by urgency, in batches, read through a server-side
 * cursor on one pooled connection, each batch passed through `each` on that connection. Opened
 * by openSnapshotCursor before anything is answered (no connection free in time is then
 * ServiceBusy, not a cut answer); iterate it, or return() it: return() ends it whether it was
 * started, half read or done, and is idempotent.
 *
 * One connection per stream, never two: a stream that needed a second one per batch could,
 * with enough streams at once, hold every connection of the pool while each waits for
 * another. Whatever ends it early (the reader hung up, a query failed) rolls the transaction
 * and its cursor back before the connection goes back to the pool, or destroys the
 * connection when even that fails: a connection left inside BEGIN READ ONLY would fail the
 * next write that borrows it.
 */
export class SnapshotCursor<T> implements AsyncIterableIterator<T> {
  private ended = false;
  // Calls run one after another: a return() while a FETCH is out waits for it, so the
  // connection is never used after it went back to the pool.
  private turn: Promise<unknown> = Promise.resolve();
  private readonly onLost = (e: Error) => {
    // The server ended the connection (a reader stalled past STALLED_READER_SECONDS): it goes
    // back destroyed at once, without a listener it would be an uncaught 'error' event.
    if (this.ended) return;
    this.ended = true;
    this.client.off('error', this.onLost);
    this.client.release(e);
  };

  constructor(
    private readonly client: pg.PoolClient,
    private readonly each: (q: Pick<pg.PoolClient, 'query'>, reports: OfficerReport[]) => Promise<T>,
    private readonly batch: number,
  ) {
    client.on('error', this.onLost);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    return this.inTurn(async () => {
      if (this.ended) return { done: true, value: undefined };
      try {
        const r = await this.client.query<{ report: OfficerReport }>(`FETCH ${this.batch | 0} FROM snapshot_rows`);
        if (r.rows.length === 0) {
          await this.client.query('COMMIT');
          this.release();
          return { done: true, value: undefined };
        }
        return {
          done: false,
          value: await this.each(
            this.client,
            r.rows.map((row) => row.report),
          ),
        };
      } catch (e) {
        await this.abandon();
        throw e;
      }
    });
  }

  return(): Promise<IteratorResult<T, undefined>> {
    return this.inTurn(async () => {
      await this.abandon();
      return { done: true, value: undefined };
    });
  }

  private inTurn<R>(work: () => Promise<R>): Promise<R> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  private release(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.client.off('error', this.onLost);
    this.client.release(error);
  }

  /** Rolls back (or destroys the connection) unless it has ended already. */
  private async abandon(): Promise<void> {
    if (this.ended) return;
    try {
      await this.client.query('ROLLBACK');
      this.release();
    } catch (e) {
      this.release(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

/** Opens a SnapshotCursor over the rows that pass `f` (see there); rejects, holding nothing, when it cannot. */
export async function openSnapshotCursor<T>(
  pool: pg.Pool,
  f: SnapshotFilter,
  each: (q: Pick<pg.PoolClient, 'query'>, reports: OfficerReport[]) => Promise<T>,
  batch = 5000,
): Promise<SnapshotCursor<T>> {
  const client = await pool.connect();
  const cursor = new SnapshotCursor(client, each, batch);
  try {
    await client.query('BEGIN READ ONLY');
    // A reader who stops reading without hanging up holds this connection: the server ends a
    // transaction left idle for a minute, so such readers cannot hold the pool for good.
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${STALLED_READER_SECONDS}s'`);
    const params: unknown[] = [];
    await client.query(
      `DECLARE snapshot_rows NO SCROLL CURSOR FOR SELECT report FROM officer_status ${where(f, params, true)} ORDER BY ${URGENCY}`,
      params,
    );
    return cursor;
  } catch (e) {
    await cursor.return();
    throw e;
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
