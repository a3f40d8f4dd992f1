// Which alerts are due now (RULES.md section 5). Pure: takes the officer's status as of D,
// the directory, and what the ledger already holds for the officer; returns what to send
// and what to record as superseded. Thresholds are compared (D >= dueDate − L), never
// matched by equality, so a day the worker was down never loses an alert.
import type { CivilDate } from './civil-date.ts';
import type { Alert, AlertKind, Recipient } from './alert-types.ts';
import {
  type AgencyInfo,
  type Audience,
  CHIEF_ONLY,
  type DistrictInfo,
  ESCALATED_AUDIENCE,
  STANDARD_AUDIENCE,
  resolveRecipients,
} from './recipients.ts';
import { correctedFrom, isLadderKind, obligationOf } from './obligations.ts';
import type { Obligation, OfficerFacts, OfficerStatus } from './types.ts';

export type LedgerStatus = 'PENDING' | 'SENT' | 'FAILED' | 'SUPERSEDED' | 'BOUNCED';

/** What the ledger holds about one (alert, recipient) of this officer; an officer's rows come in the order written. */
export interface LedgerFact {
  alertKey: string;
  kind: AlertKind;
  dueDate: CivilDate | null;
  /** DEADLINE_REMINDER, DEADLINE_MISSED, RESOLVED: the obligation the step belongs to (RULES.md 8). */
  obligation?: Obligation | null;
  lead: number | null;
  level: number | null;
  threshold: number | null;
  schoolYear: string | null;
  recipient: string;
  status: LedgerStatus;
}

export interface AlertConfig {
  /** Ascending (e.g. 1, 7, 14, 30, 60, 90). */
  reminderLeadDays: readonly number[];
  /** Ascending; index i is the day count of escalation level i + 1 (e.g. 0, 7, 30). */
  escalationDays: readonly number[];
  /** Ascending (e.g. 45, 50, 55). */
  substituteDayThresholds: readonly number[];
  /** ADMIN_EMAILS: the next people of an undeliverable address that has no one else (RULES.md 12). */
  adminEmails?: readonly string[];
}

export interface PlannedAlert extends Alert {
  /** Addresses the rules name but the directory lacks (NO_CONTACT_ON_FILE); recorded, never dropped. */
  missing: readonly string[];
  /** Sent to addresses that were missing when the step was first due, and none is missing now: the gap's NO_CONTACT_ON_FILE row is closed. */
  closesGap?: boolean;
  /**
   * RULES.md 8 "Say so": the first alert about an obligation after its due date moved carries
   * the date the people were last told; null or absent otherwise.
   */
  correctedFrom?: CivilDate | null;
}

export interface AlertPlan {
  send: PlannedAlert[];
  /** Crossed at the same time as a more urgent one: recorded as SUPERSEDED, not sent. */
  supersede: PlannedAlert[];
}

/** Recipient placeholder of a ledger row recording that the rules named nobody with an address. */
export const NO_CONTACT_RECIPIENT = 'NO_CONTACT_ON_FILE';

export function ledgerKey(alertKey: string, recipient: string): string {
  return `${alertKey}:to=${recipient.toLowerCase()}`;
}

/**
 * The recipient-free key of an alert. A ladder step (reminder lead, escalation level,
 * RESOLVED) is keyed by its obligation (RULES.md 8: 'DEADLINE_MISSED:12345:NEW_SRO:level=1'),
 * never by the due date, which a correction may move.
 */
export function alertKey(
  a: Pick<Alert, 'kind' | 'license' | 'dueDate' | 'obligation' | 'lead' | 'level' | 'threshold' | 'schoolYear'>,
  extra?: string,
): string {
  const parts: string[] = [a.kind, a.license];
  if (isLadderKind(a.kind) && !a.obligation)
    throw new Error(`${a.kind} for officer ${a.license} names no obligation (RULES.md 8)`);
  switch (a.kind) {
    case 'DEADLINE_REMINDER':
      parts.push(String(a.obligation), `lead=${a.lead}`);
      break;
    case 'DEADLINE_MISSED':
      parts.push(String(a.obligation), `level=${a.level}`);
      break;
    case 'SUBSTITUTE_NEARING_LIMIT':
      parts.push(String(a.schoolYear), `threshold=${a.threshold}`);
      break;
    case 'RESOLVED':
      parts.push(String(a.obligation));
      break;
    case 'CERTIFICATE_MISSING':
    case 'POLICY_REVIEW_MISSING':
      if (extra) parts.push(extra);
      break;
    default: {
      const _exhaustive: never = a.kind;
      throw new Error(`unknown alert kind ${String(_exhaustive)}`);
    }
  }
  return parts.join(':');
}

export interface PlanInput {
  facts: OfficerFacts;
  status: OfficerStatus;
  asOf: CivilDate;
  agency: AgencyInfo | undefined;
  districts: ReadonlyMap<string, DistrictInfo>;
  /** Every ledger row of this officer (any kind). */
  ledger: readonly LedgerFact[];
  config: AlertConfig;
}

/** An alert before its key and recipients are known; `extra` completes the key of the issue alerts. */
type Draft = Omit<Alert, 'key' | 'recipients'> & { extra: string | null };

// The scan plans alerts for every officer of the roster (a million, for a state-wide
// vendor): drafts are built with one fixed shape and no spread or rest copies, and the
// helpers live at module level, so planning allocates little more than what it returns.
function draft(kind: Alert['kind'], license: string, fields: Partial<Omit<Draft, 'kind' | 'license'>>): Draft {
  return {
    kind,
    license,
    dueDate: fields.dueDate ?? null,
    obligation: fields.obligation ?? null,
    lead: fields.lead ?? null,
    level: fields.level ?? null,
    threshold: fields.threshold ?? null,
    schoolYear: fields.schoolYear ?? null,
    extra: fields.extra ?? null,
  };
}

const draftKey = (d: Draft): string => alertKey(d, d.extra ?? undefined);

/** Who an alert goes to (RULES.md 5): escalation contacts join from level 2; issues go to the chief. */
export function audienceFor(alert: Pick<Alert, 'kind' | 'level'>): Audience {
  switch (alert.kind) {
    case 'DEADLINE_REMINDER':
    case 'SUBSTITUTE_NEARING_LIMIT':
      return STANDARD_AUDIENCE;
    case 'DEADLINE_MISSED':
      return (alert.level ?? 1) >= 2 ? ESCALATED_AUDIENCE : STANDARD_AUDIENCE;
    case 'CERTIFICATE_MISSING':
    case 'POLICY_REVIEW_MISSING':
      return CHIEF_ONLY;
    case 'RESOLVED':
      return STANDARD_AUDIENCE; // unused: RESOLVED goes to whoever received the escalation
    default: {
      const _exhaustive: never = alert.kind;
      return _exhaustive;
    }
  }
}

/**
 * Rows that count as "this alert happened" (sent, on its way, or failed for good). A
 * NO_CONTACT_ON_FILE row never does (RULES.md 5 "Nobody to send to is not sent"): it records
 * that the step had no address, and once an address exists the step is owed to it.
 */
function taken(l: LedgerFact): boolean {
  return l.status !== 'SUPERSEDED' && l.recipient !== NO_CONTACT_RECIPIENT;
}

/** What the ledger holds per alert key: the recipients it has a row for, and whether a gap is open. */
interface KeyState {
  /** Lower-cased addresses with a row for this alert (any status). */
  recipients: Set<string>;
  /** A NO_CONTACT_ON_FILE row recorded when the alert was due: some address the rules name was missing. */
  openGap: boolean;
}

function keyStates(ledger: readonly LedgerFact[]): Map<string, KeyState> {
  const out = new Map<string, KeyState>();
  for (const l of ledger) {
    let s = out.get(l.alertKey);
    if (!s) out.set(l.alertKey, (s = { recipients: new Set(), openGap: false }));
    if (l.recipient === NO_CONTACT_RECIPIENT) {
      if (l.status !== 'SUPERSEDED') s.openGap = true;
    } else s.recipients.add(l.recipient.toLowerCase());
  }
  return out;
}

/** A ladder of steps (reminder leads, escalation levels, substitute thresholds) of one deadline or school year. */
interface Ladder {
  /** The steps crossed as of D. */
  crossed: readonly number[];
  /** The most urgent of them: the one to send. */
  mostUrgent: number;
  /** Whether step `a` is as urgent as `b` or more (a smaller lead; a higher level or threshold). */
  atLeastAsUrgent: (a: number, b: number) => boolean;
  /** The ledger rows of this ladder, and the step each holds. */
  belongs: (l: LedgerFact) => boolean;
  stepOf: (l: LedgerFact) => number | null;
  step: (n: number) => Draft;
}

/**
 * Catch-up, most urgent only (RULES.md 5): send the most urgent crossed step unless it or a
 * more urgent one is in the ledger already; record the other crossed steps as superseded.
 */
function climb(
  l: Ladder,
  ledger: readonly LedgerFact[],
  keys: ReadonlyMap<string, KeyState>,
  send: Draft[],
  supersede: Draft[],
): void {
  const current = l.step(l.mostUrgent);
  // The most urgent step already went out, but with a gap (an address missing then): it is
  // planned again, and `planAlerts` sends it only to addresses that have no row yet.
  const refill = keys.get(draftKey(current))?.openGap === true;
  for (const row of ledger) {
    const s = l.belongs(row) && taken(row) ? l.stepOf(row) : null;
    if (s === null || !l.atLeastAsUrgent(s, l.mostUrgent)) continue;
    if (s === l.mostUrgent && refill) continue;
    return;
  }
  send.push(current);
  for (const s of l.crossed) {
    if (s === l.mostUrgent) continue;
    const d = l.step(s);
    if (!keys.has(draftKey(d))) supersede.push(d);
  }
}

const smallerIsMoreUrgent = (a: number, b: number) => a <= b;
const largerIsMoreUrgent = (a: number, b: number) => a >= b;

function finish(d: Draft, input: PlanInput): PlannedAlert {
  const set = resolveRecipients(
    input.facts,
    input.asOf,
    input.agency,
    input.districts,
    audienceFor(d),
    input.config.adminEmails,
  );
  return {
    kind: d.kind,
    license: d.license,
    dueDate: d.dueDate,
    obligation: d.obligation ?? null,
    lead: d.lead,
    level: d.level,
    threshold: d.threshold,
    schoolYear: d.schoolYear,
    key: draftKey(d),
    recipients: set.recipients,
    missing: set.missing,
  };
}

function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function minOf(xs: readonly number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

/**
 * The ladder the officer's status is on as of D, with the steps crossed (RULES.md 5): the
 * reminder leads L with D >= dueDate − L (DUE, IN_GRACE), the escalation levels whose day
 * count is reached, day 0 being the first OVERDUE day (dueDate + 1), or the substitute
 * thresholds reached this school year (EXEMPT_SUBSTITUTE). Null when no step is crossed.
 */
function ladderOf(status: OfficerStatus, config: AlertConfig, license: string): Ladder | null {
  const { dueDate, daysRemaining } = status;
  // RULES.md 8: the steps already taken are those of the obligation, whatever date they were sent for.
  const obligation = obligationOf(status);
  switch (status.status) {
    case 'DUE':
    case 'IN_GRACE': {
      if (dueDate === null || daysRemaining === null || obligation === null) return null;
      const crossed = config.reminderLeadDays.filter((l) => daysRemaining <= l);
      if (crossed.length === 0) return null;
      return {
        crossed,
        mostUrgent: minOf(crossed),
        atLeastAsUrgent: smallerIsMoreUrgent,
        belongs: (l) => l.kind === 'DEADLINE_REMINDER' && l.obligation === obligation,
        stepOf: (l) => l.lead,
        step: (lead) => draft('DEADLINE_REMINDER', license, { dueDate, obligation, lead }),
      };
    }
    case 'OVERDUE': {
      if (dueDate === null || daysRemaining === null || obligation === null) return null;
      const daysOverdue = -daysRemaining - 1;
      const crossed: number[] = [];
      config.escalationDays.forEach((days, i) => {
        if (daysOverdue >= days) crossed.push(i + 1);
      });
      if (crossed.length === 0) return null;
      return {
        crossed,
        mostUrgent: maxOf(crossed),
        atLeastAsUrgent: largerIsMoreUrgent,
        belongs: (l) => l.kind === 'DEADLINE_MISSED' && l.obligation === obligation,
        stepOf: (l) => l.level,
        step: (level) => draft('DEADLINE_MISSED', license, { dueDate, obligation, level }),
      };
    }
    case 'EXEMPT_SUBSTITUTE': {
      const schoolYear = status.schoolYear.label;
      const crossed = config.substituteDayThresholds.filter((t) => status.contactDays >= t);
      if (crossed.length === 0) return null;
      return {
        crossed,
        mostUrgent: maxOf(crossed),
        atLeastAsUrgent: largerIsMoreUrgent,
        belongs: (l) => l.kind === 'SUBSTITUTE_NEARING_LIMIT' && l.schoolYear === schoolYear,
        stepOf: (l) => l.threshold,
        step: (threshold) => draft('SUBSTITUTE_NEARING_LIMIT', license, { schoolYear, threshold }),
      };
    }
    case 'COMPLIANT':
    case 'INACTIVE':
      return null;
    default: {
      const _exhaustive: never = status.status;
      return _exhaustive;
    }
  }
}

export function planAlerts(input: PlanInput): AlertPlan {
  const { facts, status, ledger, config } = input;
  const license = facts.license;
  const ladder = ladderOf(status, config, license);
  // Most officers owe nothing today: no step crossed, no issue, nothing in the ledger
  // (RESOLVED needs a sent escalation). Decided before anything else is allocated.
  if (ladder === null && status.issues.length === 0 && ledger.length === 0) return { send: [], supersede: [] };
  const keys = keyStates(ledger);
  const send: Draft[] = [];
  const supersede: Draft[] = [];

  // DEADLINE_REMINDER (smallest lead), DEADLINE_MISSED (highest level), SUBSTITUTE_NEARING_LIMIT (highest threshold).
  if (ladder !== null) climb(ladder, ledger, keys, send, supersede);

  // CERTIFICATE_MISSING (V.E): once per (officer, training record).
  if (status.issues.includes('CERTIFICATE_MISSING') && status.qualifyingTraining) {
    const t = status.qualifyingTraining;
    send.push(draft('CERTIFICATE_MISSING', license, { extra: `${t.kind}:${t.completedOn}` }));
  }

  // POLICY_REVIEW_MISSING (V.C, V.D): once per (officer, agency, deadline).
  if (status.issues.includes('POLICY_REVIEW_MISSING')) {
    const inGrace = status.status === 'IN_GRACE';
    const deadline = inGrace ? status.dueDate : status.schoolYear.start;
    send.push(
      draft('POLICY_REVIEW_MISSING', license, {
        dueDate: inGrace ? status.dueDate : null,
        schoolYear: inGrace ? null : status.schoolYear.label,
        extra: `${facts.agencyId}:${deadline}`,
      }),
    );
  }

  const plan: AlertPlan = { send: [], supersede: [] };
  for (const d of send) {
    const state = keys.get(draftKey(d));
    if (state === undefined) {
      const a = finish(d, input);
      // RULES.md 8 "Say so": the first step after the obligation's due date moved says from what.
      if (d.obligation && d.dueDate && (d.kind === 'DEADLINE_REMINDER' || d.kind === 'DEADLINE_MISSED')) {
        const from = correctedFrom(ledger, d.obligation, d.dueDate, NO_CONTACT_RECIPIENT);
        if (from !== null) a.correctedFrom = from;
      }
      plan.send.push(a);
      continue;
    }
    // In the ledger already: owed only to addresses that were missing then and exist now.
    if (!state.openGap) continue;
    const a = finish(d, input);
    const fresh = a.recipients.filter((r) => !state.recipients.has(r.email.toLowerCase()));
    if (fresh.length > 0) plan.send.push({ ...a, recipients: fresh, closesGap: a.missing.length === 0 });
  }
  for (const d of supersede) plan.supersede.push(finish(d, input));

  // RESOLVED: once per obligation whose DEADLINE_MISSED went out (RULES.md 8: whatever date it
  // was sent for), when the officer is COMPLIANT, to every address that received the escalation.
  if (status.status === 'COMPLIANT') {
    const escalated = new Map<Obligation, { dueDate: CivilDate; to: Map<string, string> }>();
    for (const l of ledger) {
      if (l.kind !== 'DEADLINE_MISSED' || l.status !== 'SENT' || l.dueDate === null || !l.obligation) continue;
      const e = escalated.get(l.obligation) ?? { dueDate: l.dueDate, to: new Map<string, string>() };
      // The date of the last overdue notice written: the one its recipients were told last.
      e.dueDate = l.dueDate;
      e.to.set(l.recipient.toLowerCase(), l.recipient);
      escalated.set(l.obligation, e);
    }
    for (const [obligation, { dueDate, to }] of [...escalated].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const d = draft('RESOLVED', license, { dueDate, obligation });
      const key = draftKey(d);
      if (keys.has(key)) continue;
      const recipients: Recipient[] = [...to.values()]
        .sort()
        .map((email) => ({ email, name: null, role: 'PREVIOUS_RECIPIENT', districtId: null }));
      plan.send.push({
        kind: d.kind,
        license,
        dueDate,
        obligation,
        lead: null,
        level: null,
        threshold: null,
        schoolYear: null,
        key,
        recipients,
        missing: [],
      });
    }
  }
  return plan;
}

/**
 * Whether a planned alert is still owed as of D (the send job's re-check before it sends):
 * no reminder for a met deadline, no escalation for an officer no longer OVERDUE.
 */
export function isStillDue(
  alert: Pick<Alert, 'kind' | 'dueDate' | 'obligation' | 'lead' | 'level' | 'threshold' | 'schoolYear'>,
  status: OfficerStatus,
  config: AlertConfig,
): boolean {
  // RULES.md 8: a step belongs to its obligation; a due date moved since it was planned leaves
  // it owed when the step is still due by the new date (the e-mail then says so).
  const sameDeadline = alert.obligation ? obligationOf(status) === alert.obligation : status.dueDate === alert.dueDate;
  switch (alert.kind) {
    case 'DEADLINE_REMINDER':
      return (
        (status.status === 'DUE' || status.status === 'IN_GRACE') &&
        sameDeadline &&
        (status.daysRemaining ?? Infinity) <= (alert.lead ?? -Infinity)
      );
    case 'DEADLINE_MISSED': {
      const needed = config.escalationDays[(alert.level ?? 0) - 1];
      return (
        status.status === 'OVERDUE' &&
        sameDeadline &&
        needed !== undefined &&
        -(status.daysRemaining ?? 0) - 1 >= needed
      );
    }
    case 'SUBSTITUTE_NEARING_LIMIT':
      return (
        status.status === 'EXEMPT_SUBSTITUTE' &&
        status.schoolYear.label === alert.schoolYear &&
        status.contactDays >= (alert.threshold ?? Infinity)
      );
    case 'CERTIFICATE_MISSING':
      return status.issues.includes('CERTIFICATE_MISSING');
    case 'POLICY_REVIEW_MISSING':
      return status.issues.includes('POLICY_REVIEW_MISSING');
    case 'RESOLVED':
      return status.status === 'COMPLIANT';
    default: {
      const _exhaustive: never = alert.kind;
      return _exhaustive;
    }
  }
}
