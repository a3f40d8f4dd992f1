// Builders for OfficerFacts (RULES.md section 1) so a rules test states only the
// facts that matter: officer({ assignments: [regular('2025-10-01')], trainings: [mandated('2025-09-20')] }).
// Dates are civil-date literals 'YYYY-MM-DD'; a typo throws instead of building a bad fact.
import { type CivilDate, addDays, civilDate } from '../../src/domain/civil-date.ts';
import { isBusinessDay } from '../../src/domain/holidays.ts';
import type {
  AssignmentFact,
  ContactDayFact,
  OfficerFacts,
  PolicyReviewFact,
  RulesConfig,
  TrainingFact,
  TrainingKind,
} from '../../src/domain/types.ts';

export const LICENSE = '12345';
export const AGENCY = 'MN0240100';
export const OTHER_AGENCY = 'MN0270000';
export const DISTRICT = 'ISD241';
export const OTHER_DISTRICT = 'ISD242';

/** SCHOOL_YEAR_START default, 07-01. */
export const DEFAULT_RULES: RulesConfig = { schoolYearStart: { month: 7, day: 1 } };

export const d = (text: string): CivilDate => civilDate(text);

export function officer(facts: Partial<OfficerFacts> = {}): OfficerFacts {
  return {
    license: LICENSE,
    firstName: 'Dana',
    lastName: 'Olson',
    agencyId: AGENCY,
    assignments: [],
    trainings: [],
    policyReviews: [],
    contactDays: [],
    ...facts,
  };
}

interface AssignmentOptions {
  endDate?: string;
  trainingUnavailable?: boolean;
  districtId?: string;
}

function assignment(role: AssignmentFact['role'], startDate: string, opts: AssignmentOptions): AssignmentFact {
  return {
    districtId: opts.districtId ?? DISTRICT,
    role,
    startDate: d(startDate),
    endDate: opts.endDate === undefined ? null : d(opts.endDate),
    trainingUnavailable: opts.trainingUnavailable ?? false,
  };
}

/** A REGULAR assignment: the officer assumed SRO duties at the district on startDate. */
export function regular(startDate: string, opts: AssignmentOptions = {}): AssignmentFact {
  return assignment('REGULAR', startDate, opts);
}

/** A SUBSTITUTE assignment (V.D). */
export function substitute(startDate: string, opts: AssignmentOptions = {}): AssignmentFact {
  return assignment('SUBSTITUTE', startDate, opts);
}

export function training(kind: TrainingKind, completedOn: string, certificateOnFile = true): TrainingFact {
  return { kind, completedOn: d(completedOn), certificateOnFile };
}

/** POST-approved course covering the subd. 4 objectives (V.A). */
export const mandated = (on: string, certificateOnFile = true) => training('SRO_MANDATED', on, certificateOnFile);
/** Board-approved supplemental course (subd. 4(b)); satisfies V.B only. */
export const supplemental = (on: string, certificateOnFile = true) =>
  training('SRO_SUPPLEMENTAL', on, certificateOnFile);
/** School Safety Center standardized Basic SRO Training. */
export const legacySsc = (on: string, certificateOnFile = true) => training('LEGACY_BASIC_SSC', on, certificateOnFile);
/** NASRO Basic SRO course. */
export const legacyNasro = (on: string, certificateOnFile = true) =>
  training('LEGACY_BASIC_NASRO', on, certificateOnFile);

/** The officer reviewed the employer's subd. 6 policy on `reviewedOn`. */
export function review(reviewedOn: string, agencyId: string = AGENCY): PolicyReviewFact {
  return { agencyId, reviewedOn: d(reviewedOn) };
}

export function contactDay(date: string, districtId: string = DISTRICT): ContactDayFact {
  return { districtId, date: d(date) };
}

/** `count` contact days on consecutive calendar days from `first` (day 1 = first, day 60 = first + 59). */
export function contactDaysFrom(first: string, count: number, districtId: string = DISTRICT): ContactDayFact[] {
  return Array.from({ length: count }, (_, i) => ({ districtId, date: addDays(d(first), i) }));
}

/**
 * The `count` school days (neither weekend nor legal holiday, RULES.md 9) before `day`, oldest
 * first: contact days a test records relative to today, which the console records without asking.
 */
export function schoolDaysBefore(day: string, count: number): CivilDate[] {
  const out: CivilDate[] = [];
  for (let x = addDays(d(day), -1); out.length < count; x = addDays(x, -1)) if (isBusinessDay(x)) out.unshift(x);
  return out;
}
