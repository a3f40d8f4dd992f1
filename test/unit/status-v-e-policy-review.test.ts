// The status of one officer as of D (RULES.md sections 2–4), written from RULES.md and
// policy 507.5 V.A–V.E, not from the implementation. Each case: given the facts → when
// evaluated as of a literal date → then the section-3 fields. D is "the end of day D".
// This file: V.E (certificate on file) and the policy review of V.C and V.D.
import { describe, expect, it } from 'vitest';
import type { OfficerFacts } from '../../src/domain/types.ts';
import {
  OTHER_AGENCY,
  contactDaysFrom,
  legacySsc,
  mandated,
  officer,
  regular,
  review,
  substitute,
  supplemental,
} from '../helpers/facts.ts';
import { asOf } from '../helpers/status-as-of.ts';

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
