// Reading the audit log for the /audit page and its CSV export (issue 14 item 6): newest
// first, filtered by officer, actor, action and a first day. Read-only, beside the writer
// (src/db/audit.ts), in the same shape (AuditEvent).
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { AuditEvent } from './audit.ts';

export interface AuditFilter {
  /** The officer's license, exactly. */
  license: string | null;
  /** Part of the actor's address, in any case. */
  actor: string | null;
  /** An action ('training.record') or its family ('training': every training.* action). */
  action: string | null;
  /** Events from the start of this day in `timeZone` on. */
  since: CivilDate | null;
  timeZone: string;
}

/** The actions the console (src/app/record-fact.ts) and imports write: the page offers them as suggestions. */
export const KNOWN_AUDIT_ACTIONS = [
  'training.record',
  'training.delete',
  'policy-review.record',
  'policy-review.attest',
  'policy-review.delete',
  'contact-days.record',
  'contact-days.delete',
  'acknowledgement.record',
  'import',
  'import.replace',
] as const;

const COLUMNS = `id::text AS id, to_json(at) #>> '{}' AS at, actor, client_address AS "clientAddress",
  user_agent AS "userAgent", action, license, before, after`;

function whereOf(f: AuditFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.license !== null) conditions.push(`license = ${add(f.license)}`);
  if (f.actor !== null) conditions.push(`strpos(lower(actor), lower(${add(f.actor)})) > 0`);
  if (f.action !== null) {
    const a = add(f.action);
    conditions.push(`(action = ${a} OR starts_with(action, ${a} || '.'))`);
  }
  if (f.since !== null) conditions.push(`at >= (${add(f.since)}::date::timestamp AT TIME ZONE ${add(f.timeZone)})`);
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** One page of events, newest first; `hasNext` when another page follows. */
export async function readAuditPage(
  pool: Pick<pg.Pool, 'query'>,
  f: AuditFilter,
  page: { number: number; size: number },
): Promise<{ events: AuditEvent[]; hasNext: boolean }> {
  const params: unknown[] = [];
  const where = whereOf(f, params);
  params.push(page.size + 1, (page.number - 1) * page.size);
  const r = await pool.query<AuditEvent>(
    `SELECT ${COLUMNS} FROM audit_event ${where} ORDER BY at DESC, id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { events: r.rows.slice(0, page.size), hasNext: r.rows.length > page.size };
}

/** Every matching event, newest first, in batches (keyset on (at, id): no offset grows with the log). */
export async function* auditEventBatches(
  pool: Pick<pg.Pool, 'query'>,
  f: AuditFilter,
  batchSize = 1000,
): AsyncGenerator<AuditEvent[]> {
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const params: unknown[] = [];
    let where = whereOf(f, params);
    if (after) {
      params.push(after.at, after.id);
      const keyset = `(at, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
      where = where ? `${where} AND ${keyset}` : `WHERE ${keyset}`;
    }
    params.push(batchSize);
    const r = await pool.query<AuditEvent>(
      `SELECT ${COLUMNS} FROM audit_event ${where} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    if (r.rows.length > 0) yield r.rows;
    if (r.rows.length < batchSize) return;
    const last = r.rows[r.rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}
