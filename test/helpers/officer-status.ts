// OfficerStatus values for the mail renderer tests and the sample e-mails
// (scripts/render-samples.ts): a status with nothing due, served, restricted or missing,
// plus what a case sets. Written out, not evaluated from facts, so a renderer test does
// not depend on the rules in src/domain/status.ts. Fields are grouped by what they are about.
import { civilDate } from '../../src/domain/civil-date.ts';
import type { OfficerStatus, SchoolYear } from '../../src/domain/types.ts';

/** The school year from July 1 of `startYear`: schoolYear(2025) is 2025-2026, 2025-07-01 to 2026-06-30. */
export function schoolYear(startYear: number): SchoolYear {
  return {
    label: `${startYear}-${startYear + 1}`,
    start: civilDate(`${startYear}-07-01`),
    end: civilDate(`${startYear + 1}-06-30`),
  };
}

/** License and status as given; no deadline, contact day, restriction, issue or training unless `fields` sets it; school year 2025-2026 unless set. */
export function officerStatus(
  fields: Pick<OfficerStatus, 'license' | 'status'> & Partial<OfficerStatus>,
): OfficerStatus {
  return {
    // The course deadline (rules 1 to 4).
    basis: null,
    reason: null,
    dueDate: null,
    daysRemaining: null,
    assumedDutiesOn: null,
    // Contact days in the school year (substitutes, V.D).
    schoolYear: schoolYear(2025),
    contactDays: 0,
    firstServedDay: null,
    projected60thDay: null,
    // The course: the qualifying training, the duties relieved until it is done, records missing.
    qualifyingTraining: null,
    completedLate: false,
    restrictedDuties: [],
    issues: [],
    ...fields,
  };
}

/** V.A: officer 10003 assumed duties on 2026-01-05 untrained: OVERDUE since then, 14 days as of 2026-01-19. */
export const OVERDUE_10003: OfficerStatus = officerStatus({
  license: '10003',
  status: 'OVERDUE',
  reason: 'NO_TRAINING_BEFORE_DUTIES',
  basis: 'NO_TRAINING_BEFORE_DUTIES',
  dueDate: civilDate('2026-01-05'),
  daysRemaining: -14,
  assumedDutiesOn: civilDate('2026-01-05'),
});
