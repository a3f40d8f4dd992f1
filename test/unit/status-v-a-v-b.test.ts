// The status of one officer as of D (RULES.md sections 2–4), written from RULES.md and
// policy 507.5 V.A–V.E, not from the implementation. Each case: given the facts → when
// evaluated as of a literal date → then the section-3 fields. D is "the end of day D".
// This file: V.A (train before assuming duties), RULES 2.4 (before the mandate), V.B (legacy course).
import { describe, expect, it } from 'vitest';
import { LEGACY_DUE_DATE, MANDATE_START } from '../../src/domain/status.ts';
import { OTHER_DISTRICT, legacyNasro, legacySsc, mandated, officer, regular, supplemental } from '../helpers/facts.ts';
import { asOf, section3 } from '../helpers/status-as-of.ts';

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
