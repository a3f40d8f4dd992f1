// The deadline ladder of the V.C grace officer (test/helpers/alert-fixtures.ts graceOfficer,
// due 2026-04-01) as the alert specifications (test/unit/alerts-*.test.ts) name its steps:
// reminders by lead (days before the due date), escalations by level, and their recipients.
import type { LedgerFact, PlannedAlert } from '../../src/domain/alerts.ts';
import { AGENCY_ESCALATION, CHIEF, GRACE_DUE, PRIMARY, SUPERINTENDENT, ofKind, rows } from './alert-fixtures.ts';

export const LEADS = [90, 60, 30, 14, 7, 1] as const;
export const reminder = (lead: number) => ({ kind: 'DEADLINE_REMINDER' as const, dueDate: GRACE_DUE, lead });
export const missed = (level: number) => ({ kind: 'DEADLINE_MISSED' as const, dueDate: GRACE_DUE, level });
export const STANDARD = [CHIEF, PRIMARY].sort();
export const ESCALATED = [CHIEF, PRIMARY, SUPERINTENDENT, AGENCY_ESCALATION].sort();

/** Ledger rows saying every lead larger than `lead` was SENT (so only `lead` is left to decide). */
export const largerLeadsSent = (lead: number): LedgerFact[] =>
  LEADS.filter((l) => l > lead).flatMap((l) => rows(reminder(l), STANDARD));
export const lowerLevelsSent = (level: number): LedgerFact[] =>
  [1, 2, 3].filter((l) => l < level).flatMap((l) => rows(missed(l), STANDARD));

export const leadsOf = (alerts: readonly PlannedAlert[]) => ofKind(alerts, 'DEADLINE_REMINDER').map((a) => a.lead);
export const levelsOf = (alerts: readonly PlannedAlert[]) => ofKind(alerts, 'DEADLINE_MISSED').map((a) => a.level);
export const thresholdsOf = (alerts: readonly PlannedAlert[]) =>
  ofKind(alerts, 'SUBSTITUTE_NEARING_LIMIT').map((a) => a.threshold);
export const ascending = (xs: readonly (number | null)[]) => [...xs].sort((a, b) => (a ?? 0) - (b ?? 0));
