// The status of one officer as of D (RULES.md sections 2–4), written from RULES.md and
// policy 507.5 V.A–V.E, not from the implementation. Each case: given the facts → when
// evaluated as of a literal date → then the section-3 fields. D is "the end of day D".
// This file: V.D, substitutes under 60 contact days, and V.C with V.D together.
import { describe, expect, it } from 'vitest';
import type { RulesConfig } from '../../src/domain/types.ts';
import {
  OTHER_DISTRICT,
  contactDay,
  contactDaysFrom,
  legacySsc,
  mandated,
  officer,
  regular,
  review,
  substitute,
} from '../helpers/facts.ts';
import { asOf, section3, RESTRICTED } from '../helpers/status-as-of.ts';

describe('V.D substitute under 60 contact days', () => {
  // 60 consecutive contact days from Tuesday 2025-09-02: day 59 is 2025-10-30, day 60 is 2025-10-31.
  const sixty = officer({
    assignments: [substitute('2025-08-25')],
    contactDays: contactDaysFrom('2025-09-02', 60),
    policyReviews: [review('2025-08-25')],
  });

  it('given 59 served days, then EXEMPT_SUBSTITUTE with duties (4) and (5) restricted and no deadline', () => {
    const s = asOf('2025-10-30', sixty);
    expect(section3(s)).toEqual({
      status: 'EXEMPT_SUBSTITUTE',
      reason: null,
      dueDate: null,
      daysRemaining: null,
      contactDays: 59,
      projected60thDay: '2025-10-31',
      restrictedDuties: RESTRICTED,
      issues: [],
      completedLate: false,
    });
    expect(s.firstServedDay).toBe('2025-09-02');
  });

  it('given the 60th day served on D, then S = D (Decision): DUE on D with basis SUBSTITUTE_LIMIT_REACHED', () => {
    const s = asOf('2025-10-31', sixty);
    expect(section3(s)).toEqual({
      status: 'DUE',
      reason: null,
      dueDate: '2025-10-31',
      daysRemaining: 0,
      contactDays: 60,
      projected60thDay: null,
      restrictedDuties: [],
      issues: [],
      completedLate: false,
    });
    expect(s.basis).toBe('SUBSTITUTE_LIMIT_REACHED');
    expect(s.assumedDutiesOn).toBe('2025-10-31');
  });

  it('the day after the 60th day, then OVERDUE with reason SUBSTITUTE_LIMIT_REACHED', () => {
    expect(section3(asOf('2025-11-01', sixty))).toMatchObject({
      status: 'OVERDUE',
      reason: 'SUBSTITUTE_LIMIT_REACHED',
      dueDate: '2025-10-31',
      daysRemaining: -1,
      contactDays: 60,
      restrictedDuties: [],
    });
  });

  it('given the course completed on the 60th day, then COMPLIANT and not late', () => {
    const s = asOf('2025-10-31', { ...sixty, trainings: [mandated('2025-10-31')] });
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(false);
  });

  it('given the course completed after the 60th day, then COMPLIANT and late', () => {
    const s = asOf('2025-11-05', { ...sixty, trainings: [mandated('2025-11-05')] });
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(true);
  });

  it('given a substitute with no served day yet, then EXEMPT_SUBSTITUTE with contactDays 0', () => {
    const s = asOf('2025-08-30', sixty);
    expect(section3(s)).toMatchObject({ status: 'EXEMPT_SUBSTITUTE', contactDays: 0, restrictedDuties: RESTRICTED });
    expect(s.firstServedDay).toBeNull();
  });

  it('given a day served at two districts, then it counts once', () => {
    // 59 distinct days at one district; day 59 (2025-10-30) also recorded at a second district.
    const facts = officer({
      assignments: [substitute('2025-08-25'), substitute('2025-08-25', { districtId: OTHER_DISTRICT })],
      contactDays: [...contactDaysFrom('2025-09-02', 59), contactDay('2025-10-30', OTHER_DISTRICT)],
      policyReviews: [review('2025-08-25')],
    });
    expect(section3(asOf('2025-11-15', facts))).toMatchObject({ status: 'EXEMPT_SUBSTITUTE', contactDays: 59 });
  });

  it('given days at two districts, then distinct dates from every district add up to the 60th', () => {
    const facts = officer({
      assignments: [substitute('2025-08-25'), substitute('2025-08-25', { districtId: OTHER_DISTRICT })],
      contactDays: [...contactDaysFrom('2025-09-02', 59), contactDay('2025-10-31', OTHER_DISTRICT)],
      policyReviews: [review('2025-08-25')],
    });
    expect(section3(asOf('2025-10-31', facts))).toMatchObject({
      status: 'DUE',
      dueDate: '2025-10-31',
      contactDays: 60,
    });
  });

  it('given days served in the previous school year, then they do not count this year', () => {
    // 50 days 2025-05-01 … 2025-06-19 (school year 2024-2025) + 20 days from 2025-09-02.
    const facts = officer({
      assignments: [substitute('2025-04-28')],
      contactDays: [...contactDaysFrom('2025-05-01', 50), ...contactDaysFrom('2025-09-02', 20)],
      policyReviews: [review('2025-04-28')],
    });
    expect(section3(asOf('2025-09-30', facts))).toMatchObject({ status: 'EXEMPT_SUBSTITUTE', contactDays: 20 });
  });

  it('given contact days on the first (07-01) and last (06-30) day of the school year, then both count in that year', () => {
    const facts = officer({
      assignments: [substitute('2025-07-01')],
      contactDays: [contactDay('2025-07-01'), ...contactDaysFrom('2025-09-02', 58), contactDay('2026-06-30')],
      policyReviews: [review('2025-07-01')],
    });
    expect(section3(asOf('2026-06-29', facts))).toMatchObject({
      status: 'EXEMPT_SUBSTITUTE',
      contactDays: 59,
      projected60thDay: '2026-06-30',
    });
    expect(asOf('2026-06-29', facts).firstServedDay).toBe('2025-07-01');
    expect(section3(asOf('2026-06-30', facts))).toMatchObject({
      status: 'DUE',
      dueDate: '2026-06-30',
      contactDays: 60,
    });
    expect(section3(asOf('2026-07-01', facts))).toMatchObject({
      status: 'EXEMPT_SUBSTITUTE',
      contactDays: 0,
      dueDate: null,
    });
  });

  it('school-year rollover: OVERDUE on 2026-06-30, EXEMPT_SUBSTITUTE again on 2026-07-01 with contactDays 0', () => {
    expect(section3(asOf('2026-06-30', sixty))).toMatchObject({
      status: 'OVERDUE',
      reason: 'SUBSTITUTE_LIMIT_REACHED',
      dueDate: '2025-10-31',
      daysRemaining: -242,
      contactDays: 60,
    });
    const next = asOf('2026-07-01', sixty);
    expect(section3(next)).toEqual({
      status: 'EXEMPT_SUBSTITUTE',
      reason: null,
      dueDate: null,
      daysRemaining: null,
      contactDays: 0,
      projected60thDay: null,
      restrictedDuties: RESTRICTED,
      issues: [],
      completedLate: false,
    });
    expect(next.schoolYear).toEqual({ label: '2026-2027', start: '2026-07-01', end: '2027-06-30' });
  });

  it('given SCHOOL_YEAR_START 08-15, then 2026-07-01 is still the old school year and the rollover is 2026-08-15', () => {
    const augustStart: RulesConfig = { schoolYearStart: { month: 8, day: 15 } };
    expect(asOf('2026-07-01', sixty, augustStart).status).toBe('OVERDUE');
    expect(asOf('2026-08-14', sixty, augustStart).status).toBe('OVERDUE');
    const s = asOf('2026-08-15', sixty, augustStart);
    expect(section3(s)).toMatchObject({ status: 'EXEMPT_SUBSTITUTE', contactDays: 0 });
    expect(s.schoolYear).toEqual({ label: '2026-2027', start: '2026-08-15', end: '2027-08-14' });
  });

  it('given the next school year’s 60th day, then a new S and due date on that day', () => {
    // 60 days from 2026-08-24: the 60th is 2026-10-22.
    const facts = { ...sixty, contactDays: [...sixty.contactDays, ...contactDaysFrom('2026-08-24', 60)] };
    expect(section3(asOf('2026-10-21', facts))).toMatchObject({ status: 'EXEMPT_SUBSTITUTE', contactDays: 59 });
    const s = asOf('2026-10-22', facts);
    expect(section3(s)).toMatchObject({ status: 'DUE', dueDate: '2026-10-22', daysRemaining: 0, contactDays: 60 });
    expect(s.basis).toBe('SUBSTITUTE_LIMIT_REACHED');
  });

  it('given an active REGULAR assignment too, then the officer is not an exempt substitute', () => {
    const facts = officer({
      assignments: [substitute('2025-08-25', { districtId: OTHER_DISTRICT }), regular('2025-10-01')],
      contactDays: contactDaysFrom('2025-09-02', 10, OTHER_DISTRICT),
      policyReviews: [review('2025-08-25')],
    });
    const s = asOf('2025-10-01', facts);
    expect(section3(s)).toMatchObject({ status: 'DUE', dueDate: '2025-10-01', restrictedDuties: [] });
    expect(s.basis).toBe('NO_TRAINING_BEFORE_DUTIES');
  });

  it('given a legacy-trained substitute under 60 days, then rule 2 decides before rule 3: EXEMPT_SUBSTITUTE', () => {
    const facts = { ...sixty, trainings: [legacySsc('2024-05-01')] };
    expect(asOf('2025-10-30', facts).status).toBe('EXEMPT_SUBSTITUTE');
  });

  it('given a legacy-trained substitute past 60 days, then rule 3 decides before rule 4: DUE by 2027-05-31', () => {
    const facts = { ...sixty, trainings: [legacySsc('2024-05-01')] };
    const s = asOf('2025-11-01', facts);
    expect(section3(s)).toMatchObject({ status: 'DUE', dueDate: '2027-05-31', restrictedDuties: [] });
    expect(s.basis).toBe('LEGACY_DEADLINE_MISSED');
  });

  it('given contact days recorded for a district without an assignment, then they count too ("whatever the district")', () => {
    const facts = officer({
      assignments: [substitute('2025-08-25')],
      contactDays: [...contactDaysFrom('2025-09-02', 59), contactDay('2025-10-31', OTHER_DISTRICT)],
      policyReviews: [review('2025-08-25')],
    });
    expect(section3(asOf('2025-10-31', facts))).toMatchObject({
      status: 'DUE',
      contactDays: 60,
      dueDate: '2025-10-31',
    });
  });

  it('given a 60th day before 2025-09-01, then due 2025-09-01 (PRE_MANDATE_UNTRAINED), and the deadline lapses on 2025-07-01', () => {
    // 60 days from 2025-01-06: the 60th is 2025-03-06, in school year 2024-2025.
    const facts = officer({
      assignments: [substitute('2025-01-02')],
      contactDays: contactDaysFrom('2025-01-06', 60),
      policyReviews: [review('2025-01-02')],
    });
    const s = asOf('2025-03-06', facts);
    expect(section3(s)).toMatchObject({ status: 'DUE', dueDate: '2025-09-01', daysRemaining: 179, contactDays: 60 });
    expect(s.basis).toBe('PRE_MANDATE_UNTRAINED');
    expect(s.assumedDutiesOn).toBe('2025-03-06');
    expect(section3(asOf('2025-07-01', facts))).toMatchObject({
      status: 'EXEMPT_SUBSTITUTE',
      contactDays: 0,
      dueDate: null,
    });
  });

  describe('projected60thDay from scheduled (future) contact days', () => {
    it('given 40 served and 25 scheduled days, then the 60th distinct date', () => {
      const facts = { ...sixty, contactDays: contactDaysFrom('2025-09-02', 65) };
      expect(section3(asOf('2025-10-11', facts))).toMatchObject({ contactDays: 40, projected60thDay: '2025-10-31' });
    });

    it('given fewer than 60 known days this school year, then null', () => {
      const facts = { ...sixty, contactDays: contactDaysFrom('2025-09-02', 59) };
      expect(section3(asOf('2025-09-15', facts))).toMatchObject({ contactDays: 14, projected60thDay: null });
    });

    it('given scheduled days in the next school year, then they do not make up this year’s 60', () => {
      const facts = {
        ...sixty,
        contactDays: [...contactDaysFrom('2025-09-02', 40), ...contactDaysFrom('2026-07-01', 30)],
      };
      expect(section3(asOf('2025-10-01', facts))).toMatchObject({ contactDays: 30, projected60thDay: null });
    });

    it('given a scheduled day at two districts, then it counts once toward the projection', () => {
      const facts = {
        ...sixty,
        contactDays: [...contactDaysFrom('2025-09-02', 60), contactDay('2025-10-20', OTHER_DISTRICT)],
      };
      expect(asOf('2025-10-01', facts).projected60thDay).toBe('2025-10-31');
    });

    it('once the 60th day is on or before D, then null', () => {
      expect(asOf('2025-10-31', sixty).projected60thDay).toBeNull();
      expect(asOf('2025-11-20', sixty).projected60thDay).toBeNull();
    });
  });
});

describe('V.C and V.D: an officer with both a REGULAR assignment and substitute days', () => {
  // Substitute days 2025-10-01 … 2025-11-29 (the 60th).
  const regularThenSubstitute = officer({
    assignments: [
      regular('2025-09-15', { endDate: '2025-09-30' }),
      substitute('2025-10-01', { districtId: OTHER_DISTRICT }),
    ],
    contactDays: contactDaysFrom('2025-10-01', 60, OTHER_DISTRICT),
    policyReviews: [review('2025-09-01')],
  });
  const substituteThenRegular = officer({
    assignments: [
      substitute('2025-08-25'),
      regular('2025-11-03', { endDate: '2025-11-28', districtId: OTHER_DISTRICT }),
    ],
    contactDays: contactDaysFrom('2025-09-02', 60),
    policyReviews: [review('2025-08-25')],
  });

  it('given an ended REGULAR assignment from 2025-09-15 and 60 substitute days later, then S is the REGULAR start', () => {
    const facts = regularThenSubstitute;
    const s = asOf('2025-11-29', facts);
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
      dueDate: '2025-09-15',
      daysRemaining: -75,
    });
    expect(s.assumedDutiesOn).toBe('2025-09-15');
  });

  it('given the same officer with 59 days served, then every active assignment is SUBSTITUTE: EXEMPT_SUBSTITUTE (rule 2 before rule 4)', () => {
    const facts = regularThenSubstitute;
    expect(section3(asOf('2025-11-28', facts))).toMatchObject({ status: 'EXEMPT_SUBSTITUTE', contactDays: 59 });
  });

  it('given the 60th substitute day (2025-10-31) before a later, ended REGULAR start, then S is the 60th day', () => {
    const facts = substituteThenRegular;
    const s = asOf('2025-12-01', facts);
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'SUBSTITUTE_LIMIT_REACHED',
      dueDate: '2025-10-31',
      daysRemaining: -31,
    });
    expect(s.assumedDutiesOn).toBe('2025-10-31');
  });

  it('while that REGULAR assignment is active, then the 60th-day S does not apply (not all active assignments are SUBSTITUTE)', () => {
    const facts = substituteThenRegular;
    const s = asOf('2025-11-10', facts);
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
      dueDate: '2025-11-03',
      daysRemaining: -7,
    });
  });
});
