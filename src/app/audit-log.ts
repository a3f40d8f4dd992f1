// The audit log as admins read it (INTERFACE.md "Console": `/audit`, its CSV export, and
// `GET /api/audit`): every change made in the console and every import, through the one
// reader of the log (src/db/audit-read.ts). The API's answer is paged with a cursor, so every
// event can be reached, the newest included; nothing is dropped silently.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { AuditActor, AuditEvent } from '../db/audit.ts';
import {
  type AuditCursor,
  type AuditFilter,
  type AuditNames,
  KNOWN_AUDIT_ACTIONS,
  auditEventBatches,
  readAuditBatch,
  readAuditNames,
  readAuditPage,
} from '../db/audit-read.ts';
import { InvalidInput } from '../errors.ts';

export type { AuditActor, AuditEvent, AuditFilter, AuditNames };
export { KNOWN_AUDIT_ACTIONS };

/** Events per page of `GET /api/audit`. */
export const AUDIT_API_PAGE_SIZE = 1000;

/** One page of the /audit page, newest first, filtered. */
export function auditPage(
  pool: pg.Pool,
  filter: AuditFilter,
  page: { number: number; size: number },
): Promise<{ events: AuditEvent[]; hasNext: boolean }> {
  return readAuditPage(pool, filter, page);
}

/**
 * The roster's names for what a page of events mentions: who made each change, the officer,
 * and the agency or district a directory change is about (the page says "Chief Morgan Ellis
 * recorded … for Nolan Berg"; an address or id the roster no longer holds stays as it is).
 */
export function auditNames(pool: pg.Pool, events: readonly AuditEvent[]): Promise<AuditNames> {
  const ids = (of: (e: AuditEvent) => string | null) => events.map(of).filter((x): x is string => x !== null);
  return readAuditNames(pool, {
    emails: events.map((e) => e.actor),
    licenses: ids((e) => e.license),
    agencyIds: ids((e) => e.agencyId),
    districtIds: ids((e) => e.districtId),
  });
}

/** Every event the filter matches, newest first, in batches (the CSV export). */
export function auditEvents(pool: pg.Pool, filter: AuditFilter): AsyncGenerator<AuditEvent[]> {
  return auditEventBatches(pool, filter);
}

/** The cursor of `next`: where the following page starts (opaque to the caller). */
function cursorOf(e: Pick<AuditEvent, 'at' | 'id'>): string {
  return Buffer.from(JSON.stringify([e.at, e.id])).toString('base64url');
}

function parseCursor(cursor: string): AuditCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      !Number.isNaN(Date.parse(v[0])) &&
      typeof v[1] === 'string' &&
      /^\d{1,18}$/.test(v[1])
    )
      return { at: v[0], id: v[1] };
  } catch {
    // answered below
  }
  throw new InvalidInput([{ field: 'cursor', problem: 'is not a cursor this log gave (pass back `next` as it came)' }]);
}

/**
 * The events from `since` on (every event without it), oldest first, one page; `next` when
 * more follow, to pass back as `cursor` (with the same `since`).
 */
export async function auditFeed(
  pool: pg.Pool,
  q: { since: Date | null; cursor: string | null; timeZone: string },
  size = AUDIT_API_PAGE_SIZE,
): Promise<{ events: AuditEvent[]; next: string | null }> {
  const after = q.cursor === null ? null : parseCursor(q.cursor);
  const filter: AuditFilter = {
    license: null,
    actor: null,
    action: null,
    since: null as CivilDate | null,
    timeZone: q.timeZone,
    from: q.since,
  };
  const rows = await readAuditBatch(pool, filter, { after, order: 'oldest', size: size + 1 });
  const events = rows.slice(0, size);
  return { events, next: rows.length > size ? cursorOf(events[events.length - 1]!) : null };
}
