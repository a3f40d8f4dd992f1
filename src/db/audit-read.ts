// Reading the audit log (issue 14 item 6): the /audit page, its CSV export and `GET
// /api/audit`, filtered by officer, actor, action, a first day or a first instant. The one
// reader of the log: pages by number for the page, and a keyset on (at, id) in either order
// for everything that must reach every event. Read-only, beside the writer (src/db/audit.ts),
// in the same shape (AuditEvent).
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
  /** Events at or after this instant. */
  from?: Date | null;
}

/** Where a keyset read resumes: after (or before, newest first) this event. */
export interface AuditCursor {
  at: string;
  id: string;
}

/** The actions the console (src/app/record-fact.ts, src/app/directory/) and imports write: the page offers them as suggestions. */
export const KNOWN_AUDIT_ACTIONS = [
  'training.record',
  'training.delete',
  'policy-review.record',
  'policy-review.attest',
  'policy-review.delete',
  'contact-days.record',
  'contact-days.delete',
  'acknowledgement.record',
  'agency.update',
  'district.update',
  'officer.create',
  'officer.update',
  'assignment.create',
  'assignment.update',
  'import',
  'import.replace',
  'report.pdf',
  'report.evidence',
  'sign-in.oidc',
] as const;

// The output columns `at` and `id` are text: ORDER BY names the table's own (a bare name would sort the text).
const COLUMNS = `id::text AS id, to_json(at) #>> '{}' AS at, actor, client_address AS "clientAddress",
  user_agent AS "userAgent", action, license, agency_id AS "agencyId", district_id AS "districtId", before, after`;

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
  if (f.from) conditions.push(`at >= ${add(f.from)}::timestamptz`);
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
    `SELECT ${COLUMNS} FROM audit_event ${where} ORDER BY audit_event.at DESC, audit_event.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { events: r.rows.slice(0, page.size), hasNext: r.rows.length > page.size };
}

/** At most `size` matching events after `after` (none: from the first), oldest or newest first. */
export async function readAuditBatch(
  pool: Pick<pg.Pool, 'query'>,
  f: AuditFilter,
  page: { after: AuditCursor | null; order: 'oldest' | 'newest'; size: number },
): Promise<AuditEvent[]> {
  const params: unknown[] = [];
  let where = whereOf(f, params);
  const direction = page.order === 'oldest' ? 'ASC' : 'DESC';
  if (page.after) {
    params.push(page.after.at, page.after.id);
    const keyset = `(at, id) ${page.order === 'oldest' ? '>' : '<'} ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
    where = where ? `${where} AND ${keyset}` : `WHERE ${keyset}`;
  }
  params.push(page.size);
  const r = await pool.query<AuditEvent>(
    `SELECT ${COLUMNS} FROM audit_event ${where} ORDER BY audit_event.at ${direction}, audit_event.id ${direction} LIMIT $${params.length}`,
    params,
  );
  return r.rows;
}

/** Every matching event, newest first, in batches (keyset on (at, id): no offset grows with the log). */
export async function* auditEventBatches(
  pool: Pick<pg.Pool, 'query'>,
  f: AuditFilter,
  batchSize = 1000,
): AsyncGenerator<AuditEvent[]> {
  let after: AuditCursor | null = null;
  for (;;) {
    const rows = await readAuditBatch(pool, f, { after, order: 'newest', size: batchSize });
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}

/** The names the audit page shows for the events' actors, officers, agencies and districts. */
export interface AuditNames {
  /** Lowercased address → the roster's name for it (a chief, a district contact, an officer). */
  people: Map<string, string>;
  /** License → 'First Last'. */
  officers: Map<string, string>;
  agencies: Map<string, string>;
  districts: Map<string, string>;
}

export async function readAuditNames(
  pool: pg.Pool,
  q: { emails: string[]; licenses: string[]; agencyIds: string[]; districtIds: string[] },
): Promise<AuditNames> {
  const emails = [...new Set(q.emails.map((e) => e.toLowerCase()))];
  const [people, officers, agencies, districts] = await Promise.all([
    pool.query<{ email: string; name: string }>(
      `SELECT lower(chief_email) AS email, chief_name AS name FROM agency
        WHERE chief_name IS NOT NULL AND lower(chief_email) = ANY($1::text[])
       UNION ALL
       SELECT lower(email), name FROM district_contact WHERE lower(email) = ANY($1::text[])
       UNION ALL
       SELECT lower(email), first_name || ' ' || last_name FROM officer WHERE lower(email) = ANY($1::text[])`,
      [emails],
    ),
    pool.query<{ license: string; name: string }>(
      `SELECT license, first_name || ' ' || last_name AS name FROM officer WHERE license = ANY($1::text[])`,
      [[...new Set(q.licenses)]],
    ),
    pool.query<{ id: string; name: string }>(`SELECT id, name FROM agency WHERE id = ANY($1::text[])`, [
      [...new Set(q.agencyIds)],
    ]),
    pool.query<{ id: string; name: string }>(`SELECT id, name FROM district WHERE id = ANY($1::text[])`, [
      [...new Set(q.districtIds)],
    ]),
  ]);
  const byEmail = new Map<string, string>();
  // The first name found wins: a chief's own name before the same address as a contact.
  for (const r of people.rows) if (!byEmail.has(r.email)) byEmail.set(r.email, r.name);
  return {
    people: byEmail,
    officers: new Map(officers.rows.map((r) => [r.license, r.name])),
    agencies: new Map(agencies.rows.map((r) => [r.id, r.name])),
    districts: new Map(districts.rows.map((r) => [r.id, r.name])),
  };
}
