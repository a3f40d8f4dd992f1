// What came back about a ledger row (RULES.md 12), in SQL that makes every bounce count once:
// a hard bounce turns a row BOUNCED only from SENT or PENDING (a second DSN, or the same one
// through a second receiver, finds it BOUNCED and changes nothing), a note or a complaint is
// written only when it is new, the mark of an address and the rows owed to the next people
// are inserted ON CONFLICT DO NOTHING, all in the caller's one transaction.
import type { CivilDate } from '../domain/civil-date.ts';
import type { UndeliverableMark } from '../domain/recipients.ts';
import type { Obligation } from '../domain/types.ts';
import type { LedgerRowInput } from './ledger.ts';
import type { Queryable } from './snapshot.ts';

/** A row as a bounce finds it: what the step owed to the next people copies. */
export interface BouncedRow {
  id: string;
  key: string;
  alertKey: string;
  kind: string;
  license: string | null;
  recipient: string;
  dueDate: CivilDate | null;
  lead: number | null;
  level: number | null;
  threshold: number | null;
  schoolYear: string | null;
  /** Ladder steps: the obligation (RULES.md 8), which the stand-in rows keep. */
  obligation: Obligation | null;
  /** The officer's agency and the districts of their assignments (none for a digest). */
  agencyId: string | null;
  districtIds: string[];
}

const BOUNCED_COLUMNS = `l.id::text AS id, l.key, l.alert_key AS "alertKey", l.kind, l.license, l.recipient,
  l.due_date::text AS "dueDate", l.lead, l.level, l.threshold, l.school_year AS "schoolYear", l.obligation,
  o.agency_id AS "agencyId",
  coalesce((SELECT array_agg(DISTINCT a.district_id ORDER BY a.district_id) FROM assignment a WHERE a.license = l.license), '{}') AS "districtIds"`;

/**
 * Makes the row BOUNCED with the status code and diagnostic, once: null when the row does not
 * exist or is BOUNCED (or SUPERSEDED, FAILED: never sent) already.
 */
export async function markBounced(
  db: Queryable,
  rowId: string,
  bounce: { status: string; diagnostic: string | null },
): Promise<BouncedRow | null> {
  const r = await db.query(
    `WITH b AS (
       UPDATE alert_ledger SET status = 'BOUNCED', bounce_status = $2, bounce_diagnostic = $3, bounced_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('SENT', 'PENDING')
       RETURNING *)
     SELECT ${BOUNCED_COLUMNS} FROM b l LEFT JOIN officer o ON o.license = l.license`,
    [rowId, bounce.status, bounce.diagnostic],
  );
  return (r.rows[0] as BouncedRow | undefined) ?? null;
}

/** A soft bounce or a delay: a note on the row, written when it says something new. True when written. */
export async function noteDelivery(db: Queryable, rowId: string, note: string): Promise<boolean> {
  const r = await db.query(
    `UPDATE alert_ledger SET delivery_note = $2, delivery_noted_at = now(), updated_at = now()
     WHERE id = $1 AND status <> 'BOUNCED' AND delivery_note IS DISTINCT FROM $2`,
    [rowId, note],
  );
  return (r.rowCount ?? 0) > 0;
}

/** An abuse report about the row's e-mail, recorded once. True when written. */
export async function recordComplaint(db: Queryable, rowId: string, note: string): Promise<boolean> {
  const r = await db.query(
    `UPDATE alert_ledger SET complaint_at = now(), complaint_note = $2, updated_at = now() WHERE id = $1 AND complaint_at IS NULL`,
    [rowId, note],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Whether a row numbered `rowId` exists (a signed token whose row is gone is counted, not applied). */
export async function ledgerRowExists(db: Queryable, rowId: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM alert_ledger WHERE id = $1', [rowId]);
  return r.rows.length > 0;
}

/** Marks an address undeliverable in its role, unless it is marked already. */
export async function markUndeliverable(
  db: Queryable,
  mark: {
    scope: 'AGENCY' | 'DISTRICT';
    scopeId: string;
    email: string;
    on: CivilDate;
    status: string;
    diagnostic: string | null;
    ledgerKey: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO undeliverable_address (scope, scope_id, email, marked_on, status, diagnostic, ledger_key)
     VALUES ($1, $2, lower($3), $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [mark.scope, mark.scopeId, mark.email, mark.on, mark.status, mark.diagnostic, mark.ledgerKey],
  );
}

/** The rows that carry a bounced row's step to the next people; returns the keys inserted. */
export async function insertStandInRows(
  db: Queryable,
  standsInFor: string,
  rows: readonly LedgerRowInput[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const col = <K extends keyof LedgerRowInput>(k: K) => rows.map((r) => r[k]);
  const r = await db.query(
    `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, due_date, lead, level, threshold, school_year, as_of, status, stands_in_for, obligation, updated_at)
     SELECT k, ak, kd, li, rc, dd, ld, lv, th, sy, ao, 'PENDING', $12, ob, now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::int[], $8::int[], $9::int[], $10::text[], $11::date[], $13::text[])
       AS t(k, ak, kd, li, rc, dd, ld, lv, th, sy, ao, ob)
     ON CONFLICT (key) DO NOTHING RETURNING key`,
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
      standsInFor,
      rows.map((x) => x.obligation ?? null),
    ],
  );
  return r.rows.map((x) => x.key as string);
}

/** What a row standing in for a bounced one says about it: whose address, why, which day (TZ). */
export interface BounceOf {
  recipient: string;
  status: string | null;
  diagnostic: string | null;
  on: CivilDate;
}

export async function readBounceOf(db: Queryable, key: string, timeZone: string): Promise<BounceOf | null> {
  const r = await db.query(
    `SELECT recipient, bounce_status AS status, bounce_diagnostic AS diagnostic,
       (coalesce(bounced_at, now()) AT TIME ZONE $2)::date::text AS on
     FROM alert_ledger WHERE key = $1`,
    [key, timeZone],
  );
  return (r.rows[0] as BounceOf | undefined) ?? null;
}

/** Every mark, by scope: read with the directory. */
export async function readUndeliverable(
  db: Queryable,
): Promise<{ agencies: Map<string, UndeliverableMark[]>; districts: Map<string, UndeliverableMark[]> }> {
  const r = await db.query(
    `SELECT scope, scope_id AS "scopeId", email, marked_on::text AS since, status, diagnostic FROM undeliverable_address ORDER BY marked_at`,
  );
  const agencies = new Map<string, UndeliverableMark[]>();
  const districts = new Map<string, UndeliverableMark[]>();
  for (const row of r.rows as {
    scope: string;
    scopeId: string;
    email: string;
    since: CivilDate;
    status: string | null;
    diagnostic: string | null;
  }[]) {
    const target = row.scope === 'AGENCY' ? agencies : districts;
    const list = target.get(row.scopeId) ?? [];
    list.push({ email: row.email, since: row.since, reason: reasonOf(row.status, row.diagnostic), status: row.status });
    target.set(row.scopeId, list);
  }
  return { agencies, districts };
}

/** '5.1.1 user unknown': the status code and the diagnostic, as one reason for people. */
export function reasonOf(status: string | null, diagnostic: string | null): string {
  return [status, diagnostic].filter((x) => x !== null && x !== '').join(' ') || 'no reason given';
}

/** Counts a bounce or provider event by what became of it (sro_bounces_total{kind}). */
export async function countBounce(db: Queryable, kind: string): Promise<void> {
  await db.query(
    `INSERT INTO bounce_tally (kind, n) VALUES ($1, 1) ON CONFLICT (kind) DO UPDATE SET n = bounce_tally.n + 1`,
    [kind],
  );
}

export async function readBounceTally(db: Queryable): Promise<Map<string, number>> {
  const r = await db.query('SELECT kind, n::float8 AS n FROM bounce_tally');
  return new Map(r.rows.map((x) => [x.kind as string, x.n as number]));
}
