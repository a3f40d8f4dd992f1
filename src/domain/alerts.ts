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
import type { OfficerFacts, OfficerStatus } from './types.ts';

export type LedgerStatus = 'PENDING' | 'SENT' | 'FAILED' | 'SUPERSEDED';

/** What the ledger holds about one (alert, recipient) of this officer. */
export interface LedgerFact {
  alertKey: string;
  kind: AlertKind;
  dueDate: CivilDate | null;
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
}

export interface PlannedAlert extends Alert {
  /** Addresses the rules name but the directory lacks (NO_CONTACT_ON_FILE); recorded, never dropped. */
  missing: readonly string[];
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

export function alertKey(a: Pick<Alert, 'kind' | 'license' | 'dueDate' | 'lead' | 'level' | 'threshold' | 'schoolYear'>, extra?: string): string {
  const parts: string[] = [a.kind, a.license];
  switch (a.kind) {
    case 'DEADLINE_REMINDER':
      parts.push(String(a.dueDate), `lead=${a.lead}`);
      break;
    case 'DEADLINE_MISSED':
      parts.push(String(a.dueDate), `level=${a.level}`);
      break;
    case 'SUBSTITUTE_NEARING_LIMIT':
      parts.push(String(a.schoolYear), `threshold=${a.threshold}`);
      break;
    case 'RESOLVED':
      parts.push(String(a.dueDate));
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

type Draft = Omit<Alert, 'key' | 'recipients'> & { extra?: string };

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

/** Rows that count as "this alert happened" (sent, on its way, or failed for good). */
const taken = (l: LedgerFact) => l.status !== 'SUPERSEDED';

/**
 * For a ladder of steps (leads, levels, thresholds) crossed at once: the most urgent one to
 * send unless it or a more urgent one is in the ledger, and the others to mark superseded.
 */
function ladder(
  crossed: readonly number[],
  mostUrgent: number,
  isMoreUrgentOrEqual: (a: number, b: number) => boolean,
  already: readonly number[],
  draft: (step: number) => Draft,
  keyOf: (d: Draft) => string,
  known: ReadonlySet<string>,
): { send: Draft[]; supersede: Draft[] } {
  if (already.some((s) => isMoreUrgentOrEqual(s, mostUrgent))) return { send: [], supersede: [] };
  const supersede = crossed.filter((s) => s !== mostUrgent).map(draft).filter((d) => !known.has(keyOf(d)));
  return { send: [draft(mostUrgent)], supersede };
}

export function planAlerts(input: PlanInput): AlertPlan {
  const { facts, status, asOf, agency, districts, ledger, config } = input;
  const license = facts.license;
  const knownKeys = new Set(ledger.map((l) => l.alertKey));
  const keyOf = (d: Draft) => alertKey(d, d.extra);
  const send: Draft[] = [];
  const supersede: Draft[] = [];
  const base = { license, dueDate: null, lead: null, level: null, threshold: null, schoolYear: null } as const;

  // DEADLINE_REMINDER: DUE or IN_GRACE and D >= dueDate − L; the smallest such L is sent.
  if ((status.status === 'DUE' || status.status === 'IN_GRACE') && status.dueDate !== null && status.daysRemaining !== null) {
    const dueDate = status.dueDate;
    const remaining = status.daysRemaining;
    const crossed = config.reminderLeadDays.filter((l) => remaining <= l);
    if (crossed.length > 0) {
      const lead = Math.min(...crossed);
      const sentLeads = ledger.filter((l) => l.kind === 'DEADLINE_REMINDER' && l.dueDate === dueDate && taken(l)).map((l) => l.lead as number);
      const r = ladder(crossed, lead, (a, b) => a <= b, sentLeads,
        (l) => ({ ...base, kind: 'DEADLINE_REMINDER', dueDate, lead: l }), keyOf, knownKeys);
      send.push(...r.send);
      supersede.push(...r.supersede);
    }
  }

  // DEADLINE_MISSED: day 0 is the first OVERDUE day (dueDate + 1); the highest level reached is sent.
  if (status.status === 'OVERDUE' && status.dueDate !== null && status.daysRemaining !== null) {
    const dueDate = status.dueDate;
    const daysOverdue = -status.daysRemaining - 1;
    const crossed = config.escalationDays.map((days, i) => ({ days, level: i + 1 })).filter((x) => daysOverdue >= x.days).map((x) => x.level);
    if (crossed.length > 0) {
      const level = Math.max(...crossed);
      const sentLevels = ledger.filter((l) => l.kind === 'DEADLINE_MISSED' && l.dueDate === dueDate && taken(l)).map((l) => l.level as number);
      const r = ladder(crossed, level, (a, b) => a >= b, sentLevels,
        (lv) => ({ ...base, kind: 'DEADLINE_MISSED', dueDate, level: lv }), keyOf, knownKeys);
      send.push(...r.send);
      supersede.push(...r.supersede);
    }
  }

  // SUBSTITUTE_NEARING_LIMIT: per school year, the highest threshold reached.
  if (status.status === 'EXEMPT_SUBSTITUTE') {
    const schoolYear = status.schoolYear.label;
    const crossed = config.substituteDayThresholds.filter((t) => status.contactDays >= t);
    if (crossed.length > 0) {
      const threshold = Math.max(...crossed);
      const sent = ledger.filter((l) => l.kind === 'SUBSTITUTE_NEARING_LIMIT' && l.schoolYear === schoolYear && taken(l)).map((l) => l.threshold as number);
      const r = ladder(crossed, threshold, (a, b) => a >= b, sent,
        (t) => ({ ...base, kind: 'SUBSTITUTE_NEARING_LIMIT', schoolYear, threshold: t }), keyOf, knownKeys);
      send.push(...r.send);
      supersede.push(...r.supersede);
    }
  }

  // CERTIFICATE_MISSING (V.E): once per (officer, training record).
  if (status.issues.includes('CERTIFICATE_MISSING') && status.qualifyingTraining) {
    const t = status.qualifyingTraining;
    send.push({ ...base, kind: 'CERTIFICATE_MISSING', extra: `${t.kind}:${t.completedOn}` });
  }

  // POLICY_REVIEW_MISSING (V.C, V.D): once per (officer, agency, deadline).
  if (status.issues.includes('POLICY_REVIEW_MISSING')) {
    const inGrace = status.status === 'IN_GRACE';
    const deadline = inGrace ? status.dueDate : status.schoolYear.start;
    send.push({
      ...base,
      kind: 'POLICY_REVIEW_MISSING',
      dueDate: inGrace ? status.dueDate : null,
      schoolYear: inGrace ? null : status.schoolYear.label,
      extra: `${facts.agencyId}:${deadline}`,
    });
  }

  // RESOLVED: once per deadline whose DEADLINE_MISSED went out, when the officer is COMPLIANT,
  // to every address that received the escalation.
  const resolved: PlannedAlert[] = [];
  if (status.status === 'COMPLIANT') {
    const escalated = new Map<CivilDate, Map<string, string>>();
    for (const l of ledger) {
      if (l.kind !== 'DEADLINE_MISSED' || l.status !== 'SENT' || l.dueDate === null) continue;
      const to = escalated.get(l.dueDate) ?? new Map<string, string>();
      to.set(l.recipient.toLowerCase(), l.recipient);
      escalated.set(l.dueDate, to);
    }
    for (const [dueDate, to] of [...escalated].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const draft = { ...base, kind: 'RESOLVED' as const, dueDate };
      const key = alertKey(draft);
      if (knownKeys.has(key)) continue;
      const recipients: Recipient[] = [...to.values()].sort().map((email) => ({ email, name: null, role: 'PREVIOUS_RECIPIENT', districtId: null }));
      resolved.push({ ...draft, key, recipients, missing: [] });
    }
  }

  const finish = (d: Draft): PlannedAlert => {
    const { extra: _extra, ...alert } = d;
    const set = resolveRecipients(facts, asOf, agency, districts, audienceFor(d));
    return { ...alert, key: keyOf(d), recipients: set.recipients, missing: set.missing };
  };
  return {
    send: [...send.filter((d) => !knownKeys.has(keyOf(d))).map(finish), ...resolved],
    supersede: supersede.map(finish),
  };
}

/**
 * Whether a planned alert is still owed as of D (the send job's re-check before it sends):
 * no reminder for a met deadline, no escalation for an officer no longer OVERDUE.
 */
export function isStillDue(alert: Pick<Alert, 'kind' | 'dueDate' | 'lead' | 'level' | 'threshold' | 'schoolYear'>, status: OfficerStatus, config: AlertConfig): boolean {
  switch (alert.kind) {
    case 'DEADLINE_REMINDER':
      return (status.status === 'DUE' || status.status === 'IN_GRACE') && status.dueDate === alert.dueDate && (status.daysRemaining ?? Infinity) <= (alert.lead ?? -Infinity);
    case 'DEADLINE_MISSED': {
      const needed = config.escalationDays[(alert.level ?? 0) - 1];
      return status.status === 'OVERDUE' && status.dueDate === alert.dueDate && needed !== undefined && -(status.daysRemaining ?? 0) - 1 >= needed;
    }
    case 'SUBSTITUTE_NEARING_LIMIT':
      return status.status === 'EXEMPT_SUBSTITUTE' && status.schoolYear.label === alert.schoolYear && status.contactDays >= (alert.threshold ?? Infinity);
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
