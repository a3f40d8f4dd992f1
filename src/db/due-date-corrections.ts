// Where an obligation's due date moved (RULES.md 8 "Say so"): the due date the people were
// last told before the current one (the ledger's reminders and overdue notices of the
// obligation), and the recorded change that moved it (the audit log: who, when, what).
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { Obligation } from '../domain/types.ts';
import type { AuditEvent } from './audit.ts';

/** An obligation as it stands now: the officer, the obligation, its current due date. */
export interface ObligationNow {
  license: string;
  obligation: Obligation;
  dueDate: CivilDate;
}

/** The last move of an obligation's due date that the ledger shows. */
export interface DueDateMove {
  license: string;
  /** The due date the people had been told (the last reminder or overdue notice with another date). */
  from: CivilDate;
  to: CivilDate;
  /**
   * The recorded change that moved it: the latest change of the officer's facts (or an import)
   * after that notice; null when the log holds none (a change made outside the console).
   */
  cause: Pick<AuditEvent, 'at' | 'actor' | 'action' | 'before' | 'after'> | null;
  /** When the move happened as far as the ledger and the log tell: the cause, else the first notice with the new date; null when neither. */
  at: string | null;
}

/** Changes of an officer's facts that can move a due date (RULES.md 8: contact days, assignments, trainings). */
const DUE_DATE_ACTIONS = [
  'contact-days.record',
  'contact-days.delete',
  'assignment.create',
  'assignment.update',
  'training.record',
  'training.delete',
] as const;

/**
 * The last move of each obligation's due date, for the obligations whose ledger shows one:
 * a reminder or overdue notice (sent or on its way, to an address) of another due date. One
 * round trip per 1,000 obligations.
 */
export async function readDueDateMoves(
  pool: Pick<pg.Pool, 'query'>,
  obligations: readonly ObligationNow[],
): Promise<Map<string, DueDateMove>> {
  const out = new Map<string, DueDateMove>();
  for (let i = 0; i < obligations.length; i += 1000) {
    const part = obligations.slice(i, i + 1000);
    const r = await pool.query(
      `SELECT t.license, t.due::text AS "to", prev.due_date::text AS "from",
              cause.at AS "causeAt", cause.actor, cause.action, cause.before, cause.after,
              coalesce(cause.at, next.created_at) AS "movedAt"
       FROM unnest($1::text[], $2::text[], $3::date[]) AS t(license, obligation, due)
       CROSS JOIN LATERAL (
         SELECT l.due_date, l.created_at FROM alert_ledger l
         WHERE l.license = t.license AND l.obligation = t.obligation
           AND l.kind IN ('DEADLINE_REMINDER', 'DEADLINE_MISSED') AND l.status IN ('SENT', 'PENDING')
           AND l.recipient <> 'NO_CONTACT_ON_FILE' AND l.due_date <> t.due
         ORDER BY l.created_at DESC, l.key DESC LIMIT 1) prev
       LEFT JOIN LATERAL (
         SELECT a.at, a.actor, a.action, a.before, a.after FROM audit_event a
         WHERE a.at > prev.created_at
           AND ((a.license = t.license AND a.action = ANY($4::text[])) OR a.action IN ('import', 'import.replace'))
         ORDER BY (a.license IS NULL), a.at DESC, a.id DESC LIMIT 1) cause ON true
       LEFT JOIN LATERAL (
         SELECT l.created_at FROM alert_ledger l
         WHERE l.license = t.license AND l.obligation = t.obligation AND l.due_date = t.due
           AND l.kind IN ('DEADLINE_REMINDER', 'DEADLINE_MISSED') AND l.created_at > prev.created_at
         ORDER BY l.created_at LIMIT 1) next ON true`,
      [part.map((o) => o.license), part.map((o) => o.obligation), part.map((o) => o.dueDate), [...DUE_DATE_ACTIONS]],
    );
    for (const row of r.rows) {
      out.set(row.license as string, {
        license: row.license as string,
        from: row.from as CivilDate,
        to: row.to as CivilDate,
        cause:
          row.causeAt === null
            ? null
            : {
                at: (row.causeAt as Date).toISOString(),
                actor: row.actor as string,
                action: row.action as string,
                before: row.before as unknown,
                after: row.after as unknown,
              },
        at: row.movedAt === null ? null : (row.movedAt as Date).toISOString(),
      });
    }
  }
  return out;
}
