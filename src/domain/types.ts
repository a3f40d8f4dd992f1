// Plain data the rules engine takes and returns (RULES.md sections 1 and 3).
import type { CivilDate } from './civil-date.ts';

export type AssignmentRole = 'REGULAR' | 'SUBSTITUTE';
export type TrainingKind = 'SRO_MANDATED' | 'SRO_SUPPLEMENTAL' | 'LEGACY_BASIC_SSC' | 'LEGACY_BASIC_NASRO';
export type DistrictKind = 'DISTRICT' | 'CHARTER';
export type ContactRole = 'PRIMARY' | 'ESCALATION';

export interface AssignmentFact {
  districtId: string;
  role: AssignmentRole;
  /** The day the officer assumed SRO duties at this district. */
  startDate: CivilDate;
  /** Last day served, inclusive; null while ongoing. */
  endDate: CivilDate | null;
  /** The employer could not provide the course before the officer assumed duties (V.C). */
  trainingUnavailable: boolean;
}

export interface TrainingFact {
  kind: TrainingKind;
  completedOn: CivilDate;
  /** The chief holds a copy of the certificate (V.E). */
  certificateOnFile: boolean;
}

export interface PolicyReviewFact {
  agencyId: string;
  reviewedOn: CivilDate;
}

export interface ContactDayFact {
  districtId: string;
  date: CivilDate;
}

/** Everything the rules need to know about one officer. */
export interface OfficerFacts {
  license: string;
  firstName: string;
  lastName: string;
  agencyId: string;
  assignments: readonly AssignmentFact[];
  trainings: readonly TrainingFact[];
  policyReviews: readonly PolicyReviewFact[];
  contactDays: readonly ContactDayFact[];
}

export type OfficerStatusCode = 'COMPLIANT' | 'EXEMPT_SUBSTITUTE' | 'DUE' | 'IN_GRACE' | 'OVERDUE' | 'INACTIVE';

export type OverdueReason =
  | 'LEGACY_DEADLINE_MISSED'
  | 'GRACE_PERIOD_EXPIRED'
  | 'NO_TRAINING_BEFORE_DUTIES'
  | 'SUBSTITUTE_LIMIT_REACHED'
  | 'PRE_MANDATE_UNTRAINED';

export type OfficerIssue =
  | 'CERTIFICATE_MISSING'
  | 'POLICY_REVIEW_MISSING'
  | 'NO_CONTACT_ON_FILE'
  /** RULES.md 12: an address the officer's alerts go to (the chief, a district's PRIMARY contact) bounced. */
  | 'ADDRESS_UNDELIVERABLE';

/** Which provision set the deadline (kept for messages and alert keys). */
export type DeadlineBasis = OverdueReason;

/**
 * The obligation a deadline is (RULES.md 8): what an alert ladder belongs to. Its identity
 * never includes a date a person can correct; a substitute's school year is not a correction.
 */
export type Obligation = 'LEGACY' | 'PRE_MANDATE' | 'NEW_SRO' | `SUBSTITUTE:${string}`;

export interface SchoolYear {
  /** '2025-2026' */
  label: string;
  start: CivilDate;
  /** Last day of the school year, inclusive. */
  end: CivilDate;
}

/** Month and day the school year starts (SCHOOL_YEAR_START, '07-01'). */
export interface MonthDay {
  month: number;
  day: number;
}

export interface RulesConfig {
  schoolYearStart: MonthDay;
}

/** RULES.md section 3, plus what alerts and messages need to explain it. */
export interface OfficerStatus {
  license: string;
  status: OfficerStatusCode;
  /** Set when OVERDUE; null otherwise. */
  reason: OverdueReason | null;
  dueDate: CivilDate | null;
  daysRemaining: number | null;
  contactDays: number;
  projected60thDay: CivilDate | null;
  restrictedDuties: readonly number[];
  /** Sorted. NO_CONTACT_ON_FILE is added by the recipients step, not here. */
  issues: readonly OfficerIssue[];
  completedLate: boolean;

  /** The provision behind dueDate (the reason it would carry once OVERDUE); null without dueDate. */
  basis: DeadlineBasis | null;
  /** S, the day the officer assumed SRO duties (rule 4); null when no rule 4 applies. */
  assumedDutiesOn: CivilDate | null;
  /**
   * The obligation behind dueDate (RULES.md 8), also for a COMPLIANT officer whose deadline is
   * known; null without one. The evaluator always sets it; absent only in hand-built statuses.
   */
  obligation?: Obligation | null;
  schoolYear: SchoolYear;
  /** The most recent qualifying training (for COMPLIANT), by completedOn then kind. */
  qualifyingTraining: TrainingFact | null;
  /** First served contact day of the school year (substitutes), or null. */
  firstServedDay: CivilDate | null;
}
