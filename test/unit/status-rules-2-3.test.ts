// The status of one officer as of D (RULES.md sections 2–4), written from RULES.md and
// policy 507.5 V.A–V.E, not from the implementation. Each case: given the facts → when
// evaluated as of a literal date → then the section-3 fields. D is "the end of day D".
// This file: RULES 2.0 (inactive), RULES 2 (one rule for every deadline), RULES 3 (report fields).
import { describe, expect, it } from 'vitest';
import { type CivilDate, addDays, daysBetween } from '../../src/domain/civil-date.ts';
import { evaluateOfficer } from '../../src/domain/status.ts';
import type { OfficerFacts } from '../../src/domain/types.ts';
import {
  DEFAULT_RULES,
  OTHER_DISTRICT,
  contactDaysFrom,
  d,
  legacyNasro,
  legacySsc,
  mandated,
  officer,
  regular,
  review,
  substitute,
} from '../helpers/facts.ts';
import { asOf, section3, RESTRICTED } from '../helpers/status-as-of.ts';

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
