// RULES.md 8 "Say so": when an obligation's due date moved, the first alert about it, and the
// digest entries and the officer's page while the correction is recent (30 days), say "The due
// date was corrected from X to Y" with the fact that moved it and who recorded it. This module
// turns the ledger's and the audit log's account of a move (src/db/due-date-corrections.ts)
// into that correction.
import type pg from 'pg';
import { type CivilDate, addDays } from '../domain/civil-date.ts';
import { obligationOf } from '../domain/obligations.ts';
import type { OfficerStatus } from '../domain/types.ts';
import { type DueDateMove, type ObligationNow, readDueDateMoves } from '../db/due-date-corrections.ts';
import { civilDateIn } from '../shell/clock.ts';
import type { DueDateCorrection } from '../mail/due-date-correction.ts';

export type { DueDateCorrection } from '../mail/due-date-correction.ts';

/** RULES.md 8: the digest entries and the console page say so while the correction is this recent. */
const CORRECTION_SHOWN_DAYS = 30;

/** How the fact that moved the date is named: a district by its name where the caller knows it. */
export interface CorrectionWords {
  timeZone: string;
  districtName?: (id: string) => string;
}

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
const dates = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function dayList(ds: readonly string[]): string {
  const sorted = [...ds].sort();
  if (sorted.length <= 3) return sorted.join(sorted.length === 2 ? ' and ' : ', ').replace(/, ([^,]*)$/, ', and $1');
  return `${sorted.slice(0, 3).join(', ')} and ${sorted.length - 3} more`;
}

function contactDays(ds: readonly string[], verb: string): string {
  return ds.length === 1
    ? `a contact day on ${ds[0]} was ${verb}`
    : `${ds.length} contact days (${dayList(ds)}) were ${verb}`;
}

/** The recorded change, in words: 'a contact day on 2026-11-05 was recorded'. */
function describe(cause: NonNullable<DueDateMove['cause']>, words: CorrectionWords): string {
  const before = record(cause.before);
  const after = record(cause.after);
  const district = (id: unknown) =>
    typeof id === 'string' ? (words.districtName ? words.districtName(id) : id) : 'the district';
  switch (cause.action) {
    case 'contact-days.record':
      return contactDays(dates(after.added), 'recorded');
    case 'contact-days.delete':
      return contactDays(dates(before.dates), 'removed');
    case 'assignment.create':
      return `an assignment at ${district(after.districtId)} starting ${String(after.startDate)} was recorded`;
    case 'assignment.update': {
      const where = `the assignment at ${district(after.districtId ?? before.districtId)}`;
      if (before.startDate !== after.startDate)
        return `the start date of ${where} was corrected from ${String(before.startDate)} to ${String(after.startDate)}`;
      if (before.trainingUnavailable !== after.trainingUnavailable)
        return after.trainingUnavailable
          ? `${where} was marked as one for which the course was unavailable (V.C)`
          : `${where} is no longer marked as one for which the course was unavailable (V.C)`;
      if (before.role !== after.role)
        return `${where} was changed from ${String(before.role).toLowerCase()} to ${String(after.role).toLowerCase()}`;
      return `${where} was corrected`;
    }
    case 'training.record':
      return `a training completed on ${String(after.completedOn)} was recorded`;
    case 'training.delete':
      return `the training completed on ${String(before.completedOn)} was deleted`;
    case 'import':
    case 'import.replace':
      return 'a roster import was loaded';
    default:
      return "the officer's record was changed";
  }
}

/** The correction a move amounts to, in the reader's words and `words.timeZone`. */
export function correctionOf(
  move: Pick<DueDateMove, 'from' | 'to' | 'cause'>,
  words: CorrectionWords,
): DueDateCorrection {
  const cause = move.cause;
  return {
    from: move.from,
    to: move.to,
    because: cause ? describe(cause, words) : null,
    recordedBy: cause?.actor ?? null,
    recordedAt: cause?.at ?? null,
    recordedOn: cause ? civilDateIn(words.timeZone, new Date(cause.at)) : null,
  };
}

/** Whether a move is recent as of D: it happened within 30 days of D (or its time is unknown: not yet told). */
function recentAsOf(move: DueDateMove, asOf: CivilDate, timeZone: string): boolean {
  if (move.at === null) return true;
  return civilDateIn(timeZone, new Date(move.at)) > addDays(asOf, -CORRECTION_SHOWN_DAYS);
}

/**
 * The recent corrections (RULES.md 8, 30 days) of these officers' current due dates, by
 * license: for the digest entries and the officer's page.
 */
export async function recentDueDateCorrections(
  pool: Pick<pg.Pool, 'query'>,
  statuses: readonly OfficerStatus[],
  asOf: CivilDate,
  words: CorrectionWords,
): Promise<Map<string, DueDateCorrection>> {
  const now: ObligationNow[] = [];
  for (const s of statuses) {
    const obligation = obligationOf(s);
    if (obligation !== null && s.dueDate !== null && s.status !== 'COMPLIANT' && s.status !== 'INACTIVE')
      now.push({ license: s.license, obligation, dueDate: s.dueDate });
  }
  const out = new Map<string, DueDateCorrection>();
  if (now.length === 0) return out;
  for (const [license, move] of await readDueDateMoves(pool, now))
    if (recentAsOf(move, asOf, words.timeZone)) out.set(license, correctionOf(move, words));
  return out;
}
