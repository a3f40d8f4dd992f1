// The status of one officer as of D (RULES.md sections 2–4), written from RULES.md and
// policy 507.5 V.A–V.E, not from the implementation. Each case: given the facts → when
// evaluated as of a literal date → then the section-3 fields. D is "the end of day D".
// This file: V.C, the six-month grace period.
import { describe, expect, it } from 'vitest';
import { graceDueDate } from '../../src/domain/status.ts';
import {
  OTHER_DISTRICT,
  contactDaysFrom,
  d,
  mandated,
  officer,
  regular,
  review,
  substitute,
} from '../helpers/facts.ts';
import { asOf, section3, RESTRICTED } from '../helpers/status-as-of.ts';

describe('V.C six-month grace period', () => {
  describe('graceDueDate: six calendar months (§ 645.14), then the next business day (§ 645.15)', () => {
    it.each([
      ['2025-08-31', '2026-03-02', '→ 2026-02-28 (no Feb 31), a Saturday → Monday'],
      ['2025-09-01', '2026-03-02', '→ 2026-03-01, a Sunday → Monday'],
      ['2025-10-01', '2026-04-01', '→ Wednesday 2026-04-01, a business day'],
      ['2025-09-15', '2026-03-16', '→ 2026-03-15, a Sunday → Monday'],
      ['2025-10-31', '2026-04-30', '→ Thursday 2026-04-30 (April has 30 days)'],
      ['2023-08-31', '2024-02-29', '→ leap day 2024-02-29, a Thursday'],
      ['2026-11-28', '2027-05-28', '→ Friday before Memorial Day, a business day'],
      ['2026-11-29', '2027-06-01', '→ Saturday 2027-05-29 → Sunday → Memorial Day → Tuesday'],
      ['2026-11-30', '2027-06-01', '→ Sunday 2027-05-30 → Memorial Day → Tuesday'],
      ['2022-06-25', '2022-12-27', '→ Sunday Christmas 2022-12-25 → Monday 12-26 observed → Tuesday'],
      ['2033-06-25', '2033-12-27', '→ Sunday Christmas 2033-12-25 → Monday 12-26 observed → Tuesday'],
      ['2026-07-01', '2027-01-04', '→ New Year Friday 2027-01-01 → weekend → Monday'],
      ['2027-06-24', '2027-12-27', '→ Friday 2027-12-24, Christmas observed → weekend → Monday'],
      ['2027-05-25', '2027-11-26', '→ Thanksgiving 2027-11-25 → the Friday after (not a holiday, Decision)'],
      ['2027-05-26', '2027-11-26', '→ the Friday after Thanksgiving itself, a business day (Decision)'],
    ])('S = %s gives G = %s %s', (s, g) => {
      expect(graceDueDate(d(s))).toBe(g);
    });
  });

  const inGraceFrom = (s: string) =>
    officer({ assignments: [regular(s, { trainingUnavailable: true })], policyReviews: [review(s)] });

  it('given S = 2025-09-01 with trainingUnavailable, when D = S, then IN_GRACE until 2026-03-02 with duties (4) and (5) restricted', () => {
    const s = asOf('2025-09-01', inGraceFrom('2025-09-01'));
    expect(section3(s)).toEqual({
      status: 'IN_GRACE',
      reason: null,
      dueDate: '2026-03-02',
      daysRemaining: 182,
      contactDays: 0,
      projected60thDay: null,
      restrictedDuties: RESTRICTED,
      issues: [],
      completedLate: false,
    });
    expect(s.basis).toBe('GRACE_PERIOD_EXPIRED');
    expect(s.assumedDutiesOn).toBe('2025-09-01');
  });

  it('when D = G = 2026-03-02, then still IN_GRACE with daysRemaining 0', () => {
    expect(section3(asOf('2026-03-02', inGraceFrom('2025-09-01')))).toMatchObject({
      status: 'IN_GRACE',
      dueDate: '2026-03-02',
      daysRemaining: 0,
      restrictedDuties: RESTRICTED,
    });
  });

  it('when D = G + 1, then OVERDUE with reason GRACE_PERIOD_EXPIRED and no restricted duties', () => {
    expect(section3(asOf('2026-03-03', inGraceFrom('2025-09-01')))).toMatchObject({
      status: 'OVERDUE',
      reason: 'GRACE_PERIOD_EXPIRED',
      dueDate: '2026-03-02',
      daysRemaining: -1,
      restrictedDuties: [],
    });
  });

  it('given the course completed within the grace period, then COMPLIANT and not late', () => {
    const facts = { ...inGraceFrom('2025-09-01'), trainings: [mandated('2026-02-27')] };
    const s = asOf('2026-02-27', facts);
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(false);
    expect(s.restrictedDuties).toEqual([]);
  });

  it('given the course completed on G itself, then not late', () => {
    const s = asOf('2026-03-02', { ...inGraceFrom('2025-09-01'), trainings: [mandated('2026-03-02')] });
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(false);
  });

  it('given the course completed the day after G, then COMPLIANT and late', () => {
    const s = asOf('2026-03-03', { ...inGraceFrom('2025-09-01'), trainings: [mandated('2026-03-03')] });
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(true);
  });

  it('given S = 2025-08-31 with trainingUnavailable, then S is before the mandate: not grace but PRE_MANDATE_UNTRAINED', () => {
    const s = asOf('2025-09-10', inGraceFrom('2025-08-31'));
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'PRE_MANDATE_UNTRAINED',
      dueDate: '2025-09-01',
      restrictedDuties: [],
    });
  });

  it('given S = 2026-11-30, G lands on Memorial Day weekend and rolls to Tuesday 2027-06-01', () => {
    const facts = inGraceFrom('2026-11-30');
    expect(section3(asOf('2027-05-31', facts))).toMatchObject({
      status: 'IN_GRACE',
      dueDate: '2027-06-01',
      daysRemaining: 1,
    });
    expect(section3(asOf('2027-06-01', facts))).toMatchObject({
      status: 'IN_GRACE',
      dueDate: '2027-06-01',
      daysRemaining: 0,
    });
    expect(section3(asOf('2027-06-02', facts))).toMatchObject({
      status: 'OVERDUE',
      reason: 'GRACE_PERIOD_EXPIRED',
      daysRemaining: -1,
    });
  });

  it('given S = 2026-11-29 (G = Saturday 2027-05-29), then G is Tuesday 2027-06-01', () => {
    expect(asOf('2027-05-29', inGraceFrom('2026-11-29')).dueDate).toBe('2027-06-01');
  });

  it('given the assignment starting on S lacks trainingUnavailable but a later one has it, then no grace: due S', () => {
    const facts = officer({
      assignments: [
        regular('2025-09-15', { endDate: '2025-10-15' }),
        regular('2025-11-03', { districtId: OTHER_DISTRICT, trainingUnavailable: true }),
      ],
      policyReviews: [review('2025-09-01')],
    });
    const s = asOf('2025-11-03', facts);
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
      dueDate: '2025-09-15',
      restrictedDuties: [],
    });
  });

  it('given the (ended) assignment starting on S has trainingUnavailable, then grace runs from S', () => {
    const facts = officer({
      assignments: [
        regular('2025-09-15', { endDate: '2025-10-15', trainingUnavailable: true }),
        regular('2025-11-03', { districtId: OTHER_DISTRICT }),
      ],
      policyReviews: [review('2025-09-01')],
    });
    const s = asOf('2025-11-03', facts);
    expect(section3(s)).toMatchObject({ status: 'IN_GRACE', dueDate: '2026-03-16', restrictedDuties: RESTRICTED });
    expect(s.assumedDutiesOn).toBe('2025-09-15');
  });

  it('given two REGULAR assignments starting on S and one has trainingUnavailable, then grace applies', () => {
    const facts = officer({
      assignments: [
        regular('2025-10-01'),
        regular('2025-10-01', { districtId: OTHER_DISTRICT, trainingUnavailable: true }),
      ],
      policyReviews: [review('2025-10-01')],
    });
    expect(section3(asOf('2025-10-01', facts))).toMatchObject({ status: 'IN_GRACE', dueDate: '2026-04-01' });
  });

  it('given S from a REGULAR start without the flag, then an active SUBSTITUTE assignment’s trainingUnavailable gives no grace', () => {
    const facts = officer({
      assignments: [
        regular('2025-09-15', { endDate: '2025-09-30' }),
        substitute('2025-10-01', { districtId: OTHER_DISTRICT, trainingUnavailable: true }),
      ],
      contactDays: contactDaysFrom('2025-10-01', 60, OTHER_DISTRICT),
      policyReviews: [review('2025-09-01')],
    });
    expect(section3(asOf('2025-11-29', facts))).toMatchObject({
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
      dueDate: '2025-09-15',
    });
  });

  it('given S from the 60th day, then an ended REGULAR assignment’s trainingUnavailable gives no grace', () => {
    const facts = officer({
      assignments: [
        substitute('2025-08-25'),
        regular('2025-11-03', { endDate: '2025-11-28', districtId: OTHER_DISTRICT, trainingUnavailable: true }),
      ],
      contactDays: contactDaysFrom('2025-09-02', 60),
      policyReviews: [review('2025-08-25')],
    });
    expect(section3(asOf('2025-12-01', facts))).toMatchObject({
      status: 'OVERDUE',
      reason: 'SUBSTITUTE_LIMIT_REACHED',
      dueDate: '2025-10-31',
    });
  });

  it('given S from the 60th day, then only an active SUBSTITUTE assignment’s trainingUnavailable gives grace, not an ended one', () => {
    const facts = officer({
      assignments: [
        substitute('2025-08-25', { endDate: '2025-09-30', trainingUnavailable: true }),
        substitute('2025-10-01', { districtId: OTHER_DISTRICT }),
      ],
      contactDays: contactDaysFrom('2025-09-02', 60),
      policyReviews: [review('2025-08-25')],
    });
    expect(section3(asOf('2025-10-31', facts))).toMatchObject({
      status: 'DUE',
      dueDate: '2025-10-31',
      restrictedDuties: [],
    });
  });

  it('given a substitute whose active SUBSTITUTE assignment has trainingUnavailable, then grace runs from the 60th day', () => {
    // 60 consecutive contact days from 2025-09-02: the 60th is 2025-10-31; G = 2026-04-30.
    const facts = officer({
      assignments: [substitute('2025-08-25', { trainingUnavailable: true })],
      contactDays: contactDaysFrom('2025-09-02', 60),
      policyReviews: [review('2025-08-25')],
    });
    const s = asOf('2025-10-31', facts);
    expect(section3(s)).toMatchObject({
      status: 'IN_GRACE',
      dueDate: '2026-04-30',
      daysRemaining: 181,
      restrictedDuties: RESTRICTED,
    });
    expect(s.basis).toBe('GRACE_PERIOD_EXPIRED');
    expect(s.assumedDutiesOn).toBe('2025-10-31');
    expect(section3(asOf('2026-05-01', facts))).toMatchObject({
      status: 'OVERDUE',
      reason: 'GRACE_PERIOD_EXPIRED',
      dueDate: '2026-04-30',
    });
  });

  it('given that substitute’s grace expired, when the school year ends, then the deadline lapses: EXEMPT_SUBSTITUTE on 2026-07-01', () => {
    const facts = officer({
      assignments: [substitute('2025-08-25', { trainingUnavailable: true })],
      contactDays: contactDaysFrom('2025-09-02', 60),
      policyReviews: [review('2025-08-25')],
    });
    expect(asOf('2026-06-30', facts).status).toBe('OVERDUE');
    expect(section3(asOf('2026-07-01', facts))).toMatchObject({
      status: 'EXEMPT_SUBSTITUTE',
      dueDate: null,
      contactDays: 0,
    });
  });
});
