// Alert rules (RULES.md section 5), written from RULES.md, not from the implementation.
// Each case: given an officer's facts, the directory and what the ledger already holds →
// when scanned as of the end of a literal civil date → then what is sent, to whom, and what
// is recorded as superseded. The V.C officer of most cases starts 2025-10-01 with training
// unavailable: grace due date 2026-04-01, so day 0 of OVERDUE is 2026-04-02.
// This file: SUBSTITUTE_NEARING_LIMIT (V.D), and CERTIFICATE_MISSING (V.E) and POLICY_REVIEW_MISSING to the chief only.
import { describe, expect, it } from 'vitest';
import { CHIEF, emails, graceOfficer, record, rows, scan } from '../helpers/alert-fixtures.ts';
import { AGENCY as AGENCY_ID, contactDaysFrom, d, officer, regular, substitute, training } from '../helpers/facts.ts';
import { STANDARD, thresholdsOf } from '../helpers/alert-ladder.ts';

describe('SUBSTITUTE_NEARING_LIMIT per school year', () => {
  // V.D substitute at ISD241 since 2025-08-20, policy reviewed 2025-08-15; contact days from 2025-09-02.
  const sub = (served: number, more: ReturnType<typeof contactDaysFrom> = []) =>
    officer({
      assignments: [substitute('2025-08-20')],
      policyReviews: [{ agencyId: AGENCY_ID, reviewedOn: d('2025-08-15') }],
      contactDays: [...contactDaysFrom('2025-09-02', served), ...more],
    });
  const threshold = (t: number, schoolYear = '2025-2026') => ({
    kind: 'SUBSTITUTE_NEARING_LIMIT' as const,
    schoolYear,
    threshold: t,
  });

  it('given 44 served days, when D = 2025-12-15, then EXEMPT_SUBSTITUTE and nothing is sent', () => {
    const { status, plan } = scan(sub(44), '2025-12-15');
    expect(status.status).toBe('EXEMPT_SUBSTITUTE');
    expect(status.contactDays).toBe(44);
    expect(plan.send).toEqual([]);
    expect(plan.supersede).toEqual([]);
  });

  it('given 45 served days, then threshold 45 for school year 2025-2026 goes to the chief and PRIMARY contacts', () => {
    const { plan } = scan(sub(45), '2025-12-15');
    expect(plan.send).toHaveLength(1);
    expect(plan.send[0]).toMatchObject({
      kind: 'SUBSTITUTE_NEARING_LIMIT',
      threshold: 45,
      schoolYear: '2025-2026',
      dueDate: null,
      lead: null,
      level: null,
    });
    expect(plan.send.map(emails)).toEqual([STANDARD]);
    expect(plan.supersede).toEqual([]);
  });

  it('given 52 served days and threshold 45 SENT, then threshold 50 is sent and nothing superseded', () => {
    const { plan } = scan(sub(52), '2025-12-15', { ledger: rows(threshold(45), STANDARD) });
    expect(thresholdsOf(plan.send)).toEqual([50]);
    expect(plan.supersede).toEqual([]);
  });

  it('given 52 served days and nothing sent, then threshold 50 is sent and 45 superseded', () => {
    const { plan } = scan(sub(52), '2025-12-15');
    expect(thresholdsOf(plan.send)).toEqual([50]);
    expect(thresholdsOf(plan.supersede)).toEqual([45]);
  });

  it('given 56 served days and 45, 50 SENT, then threshold 55 is sent; with 55 SENT, nothing', () => {
    const sent = [...rows(threshold(45), STANDARD), ...rows(threshold(50), STANDARD)];
    expect(thresholdsOf(scan(sub(56), '2025-12-15', { ledger: sent }).plan.send)).toEqual([55]);
    const all = [...sent, ...rows(threshold(55), STANDARD)];
    expect(scan(sub(56), '2025-12-15', { ledger: all }).plan.send).toEqual([]);
  });

  it('given 52 served days and threshold 55 SENT (higher), then nothing is sent', () => {
    expect(scan(sub(52), '2025-12-15', { ledger: rows(threshold(55), STANDARD) }).plan.send).toEqual([]);
  });

  it('given future (scheduled) contact days, then only served days count toward a threshold', () => {
    // 44 served by 2025-10-15 (2025-09-02 … 2025-10-15), 10 more scheduled after D.
    const { status, plan } = scan(sub(54), '2025-10-15');
    expect(status.contactDays).toBe(44);
    expect(plan.send).toEqual([]);
  });

  it('given 45, 50 SENT in school year 2025-2026, when 45 days are served in 2026-2027 (D = 2026-11-01), then threshold 45 of 2026-2027 is sent', () => {
    const facts = sub(52, contactDaysFrom('2026-09-01', 45));
    const ledger = [...rows(threshold(45), STANDARD), ...rows(threshold(50), STANDARD)];
    const { status, plan } = scan(facts, '2026-11-01', { ledger });
    expect(status.status).toBe('EXEMPT_SUBSTITUTE');
    expect(status.contactDays).toBe(45);
    expect(plan.send.map((a) => [a.kind, a.schoolYear, a.threshold])).toEqual([
      ['SUBSTITUTE_NEARING_LIMIT', '2026-2027', 45],
    ]);
  });
});

describe('CERTIFICATE_MISSING and POLICY_REVIEW_MISSING go to the chief only', () => {
  // V.E: trained before the 2025-10-01 start, certificate not on file.
  const uncertified = (...more: ReturnType<typeof training>[]) =>
    officer({
      assignments: [regular('2025-10-01')],
      trainings: [training('SRO_MANDATED', '2025-09-20', false), ...more],
    });

  it('given a COMPLIANT officer whose most recent course has no certificate on file, then CERTIFICATE_MISSING to the chief only', () => {
    const { status, plan } = scan(uncertified(), '2025-10-15');
    expect(status.status).toBe('COMPLIANT');
    expect(plan.send.map((a) => a.kind)).toEqual(['CERTIFICATE_MISSING']);
    expect(plan.send.map(emails)).toEqual([[CHIEF]]);
    expect(plan.send[0]?.recipients[0]?.role).toBe('CHIEF');
  });

  it('the CERTIFICATE_MISSING key names the training record (its completedOn)', () => {
    const key = scan(uncertified(), '2025-10-15').plan.send[0]?.key;
    expect(key).toContain('2025-09-20');
  });

  it('given the same CERTIFICATE_MISSING already in the ledger, then it is not sent again', () => {
    const first = scan(uncertified(), '2025-10-15');
    const again = scan(uncertified(), '2025-10-16', { ledger: record(first.plan.send, 'SENT') });
    expect(again.plan.send).toEqual([]);
  });

  it('given a newer course without certificate (2026-09-10), then a new CERTIFICATE_MISSING with a new key', () => {
    const first = scan(uncertified(), '2025-10-15');
    const facts = uncertified(training('SRO_MANDATED', '2026-09-10', false));
    const later = scan(facts, '2026-09-15', { ledger: record(first.plan.send, 'SENT') });
    expect(later.plan.send.map((a) => a.kind)).toEqual(['CERTIFICATE_MISSING']);
    expect(later.plan.send[0]?.key).not.toBe(first.plan.send[0]?.key);
    expect(later.plan.send[0]?.key).toContain('2026-09-10');
  });

  it('given an IN_GRACE officer with no policy review, then POLICY_REVIEW_MISSING to the chief only, for the deadline 2026-04-01', () => {
    const { status, plan } = scan(graceOfficer({ policyReviews: [] }), '2025-11-01');
    expect(status.issues).toContain('POLICY_REVIEW_MISSING');
    expect(plan.send.map((a) => a.kind)).toEqual(['POLICY_REVIEW_MISSING']);
    expect(plan.send[0]?.dueDate).toBe('2026-04-01');
    expect(plan.send.map(emails)).toEqual([[CHIEF]]);
  });

  it('given that POLICY_REVIEW_MISSING in the ledger, then it is not sent again', () => {
    const facts = graceOfficer({ policyReviews: [] });
    const first = scan(facts, '2025-11-01');
    expect(scan(facts, '2025-11-02', { ledger: record(first.plan.send, 'SENT') }).plan.send).toEqual([]);
  });

  it('given an EXEMPT_SUBSTITUTE with served days and no review, then POLICY_REVIEW_MISSING for the school year, to the chief only', () => {
    const facts = officer({ assignments: [substitute('2025-08-20')], contactDays: contactDaysFrom('2025-09-02', 10) });
    const { plan } = scan(facts, '2025-10-01');
    expect(plan.send.map((a) => [a.kind, a.schoolYear])).toEqual([['POLICY_REVIEW_MISSING', '2025-2026']]);
    expect(plan.send.map(emails)).toEqual([[CHIEF]]);
    const again = scan(facts, '2025-10-02', { ledger: record(plan.send, 'SENT') });
    expect(again.plan.send).toEqual([]);
  });
});
