// A deadline is an obligation; its due date may be corrected (RULES.md 8). An alert ladder
// (reminders, escalation levels, RESOLVED) belongs to one obligation of one officer, never to
// a due date: a contact day added, a start date or `trainingUnavailable` corrected, a training
// deleted moves the date, and the ladder continues. Pure: plain data in, plain data out.
import type { CivilDate } from './civil-date.ts';
import type { AlertKind } from './alert-types.ts';
import type { Obligation, OfficerStatus } from './types.ts';

/** The kinds whose steps belong to an obligation (their keys name it instead of the due date). */
export type LadderKind = 'DEADLINE_REMINDER' | 'DEADLINE_MISSED' | 'RESOLVED';

export function isLadderKind(kind: AlertKind): kind is LadderKind {
  return kind === 'DEADLINE_REMINDER' || kind === 'DEADLINE_MISSED' || kind === 'RESOLVED';
}

/**
 * The obligation behind the status's due date: the evaluator's, or for a status built by hand
 * (no `obligation` field) the one its basis gives (a grace period counts as NEW_SRO there).
 */
export function obligationOf(status: OfficerStatus): Obligation | null {
  if (status.obligation !== undefined) return status.obligation;
  switch (status.basis) {
    case null:
      return null;
    case 'LEGACY_DEADLINE_MISSED':
      return 'LEGACY';
    case 'PRE_MANDATE_UNTRAINED':
      return 'PRE_MANDATE';
    case 'SUBSTITUTE_LIMIT_REACHED':
      return `SUBSTITUTE:${status.schoolYear.label}`;
    case 'NO_TRAINING_BEFORE_DUTIES':
    case 'GRACE_PERIOD_EXPIRED':
      return 'NEW_SRO';
    default: {
      const _exhaustive: never = status.basis;
      return _exhaustive;
    }
  }
}

/** What the correction rule needs of a ledger row (src/domain/alerts.ts LedgerFact). */
interface ToldRow {
  kind: AlertKind;
  obligation?: Obligation | null;
  dueDate: CivilDate | null;
  recipient: string;
  status: string;
}

/**
 * The due date the people were last told for this obligation: that of the last reminder or
 * overdue notice written for it (sent or on its way; a SUPERSEDED row or a row that had no
 * address told nobody), the ledger being in the order its rows were written. Null when none.
 */
function lastToldDueDate(ledger: readonly ToldRow[], obligation: Obligation, noContact: string): CivilDate | null {
  for (let i = ledger.length - 1; i >= 0; i--) {
    const l = ledger[i] as ToldRow;
    if (l.kind !== 'DEADLINE_REMINDER' && l.kind !== 'DEADLINE_MISSED') continue;
    if (l.obligation !== obligation || l.dueDate === null || l.recipient === noContact) continue;
    if (l.status !== 'SENT' && l.status !== 'PENDING') continue;
    return l.dueDate;
  }
  return null;
}

/**
 * RULES.md 8 "Say so": the date an alert about the obligation says the due date was
 * corrected from, when the people were last told another date than `dueDate`; else null.
 */
export function correctedFrom(
  ledger: readonly ToldRow[],
  obligation: Obligation,
  dueDate: CivilDate,
  noContact: string,
): CivilDate | null {
  const told = lastToldDueDate(ledger, obligation, noContact);
  return told !== null && told !== dueDate ? told : null;
}
