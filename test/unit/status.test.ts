// The status of one officer as of D (RULES.md sections 2–4), written from RULES.md and
// policy 507.5 V.A–V.E, not from the implementation. Each case: given the facts → when
// evaluated as of a literal date → then the section-3 fields. D is "the end of day D".
import { describe, expect, it } from 'vitest';
import { type CivilDate, addDays, daysBetween } from '../../src/domain/civil-date.ts';
import { LEGACY_DUE_DATE, MANDATE_START, evaluateOfficer, graceDueDate } from '../../src/domain/status.ts';
import type { OfficerFacts, OfficerStatus, RulesConfig } from '../../src/domain/types.ts';
import {
  DEFAULT_RULES,
  OTHER_AGENCY,
  OTHER_DISTRICT,
  contactDay,
  contactDaysFrom,
  d,
  legacyNasro,
  legacySsc,
  mandated,
  officer,
  regular,
  review,
  substitute,
  supplemental,
} from '../helpers/facts.ts';

function asOf(day: string, facts: OfficerFacts, config: RulesConfig = DEFAULT_RULES): OfficerStatus {
  return evaluateOfficer(facts, d(day), config);
}

/** The RULES.md section-3 fields that evaluateOfficer decides (name and agencyId come from the roster). */
function section3(s: OfficerStatus) {
  return {
    status: s.status,
    reason: s.reason,
    dueDate: s.dueDate,
    daysRemaining: s.daysRemaining,
    contactDays: s.contactDays,
    projected60thDay: s.projected60thDay,
    restrictedDuties: [...s.restrictedDuties],
    issues: [...s.issues],
    completedLate: s.completedLate,
  };
}

const RESTRICTED = [4, 5];

describe('RULES.md constants', () => {
  it('the mandate starts 2025-09-01 and the V.B deadline is 2027-05-31 ("before June 1, 2027")', () => {
    expect(MANDATE_START).toBe('2025-09-01');
    expect(LEGACY_DUE_DATE).toBe('2027-05-31');
  });
});

describe('V.A new SRO must train before assuming duties', () => {
  it('given a course completed before the REGULAR start, then COMPLIANT with no deadline', () => {
    const facts = officer({ assignments: [regular('2025-10-01')], trainings: [mandated('2025-09-20')] });
    expect(section3(asOf('2025-10-15', facts))).toEqual({
      status: 'COMPLIANT',
      reason: null,
      dueDate: null,
      daysRemaining: null,
      contactDays: 0,
      projected60thDay: null,
      restrictedDuties: [],
      issues: [],
      completedLate: false,
    });
  });

  it('given a course completed on S itself, then it counts as prior to assuming duties (Decision)', () => {
    const facts = officer({ assignments: [regular('2025-10-01')], trainings: [mandated('2025-10-01')] });
    const s = asOf('2025-10-01', facts);
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(false);
  });

  it('given no course, when D = S, then DUE on S with daysRemaining 0 and basis NO_TRAINING_BEFORE_DUTIES', () => {
    const s = asOf('2025-10-01', officer({ assignments: [regular('2025-10-01')] }));
    expect(section3(s)).toMatchObject({
      status: 'DUE',
      reason: null,
      dueDate: '2025-10-01',
      daysRemaining: 0,
      restrictedDuties: [],
    });
    expect(s.basis).toBe('NO_TRAINING_BEFORE_DUTIES');
    expect(s.assumedDutiesOn).toBe('2025-10-01');
  });

  it('given no course, when D = S + 1, then OVERDUE with reason NO_TRAINING_BEFORE_DUTIES and daysRemaining −1', () => {
    const s = asOf('2025-10-02', officer({ assignments: [regular('2025-10-01')] }));
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
      dueDate: '2025-10-01',
      daysRemaining: -1,
      restrictedDuties: [],
    });
  });

  it('given no course, when D = 2026-01-15, then OVERDUE by 106 days', () => {
    const s = asOf('2026-01-15', officer({ assignments: [regular('2025-10-01')] }));
    expect(s.status).toBe('OVERDUE');
    expect(s.daysRemaining).toBe(-106);
  });

  it('given a course completed 2025-10-10, when D = 2025-10-09, then the future training is ignored: OVERDUE', () => {
    const facts = officer({ assignments: [regular('2025-10-01')], trainings: [mandated('2025-10-10')] });
    const s = asOf('2025-10-09', facts);
    expect(s.status).toBe('OVERDUE');
    expect(s.reason).toBe('NO_TRAINING_BEFORE_DUTIES');
  });

  it('given a course completed after the due date, when D = that day, then COMPLIANT with completedLate true', () => {
    const facts = officer({ assignments: [regular('2025-10-01')], trainings: [mandated('2025-10-10')] });
    const s = asOf('2025-10-10', facts);
    expect(section3(s)).toMatchObject({
      status: 'COMPLIANT',
      reason: null,
      dueDate: null,
      daysRemaining: null,
      completedLate: true,
    });
  });

  it('given a course on time and a later refresher, then not late (the on-time completion decides)', () => {
    const facts = officer({
      assignments: [regular('2025-10-01')],
      trainings: [mandated('2025-09-20'), mandated('2026-09-14')],
    });
    const s = asOf('2026-10-01', facts);
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(false);
  });

  it('S is the earliest REGULAR start, ended assignments included', () => {
    const facts = officer({
      assignments: [
        regular('2025-09-15', { endDate: '2025-10-15' }),
        regular('2025-11-03', { districtId: OTHER_DISTRICT }),
      ],
    });
    const s = asOf('2025-11-03', facts);
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
      dueDate: '2025-09-15',
      daysRemaining: -49,
    });
    expect(s.assumedDutiesOn).toBe('2025-09-15');
  });

  it('given a course completed between the first (ended) and the second assignment, then COMPLIANT but late', () => {
    const facts = officer({
      assignments: [
        regular('2025-09-15', { endDate: '2025-10-15' }),
        regular('2025-11-03', { districtId: OTHER_DISTRICT }),
      ],
      trainings: [mandated('2025-10-20')],
    });
    const s = asOf('2025-11-03', facts);
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(true);
  });

  it('given only a legacy basic course completed after 2025-09-01, then it satisfies nothing', () => {
    const facts = officer({ assignments: [regular('2025-10-01')], trainings: [legacyNasro('2025-09-20')] });
    const s = asOf('2025-10-01', facts);
    expect(s.status).toBe('DUE');
    expect(s.basis).toBe('NO_TRAINING_BEFORE_DUTIES');
    expect(s.dueDate).toBe('2025-10-01');
  });
});

describe('RULES 2.4 S before 2025-09-01: PRE_MANDATE_UNTRAINED (Decision)', () => {
  const facts = officer({ assignments: [regular('2025-08-31')] });

  it('given S = 2025-08-31 and no course, when D = S, then DUE by 2025-09-01 (1 day left)', () => {
    const s = asOf('2025-08-31', facts);
    expect(section3(s)).toMatchObject({ status: 'DUE', reason: null, dueDate: '2025-09-01', daysRemaining: 1 });
    expect(s.basis).toBe('PRE_MANDATE_UNTRAINED');
    expect(s.assumedDutiesOn).toBe('2025-08-31');
  });

  it('when D = 2025-09-01, then still DUE with daysRemaining 0', () => {
    expect(section3(asOf('2025-09-01', facts))).toMatchObject({
      status: 'DUE',
      dueDate: '2025-09-01',
      daysRemaining: 0,
    });
  });

  it('when D = 2025-09-02, then OVERDUE with reason PRE_MANDATE_UNTRAINED', () => {
    expect(section3(asOf('2025-09-02', facts))).toMatchObject({
      status: 'OVERDUE',
      reason: 'PRE_MANDATE_UNTRAINED',
      dueDate: '2025-09-01',
      daysRemaining: -1,
    });
  });

  it('given a long-serving SRO since 2019-08-26, when D = 2026-01-15, then OVERDUE by 136 days', () => {
    const s = asOf('2026-01-15', officer({ assignments: [regular('2019-08-26')] }));
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'PRE_MANDATE_UNTRAINED',
      dueDate: '2025-09-01',
      daysRemaining: -136,
    });
    expect(s.assumedDutiesOn).toBe('2019-08-26');
  });

  it('given trainingUnavailable on an assignment starting 2025-08-31, then no grace: PRE_MANDATE_UNTRAINED, due 2025-09-01', () => {
    const s = asOf('2025-08-31', officer({ assignments: [regular('2025-08-31', { trainingUnavailable: true })] }));
    expect(section3(s)).toMatchObject({ status: 'DUE', dueDate: '2025-09-01', daysRemaining: 1, restrictedDuties: [] });
    expect(s.basis).toBe('PRE_MANDATE_UNTRAINED');
  });

  it('given the course completed on 2025-09-01, then COMPLIANT and not late', () => {
    const s = asOf(
      '2025-09-01',
      officer({ assignments: [regular('2025-08-31')], trainings: [mandated('2025-09-01')] }),
    );
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(false);
  });

  it('given the course completed on 2025-09-02, then COMPLIANT and late', () => {
    const s = asOf(
      '2025-09-02',
      officer({ assignments: [regular('2025-08-31')], trainings: [mandated('2025-09-02')] }),
    );
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(true);
  });
});

describe('V.B legacy basic course deadline', () => {
  const since2019 = regular('2019-08-26');

  it('given a legacy SSC course on 2025-08-31 (before 2025-09-01), then DUE by 2027-05-31', () => {
    const s = asOf('2026-01-15', officer({ assignments: [since2019], trainings: [legacySsc('2025-08-31')] }));
    expect(section3(s)).toMatchObject({
      status: 'DUE',
      reason: null,
      dueDate: '2027-05-31',
      daysRemaining: 501,
      restrictedDuties: [],
    });
    expect(s.basis).toBe('LEGACY_DEADLINE_MISSED');
  });

  it('given a legacy NASRO course on 2025-09-01, then not legacy: the officer falls under rule 4 (PRE_MANDATE_UNTRAINED)', () => {
    const s = asOf('2026-01-15', officer({ assignments: [since2019], trainings: [legacyNasro('2025-09-01')] }));
    expect(section3(s)).toMatchObject({ status: 'OVERDUE', reason: 'PRE_MANDATE_UNTRAINED', dueDate: '2025-09-01' });
  });

  it('given a legacy NASRO course on 2025-08-31, then legacy like SSC', () => {
    const s = asOf('2026-01-15', officer({ assignments: [since2019], trainings: [legacyNasro('2025-08-31')] }));
    expect(s.status).toBe('DUE');
    expect(s.dueDate).toBe('2027-05-31');
  });

  it('when D = 2027-05-31 (Memorial Day), then still DUE with daysRemaining 0', () => {
    const s = asOf('2027-05-31', officer({ assignments: [since2019], trainings: [legacySsc('2024-05-01')] }));
    expect(section3(s)).toMatchObject({ status: 'DUE', reason: null, dueDate: '2027-05-31', daysRemaining: 0 });
  });

  it('when D = 2027-06-01, then OVERDUE with reason LEGACY_DEADLINE_MISSED and daysRemaining −1', () => {
    const s = asOf('2027-06-01', officer({ assignments: [since2019], trainings: [legacySsc('2024-05-01')] }));
    expect(section3(s)).toMatchObject({
      status: 'OVERDUE',
      reason: 'LEGACY_DEADLINE_MISSED',
      dueDate: '2027-05-31',
      daysRemaining: -1,
      restrictedDuties: [],
    });
  });

  it('given a legacy officer who completes SRO_SUPPLEMENTAL, then COMPLIANT (subd. 4(b))', () => {
    const facts = officer({
      assignments: [since2019],
      trainings: [legacySsc('2024-05-01'), supplemental('2026-03-01')],
    });
    const s = asOf('2026-03-01', facts);
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(false);
  });

  it('given a legacy officer who completes SRO_MANDATED, then COMPLIANT', () => {
    const facts = officer({ assignments: [since2019], trainings: [legacyNasro('2023-06-12'), mandated('2026-10-05')] });
    expect(asOf('2026-10-05', facts).status).toBe('COMPLIANT');
  });

  it('given SRO_SUPPLEMENTAL on the deadline day 2027-05-31, then on time', () => {
    const facts = officer({
      assignments: [since2019],
      trainings: [legacySsc('2024-05-01'), supplemental('2027-05-31')],
    });
    const s = asOf('2027-05-31', facts);
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(false);
  });

  it('given SRO_SUPPLEMENTAL on 2027-06-15, then OVERDUE the day before and COMPLIANT (late) from that day', () => {
    const facts = officer({
      assignments: [since2019],
      trainings: [legacySsc('2024-05-01'), supplemental('2027-06-15')],
    });
    expect(asOf('2027-06-14', facts).status).toBe('OVERDUE');
    const s = asOf('2027-06-15', facts);
    expect(s.status).toBe('COMPLIANT');
    expect(s.completedLate).toBe(true);
  });

  it('given a non-legacy officer with only SRO_SUPPLEMENTAL, then the supplemental course does not count', () => {
    const facts = officer({ assignments: [regular('2025-10-01')], trainings: [supplemental('2025-09-20')] });
    expect(section3(asOf('2025-10-01', facts))).toMatchObject({ status: 'DUE', dueDate: '2025-10-01' });
    expect(section3(asOf('2025-10-15', facts))).toMatchObject({
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
    });
  });

  it('given a legacy course dated before 2025-09-01 but after D, then not legacy as of D', () => {
    // Given S = 2025-08-01 and an SSC course on 2025-08-31; as of 2025-08-30 that course has not happened.
    const facts = officer({ assignments: [regular('2025-08-01')], trainings: [legacySsc('2025-08-31')] });
    const s = asOf('2025-08-30', facts);
    expect(section3(s)).toMatchObject({ status: 'DUE', dueDate: '2025-09-01', daysRemaining: 2 });
    expect(s.basis).toBe('PRE_MANDATE_UNTRAINED');
    expect(asOf('2025-08-31', facts).dueDate).toBe('2027-05-31');
  });

  it('given a legacy officer who first assumes SRO duties after 2025-09-01, then rule 3 decides before rule 4: due 2027-05-31', () => {
    const facts = officer({ assignments: [regular('2025-10-01')], trainings: [legacyNasro('2024-05-01')] });
    const s = asOf('2025-10-15', facts);
    expect(section3(s)).toMatchObject({ status: 'DUE', dueDate: '2027-05-31', daysRemaining: 593 });
  });
});

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

describe('V.E certificate on file', () => {
  const assignments = [regular('2025-10-01')];

  it('given the only qualifying course without a certificate on file, then COMPLIANT with CERTIFICATE_MISSING', () => {
    const s = asOf('2025-10-15', officer({ assignments, trainings: [mandated('2025-09-20', false)] }));
    expect(s.status).toBe('COMPLIANT');
    expect(s.issues).toEqual(['CERTIFICATE_MISSING']);
  });

  it('given the certificate on file, then no issue', () => {
    expect(asOf('2025-10-15', officer({ assignments, trainings: [mandated('2025-09-20', true)] })).issues).toEqual([]);
  });

  it('given an older course without and a newer one with the certificate, then no issue', () => {
    const facts = officer({ assignments, trainings: [mandated('2025-09-20', false), mandated('2026-09-20', true)] });
    expect(asOf('2026-10-01', facts).issues).toEqual([]);
  });

  it('given the newer course is after D, then the older course (no certificate) is the most recent as of D', () => {
    const facts = officer({ assignments, trainings: [mandated('2025-09-20', false), mandated('2026-09-20', true)] });
    expect(asOf('2026-09-19', facts).issues).toEqual(['CERTIFICATE_MISSING']);
  });

  it('given an older course with and a newer one without the certificate, then CERTIFICATE_MISSING', () => {
    const facts = officer({ assignments, trainings: [mandated('2025-09-20', true), mandated('2026-09-20', false)] });
    const s = asOf('2026-10-01', facts);
    expect(s.issues).toEqual(['CERTIFICATE_MISSING']);
    expect(s.qualifyingTraining).toEqual(mandated('2026-09-20', false));
  });

  it('given a legacy officer whose supplemental course has no certificate on file, then CERTIFICATE_MISSING', () => {
    const facts = officer({
      assignments: [regular('2019-08-26')],
      trainings: [legacySsc('2024-05-01', true), supplemental('2026-03-01', false)],
    });
    const s = asOf('2026-03-10', facts);
    expect(s.status).toBe('COMPLIANT');
    expect(s.issues).toEqual(['CERTIFICATE_MISSING']);
  });

  it('given a legacy officer whose legacy basic course lacks a certificate, then that course is not qualifying: no issue', () => {
    const facts = officer({
      assignments: [regular('2019-08-26')],
      trainings: [legacySsc('2024-05-01', false), supplemental('2026-03-01', true)],
    });
    expect(asOf('2026-03-10', facts).issues).toEqual([]);
  });

  it('given a non-legacy officer, then a newer SRO_SUPPLEMENTAL course (not qualifying) does not decide the certificate', () => {
    const facts = officer({
      assignments,
      trainings: [mandated('2025-09-20', true), supplemental('2026-01-10', false)],
    });
    expect(asOf('2026-02-01', facts).issues).toEqual([]);
  });

  it('given an officer who is not COMPLIANT, then no CERTIFICATE_MISSING', () => {
    const facts = officer({ assignments, trainings: [supplemental('2025-09-20', false)] });
    const s = asOf('2025-10-15', facts);
    expect(s.status).toBe('OVERDUE');
    expect(s.issues).toEqual([]);
  });

  it('given an inactive officer with an uncertified course, then no CERTIFICATE_MISSING', () => {
    const facts = officer({
      assignments: [regular('2025-10-01', { endDate: '2025-12-19' })],
      trainings: [mandated('2025-09-20', false)],
    });
    expect(asOf('2026-01-05', facts).issues).toEqual([]);
  });
});

describe('RULES 2.0 inactive', () => {
  const INACTIVE = {
    status: 'INACTIVE',
    reason: null,
    dueDate: null,
    daysRemaining: null,
    restrictedDuties: [],
    issues: [],
    completedLate: false,
  };

  it('given no assignment at all, then INACTIVE', () => {
    expect(section3(asOf('2026-01-15', officer()))).toMatchObject(INACTIVE);
  });

  it('given an assignment that starts after D, then INACTIVE', () => {
    expect(section3(asOf('2025-09-30', officer({ assignments: [regular('2025-10-01')] })))).toMatchObject(INACTIVE);
  });

  it('endDate is inclusive: OVERDUE on the end date, INACTIVE the day after', () => {
    const facts = officer({ assignments: [regular('2025-09-02', { endDate: '2026-06-05' })] });
    expect(asOf('2026-06-05', facts).status).toBe('OVERDUE');
    expect(section3(asOf('2026-06-06', facts))).toMatchObject(INACTIVE);
  });

  it('rule 0 decides before rule 1: a trained officer with no active assignment is INACTIVE', () => {
    const facts = officer({
      assignments: [regular('2025-10-01', { endDate: '2025-12-19' })],
      trainings: [mandated('2025-09-20')],
    });
    expect(asOf('2026-01-05', facts).status).toBe('INACTIVE');
  });

  it('given a substitute whose assignment ended, then INACTIVE even with contact days', () => {
    const facts = officer({
      assignments: [substitute('2025-08-25', { endDate: '2025-12-19' })],
      contactDays: contactDaysFrom('2025-09-02', 30),
    });
    expect(section3(asOf('2026-01-05', facts))).toMatchObject(INACTIVE);
  });

  it('given one ended and one later assignment, then INACTIVE in the gap and active again from the later start', () => {
    const facts = officer({
      assignments: [
        regular('2025-09-02', { endDate: '2025-10-31' }),
        regular('2025-11-03', { districtId: OTHER_DISTRICT }),
      ],
      trainings: [mandated('2025-08-20')],
    });
    expect(asOf('2025-11-01', facts).status).toBe('INACTIVE');
    expect(asOf('2025-11-03', facts).status).toBe('COMPLIANT');
  });
});

describe('policy review (V.C, V.D)', () => {
  describe('IN_GRACE: a review of the current agency’s policy on or before S', () => {
    const grace = (policyReviews: OfficerFacts['policyReviews']) =>
      officer({ assignments: [regular('2025-10-01', { trainingUnavailable: true })], policyReviews });

    it('given no review, then POLICY_REVIEW_MISSING', () => {
      const s = asOf('2025-10-15', grace([]));
      expect(s.status).toBe('IN_GRACE');
      expect(s.issues).toEqual(['POLICY_REVIEW_MISSING']);
    });

    it('given a review on S, then no issue', () => {
      expect(asOf('2025-10-15', grace([review('2025-10-01')])).issues).toEqual([]);
    });

    it('given a review in an earlier year, then no issue', () => {
      expect(asOf('2025-10-15', grace([review('2024-03-01')])).issues).toEqual([]);
    });

    it('given a review only after S, then POLICY_REVIEW_MISSING', () => {
      expect(asOf('2025-10-15', grace([review('2025-10-02')])).issues).toEqual(['POLICY_REVIEW_MISSING']);
    });

    it('given a review of another agency’s policy only, then POLICY_REVIEW_MISSING', () => {
      expect(asOf('2025-10-15', grace([review('2025-09-01', OTHER_AGENCY)])).issues).toEqual(['POLICY_REVIEW_MISSING']);
    });

    it('given a substitute IN_GRACE, then S is the 60th day: a review after the first served day but before S counts', () => {
      const facts = officer({
        assignments: [substitute('2025-08-25', { trainingUnavailable: true })],
        contactDays: contactDaysFrom('2025-09-02', 60),
        policyReviews: [review('2025-10-15')],
      });
      const s = asOf('2025-11-03', facts);
      expect(s.status).toBe('IN_GRACE');
      expect(s.issues).toEqual([]);
    });
  });

  describe('EXEMPT_SUBSTITUTE: a review on or before the first served day of the school year', () => {
    const sub = (policyReviews: OfficerFacts['policyReviews'], contactDays = contactDaysFrom('2025-09-02', 30)) =>
      officer({ assignments: [substitute('2025-08-25')], contactDays, policyReviews });

    it('given served days and no review, then POLICY_REVIEW_MISSING', () => {
      const s = asOf('2025-09-20', sub([]));
      expect(s.status).toBe('EXEMPT_SUBSTITUTE');
      expect(s.issues).toEqual(['POLICY_REVIEW_MISSING']);
    });

    it('given a review on the first served day, then no issue', () => {
      expect(asOf('2025-09-20', sub([review('2025-09-02')])).issues).toEqual([]);
    });

    it('given a review only after the first served day, then POLICY_REVIEW_MISSING', () => {
      expect(asOf('2025-09-20', sub([review('2025-09-03')])).issues).toEqual(['POLICY_REVIEW_MISSING']);
    });

    it('given a review from an earlier year, then no issue', () => {
      expect(asOf('2025-09-20', sub([review('2023-01-10')])).issues).toEqual([]);
    });

    it('given no served day yet (only scheduled days), then no issue even without a review', () => {
      const s = asOf('2025-09-01', sub([]));
      expect(s.status).toBe('EXEMPT_SUBSTITUTE');
      expect(s.contactDays).toBe(0);
      expect(s.issues).toEqual([]);
    });

    it('given a review of another agency’s policy only, then POLICY_REVIEW_MISSING', () => {
      expect(asOf('2025-09-20', sub([review('2025-08-25', OTHER_AGENCY)])).issues).toEqual(['POLICY_REVIEW_MISSING']);
    });

    it('given a new school year, then the first served day of that year decides and last year’s review counts', () => {
      const facts = sub(
        [review('2025-08-25')],
        [...contactDaysFrom('2025-09-02', 30), ...contactDaysFrom('2026-08-24', 10)],
      );
      const s = asOf('2026-09-01', facts);
      expect(s.status).toBe('EXEMPT_SUBSTITUTE');
      expect(s.firstServedDay).toBe('2026-08-24');
      expect(s.issues).toEqual([]);
    });

    it('given a review between last year’s and this year’s first served day, then it counts this year', () => {
      const facts = sub(
        [review('2026-08-01')],
        [...contactDaysFrom('2025-09-02', 30), ...contactDaysFrom('2026-08-24', 10)],
      );
      expect(asOf('2025-09-20', facts).issues).toEqual(['POLICY_REVIEW_MISSING']);
      expect(asOf('2026-09-01', facts).issues).toEqual([]);
    });
  });

  it('given an officer who is DUE or OVERDUE without any review, then no POLICY_REVIEW_MISSING (only IN_GRACE and EXEMPT_SUBSTITUTE)', () => {
    const facts = officer({ assignments: [regular('2025-10-01')] });
    expect(asOf('2025-10-01', facts).issues).toEqual([]);
    expect(asOf('2025-12-01', facts).issues).toEqual([]);
  });

  it('given a COMPLIANT officer without any review, then no POLICY_REVIEW_MISSING', () => {
    expect(
      asOf('2025-10-15', officer({ assignments: [regular('2025-10-01')], trainings: [mandated('2025-09-20')] })).issues,
    ).toEqual([]);
  });
});

describe('RULES 2 one rule for every deadline, day by day', () => {
  // Officers spanning every rule; each is evaluated every day from 2025-08-01 to 2027-07-15.
  const cases: Record<string, OfficerFacts> = {
    'new SRO untrained': officer({ assignments: [regular('2025-10-01')] }),
    'new SRO trained late': officer({ assignments: [regular('2025-10-01')], trainings: [mandated('2025-12-03')] }),
    'pre-mandate untrained': officer({ assignments: [regular('2019-08-26', { endDate: '2027-06-30' })] }),
    legacy: officer({ assignments: [regular('2019-08-26')], trainings: [legacySsc('2024-05-01')] }),
    'grace without review': officer({ assignments: [regular('2025-09-01', { trainingUnavailable: true })] }),
    'grace over Memorial Day': officer({
      assignments: [regular('2026-11-30', { trainingUnavailable: true })],
      policyReviews: [review('2026-11-30')],
    }),
    substitute: officer({
      assignments: [substitute('2025-08-25')],
      contactDays: [...contactDaysFrom('2025-09-02', 60), ...contactDaysFrom('2026-09-01', 70)],
    }),
    'substitute with grace': officer({
      assignments: [substitute('2025-08-25', { trainingUnavailable: true })],
      contactDays: [...contactDaysFrom('2025-09-02', 60), ...contactDaysFrom('2026-09-01', 70)],
      policyReviews: [review('2025-08-25')],
    }),
  };

  const days: CivilDate[] = [];
  for (let x = d('2025-08-01'); x <= '2027-07-15'; x = addDays(x, 1)) days.push(x);

  it.each(Object.keys(cases))('%s: the section-2 invariants hold on every day', (name) => {
    const facts = cases[name]!;
    for (const day of days) {
      const s = evaluateOfficer(facts, day, DEFAULT_RULES);
      const ctx = `${name} as of ${day}: ${JSON.stringify(section3(s))}`;
      const hasDeadline = s.status === 'DUE' || s.status === 'IN_GRACE' || s.status === 'OVERDUE';
      // dueDate only for DUE, IN_GRACE, OVERDUE; daysRemaining = dueDate − D.
      expect(s.dueDate !== null, ctx).toBe(hasDeadline);
      expect(s.daysRemaining, ctx).toBe(s.dueDate === null ? null : daysBetween(day, s.dueDate));
      // Negative exactly when OVERDUE; reason exactly when OVERDUE.
      if (s.daysRemaining !== null) expect(s.daysRemaining < 0, ctx).toBe(s.status === 'OVERDUE');
      expect(s.reason !== null, ctx).toBe(s.status === 'OVERDUE');
      // The basis is the reason the deadline carries once OVERDUE.
      expect(s.basis !== null, ctx).toBe(hasDeadline);
      if (s.status === 'OVERDUE') expect(s.reason, ctx).toBe(s.basis);
      // Restricted duties exactly for IN_GRACE and EXEMPT_SUBSTITUTE.
      const relief = s.status === 'IN_GRACE' || s.status === 'EXEMPT_SUBSTITUTE';
      expect([...s.restrictedDuties], ctx).toEqual(relief ? RESTRICTED : []);
      // Issues are sorted; completedLate only for COMPLIANT.
      expect([...s.issues], ctx).toEqual([...s.issues].sort());
      if (s.status !== 'COMPLIANT') expect(s.completedLate, ctx).toBe(false);
      expect(s.license).toBe(facts.license);
    }
  });
});

describe('RULES 3 report fields', () => {
  it('the report carries the officer’s license', () => {
    const facts = officer({ license: 'L-98765', assignments: [regular('2025-10-01')] });
    expect(asOf('2025-10-01', facts).license).toBe('L-98765');
  });

  it('an OVERDUE report has every section-3 field', () => {
    expect(section3(asOf('2026-01-15', officer({ assignments: [regular('2025-10-01')] })))).toEqual({
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
      dueDate: '2025-10-01',
      daysRemaining: -106,
      contactDays: 0,
      projected60thDay: null,
      restrictedDuties: [],
      issues: [],
      completedLate: false,
    });
  });

  it('a legacy DUE report has every section-3 field', () => {
    const facts = officer({ assignments: [regular('2019-08-26')], trainings: [legacyNasro('2025-08-31')] });
    expect(section3(asOf('2027-05-31', facts))).toEqual({
      status: 'DUE',
      reason: null,
      dueDate: '2027-05-31',
      daysRemaining: 0,
      contactDays: 0,
      projected60thDay: null,
      restrictedDuties: [],
      issues: [],
      completedLate: false,
    });
  });

  it('a COMPLIANT report names its qualifying training, the most recent one', () => {
    const facts = officer({
      assignments: [regular('2025-10-01')],
      trainings: [mandated('2025-09-20'), mandated('2026-09-14')],
    });
    expect(asOf('2026-10-01', facts).qualifyingTraining).toEqual(mandated('2026-09-14'));
  });

  it('the report names the school year that contains D', () => {
    const s = asOf('2026-06-30', officer({ assignments: [regular('2025-10-01')] }));
    expect(s.schoolYear).toEqual({ label: '2025-2026', start: '2025-07-01', end: '2026-06-30' });
  });

  it('evaluation is pure: the same facts and D give the same report, and the facts are not changed', () => {
    const facts = officer({
      assignments: [substitute('2025-08-25')],
      contactDays: [...contactDaysFrom('2025-09-02', 60)].reverse(),
      trainings: [mandated('2026-02-01'), legacySsc('2024-05-01')],
      policyReviews: [review('2025-08-25')],
    });
    const before = JSON.stringify(facts);
    const a = asOf('2025-10-30', facts);
    const b = asOf('2025-10-30', facts);
    expect(a).toEqual(b);
    expect(JSON.stringify(facts)).toBe(before);
  });

  it('the order of the facts does not matter', () => {
    const days = contactDaysFrom('2025-09-02', 60);
    const a = officer({ assignments: [substitute('2025-08-25')], contactDays: days });
    const b = officer({ assignments: [substitute('2025-08-25')], contactDays: [...days].reverse() });
    for (const day of ['2025-10-11', '2025-10-30', '2025-10-31', '2025-11-01']) {
      expect(section3(asOf(day, b))).toEqual(section3(asOf(day, a)));
    }
  });
});
