// Alerts (RULES.md section 5): what the worker sends, to whom, under which key.
import type { CivilDate } from './civil-date.ts';
import type { Obligation } from './types.ts';

export type AlertKind =
  | 'DEADLINE_REMINDER'
  | 'DEADLINE_MISSED'
  | 'SUBSTITUTE_NEARING_LIMIT'
  | 'CERTIFICATE_MISSING'
  | 'POLICY_REVIEW_MISSING'
  | 'RESOLVED'
  | 'WEEKLY_DIGEST'
  | SubmissionAlertKind;

/**
 * RULES.md 10: the e-mails about a training the officer submitted, one per submission, sent
 * when it happens rather than planned by a scan: to the chief (`TRAINING_SUBMITTED`, with the
 * link to confirm or reject it) and to the officer when it is rejected (`TRAINING_REJECTED`).
 */
export type SubmissionAlertKind = 'TRAINING_SUBMITTED' | 'TRAINING_REJECTED';

type RecipientRole =
  'CHIEF' | 'DISTRICT_PRIMARY' | 'DISTRICT_ESCALATION' | 'AGENCY_ESCALATION' | 'PREVIOUS_RECIPIENT' | 'ADMIN';

/** RULES.md 12: whom a recipient stands in for, whose address bounced. */
export interface StandIn {
  /** The address that bounced. */
  email: string;
  /** Its role: the chief, or a district's PRIMARY contact. */
  role: 'CHIEF' | 'DISTRICT_PRIMARY' | 'OTHER';
  /** The day it bounced (TZ). */
  since: CivilDate;
  /** The status code and diagnostic. */
  reason: string;
  /** This very alert bounced (the step owed at once), rather than an earlier one. */
  thisAlert?: boolean;
}

export interface Recipient {
  email: string;
  name: string | null;
  role: RecipientRole;
  /** For district contacts: which district. */
  districtId: string | null;
  /** RULES.md 12: sent because this address bounced; absent: the recipient's own alert. */
  standInFor?: StandIn;
}

/** One alert about one officer; the ledger holds one row per (alert, recipient). */
export interface Alert {
  kind: Exclude<AlertKind, 'WEEKLY_DIGEST' | SubmissionAlertKind>;
  license: string;
  /** The deadline the alert belongs to (reminders, escalations, RESOLVED, POLICY_REVIEW_MISSING in grace). */
  dueDate: CivilDate | null;
  /**
   * DEADLINE_REMINDER, DEADLINE_MISSED, RESOLVED: the obligation whose ladder the alert is a
   * step of (RULES.md 8); its key names the obligation, not the due date. Null or absent for
   * the other kinds.
   */
  obligation?: Obligation | null;
  /** DEADLINE_REMINDER: the lead in days. */
  lead: number | null;
  /** DEADLINE_MISSED: escalation level 1, 2, 3. */
  level: number | null;
  /** SUBSTITUTE_NEARING_LIMIT: the served-days threshold reached. */
  threshold: number | null;
  /** SUBSTITUTE_NEARING_LIMIT, POLICY_REVIEW_MISSING of a substitute: '2025-2026'. */
  schoolYear: string | null;
  /** Deterministic, recipient-free key of the alert; ledger keys append the recipient. */
  key: string;
  recipients: readonly Recipient[];
}
