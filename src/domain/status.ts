// Status of one officer as of D (RULES.md sections 2–4; policy 507.5 V.A–V.E).
// Pure: takes the facts and the as-of date, reads no clock, does no I/O.
import { type CivilDate, addCalendarMonths, civilDate, daysBetween } from './civil-date.ts';
import { rollToBusinessDay } from './holidays.ts';
import { schoolYearOf } from './school-year.ts';
import type {
  AssignmentFact,
  DeadlineBasis,
  OfficerFacts,
  OfficerIssue,
  OfficerStatus,
  OfficerStatusCode,
  Obligation,
  RulesConfig,
  SchoolYear,
  TrainingFact,
  TrainingKind,
} from './types.ts';

/** V.A: the mandate applies to officers assuming SRO duties from this day. */
export const MANDATE_START = civilDate('2025-09-01');
/** V.B: legacy-trained officers complete the course "before June 1, 2027". */
export const LEGACY_DUE_DATE = civilDate('2027-05-31');
/** V.D: a substitute serving fewer than this many student contact days in a school year is exempt. */
export const SUBSTITUTE_DAY_LIMIT = 60;
/** V.C: "within six months of assuming the duties". */
const GRACE_MONTHS = 6;
/** Clauses (4) and (5) of subd. 2(a), which V.C and V.D excuse. */
const RESTRICTED_CLAUSES: readonly number[] = Object.freeze([4, 5]);

const NO_RESTRICTIONS: readonly number[] = Object.freeze([]);
const NO_DATES: readonly CivilDate[] = Object.freeze([]);
const LEGACY_KINDS: ReadonlySet<TrainingKind> = new Set(['LEGACY_BASIC_SSC', 'LEGACY_BASIC_NASRO']);

/** V.C grace due date: six calendar months after S (§ 645.14), rolled past weekends and holidays (§ 645.15). */
export function graceDueDate(assumedDutiesOn: CivilDate): CivilDate {
  return rollToBusinessDay(addCalendarMonths(assumedDutiesOn, GRACE_MONTHS));
}

export function isActiveOn(a: AssignmentFact, d: CivilDate): boolean {
  return a.startDate <= d && (a.endDate === null || d <= a.endDate);
}

/** Distinct contact-day dates of the school year (all districts: a day at two schools counts once), sorted. */
function contactDatesIn(facts: OfficerFacts, year: SchoolYear): readonly CivilDate[] {
  if (facts.contactDays.length === 0) return NO_DATES;
  const dates: CivilDate[] = [];
  for (const c of facts.contactDays) if (c.date >= year.start && c.date <= year.end) dates.push(c.date);
  // Sorted, then the same date twice (two districts that day) kept once.
  // Rows usually arrive in date order (one district): check before sorting.
  let sorted = true;
  for (let i = 1; i < dates.length && sorted; i++) sorted = (dates[i - 1] as CivilDate) <= (dates[i] as CivilDate);
  if (!sorted) dates.sort();
  let n = 0;
  for (let i = 0; i < dates.length; i++) if (i === 0 || dates[i] !== dates[n - 1]) dates[n++] = dates[i] as CivilDate;
  dates.length = n;
  return dates;
}

interface Deadline {
  dueDate: CivilDate;
  basis: DeadlineBasis;
  /** IN_GRACE (not DUE) while the deadline is not yet past. */
  grace: boolean;
  assumedDutiesOn: CivilDate | null;
  /** RULES.md 8's table, the school year left out (the caller knows it). */
  obligation: 'LEGACY' | 'PRE_MANDATE' | 'NEW_SRO' | 'SUBSTITUTE';
}

/**
 * The deadline an untrained, non-exempt officer faces as of D (rules 3 and 4), or null
 * when none applies (an all-substitute officer under 60 days this school year).
 */
function deadlineFor(
  facts: OfficerFacts,
  d: CivilDate,
  legacy: boolean,
  active: readonly AssignmentFact[],
  sixtiethServedDay: CivilDate | null,
  graceDue: (s: CivilDate) => CivilDate,
): Deadline | null {
  // Rule 3 (V.B).
  if (legacy)
    return {
      dueDate: LEGACY_DUE_DATE,
      basis: 'LEGACY_DEADLINE_MISSED',
      grace: false,
      assumedDutiesOn: null,
      obligation: 'LEGACY',
    };

  // Rule 4 (V.A, V.C): S, the day the officer assumed SRO duties.
  // RULES.md decision: REGULAR assignments count whether ended or not; one that starts
  // after D has not been assumed yet, so it does not set S as of D.
  let regularStart: CivilDate | null = null;
  for (const a of facts.assignments) {
    if (a.role === 'REGULAR' && a.startDate <= d && (regularStart === null || a.startDate < regularStart)) {
      regularStart = a.startDate;
    }
  }
  const allActiveSubstitute = active.length > 0 && active.every((a) => a.role === 'SUBSTITUTE');
  // RULES.md decision: the V.D exemption ends on the 60th served day, which is then S.
  const substituteStart = allActiveSubstitute ? sixtiethServedDay : null;

  let s: CivilDate;
  let fromSubstitute: boolean;
  if (regularStart !== null && (substituteStart === null || regularStart <= substituteStart)) {
    s = regularStart;
    fromSubstitute = false;
  } else if (substituteStart !== null) {
    s = substituteStart;
    fromSubstitute = true;
  } else {
    return null;
  }

  // RULES.md decision (POST guidance): a serving SRO without a basic course had until 2025-09-01.
  if (s < MANDATE_START) {
    return {
      dueDate: MANDATE_START,
      basis: 'PRE_MANDATE_UNTRAINED',
      grace: false,
      assumedDutiesOn: s,
      obligation: 'PRE_MANDATE',
    };
  }
  const graceApplies = fromSubstitute
    ? active.some((a) => a.role === 'SUBSTITUTE' && a.trainingUnavailable)
    : facts.assignments.some((a) => a.role === 'REGULAR' && a.startDate === s && a.trainingUnavailable);
  const obligation = fromSubstitute ? 'SUBSTITUTE' : 'NEW_SRO';
  if (graceApplies) {
    return { dueDate: graceDue(s), basis: 'GRACE_PERIOD_EXPIRED', grace: true, assumedDutiesOn: s, obligation };
  }
  // "prior to assuming the duties": a course completed on S counts, so S is the due date.
  return {
    dueDate: s,
    basis: fromSubstitute ? 'SUBSTITUTE_LIMIT_REACHED' : 'NO_TRAINING_BEFORE_DUTIES',
    grace: false,
    assumedDutiesOn: s,
    obligation,
  };
}

/** RULES.md 8: a substitute's obligation is of the school year whose 60th day set it. */
function obligationOf(deadline: Deadline | null, schoolYear: SchoolYear): Obligation | null {
  if (deadline === null) return null;
  return deadline.obligation === 'SUBSTITUTE' ? `SUBSTITUTE:${schoolYear.label}` : deadline.obligation;
}

/** Most recent first; on the same day the mandated course before the supplemental one. */
function byRecency(a: TrainingFact, b: TrainingFact): number {
  if (a.completedOn !== b.completedOn) return a.completedOn < b.completedOn ? 1 : -1;
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
}
const KIND_ORDER: readonly TrainingKind[] = [
  'SRO_MANDATED',
  'SRO_SUPPLEMENTAL',
  'LEGACY_BASIC_SSC',
  'LEGACY_BASIC_NASRO',
];

function reviewedBy(facts: OfficerFacts, day: CivilDate): boolean {
  return facts.policyReviews.some((r) => r.agencyId === facts.agencyId && r.reviewedOn <= day);
}

export function evaluateOfficer(facts: OfficerFacts, d: CivilDate, config: RulesConfig): OfficerStatus {
  return officerEvaluator(d, config)(facts);
}

/**
 * The status rules for many officers as of the same D (a scan, a report): what depends on
 * D alone (the school year) is worked out once, and grace due dates once per S.
 */
export function officerEvaluator(d: CivilDate, config: RulesConfig): (facts: OfficerFacts) => OfficerStatus {
  const schoolYear = Object.freeze(schoolYearOf(d, config.schoolYearStart));
  const graceDueDates = new Map<CivilDate, CivilDate>();
  const graceDue = (s: CivilDate) => {
    let g = graceDueDates.get(s);
    if (g === undefined) graceDueDates.set(s, (g = graceDueDate(s)));
    return g;
  };
  return (facts) => evaluate(facts, d, schoolYear, graceDue);
}

function evaluate(
  facts: OfficerFacts,
  d: CivilDate,
  schoolYear: SchoolYear,
  graceDue: (s: CivilDate) => CivilDate,
): OfficerStatus {
  const yearDates = contactDatesIn(facts, schoolYear);
  let served = 0;
  while (served < yearDates.length && (yearDates[served] as CivilDate) <= d) served++;
  const sixtiethDay = yearDates[SUBSTITUTE_DAY_LIMIT - 1] ?? null;

  const status: OfficerStatus = {
    license: facts.license,
    status: 'INACTIVE',
    reason: null,
    dueDate: null,
    daysRemaining: null,
    contactDays: served,
    projected60thDay: sixtiethDay !== null && sixtiethDay > d ? sixtiethDay : null,
    restrictedDuties: NO_RESTRICTIONS,
    issues: [],
    completedLate: false,
    basis: null,
    assumedDutiesOn: null,
    obligation: null,
    schoolYear,
    qualifyingTraining: null,
    firstServedDay: served > 0 ? (yearDates[0] as CivilDate) : null,
  };

  // Rule 0.
  const active = facts.assignments.filter((a) => isActiveOn(a, d));
  if (active.length === 0) return status;

  const completed = facts.trainings.filter((t) => t.completedOn <= d);
  // Rule 3's test (V.B): a legacy basic course completed before 2025-09-01.
  const legacy = completed.some((t) => LEGACY_KINDS.has(t.kind) && t.completedOn < MANDATE_START);
  const qualifying = completed
    .filter((t) => t.kind === 'SRO_MANDATED' || (legacy && t.kind === 'SRO_SUPPLEMENTAL'))
    .sort(byRecency);
  const sixtiethServedDay = served >= SUBSTITUTE_DAY_LIMIT ? (yearDates[SUBSTITUTE_DAY_LIMIT - 1] as CivilDate) : null;
  const issues: OfficerIssue[] = [];

  // Rule 1 (V.A, V.B): trained.
  const latest = qualifying[0];
  if (latest !== undefined) {
    const first = qualifying[qualifying.length - 1] as TrainingFact;
    const deadline = deadlineFor(facts, d, legacy, active, sixtiethServedDay, graceDue);
    // V.E: the chief must hold the most recent certificate.
    if (!latest.certificateOnFile) issues.push('CERTIFICATE_MISSING');
    return {
      ...status,
      status: 'COMPLIANT',
      completedLate: deadline !== null && first.completedOn > deadline.dueDate,
      assumedDutiesOn: deadline?.assumedDutiesOn ?? null,
      obligation: obligationOf(deadline, schoolYear),
      qualifyingTraining: latest,
      issues,
    };
  }

  // Rule 2 (V.D): exempt substitute.
  if (active.every((a) => a.role === 'SUBSTITUTE') && served < SUBSTITUTE_DAY_LIMIT) {
    // V.D: must review the employer's policy; RULES.md 4: by the first served day (no day yet, no issue).
    if (status.firstServedDay !== null && !reviewedBy(facts, status.firstServedDay))
      issues.push('POLICY_REVIEW_MISSING');
    return { ...status, status: 'EXEMPT_SUBSTITUTE', restrictedDuties: RESTRICTED_CLAUSES, issues };
  }

  // Rules 3 and 4.
  const deadline = deadlineFor(facts, d, legacy, active, sixtiethServedDay, graceDue);
  if (deadline === null) {
    // Unreachable: past rule 2 an officer has an active REGULAR assignment (so a REGULAR
    // start on or before D) or 60 served days. Kept total for safety.
    return status;
  }
  const daysRemaining = daysBetween(d, deadline.dueDate);
  const overdue = daysRemaining < 0;
  const code: OfficerStatusCode = overdue ? 'OVERDUE' : deadline.grace ? 'IN_GRACE' : 'DUE';
  // V.C: review the policy before assuming the other duties (on or before S).
  if (code === 'IN_GRACE' && deadline.assumedDutiesOn !== null && !reviewedBy(facts, deadline.assumedDutiesOn)) {
    issues.push('POLICY_REVIEW_MISSING');
  }
  return {
    ...status,
    status: code,
    reason: overdue ? deadline.basis : null,
    dueDate: deadline.dueDate,
    daysRemaining,
    restrictedDuties: code === 'IN_GRACE' ? RESTRICTED_CLAUSES : NO_RESTRICTIONS,
    issues,
    basis: deadline.basis,
    assumedDutiesOn: deadline.assumedDutiesOn,
    obligation: obligationOf(deadline, schoolYear),
  };
}
