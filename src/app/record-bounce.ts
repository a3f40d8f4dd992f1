// RULES.md 12 "Accepted is not delivered": what a bounce, an abuse report or a provider's
// event about one ledger row changes. A hard bounce makes the row BOUNCED with the status
// code and diagnostic, marks the address undeliverable in its role (the chief of the agency,
// a district's PRIMARY contact) and owes the step at once to the next people (domain
// nextPeopleOf), in one transaction; a soft bounce or a delay is a note on the row; a
// complaint is recorded for the admins. The SQL makes each of them count once (src/db/bounces.ts):
// the same report delivered twice, or through two receivers, changes nothing the second time.
import { isSubmissionKind } from './submission-mail.ts';
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import { type AgencyInfo, type DistrictInfo, nextPeopleOf } from '../domain/recipients.ts';
import type { LedgerRowInput } from '../db/ledger.ts';
import {
  type BouncedRow,
  countBounce,
  insertStandInRows,
  ledgerRowExists,
  markBounced,
  markUndeliverable,
  noteDelivery,
  recordComplaint,
} from '../db/bounces.ts';
import { readDirectory } from '../db/officer-reader.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Logger } from '../shell/log.ts';
import type { WorkQueue } from './ports.ts';
import { parseDigestAlertKey } from './weekly-digest.ts';

/** What came back about one row, from a DSN, an ARF report or a provider's event. */
export type BounceReport =
  /** A 5.x.x status or Action: failed (a provider's "bounced"): the address did not take the e-mail. */
  | { kind: 'hard'; status: string; diagnostic: string | null }
  /** A 4.x.x status or Action: delayed: still being tried. */
  | { kind: 'soft'; status: string | null; diagnostic: string | null; action: string | null }
  /** An abuse report: the recipient marked the e-mail as spam. */
  | { kind: 'complaint'; feedbackType: string; note: string }
  /** A report of delivery (delivered, relayed, expanded): nothing failed. */
  | { kind: 'delivered' }
  /** Not a report this service reads. */
  | { kind: 'unreadable'; why: string };

/**
 * What became of it, also the `kind` of sro_bounces_total: applied (hard, soft, complaint),
 * nothing new (duplicate, delivered), or nothing to apply it to (unknown_row, unreadable).
 * The receiver and the webhook add their own refusals (refused, forged).
 */
export type BounceOutcome = 'hard' | 'soft' | 'complaint' | 'duplicate' | 'delivered' | 'unknown_row' | 'unreadable';

export interface BounceDeps {
  pool: pg.Pool;
  work: Pick<WorkQueue, 'sendAlerts'>;
  /** ADMIN_EMAILS: the next people where no one else is on file. */
  adminEmails: readonly string[];
  log: Logger;
  /** Today in TZ: the day of the mark, and the as-of date the step owed to the next people is re-checked on. */
  today: () => CivilDate;
}

/** Counts what became of a report, or of a refusal at the door ('refused', 'forged'). */
export async function countBounceOutcome(pool: pg.Pool, kind: BounceOutcome | 'refused' | 'forged'): Promise<void> {
  await countBounce(pool, kind);
}

export async function recordBounce(deps: BounceDeps, rowId: string, report: BounceReport): Promise<BounceOutcome> {
  const outcome = await applyReport(deps, rowId, report);
  await countBounce(deps.pool, outcome);
  return outcome;
}

async function applyReport(deps: BounceDeps, rowId: string, report: BounceReport): Promise<BounceOutcome> {
  const { pool } = deps;
  const nothingNew = async (): Promise<BounceOutcome> =>
    (await ledgerRowExists(pool, rowId)) ? 'duplicate' : 'unknown_row';
  switch (report.kind) {
    case 'unreadable':
      return 'unreadable';
    case 'delivered':
      return (await ledgerRowExists(pool, rowId)) ? 'delivered' : 'unknown_row';
    case 'soft': {
      const note = [report.status, report.action, report.diagnostic].filter(Boolean).join(' ') || 'delayed';
      return (await noteDelivery(pool, rowId, note.slice(0, 600))) ? 'soft' : nothingNew();
    }
    case 'complaint':
      return (await recordComplaint(pool, rowId, report.note)) ? 'complaint' : nothingNew();
    case 'hard': {
      const today = deps.today();
      // Agencies and districts as now (small tables; read on the pool: one client runs one query at a time).
      const dir = await readDirectory(pool);
      const owed = await inTransaction(pool, async (client) => {
        const row = await markBounced(client, rowId, { status: report.status, diagnostic: report.diagnostic });
        if (!row) return null;
        const side = sideOf(row, dir.agencies, dir.districts);
        if (side.mark)
          await markUndeliverable(client, {
            ...side.mark,
            email: row.recipient,
            on: today,
            status: report.status,
            diagnostic: report.diagnostic,
            ledgerKey: row.key,
          });
        // A digest is a summary, not a step: its address is marked (every alert for the role then
        // also goes to the next people), and next week's digest is not held back.
        // Decision (RULES.md 10 and 12 are silent): an e-mail about a submitted training is not a
        // step of a ladder either; the address is marked, and the submission waits on the page.
        if (row.kind === 'WEEKLY_DIGEST' || isSubmissionKind(row.kind)) return [];
        const next = nextPeopleOf(side.who, deps.adminEmails).filter(
          (p) => p.email.toLowerCase() !== row.recipient.toLowerCase(),
        );
        if (next.length === 0)
          deps.log.warn('bounced alert has no one to go to next (no escalation contact, no ADMIN_EMAILS)', {
            kind: row.kind,
            license: row.license,
          });
        return insertStandInRows(
          client,
          row.key,
          next.map((p) => standInRow(row, p.email, today)),
        );
      });
      if (owed === null) return nothingNew();
      // Committed first: a crash before this line leaves PENDING rows the worker's sweep sends.
      await deps.work.sendAlerts(owed.map((key) => ({ key, asOf: today, runId: null })));
      return 'hard';
    }
    default: {
      const _exhaustive: never = report;
      return _exhaustive;
    }
  }
}

type Side = {
  who: Parameters<typeof nextPeopleOf>[0];
  mark: { scope: 'AGENCY' | 'DISTRICT'; scopeId: string } | null;
};

/**
 * Which side the bounced address was on (RULES.md 12): the chief of the officer's agency, a
 * PRIMARY contact of one of the officer's districts (for a digest: of the digest's agency or
 * district), or neither (an escalation contact, an earlier recipient): then the admins.
 */
function sideOf(
  row: BouncedRow,
  agencies: ReadonlyMap<string, AgencyInfo>,
  districts: ReadonlyMap<string, DistrictInfo>,
): Side {
  const email = row.recipient.toLowerCase();
  const digest = row.kind === 'WEEKLY_DIGEST' ? parseDigestAlertKey(row.alertKey) : null;
  const agencyIds = digest ? (digest.kind === 'AGENCY' ? [digest.id] : []) : row.agencyId ? [row.agencyId] : [];
  const districtIds = digest ? (digest.kind === 'DISTRICT' ? [digest.id] : []) : row.districtIds;
  for (const id of agencyIds) {
    const a = agencies.get(id);
    if (a?.chiefEmail?.toLowerCase() === email)
      return {
        who: { kind: 'CHIEF', agency: a },
        mark: { scope: 'AGENCY', scopeId: id },
      };
  }
  for (const id of districtIds) {
    const d = districts.get(id);
    if (d?.contacts.some((c) => c.role === 'PRIMARY' && c.email.toLowerCase() === email))
      return { who: { kind: 'DISTRICT_PRIMARY', district: d }, mark: { scope: 'DISTRICT', scopeId: id } };
  }
  // Neither: "where there are none, the admins".
  return { who: { kind: 'CHIEF', agency: undefined }, mark: null };
}

/** The bounced row's step for one of the next people: the same alert, its own key (naming the bounced row's number). */
function standInRow(row: BouncedRow, email: string, today: CivilDate): LedgerRowInput {
  return {
    key: `${row.alertKey}:stand-in=${row.id}:to=${email.toLowerCase()}`,
    alertKey: row.alertKey,
    kind: row.kind as LedgerRowInput['kind'],
    license: row.license,
    recipient: email,
    dueDate: row.dueDate,
    lead: row.lead,
    level: row.level,
    threshold: row.threshold,
    schoolYear: row.schoolYear,
    obligation: row.obligation,
    asOf: today,
    status: 'PENDING',
    lastError: null,
  };
}
