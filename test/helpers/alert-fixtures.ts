// Builders for the alert-rule tests (RULES.md section 5): an agency and its districts with
// named addresses, the ledger rows a scan would have written, and one "scan" =
// evaluateOfficer + planAlerts as of a literal civil date. An officer's facts are built with
// the builders of facts.ts.
import {
  type AlertConfig,
  type AlertPlan,
  type LedgerFact,
  type LedgerStatus,
  type PlannedAlert,
  NO_CONTACT_RECIPIENT,
  alertKey,
  planAlerts,
} from '../../src/domain/alerts.ts';
import type { Alert, AlertKind } from '../../src/domain/alert-types.ts';
import type { CivilDate } from '../../src/domain/civil-date.ts';
import type { AgencyInfo, DistrictInfo } from '../../src/domain/recipients.ts';
import { evaluateOfficer } from '../../src/domain/status.ts';
import type { OfficerFacts, OfficerStatus } from '../../src/domain/types.ts';
import { AGENCY, DEFAULT_RULES, DISTRICT, LICENSE, OTHER_DISTRICT, d, officer, regular, review } from './facts.ts';

/** The kinds of the alerts about one officer: every AlertKind but WEEKLY_DIGEST, in RULES.md order. */
export const OFFICER_ALERT_KINDS = [
  'DEADLINE_REMINDER',
  'DEADLINE_MISSED',
  'SUBSTITUTE_NEARING_LIMIT',
  'CERTIFICATE_MISSING',
  'POLICY_REVIEW_MISSING',
  'RESOLVED',
] as const satisfies readonly AlertKind[];

/** REMINDER_LEAD_DAYS, ESCALATION_DAYS and SUBSTITUTE_DAY_THRESHOLDS defaults, ascending. */
export const ALERT_CONFIG: AlertConfig = {
  reminderLeadDays: [1, 7, 14, 30, 60, 90],
  escalationDays: [0, 7, 30],
  substituteDayThresholds: [45, 50, 55],
};

// Addresses, named by who they are.
export const CHIEF = 'chief@albertlea-pd.example';
export const AGENCY_ESCALATION = 'deputy-chief@albertlea-pd.example';
export const PRIMARY = 'sro-contact@isd241.example';
export const SUPERINTENDENT = 'superintendent@isd241.example';
export const OTHER_PRIMARY = 'sro-contact@isd242.example';
export const OTHER_SUPERINTENDENT = 'superintendent@isd242.example';

export function agency(overrides: Partial<AgencyInfo> = {}): AgencyInfo {
  return {
    id: AGENCY,
    name: 'Albert Lea Police Department',
    chiefName: 'Chief Ramirez',
    chiefEmail: CHIEF,
    escalationEmails: [AGENCY_ESCALATION],
    ...overrides,
  };
}

export function district(overrides: Partial<DistrictInfo> = {}): DistrictInfo {
  return {
    id: DISTRICT,
    name: 'Albert Lea Area Schools',
    kind: 'DISTRICT',
    contacts: [
      { name: 'SRO Coordinator', email: PRIMARY, role: 'PRIMARY' },
      { name: 'Superintendent', email: SUPERINTENDENT, role: 'ESCALATION' },
    ],
    ...overrides,
  };
}

export function otherDistrict(overrides: Partial<DistrictInfo> = {}): DistrictInfo {
  return district({
    id: OTHER_DISTRICT,
    name: 'Glenville-Emmons Schools',
    contacts: [
      { name: 'SRO Coordinator', email: OTHER_PRIMARY, role: 'PRIMARY' },
      { name: 'Superintendent', email: OTHER_SUPERINTENDENT, role: 'ESCALATION' },
    ],
    ...overrides,
  });
}

export function directory(...list: DistrictInfo[]): Map<string, DistrictInfo> {
  const all = list.length > 0 ? list : [district(), otherDistrict()];
  return new Map(all.map((x) => [x.id, x]));
}

/**
 * The V.C officer of most tests: REGULAR at ISD241 from 2025-10-01 with training unavailable,
 * policy reviewed 2025-09-25 (so no POLICY_REVIEW_MISSING). Grace due date 2026-04-01 (a Wednesday).
 */
const GRACE_START = '2025-10-01';
export const GRACE_DUE = d('2026-04-01');
export function graceOfficer(facts: Partial<OfficerFacts> = {}): OfficerFacts {
  return officer({
    assignments: [regular(GRACE_START, { trainingUnavailable: true })],
    policyReviews: [review('2025-09-25')],
    ...facts,
  });
}

export interface Scan {
  status: OfficerStatus;
  plan: AlertPlan;
}

export interface ScanOptions {
  ledger?: readonly LedgerFact[];
  agency?: AgencyInfo | undefined;
  districts?: ReadonlyMap<string, DistrictInfo>;
  config?: AlertConfig;
}

/** One scan of one officer as of the end of day `asOf`. */
export function scan(facts: OfficerFacts, asOf: string | CivilDate, opts: ScanOptions = {}): Scan {
  const day = d(asOf);
  const status = evaluateOfficer(facts, day, DEFAULT_RULES);
  const plan = planAlerts({
    facts,
    status,
    asOf: day,
    agency: 'agency' in opts ? opts.agency : agency(),
    districts: opts.districts ?? directory(),
    ledger: opts.ledger ?? [],
    config: opts.config ?? ALERT_CONFIG,
  });
  return { status, plan };
}

type Step = Partial<Pick<Alert, 'dueDate' | 'obligation' | 'lead' | 'level' | 'threshold' | 'schoolYear'>> & {
  kind: Alert['kind'];
  extra?: string;
};

/** What a step leaves out of an alert's identity is null. */
const UNSET = { dueDate: null, lead: null, level: null, threshold: null, schoolYear: null };

/**
 * Ledger rows (one per recipient) of an alert the worker recorded earlier, keyed as the shell
 * keys it. A ladder step names its obligation (RULES.md 8): NEW_SRO unless the step says.
 */
export function rows(
  step: Step,
  recipients: readonly string[],
  status: LedgerStatus = 'SENT',
  license = LICENSE,
): LedgerFact[] {
  const { extra, ...given } = step;
  const ladder = step.kind === 'DEADLINE_REMINDER' || step.kind === 'DEADLINE_MISSED' || step.kind === 'RESOLVED';
  const a = { ...UNSET, obligation: ladder ? ('NEW_SRO' as const) : null, ...given, license };
  const key = alertKey(a, extra);
  return recipients.map((recipient) => ({ alertKey: key, ...a, recipient, status }));
}

/** What the scan shell writes for a plan: one row per (alert, recipient); NO_CONTACT_ON_FILE when nobody. */
export function record(alerts: readonly PlannedAlert[], status: LedgerStatus): LedgerFact[] {
  const out: LedgerFact[] = [];
  for (const a of alerts) {
    const to = a.recipients.length > 0 ? a.recipients.map((r) => r.email) : [NO_CONTACT_RECIPIENT];
    for (const recipient of to) {
      out.push({
        alertKey: a.key,
        kind: a.kind,
        dueDate: a.dueDate,
        obligation: a.obligation ?? null,
        lead: a.lead,
        level: a.level,
        threshold: a.threshold,
        schoolYear: a.schoolYear,
        recipient,
        status,
      });
    }
  }
  return out;
}

export const emails = (a: Pick<PlannedAlert, 'recipients'>): string[] => a.recipients.map((r) => r.email).sort();
export const ofKind = (alerts: readonly PlannedAlert[], kind: Alert['kind']): PlannedAlert[] =>
  alerts.filter((a) => a.kind === kind);
