// The alert ledger: the truth about what was sent (RULES.md 5 "Once"). Redis only carries
// work; every decision to send is guarded here. Set-based SQL: one INSERT per batch of
// rows, one guarded UPDATE per claim.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { AlertKind } from '../domain/alert-types.ts';
import type { LedgerFact, LedgerStatus } from '../domain/alerts.ts';
import type { Obligation } from '../domain/types.ts';
import { FOLDED_OFFICER_SQL, type OfficerRecord, officerFromFolded } from './officer-reader.ts';

export interface LedgerRowInput {
  key: string;
  alertKey: string;
  kind: AlertKind;
  license: string | null;
  recipient: string;
  dueDate: CivilDate | null;
  lead: number | null;
  level: number | null;
  threshold: number | null;
  schoolYear: string | null;
  /** Ladder steps: the obligation they belong to (RULES.md 8); null for the other kinds. */
  obligation?: Obligation | null;
  /** RULES.md 8 "Say so": the due date the people were last told, when this step says it was corrected. */
  correctedFrom?: CivilDate | null;
  asOf: CivilDate;
  status: LedgerStatus;
  lastError: string | null;
  /** The scan or digest run inserting the row (its job id); null for rows written outside a run. */
  runId?: string | null;
}

export interface LedgerRow extends LedgerRowInput {
  /** The row's number (a decimal string): its bounce address names it (RULES.md 12). */
  id: string;
  /** The bounced row's key when this one carries its step to the next people (RULES.md 12). */
  standsInFor: string | null;
  attempts: number;
  messageId: string | null;
  claimedBy: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** When a send job first claimed the row (set by the claim that counts as attempt 1). */
  firstAttemptAt: Date | null;
}

const COLUMNS = `key, alert_key AS "alertKey", kind, license, recipient, due_date AS "dueDate", lead, level, threshold,
  school_year AS "schoolYear", obligation, corrected_from AS "correctedFrom", as_of AS "asOf", status, attempts, last_error AS "lastError", message_id AS "messageId",
  claimed_by AS "claimedBy", created_at AS "createdAt", sent_at AS "sentAt", first_attempt_at AS "firstAttemptAt", run_id AS "runId",
  id::text AS id, stands_in_for AS "standsInFor"`;

/** A ledger row as the scan reads it: what the alert rules need, and its key. */
export interface StoredLedgerFact extends LedgerFact {
  key: string;
}

/** Ledger facts of the officers with license in [first, last], grouped by license, each officer's in the order written. */
export async function readLedgerFacts(
  pool: pg.Pool,
  first: string,
  last: string,
): Promise<Map<string, StoredLedgerFact[]>> {
  const r = await pool.query(
    `SELECT key, license, alert_key AS "alertKey", kind, due_date AS "dueDate", obligation, lead, level, threshold, school_year AS "schoolYear", recipient, status
     FROM alert_ledger WHERE license BETWEEN $1 AND $2 ORDER BY license, created_at, key`,
    [first, last],
  );
  const out = new Map<string, StoredLedgerFact[]>();
  for (const row of r.rows as (StoredLedgerFact & { license: string })[]) {
    const list = out.get(row.license) ?? [];
    list.push(row);
    out.set(row.license, list);
  }
  return out;
}

/** Inserts rows whose key is new; returns the keys actually inserted (a concurrent scan may win some). */
export async function insertLedgerRows(
  pool: Pick<pg.Pool, 'query'>,
  rows: readonly LedgerRowInput[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const col = <K extends keyof LedgerRowInput>(k: K) => chunk.map((r) => r[k]);
    const r = await pool.query(
      `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, due_date, lead, level, threshold, school_year, as_of, status, last_error, run_id, obligation, corrected_from, updated_at)
       SELECT k, ak, kd, li, rc, dd, ld, lv, th, sy, ao, st::"AlertStatus", le, ri, ob, cf, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::int[], $8::int[], $9::int[], $10::text[], $11::date[], $12::text[], $13::text[], $14::text[], $15::text[], $16::date[])
         AS t(k, ak, kd, li, rc, dd, ld, lv, th, sy, ao, st, le, ri, ob, cf)
       ON CONFLICT (key) DO NOTHING
       RETURNING key`,
      [
        col('key'),
        col('alertKey'),
        col('kind'),
        col('license'),
        col('recipient'),
        col('dueDate'),
        col('lead'),
        col('level'),
        col('threshold'),
        col('schoolYear'),
        col('asOf'),
        col('status'),
        col('lastError'),
        chunk.map((r) => r.runId ?? null),
        chunk.map((r) => r.obligation ?? null),
        chunk.map((r) => r.correctedFrom ?? null),
      ],
    );
    for (const row of r.rows) inserted.add(row.key as string);
  }
  return inserted;
}

export interface PendingRef {
  key: string;
  asOf: CivilDate;
}

/** PENDING rows (keyset-paginated by key): what is still owed, whatever Redis remembers. */
export async function readPending(
  pool: pg.Pool,
  options: {
    afterKey?: string | null;
    limit?: number;
    licenseFrom?: string;
    licenseThrough?: string;
    digestsOnly?: boolean;
  } = {},
): Promise<PendingRef[]> {
  const params: unknown[] = [options.limit ?? 5000];
  const where = [`status = 'PENDING'`];
  if (options.afterKey) where.push(`key > $${params.push(options.afterKey)}`);
  if (options.licenseFrom !== undefined) where.push(`license >= $${params.push(options.licenseFrom)}`);
  if (options.licenseThrough !== undefined) where.push(`license <= $${params.push(options.licenseThrough)}`);
  if (options.digestsOnly) where.push(`kind = 'WEEKLY_DIGEST'`);
  const r = await pool.query(
    `SELECT key, as_of AS "asOf" FROM alert_ledger WHERE ${where.join(' AND ')} ORDER BY key LIMIT $1`,
    params,
  );
  return r.rows as PendingRef[];
}

/**
 * PENDING rows the worker's sweep hands back to the queue: never claimed, or whose retry is
 * due (next_attempt_at passed), or whose claim's lease ran out; and last touched more than
 * `quietSeconds` ago, so a row a scan is enqueueing right now is left to that scan. A job id
 * already in Redis is not added twice, so this only restores work Redis lost.
 */
export async function readDueForRetry(
  pool: pg.Pool,
  options: { leaseSeconds: number; quietSeconds: number; limit: number; afterKey?: string | null },
): Promise<PendingRef[]> {
  const r = await pool.query(
    `SELECT key, as_of AS "asOf" FROM alert_ledger
     WHERE status = 'PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
       AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $1))
       AND updated_at < now() - make_interval(secs => $2)
       AND ($4::text IS NULL OR key > $4)
     ORDER BY key LIMIT $3`,
    [options.leaseSeconds, options.quietSeconds, options.limit, options.afterKey ?? null],
  );
  return r.rows as PendingRef[];
}

async function readLedgerRow(pool: pg.Pool, key: string): Promise<LedgerRow | null> {
  const r = await pool.query(`SELECT ${COLUMNS} FROM alert_ledger WHERE key = $1`, [key]);
  return (r.rows[0] as LedgerRow | undefined) ?? null;
}

export type ClaimResult =
  { claimed: true; row: LedgerRow } | { claimed: false; reason: 'MISSING' | 'DONE' | 'BUSY'; row: LedgerRow | null };

export interface Claimed {
  claimed: true;
  row: LedgerRow;
  officer: OfficerRecord | null;
  /** directory_version at the claim: a cached directory of another version is stale. */
  directoryVersion: string;
  /** Milliseconds from the row's first attempt to this claim, by the database's clock. */
  msSinceFirstAttempt: number;
}

/**
 * Claims a PENDING row for this worker: a guarded UPDATE, so of any number of workers
 * holding a job for the same key exactly one proceeds. A claim older than `leaseSeconds`
 * (its worker died mid-send) can be taken over. In the same round trip: the officer the row
 * is about, with all their facts (null for a digest, or an officer no longer on the
 * roster), which the send job re-checks before it sends.
 */
export async function claimLedgerRow(
  pool: pg.Pool,
  key: string,
  worker: string,
  leaseSeconds: number,
  /** The run whose send job this is: the row counts in that run's delivery summary from now on. */
  runId: string | null = null,
): Promise<(ClaimResult & { claimed: false }) | Claimed> {
  const r = await pool.query(
    `WITH claimed AS (${CLAIM_SQL} RETURNING ${COLUMNS}, (extract(epoch FROM now() - first_attempt_at) * 1000)::float8 AS "msSinceFirstAttempt")
     SELECT claimed.*, (SELECT ${FOLDED_OFFICER_SQL} FROM officer o WHERE o.license = claimed.license) AS "foldedOfficer",
       (SELECT version::text FROM directory_version WHERE id = 1) AS "directoryVersion" FROM claimed`,
    [key, worker, leaseSeconds, runId],
  );
  const found = r.rows[0] as
    (LedgerRow & { foldedOfficer: unknown; directoryVersion: string | null; msSinceFirstAttempt: number }) | undefined;
  if (!found) return notClaimed(pool, key);
  const { foldedOfficer, directoryVersion, msSinceFirstAttempt, ...row } = found;
  return {
    claimed: true,
    row,
    officer: officerFromFolded(foldedOfficer),
    directoryVersion: directoryVersion ?? '0',
    msSinceFirstAttempt,
  };
}

const CLAIM_SQL = `UPDATE alert_ledger SET claimed_by = $2, claimed_at = now(), attempts = attempts + 1, updated_at = now(),
       first_attempt_at = coalesce(first_attempt_at, now()), next_attempt_at = NULL, claimed_for_run = coalesce($4::text, claimed_for_run)
     WHERE key = $1 AND status = 'PENDING' AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $3))`;

async function notClaimed(pool: pg.Pool, key: string): Promise<ClaimResult & { claimed: false }> {
  const row = await readLedgerRow(pool, key);
  if (!row) return { claimed: false, reason: 'MISSING', row };
  return { claimed: false, reason: row.status === 'PENDING' ? 'BUSY' : 'DONE', row };
}

export async function markSent(pool: pg.Pool, key: string, worker: string, messageId: string): Promise<void> {
  await pool.query(
    `UPDATE alert_ledger SET status = CASE WHEN status = 'BOUNCED' THEN status ELSE 'SENT' END, sent_at = now(), message_id = $3,
       last_error = NULL, claimed_by = NULL, claimed_at = NULL, updated_at = now()
     WHERE key = $1 AND claimed_by = $2`,
    [key, worker, messageId],
  );
}

/**
 * Gives the claim back after a transient failure, keeping the error for the audit trail and
 * when the retry is due (`retryInMs` from now, by the database's clock).
 */
export async function releaseForRetry(
  pool: pg.Pool,
  key: string,
  worker: string,
  error: string,
  retryInMs = 0,
): Promise<void> {
  await pool.query(
    `UPDATE alert_ledger SET last_error = $3, claimed_by = NULL, claimed_at = NULL, updated_at = now(),
       next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
     WHERE key = $1 AND claimed_by = $2`,
    [key, worker, error.slice(0, 2000), retryInMs],
  );
}

/**
 * A run re-enqueueing rows an earlier run left PENDING waits for them too (the send job
 * that finally claims a row stamps its own run, so of two parallel runs only the one whose
 * job sends it counts it).
 */
export async function markRequeued(pool: pg.Pool, keys: readonly string[], runId: string): Promise<void> {
  if (keys.length === 0) return;
  await pool.query(
    `UPDATE alert_ledger SET requeued_by = $2 WHERE key = ANY($1) AND status = 'PENDING' AND requeued_by IS DISTINCT FROM $2`,
    [keys, runId],
  );
}

/**
 * A run's delivery: the outcomes of the rows its send jobs claimed, and how many rows it
 * inserted, re-enqueued or claimed are still PENDING. NO_CONTACT_ON_FILE rows are not e-mails.
 */
export type DeliveryCounts = Record<LedgerStatus, number>;

export async function runDelivery(pool: pg.Pool, runId: string): Promise<DeliveryCounts> {
  const r = await pool.query(
    `SELECT
       (SELECT count(*)::int FROM alert_ledger WHERE status = 'PENDING' AND (run_id = $1 OR requeued_by = $1 OR claimed_for_run = $1)) AS pending,
       (SELECT coalesce(json_object_agg(status, n), '{}') FROM (
          SELECT status::text AS status, count(*)::int AS n FROM alert_ledger
          WHERE claimed_for_run = $1 AND status <> 'PENDING' AND recipient <> 'NO_CONTACT_ON_FILE' GROUP BY 1) t) AS done`,
    [runId],
  );
  const done = r.rows[0].done as Partial<Record<LedgerStatus, number>>;
  return {
    SENT: done.SENT ?? 0,
    FAILED: done.FAILED ?? 0,
    SUPERSEDED: done.SUPERSEDED ?? 0,
    BOUNCED: done.BOUNCED ?? 0,
    PENDING: r.rows[0].pending as number,
  };
}

export async function markFinal(
  pool: pg.Pool,
  key: string,
  worker: string,
  status: 'FAILED' | 'SUPERSEDED',
  error: string,
): Promise<void> {
  await pool.query(
    `UPDATE alert_ledger SET status = $3::"AlertStatus", last_error = $4, claimed_by = NULL, claimed_at = NULL, updated_at = now() WHERE key = $1 AND claimed_by = $2`,
    [key, worker, status, error.slice(0, 2000)],
  );
}

/**
 * Closes NO_CONTACT_ON_FILE rows whose step (by alert key) has now been planned for every
 * address the rules name: the gap is filled, so it no longer counts among the FAILED rows
 * operators alarm on. By alert key, not row key: a row written before RULES.md 8 keeps the
 * row key it was written with while its alert key names the obligation (migration 20261209000000).
 */
export async function closeGaps(pool: pg.Pool, alertKeys: readonly string[]): Promise<void> {
  if (alertKeys.length === 0) return;
  await pool.query(
    `UPDATE alert_ledger SET status = 'SUPERSEDED', updated_at = now(),
       last_error = 'NO_CONTACT_ON_FILE filled: the step went to the addresses now on file (was: ' || coalesce(last_error, '') || ')'
     WHERE alert_key = ANY($1) AND recipient = 'NO_CONTACT_ON_FILE' AND status = 'FAILED'`,
    [alertKeys],
  );
}

/** Rows by status (the `sro_ledger_rows` gauge). */
export async function countLedgerByStatus(pool: pg.Pool): Promise<{ status: LedgerStatus; n: number }[]> {
  const r = await pool.query('SELECT status::text AS status, count(*)::int AS n FROM alert_ledger GROUP BY status');
  return r.rows as { status: LedgerStatus; n: number }[];
}

/** Rows by kind and status (`sro demo`'s summary). */
export async function countLedgerByKind(pool: pg.Pool): Promise<LedgerCount[]> {
  const r = await pool.query(
    `SELECT kind, status::text AS status, count(*)::int AS n,
       coalesce(array_agg(DISTINCT last_error ORDER BY last_error) FILTER (WHERE status = 'FAILED' AND last_error IS NOT NULL), '{}') AS errors
     FROM alert_ledger GROUP BY kind, status ORDER BY kind, status`,
  );
  return r.rows as LedgerCount[];
}

/** How many ledger rows of a kind have a status, and (FAILED) their distinct last errors. */
export interface LedgerCount {
  kind: string;
  status: LedgerStatus;
  n: number;
  errors: string[];
}

/** Empties the ledger: `sro demo` only, which starts its history afresh on its own database. */
export async function clearLedger(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE alert_ledger');
}

/** A ledger row as `sro alerts` lists it: instants as ISO 8601 UTC strings, the last error as `error`. */
export interface LedgerListing extends Pick<
  LedgerRow,
  'key' | 'license' | 'recipient' | 'dueDate' | 'lead' | 'level' | 'threshold' | 'status' | 'attempts' | 'messageId'
> {
  kind: string;
  createdAt: string;
  sentAt: string | null;
  error: string | null;
  /**
   * RULES.md 12, INTERFACE.md "Bounces": when the row is BOUNCED, the status code (5.1.1), the
   * receiving server's words and when the bounce came (ISO 8601 UTC); else null.
   */
  bounce: { status: string | null; diagnostic: string | null; at: string | null } | null;
  /** RULES.md 12: the key of the bounced row whose step this one carries to the next people; else null. */
  standsInFor: string | null;
}

const UTC_INSTANT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The audit trail (`sro alerts`), oldest first, in pages. */
export async function* listLedger(
  pool: pg.Pool,
  filter: { license?: string | null } = {},
): AsyncGenerator<LedgerListing[]> {
  let after: [string, string] | null = null;
  for (;;) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.license) where.push(`license = $${params.push(filter.license)}`);
    if (after) where.push(`(created_at, key) > ($${params.push(after[0])}::timestamptz, $${params.push(after[1])})`);
    const r = await pool.query(
      `SELECT key, kind, license, recipient, due_date AS "dueDate", lead, level, threshold, status,
              ${UTC_INSTANT('created_at')} AS "createdAt", ${UTC_INSTANT('sent_at')} AS "sentAt",
              attempts, last_error AS error, message_id AS "messageId",
              CASE WHEN status = 'BOUNCED' THEN json_build_object('status', bounce_status, 'diagnostic', bounce_diagnostic,
                'at', ${UTC_INSTANT('bounced_at')}) END AS bounce, stands_in_for AS "standsInFor",
              created_at::text AS cursor
       FROM alert_ledger ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at, key LIMIT 2000`,
      params,
    );
    if (r.rows.length === 0) return;
    const last = r.rows[r.rows.length - 1];
    after = [last.cursor as string, last.key as string];
    yield r.rows.map(({ cursor: _c, ...row }) => row as LedgerListing);
    if (r.rows.length < 2000) return;
  }
}

/** The last alert e-mailed about an officer: its kind, key, when, and to whom. */
export interface LastAlert {
  kind: AlertKind;
  alertKey: string;
  /** When the last of its e-mails was accepted by the mail server (an instant, ISO 8601 UTC). */
  sentAt: string;
  recipients: string[];
}

/**
 * The last SENT alert of each of these officers (`report`'s delivery column), 5,000 licenses
 * a query. With `sentBefore`, only e-mails accepted before that instant count (a report as
 * of a past day: the end of that day in TZ), so an alert sent later is not the last one then
 * and its recipients reached afterwards are not listed.
 */
export async function readLastAlerts(
  pool: Pick<pg.Pool, 'query'>,
  licenses: readonly string[],
  sentBefore: Date | null = null,
): Promise<Map<string, LastAlert>> {
  const out = new Map<string, LastAlert>();
  for (let i = 0; i < licenses.length; i += 5000) {
    const r = await pool.query(
      `SELECT DISTINCT ON (license) license, kind, alert_key, sent_at, recipients FROM (
         SELECT license, kind, alert_key, max(sent_at) AS sent_at, array_agg(recipient ORDER BY recipient) AS recipients
         FROM alert_ledger WHERE license = ANY($1) AND status = 'SENT' AND ($2::timestamptz IS NULL OR sent_at < $2::timestamptz)
         GROUP BY license, kind, alert_key) t
       ORDER BY license, sent_at DESC, alert_key`,
      [licenses.slice(i, i + 5000), sentBefore],
    );
    for (const row of r.rows) {
      out.set(row.license as string, {
        kind: row.kind as AlertKind,
        alertKey: row.alert_key as string,
        sentAt: (row.sent_at as Date).toISOString(),
        recipients: row.recipients as string[],
      });
    }
  }
  return out;
}
