// The audit log (issue 14 item 6): one row per change made in the console or by an import,
// with who, when, from where, what, and the state before and after. Append-only: no
// statement here updates or deletes, and the table's triggers refuse it to anyone (migration
// 20261203000000). Written inside the transaction of the change it records, so a change and
// its audit row commit together or not at all.
import type pg from 'pg';

/** Who made a change, from where (the request's client address and User-Agent). */
export interface AuditActor {
  email: string;
  clientAddress: string | null;
  userAgent: string | null;
}

export interface AuditEventInput {
  actor: AuditActor;
  /** What was done, e.g. 'training.record', 'contact-days.record', 'acknowledgement.record'. */
  action: string;
  license: string | null;
  /** The agency or district the event is about (a directory change, a report's scope). */
  agencyId?: string | null;
  districtId?: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditEvent {
  id: string;
  /** An ISO instant. */
  at: string;
  actor: string;
  clientAddress: string | null;
  userAgent: string | null;
  action: string;
  license: string | null;
  /** The agency or district a directory change is about (RULES.md 11). */
  agencyId: string | null;
  districtId: string | null;
  before: unknown;
  after: unknown;
}

/** Appends one event on `client` (inside the change's transaction); returns its id, the change id. */
export async function appendAuditEvent(client: Pick<pg.PoolClient, 'query'>, e: AuditEventInput): Promise<string> {
  const r = await client.query<{ id: string }>(
    `INSERT INTO audit_event (actor, client_address, user_agent, action, license, before, after, agency_id, district_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9) RETURNING id::text AS id`,
    [
      e.actor.email,
      e.actor.clientAddress,
      e.actor.userAgent?.slice(0, 1000) ?? null,
      e.action,
      e.license,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      e.agencyId ?? null,
      e.districtId ?? null,
    ],
  );
  return r.rows[0]!.id;
}
