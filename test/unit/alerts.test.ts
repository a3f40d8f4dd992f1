// Alert rules (RULES.md section 5), written from RULES.md, not from the implementation.
// Each case: given an officer's facts, the directory and what the ledger already holds →
// when scanned as of the end of a literal civil date → then what is sent, to whom, and what
// is recorded as superseded. The V.C officer of most cases starts 2025-10-01 with training
// unavailable: grace due date 2026-04-01, so day 0 of OVERDUE is 2026-04-02.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type LedgerFact,
  type PlannedAlert,
  NO_CONTACT_RECIPIENT,
  alertKey,
  isStillDue,
  ledgerKey,
} from '../../src/domain/alerts.ts';
import { type CivilDate, addDays } from '../../src/domain/civil-date.ts';
import { hasNoContactOnFile } from '../../src/domain/recipients.ts';
import { evaluateOfficer } from '../../src/domain/status.ts';
import {
  AGENCY_ESCALATION,
  ALERT_CONFIG,
  CHIEF,
  GRACE_DUE,
  OTHER_PRIMARY,
  OTHER_SUPERINTENDENT,
  PRIMARY,
  SUPERINTENDENT,
  agency,
  directory,
  district,
  emails,
  graceOfficer,
  ofKind,
  otherDistrict,
  record,
  rows,
  scan,
} from '../helpers/alert-fixtures.ts';
import {
  AGENCY as AGENCY_ID,
  DEFAULT_RULES as RULES,
  DISTRICT as DISTRICT_ID,
  LICENSE,
  OTHER_DISTRICT as OTHER_DISTRICT_ID,
  contactDaysFrom,
  d,
  officer,
  regular,
  substitute,
  training,
} from '../helpers/facts.ts';

const LEADS = [90, 60, 30, 14, 7, 1] as const;
const reminder = (lead: number) => ({ kind: 'DEADLINE_REMINDER' as const, dueDate: GRACE_DUE, lead });
const missed = (level: number) => ({ kind: 'DEADLINE_MISSED' as const, dueDate: GRACE_DUE, level });
const STANDARD = [CHIEF, PRIMARY].sort();
const ESCALATED = [CHIEF, PRIMARY, SUPERINTENDENT, AGENCY_ESCALATION].sort();

/** Ledger rows saying every lead larger than `lead` was SENT (so only `lead` is left to decide). */
const largerLeadsSent = (lead: number): LedgerFact[] =>
  LEADS.filter((l) => l > lead).flatMap((l) => rows(reminder(l), STANDARD));
const lowerLevelsSent = (level: number): LedgerFact[] =>
  [1, 2, 3].filter((l) => l < level).flatMap((l) => rows(missed(l), STANDARD));

const leadsOf = (alerts: readonly PlannedAlert[]) => ofKind(alerts, 'DEADLINE_REMINDER').map((a) => a.lead);
const levelsOf = (alerts: readonly PlannedAlert[]) => ofKind(alerts, 'DEADLINE_MISSED').map((a) => a.level);
const thresholdsOf = (alerts: readonly PlannedAlert[]) =>
  ofKind(alerts, 'SUBSTITUTE_NEARING_LIMIT').map((a) => a.threshold);
const ascending = (xs: readonly (number | null)[]) => [...xs].sort((a, b) => (a ?? 0) - (b ?? 0));

describe('DEADLINE_REMINDER at every lead', () => {
  it('given the V.C officer, then the status is IN_GRACE with grace due date 2026-04-01', () => {
    const { status } = scan(graceOfficer(), '2026-03-20');
    expect(status.status).toBe('IN_GRACE');
    expect(status.dueDate).toBe('2026-04-01');
  });

  it('given an empty ledger, when D = 2025-12-31 (dueDate − 91), then no reminder', () => {
    const { plan } = scan(graceOfficer(), '2025-12-31');
    expect(plan.send).toEqual([]);
    expect(plan.supersede).toEqual([]);
  });

  it.each([
    ['2026-01-01', 90], // dueDate − 90
    ['2026-01-30', 90], // dueDate − 61
    ['2026-01-31', 60], // dueDate − 60
    ['2026-03-01', 60], // dueDate − 31
    ['2026-03-02', 30], // dueDate − 30
    ['2026-03-17', 30], // dueDate − 15
    ['2026-03-18', 14], // dueDate − 14
    ['2026-03-24', 14], // dueDate − 8
    ['2026-03-25', 7], // dueDate − 7
    ['2026-03-30', 7], // dueDate − 2
    ['2026-03-31', 1], // dueDate − 1
    ['2026-04-01', 1], // the due date itself
  ])(
    'given every larger lead already SENT, when D = %s, then lead %i (the smallest L with D >= dueDate − L) is sent',
    (day, lead) => {
      const { plan } = scan(graceOfficer(), day, { ledger: largerLeadsSent(lead) });
      expect(plan.send).toHaveLength(1);
      expect(plan.send[0]).toMatchObject({
        kind: 'DEADLINE_REMINDER',
        license: LICENSE,
        dueDate: '2026-04-01',
        lead,
        level: null,
        threshold: null,
      });
      expect(plan.supersede).toEqual([]);
    },
  );

  it('reminders go to the chief and the PRIMARY district contacts, not to escalation contacts', () => {
    const { plan } = scan(graceOfficer(), '2026-03-20', { ledger: largerLeadsSent(14) });
    expect(plan.send.map(emails)).toEqual([STANDARD]);
    expect(plan.send[0]?.missing).toEqual([]);
  });

  it('given leads 90 … 7 SENT, when D = 2026-04-01 (the due date), then lead 1 is sent; with lead 1 SENT too, nothing', () => {
    expect(leadsOf(scan(graceOfficer(), '2026-04-01', { ledger: largerLeadsSent(1) }).plan.send)).toEqual([1]);
    const all = [...largerLeadsSent(1), ...rows(reminder(1), STANDARD)];
    expect(scan(graceOfficer(), '2026-04-01', { ledger: all }).plan.send).toEqual([]);
  });

  it.each(['SENT', 'PENDING', 'FAILED'] as const)(
    'given lead 14 %s, when D = 2026-03-20 (lead 14 crossed), then nothing is sent again',
    (status) => {
      const ledger = [...largerLeadsSent(14), ...rows(reminder(14), STANDARD, status)];
      const { plan } = scan(graceOfficer(), '2026-03-20', { ledger });
      expect(plan.send).toEqual([]);
      expect(plan.supersede).toEqual([]);
    },
  );

  it.each(['SENT', 'PENDING', 'FAILED'] as const)(
    'given a smaller lead (7) %s, when D = 2026-03-20 (lead 14 crossed), then lead 14 is suppressed',
    (status) => {
      const ledger = [...largerLeadsSent(14), ...rows(reminder(7), STANDARD, status)];
      expect(leadsOf(scan(graceOfficer(), '2026-03-20', { ledger }).plan.send)).toEqual([]);
    },
  );

  it('given only a larger lead (30) SENT, when D = 2026-03-20, then lead 14 is still sent', () => {
    const ledger = rows(reminder(30), STANDARD);
    expect(leadsOf(scan(graceOfficer(), '2026-03-20', { ledger }).plan.send)).toEqual([14]);
  });

  it('given a SUPERSEDED row for a smaller lead (14), when D = 2026-03-02 (lead 30 crossed), then lead 30 is sent (superseded is not sent)', () => {
    const ledger = [...largerLeadsSent(30), ...rows(reminder(14), STANDARD, 'SUPERSEDED')];
    expect(leadsOf(scan(graceOfficer(), '2026-03-02', { ledger }).plan.send)).toEqual([30]);
  });

  it('given a reminder SENT for another deadline of the officer, then it does not suppress this deadline', () => {
    const ledger = rows({ kind: 'DEADLINE_REMINDER', dueDate: d('2025-09-01'), lead: 1 }, STANDARD);
    expect(leadsOf(scan(graceOfficer(), '2026-03-20', { ledger }).plan.send)).toEqual([14]);
  });
});

describe('catch-up: most urgent only', () => {
  it('given an empty ledger, when the first scan is D = 2026-03-22 (dueDate − 10), then lead 14 is sent and 30, 60, 90 superseded (not 7 or 1)', () => {
    const { plan } = scan(graceOfficer(), '2026-03-22');
    expect(leadsOf(plan.send)).toEqual([14]);
    expect(ascending(leadsOf(plan.supersede))).toEqual([30, 60, 90]);
    expect(plan.send).toHaveLength(1);
    expect(plan.supersede).toHaveLength(3);
  });

  it('given lead 90 already SENT, when D = 2026-03-22, then lead 14 is sent and only 30, 60 superseded', () => {
    const { plan } = scan(graceOfficer(), '2026-03-22', { ledger: rows(reminder(90), STANDARD) });
    expect(leadsOf(plan.send)).toEqual([14]);
    expect(ascending(leadsOf(plan.supersede))).toEqual([30, 60]);
  });

  it('superseded leads carry the same recipients (one SUPERSEDED ledger row per recipient)', () => {
    const { plan } = scan(graceOfficer(), '2026-03-22');
    for (const a of plan.supersede) expect(emails(a)).toEqual(STANDARD);
  });

  it('given the catch-up scan was recorded, when the next day is scanned, then nothing is sent or superseded again', () => {
    const first = scan(graceOfficer(), '2026-03-22');
    const ledger = [...record(first.plan.send, 'SENT'), ...record(first.plan.supersede, 'SUPERSEDED')];
    const next = scan(graceOfficer(), '2026-03-23', { ledger });
    expect(next.plan.send).toEqual([]);
    expect(next.plan.supersede).toEqual([]);
  });
});

describe('DEADLINE_MISSED escalation ladder', () => {
  it('given the due date 2026-04-01, when D = 2026-04-01, then still IN_GRACE and no DEADLINE_MISSED', () => {
    const { status, plan } = scan(graceOfficer(), '2026-04-01', { ledger: largerLeadsSent(1) });
    expect(status.status).toBe('IN_GRACE');
    expect(levelsOf(plan.send)).toEqual([]);
  });

  it.each([
    ['2026-04-02', 1], // day 0 = dueDate + 1
    ['2026-04-08', 1], // day 6
    ['2026-04-09', 2], // day 7
    ['2026-05-01', 2], // day 29
    ['2026-05-02', 3], // day 30
    ['2026-06-30', 3], // day 89
  ])('given every lower level SENT, when D = %s, then level %i is sent', (day, level) => {
    const { status, plan } = scan(graceOfficer(), day, { ledger: lowerLevelsSent(level) });
    expect(status.status).toBe('OVERDUE');
    expect(status.reason).toBe('GRACE_PERIOD_EXPIRED');
    expect(plan.send).toHaveLength(1);
    expect(plan.send[0]).toMatchObject({
      kind: 'DEADLINE_MISSED',
      license: LICENSE,
      dueDate: '2026-04-01',
      level,
      lead: null,
      threshold: null,
    });
    expect(plan.supersede).toEqual([]);
  });

  it('when D = 2026-04-02 (day 0), then no DEADLINE_REMINDER for the passed due date', () => {
    expect(leadsOf(scan(graceOfficer(), '2026-04-02').plan.send)).toEqual([]);
  });

  it('level 1 goes to the chief and PRIMARY district contacts', () => {
    const { plan } = scan(graceOfficer(), '2026-04-02');
    expect(plan.send.map(emails)).toEqual([STANDARD]);
  });

  it.each([
    ['2026-04-09', 2],
    ['2026-05-02', 3],
  ])(
    'when D = %s, level %i also goes to ESCALATION district contacts and the agency escalation e-mails',
    (day, level) => {
      const { plan } = scan(graceOfficer(), day, { ledger: lowerLevelsSent(level) });
      expect(plan.send.map(emails)).toEqual([ESCALATED]);
    },
  );

  it('given an empty ledger, when the first scan is D = 2026-05-03 (day 31), then level 3 is sent and levels 1, 2 superseded', () => {
    const { plan } = scan(graceOfficer(), '2026-05-03');
    expect(levelsOf(plan.send)).toEqual([3]);
    expect(ascending(levelsOf(plan.supersede))).toEqual([1, 2]);
    expect(plan.send).toHaveLength(1);
  });

  it('given level 1 SENT, when D = 2026-05-03 (day 31), then level 3 is sent and only level 2 superseded', () => {
    const { plan } = scan(graceOfficer(), '2026-05-03', { ledger: rows(missed(1), STANDARD) });
    expect(levelsOf(plan.send)).toEqual([3]);
    expect(levelsOf(plan.supersede)).toEqual([2]);
  });

  it.each([
    [2, 'SENT'],
    [2, 'PENDING'],
    [2, 'FAILED'],
    [3, 'SENT'],
  ] as const)(
    'given level %i %s, when D = 2026-04-11 (day 9, level 2 reached), then nothing is sent',
    (level, status) => {
      const { plan } = scan(graceOfficer(), '2026-04-11', { ledger: rows(missed(level), ESCALATED, status) });
      expect(plan.send).toEqual([]);
      expect(plan.supersede).toEqual([]);
    },
  );

  it('given level 1 SENT, when D = 2026-04-11 (day 9), then level 2 is sent and nothing superseded', () => {
    const { plan } = scan(graceOfficer(), '2026-04-11', { ledger: rows(missed(1), STANDARD) });
    expect(levelsOf(plan.send)).toEqual([2]);
    expect(plan.supersede).toEqual([]);
  });

  it('given a V.B legacy officer (due 2027-05-31), then 2027-05-31 sends lead 1 and day 0 is 2027-06-01', () => {
    const legacy = officer({
      assignments: [regular('2024-08-15')],
      trainings: [training('LEGACY_BASIC_SSC', '2024-05-01')],
    });
    const onDue = scan(legacy, '2027-05-31', {
      ledger: LEADS.filter((l) => l > 1).flatMap((l) =>
        rows({ kind: 'DEADLINE_REMINDER', dueDate: d('2027-05-31'), lead: l }, STANDARD),
      ),
    });
    expect(onDue.status.status).toBe('DUE');
    expect(leadsOf(onDue.plan.send)).toEqual([1]);
    expect(levelsOf(onDue.plan.send)).toEqual([]);

    const day0 = scan(legacy, '2027-06-01');
    expect(day0.status.reason).toBe('LEGACY_DEADLINE_MISSED');
    expect(day0.plan.send.map((a) => [a.kind, a.dueDate, a.level])).toEqual([['DEADLINE_MISSED', '2027-05-31', 1]]);
  });
});

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

describe('RESOLVED after an escalation', () => {
  // Trained 2026-04-20, after the 2026-04-01 grace due date: COMPLIANT (late) from that day.
  const trainedLate = () => graceOfficer({ trainings: [training('SRO_MANDATED', '2026-04-20')] });
  const a = CHIEF;
  const b = PRIMARY;

  it('given SENT DEADLINE_MISSED rows for 2026-04-01 to a and b, when COMPLIANT on 2026-04-21, then one RESOLVED for 2026-04-01 to exactly a and b', () => {
    const { status, plan } = scan(trainedLate(), '2026-04-21', { ledger: rows(missed(1), [a, b]) });
    expect(status.status).toBe('COMPLIANT');
    expect(status.completedLate).toBe(true);
    expect(plan.send).toHaveLength(1);
    expect(plan.send[0]).toMatchObject({ kind: 'RESOLVED', license: LICENSE, dueDate: '2026-04-01' });
    expect(plan.send.map(emails)).toEqual([[a, b].sort()]);
    expect(plan.supersede).toEqual([]);
  });

  it("recipients come from the ledger, not from today's directory", () => {
    const { plan } = scan(trainedLate(), '2026-04-21', {
      ledger: rows(missed(2), ESCALATED),
      districts: directory(district({ contacts: [] })),
    });
    expect(plan.send.map(emails)).toEqual([ESCALATED]);
  });

  it('given a FAILED escalation row to c and a SUPERSEDED one to d, then RESOLVED goes to a and b only', () => {
    const ledger = [
      ...rows(missed(1), ['superseded-only@isd241.example'], 'SUPERSEDED'),
      ...rows(missed(2), [a, b]),
      ...rows(missed(2), [SUPERINTENDENT], 'FAILED'),
    ];
    const { plan } = scan(trainedLate(), '2026-04-21', { ledger });
    expect(ofKind(plan.send, 'RESOLVED').map(emails)).toEqual([[a, b].sort()]);
  });

  it.each([
    ['only reminders SENT', rows(reminder(1), STANDARD)],
    ['the escalation only PENDING', rows(missed(1), STANDARD, 'PENDING')],
    ['the escalation only FAILED', rows(missed(1), STANDARD, 'FAILED')],
    ['the escalation only SUPERSEDED', rows(missed(1), STANDARD, 'SUPERSEDED')],
    ['nothing', []],
  ])('given %s, then no RESOLVED', (_label, ledger) => {
    expect(ofKind(scan(trainedLate(), '2026-04-21', { ledger }).plan.send, 'RESOLVED')).toEqual([]);
  });

  it('given a RESOLVED already in the ledger, then no second RESOLVED', () => {
    const first = scan(trainedLate(), '2026-04-21', { ledger: rows(missed(1), [a, b]) });
    const ledger = [...rows(missed(1), [a, b]), ...record(first.plan.send, 'SENT')];
    expect(scan(trainedLate(), '2026-04-22', { ledger }).plan.send).toEqual([]);
  });

  it('given a substitute deadline that lapsed with the school year (EXEMPT_SUBSTITUTE again), then no RESOLVED', () => {
    // 60th served day 2025-10-31 → due 2025-10-31, OVERDUE from 2025-11-01; new school year 2026-07-01.
    const facts = officer({
      assignments: [substitute('2025-08-20')],
      policyReviews: [{ agencyId: AGENCY_ID, reviewedOn: d('2025-08-15') }],
      contactDays: contactDaysFrom('2025-09-02', 60),
    });
    expect(evaluateOfficer(facts, d('2025-11-01'), RULES)).toMatchObject({ status: 'OVERDUE', dueDate: '2025-10-31' });
    const ledger = rows({ kind: 'DEADLINE_MISSED', dueDate: d('2025-10-31'), level: 1 }, STANDARD);
    const { status, plan } = scan(facts, '2026-07-15', { ledger });
    expect(status.status).toBe('EXEMPT_SUBSTITUTE');
    expect(ofKind(plan.send, 'RESOLVED')).toEqual([]);
  });
});

describe('no alert for a met deadline', () => {
  it('given the course completed 2026-03-20, when D = 2026-03-22 with an empty ledger, then no reminder', () => {
    const facts = graceOfficer({ trainings: [training('SRO_MANDATED', '2026-03-20')] });
    const { status, plan } = scan(facts, '2026-03-22');
    expect(status.status).toBe('COMPLIANT');
    expect(plan.send).toEqual([]);
    expect(plan.supersede).toEqual([]);
  });

  it('given a late course (2026-04-20), when D = 2026-05-10 (would be day 38), then no escalation', () => {
    const facts = graceOfficer({ trainings: [training('SRO_MANDATED', '2026-04-20')] });
    const { plan } = scan(facts, '2026-05-10');
    expect(levelsOf(plan.send)).toEqual([]);
    expect(plan.supersede).toEqual([]);
  });

  /** The status on `day` of the grace officer, still untrained and trained that day. */
  const statusesOn = (day: string) => ({
    untrained: evaluateOfficer(graceOfficer(), d(day), RULES),
    trained: evaluateOfficer(graceOfficer({ trainings: [training('SRO_MANDATED', day)] }), d(day), RULES),
  });

  it('isStillDue: a lead-14 reminder planned on 2026-03-20 is owed on 2026-03-21 while untrained, not once COMPLIANT', () => {
    const planned = scan(graceOfficer(), '2026-03-20').plan.send[0];
    expect(planned?.lead).toBe(14);
    if (!planned) return;
    const { untrained, trained } = statusesOn('2026-03-21');
    expect(isStillDue(planned, untrained, ALERT_CONFIG)).toBe(true);
    expect(isStillDue(planned, trained, ALERT_CONFIG)).toBe(false);
  });

  it('isStillDue: a reminder is not owed once the officer is OVERDUE (2026-04-02)', () => {
    const planned = scan(graceOfficer(), '2026-03-31', { ledger: largerLeadsSent(1) }).plan.send[0];
    expect(planned?.lead).toBe(1);
    if (!planned) return;
    expect(isStillDue(planned, evaluateOfficer(graceOfficer(), d('2026-04-02'), RULES), ALERT_CONFIG)).toBe(false);
  });

  it('isStillDue: a level-2 escalation planned on 2026-04-10 is owed on 2026-04-11 while OVERDUE, not once COMPLIANT', () => {
    const planned = scan(graceOfficer(), '2026-04-10', { ledger: lowerLevelsSent(2) }).plan.send[0];
    expect(planned?.level).toBe(2);
    if (!planned) return;
    const { untrained: overdue, trained } = statusesOn('2026-04-11');
    expect(isStillDue(planned, overdue, ALERT_CONFIG)).toBe(true);
    expect(isStillDue(planned, trained, ALERT_CONFIG)).toBe(false);
  });

  it('isStillDue: an escalation is not owed once a substitute deadline lapsed (EXEMPT_SUBSTITUTE in the next school year)', () => {
    const facts = officer({
      assignments: [substitute('2025-08-20')],
      policyReviews: [{ agencyId: AGENCY_ID, reviewedOn: d('2025-08-15') }],
      contactDays: contactDaysFrom('2025-09-02', 60),
    });
    const planned = scan(facts, '2025-11-01').plan.send.find((a) => a.kind === 'DEADLINE_MISSED');
    expect(planned?.level).toBe(1);
    if (!planned) return;
    expect(isStillDue(planned, evaluateOfficer(facts, d('2025-11-02'), RULES), ALERT_CONFIG)).toBe(true);
    expect(isStillDue(planned, evaluateOfficer(facts, d('2026-07-15'), RULES), ALERT_CONFIG)).toBe(false);
  });
});

describe('NO_CONTACT_ON_FILE is never a silent drop', () => {
  it('given an agency without a chief e-mail, then the reminder still goes to the district and `missing` names the agency', () => {
    const noChief = agency({ chiefEmail: null });
    const { plan } = scan(graceOfficer(), '2026-03-20', { agency: noChief, ledger: largerLeadsSent(14) });
    expect(plan.send).toHaveLength(1);
    expect(plan.send.map(emails)).toEqual([[PRIMARY]]);
    expect(plan.send[0]?.missing.join(' ')).toContain(AGENCY_ID);
    expect(hasNoContactOnFile(graceOfficer(), d('2026-03-20'), noChief, directory())).toBe(true);
  });

  it('given no agency record at all, then `missing` names the agency', () => {
    const { plan } = scan(graceOfficer(), '2026-03-20', { agency: undefined, ledger: largerLeadsSent(14) });
    expect(plan.send[0]?.missing.join(' ')).toContain(AGENCY_ID);
    expect(hasNoContactOnFile(graceOfficer(), d('2026-03-20'), undefined, directory())).toBe(true);
  });

  it('given a district without a PRIMARY contact, then `missing` names the district', () => {
    const noPrimary = directory(
      district({ contacts: [{ name: 'Superintendent', email: SUPERINTENDENT, role: 'ESCALATION' }] }),
    );
    const { plan } = scan(graceOfficer(), '2026-03-20', { districts: noPrimary, ledger: largerLeadsSent(14) });
    expect(plan.send.map(emails)).toEqual([[CHIEF]]);
    expect(plan.send[0]?.missing.join(' ')).toContain(DISTRICT_ID);
    expect(hasNoContactOnFile(graceOfficer(), d('2026-03-20'), agency(), noPrimary)).toBe(true);
  });

  it('given a complete directory, then nothing is missing and hasNoContactOnFile is false', () => {
    const { plan } = scan(graceOfficer(), '2026-03-20', { ledger: largerLeadsSent(14) });
    expect(plan.send[0]?.missing).toEqual([]);
    expect(hasNoContactOnFile(graceOfficer(), d('2026-03-20'), agency(), directory())).toBe(false);
  });

  it('given a chief-only alert and no chief e-mail, then the alert is still planned with no recipient and `missing` set; once recorded it is not planned again', () => {
    const facts = officer({
      assignments: [regular('2025-10-01')],
      trainings: [training('SRO_MANDATED', '2025-09-20', false)],
    });
    const noChief = agency({ chiefEmail: null });
    const { plan } = scan(facts, '2025-10-15', { agency: noChief });
    expect(plan.send.map((a) => a.kind)).toEqual(['CERTIFICATE_MISSING']);
    expect(plan.send[0]?.recipients).toEqual([]);
    expect(plan.send[0]?.missing.join(' ')).toContain(AGENCY_ID);
    const ledger = record(plan.send, 'FAILED');
    expect(ledger.map((r) => r.recipient)).toEqual([NO_CONTACT_RECIPIENT]);
    expect(scan(facts, '2025-10-16', { agency: noChief, ledger }).plan.send).toEqual([]);
  });

  it('given an escalation with no agency escalation e-mails, then nothing is missing (they are optional)', () => {
    const { plan } = scan(graceOfficer(), '2026-04-11', {
      agency: agency({ escalationEmails: [] }),
      ledger: lowerLevelsSent(2),
    });
    expect(plan.send.map(emails)).toEqual([[CHIEF, PRIMARY, SUPERINTENDENT].sort()]);
    expect(plan.send[0]?.missing).toEqual([]);
  });
});

describe('deterministic keys', () => {
  it('planning twice gives identical keys, and the keys of one plan are distinct', () => {
    const one = scan(graceOfficer(), '2026-03-22');
    const two = scan(graceOfficer(), '2026-03-22');
    const keys = (s: typeof one) => [...s.plan.send, ...s.plan.supersede].map((a) => a.key);
    expect(keys(one)).toEqual(keys(two));
    expect(new Set(keys(one)).size).toBe(keys(one).length);
  });

  const base = {
    kind: 'DEADLINE_REMINDER' as const,
    license: LICENSE,
    dueDate: GRACE_DUE,
    lead: 14,
    level: null,
    threshold: null,
    schoolYear: null,
  };

  it('keys differ by lead and by due date', () => {
    expect(alertKey(base)).not.toBe(alertKey({ ...base, lead: 7 }));
    expect(alertKey(base)).not.toBe(alertKey({ ...base, dueDate: d('2026-04-02') }));
    expect(alertKey(base)).not.toBe(alertKey({ ...base, license: '67890' }));
  });

  it('keys differ by escalation level and due date', () => {
    const m = { ...base, kind: 'DEADLINE_MISSED' as const, lead: null, level: 1 };
    expect(alertKey(m)).not.toBe(alertKey({ ...m, level: 2 }));
    expect(alertKey(m)).not.toBe(alertKey({ ...m, dueDate: d('2027-05-31') }));
  });

  it('keys differ by threshold and by school year', () => {
    const s = {
      ...base,
      kind: 'SUBSTITUTE_NEARING_LIMIT' as const,
      dueDate: null,
      lead: null,
      threshold: 45,
      schoolYear: '2025-2026',
    };
    expect(alertKey(s)).not.toBe(alertKey({ ...s, threshold: 50 }));
    expect(alertKey(s)).not.toBe(alertKey({ ...s, schoolYear: '2026-2027' }));
  });

  it('planned keys differ by lead and due date (two officers starting a day apart)', () => {
    const sameDay = scan(graceOfficer(), '2026-03-20', { ledger: largerLeadsSent(14) }).plan.send[0]?.key;
    const laterLead = scan(graceOfficer(), '2026-03-26', { ledger: largerLeadsSent(7) }).plan.send[0]?.key;
    // Starts 2025-10-02 → grace due date 2026-04-02 (a Thursday), so lead 14 from 2026-03-19.
    const other = graceOfficer({ assignments: [regular('2025-10-02', { trainingUnavailable: true })] });
    const otherDue = scan(other, '2026-03-20', {
      ledger: LEADS.filter((l) => l > 14).flatMap((l) =>
        rows({ kind: 'DEADLINE_REMINDER', dueDate: d('2026-04-02'), lead: l }, STANDARD),
      ),
    }).plan.send[0];
    expect(otherDue).toMatchObject({ dueDate: '2026-04-02', lead: 14 });
    expect(new Set([sameDay, laterLead, otherDue?.key]).size).toBe(3);
  });

  it('ledgerKey appends the recipient in lower case', () => {
    const k = alertKey(base);
    expect(ledgerKey(k, 'Chief@AlbertLea-PD.Example')).toBe(ledgerKey(k, 'chief@albertlea-pd.example'));
    expect(ledgerKey(k, 'Chief@AlbertLea-PD.Example')).toContain('chief@albertlea-pd.example');
    expect(ledgerKey(k, CHIEF)).toContain(k);
    expect(ledgerKey(k, CHIEF)).not.toBe(ledgerKey(k, PRIMARY));
  });
});

describe('recipients are de-duplicated', () => {
  it('given the chief is also the PRIMARY district contact (different case), then one recipient', () => {
    const districts = directory(
      district({ contacts: [{ name: 'Chief Ramirez', email: 'Chief@AlbertLea-PD.example', role: 'PRIMARY' }] }),
    );
    const { plan } = scan(graceOfficer(), '2026-03-20', { districts, ledger: largerLeadsSent(14) });
    expect(plan.send[0]?.recipients).toHaveLength(1);
    expect(plan.send[0]?.recipients[0]?.email.toLowerCase()).toBe(CHIEF);
    expect(plan.send[0]?.missing).toEqual([]);
  });

  it('given two active districts sharing a PRIMARY contact, then one e-mail each; escalation contacts of both join at level 2', () => {
    const shared = directory(
      district(),
      otherDistrict({
        contacts: [
          { name: 'Shared coordinator', email: PRIMARY, role: 'PRIMARY' },
          { name: 'Superintendent', email: OTHER_SUPERINTENDENT, role: 'ESCALATION' },
        ],
      }),
    );
    const facts = graceOfficer({
      assignments: [
        regular('2025-10-01', { trainingUnavailable: true }),
        regular('2025-11-01', { districtId: OTHER_DISTRICT_ID }),
      ],
    });
    const r = scan(facts, '2026-03-20', { districts: shared, ledger: largerLeadsSent(14) });
    expect(r.plan.send.map(emails)).toEqual([STANDARD]);
    const e = scan(facts, '2026-04-11', { districts: shared, ledger: lowerLevelsSent(2) });
    expect(e.plan.send.map(emails)).toEqual([[...ESCALATED, OTHER_SUPERINTENDENT].sort()]);
    expect(emails(e.plan.send[0] ?? { recipients: [] })).not.toContain(OTHER_PRIMARY);
  });

  it('given the agency escalation e-mail is also the district ESCALATION contact, then one e-mail at level 2', () => {
    const { plan } = scan(graceOfficer(), '2026-04-11', {
      agency: agency({ escalationEmails: [SUPERINTENDENT.toUpperCase()] }),
      ledger: lowerLevelsSent(2),
    });
    expect(plan.send[0]?.recipients).toHaveLength(3);
  });

  it('recipients are those of active assignments on the day of sending (an ended district drops out)', () => {
    const facts = graceOfficer({
      assignments: [
        regular('2025-10-01', { trainingUnavailable: true }),
        regular('2025-10-01', { districtId: OTHER_DISTRICT_ID, endDate: '2026-03-01' }),
      ],
    });
    expect(scan(facts, '2026-02-01', { ledger: largerLeadsSent(60) }).plan.send.map(emails)).toEqual([
      [CHIEF, OTHER_PRIMARY, PRIMARY].sort(),
    ]);
    expect(scan(facts, '2026-03-20', { ledger: largerLeadsSent(14) }).plan.send.map(emails)).toEqual([STANDARD]);
  });
});

describe('property: replaying the days around a deadline (IN_GRACE, then OVERDUE)', () => {
  // D from dueDate − 120 (2025-12-02) to dueDate + 40 (2026-05-11).
  const FIRST = addDays(GRACE_DUE, -120);
  const SPAN = 161;
  const DAY0 = addDays(GRACE_DUE, 1);
  const levelStart = (level: number): CivilDate => addDays(DAY0, ALERT_CONFIG.escalationDays[level - 1] ?? Infinity);

  interface Replay {
    sentLeads: number[];
    supersededLeads: number[];
    sentLevels: number[];
    supersededLevels: number[];
    scannedDays: CivilDate[];
    sentOn: Map<string, CivilDate>;
  }

  /** Scans the days whose mask bit is set; each scan's send/supersede becomes SENT/SUPERSEDED rows per recipient. */
  function replay(scanned: (i: number) => boolean): Replay {
    const facts = graceOfficer();
    let ledger: LedgerFact[] = [];
    const out: Replay = {
      sentLeads: [],
      supersededLeads: [],
      sentLevels: [],
      supersededLevels: [],
      scannedDays: [],
      sentOn: new Map(),
    };
    for (let i = 0; i < SPAN; i++) {
      if (!scanned(i)) continue;
      const day = addDays(FIRST, i);
      out.scannedDays.push(day);
      const { status, plan } = scan(facts, day, { ledger });

      // Only reminders and escalations exist for this officer (reviewed, untrained).
      for (const a of [...plan.send, ...plan.supersede])
        expect(['DEADLINE_REMINDER', 'DEADLINE_MISSED']).toContain(a.kind);
      // Never a reminder after the due date.
      if (day > GRACE_DUE) expect(leadsOf([...plan.send, ...plan.supersede])).toEqual([]);

      // The most urgent crossed step is sent unless it, or a more urgent one, was already sent.
      if (day <= GRACE_DUE) {
        expect(status.status).toBe('IN_GRACE');
        const crossed = ALERT_CONFIG.reminderLeadDays.filter((l) => day >= addDays(GRACE_DUE, -l));
        const mostUrgent = crossed.length > 0 ? Math.min(...crossed) : null;
        const covered = mostUrgent !== null && out.sentLeads.some((l) => l <= mostUrgent);
        expect(leadsOf(plan.send)).toEqual(mostUrgent === null || covered ? [] : [mostUrgent]);
      } else {
        expect(status.status).toBe('OVERDUE');
        const reached = [1, 2, 3].filter((lv) => day >= levelStart(lv));
        const mostUrgent = Math.max(...reached);
        const covered = out.sentLevels.some((lv) => lv >= mostUrgent);
        expect(levelsOf(plan.send)).toEqual(covered ? [] : [mostUrgent]);
      }

      for (const a of plan.send) {
        if (a.lead !== null) out.sentLeads.push(a.lead);
        if (a.level !== null) out.sentLevels.push(a.level);
        out.sentOn.set(a.key, day);
        expect(a.recipients.length).toBeGreaterThan(0);
      }
      for (const a of plan.supersede) {
        if (a.lead !== null) out.supersededLeads.push(a.lead);
        if (a.level !== null) out.supersededLevels.push(a.level);
      }
      ledger = [...ledger, ...record(plan.send, 'SENT'), ...record(plan.supersede, 'SUPERSEDED')];

      // Once: a retry of the same day's scan finds nothing more to send or supersede.
      const retry = scan(facts, day, { ledger });
      expect(retry.plan.send).toEqual([]);
      expect(retry.plan.supersede).toEqual([]);
    }
    return out;
  }

  const countOf = (xs: readonly number[], x: number) => xs.filter((y) => y === x).length;

  it('given every day scanned, then each lead and each level is sent once, on the day it is crossed, and nothing is superseded', () => {
    const r = replay(() => true);
    expect(r.sentLeads).toEqual([90, 60, 30, 14, 7, 1]);
    expect(r.sentLevels).toEqual([1, 2, 3]);
    expect(r.supersededLeads).toEqual([]);
    expect(r.supersededLevels).toEqual([]);
    expect([...r.sentOn.values()]).toEqual([
      '2026-01-01',
      '2026-01-31',
      '2026-03-02',
      '2026-03-18',
      '2026-03-25',
      '2026-03-31', // leads 90 … 1
      '2026-04-02',
      '2026-04-09',
      '2026-05-02', // levels 1, 2, 3
    ]);
  });

  it('given randomly skipped days (worker down), then each step is decided exactly once (sent or superseded) iff a scanned day crossed it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: SPAN, maxLength: SPAN }),
        (density, rolls) => {
          const r = replay((i) => (rolls[i] ?? 0) < density);
          for (const lead of ALERT_CONFIG.reminderLeadDays) {
            const sent = countOf(r.sentLeads, lead);
            const superseded = countOf(r.supersededLeads, lead);
            expect(sent).toBeLessThanOrEqual(1);
            expect(superseded).toBeLessThanOrEqual(1);
            const crossedOnAScan = r.scannedDays.some((day) => day >= addDays(GRACE_DUE, -lead) && day <= GRACE_DUE);
            expect(sent + superseded).toBe(crossedOnAScan ? 1 : 0);
          }
          for (const level of [1, 2, 3]) {
            const sent = countOf(r.sentLevels, level);
            const superseded = countOf(r.supersededLevels, level);
            expect(sent).toBeLessThanOrEqual(1);
            expect(superseded).toBeLessThanOrEqual(1);
            const reachedOnAScan = r.scannedDays.some((day) => day >= levelStart(level));
            expect(sent + superseded).toBe(reachedOnAScan ? 1 : 0);
          }
          // The smallest lead crossed on any scan, and the highest level reached, are always sent.
          const lastInGrace = r.scannedDays.filter((day) => day <= GRACE_DUE).at(-1);
          if (lastInGrace !== undefined) {
            const crossed = ALERT_CONFIG.reminderLeadDays.filter((l) => lastInGrace >= addDays(GRACE_DUE, -l));
            if (crossed.length > 0) expect(r.sentLeads).toContain(Math.min(...crossed));
          }
          const lastScan = r.scannedDays.at(-1);
          if (lastScan !== undefined && lastScan > GRACE_DUE) {
            expect(r.sentLevels).toContain(Math.max(...[1, 2, 3].filter((lv) => lastScan >= levelStart(lv))));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('RULES 5 "Nobody to send to is not sent": a NO_CONTACT_ON_FILE row never stands for the step', () => {
  const gap = (step: Parameters<typeof rows>[0]) => rows(step, [NO_CONTACT_RECIPIENT], 'FAILED');

  it('given a CERTIFICATE_MISSING recorded with no chief e-mail, when the chief e-mail is imported, then the next scan sends it to the chief', () => {
    const facts = officer({
      assignments: [regular('2025-10-01')],
      trainings: [training('SRO_MANDATED', '2025-09-20', false)],
    });
    const first = scan(facts, '2025-10-15', { agency: agency({ chiefEmail: null }) });
    const ledger = record(first.plan.send, 'FAILED');
    expect(ledger.map((r) => r.recipient)).toEqual([NO_CONTACT_RECIPIENT]);
    const { plan } = scan(facts, '2025-10-16', { ledger });
    expect(plan.send.map((a) => [a.kind, emails(a)])).toEqual([['CERTIFICATE_MISSING', [CHIEF]]]);
  });

  it('given level 1 went to the district while the chief had no e-mail, when the chief is added still at level 1, then level 1 goes to the chief only', () => {
    // Day 0 of OVERDUE is 2026-04-02; level 2 starts on day 7 (2026-04-09).
    const ledger = [...rows(missed(1), [PRIMARY]), ...gap(missed(1))];
    const { plan } = scan(graceOfficer(), '2026-04-05', { ledger });
    expect(plan.send.map((a) => [a.kind, a.level, emails(a)])).toEqual([['DEADLINE_MISSED', 1, [CHIEF]]]);
  });

  it('given level 1 reached nobody at all, when the chief and district contacts exist at level 1, then level 1 goes to all of them', () => {
    const { plan } = scan(graceOfficer(), '2026-04-05', { ledger: gap(missed(1)) });
    expect(plan.send.map((a) => [a.level, emails(a)])).toEqual([[1, STANDARD]]);
  });

  it('given a level-1 gap, when the chief is added only once level 2 is due, then level 2 goes to everyone and level 1 is not sent late', () => {
    const ledger = [...rows(missed(1), [PRIMARY]), ...gap(missed(1))];
    const { plan } = scan(graceOfficer(), '2026-04-10', { ledger });
    expect(plan.send.map((a) => [a.level, emails(a)])).toEqual([[2, ESCALATED]]);
  });

  it('given a gap, when every address the rules name is on file again, then the refill closes the gap; with one still missing it does not', () => {
    const ledger = [...rows(missed(1), [PRIMARY]), ...gap(missed(1))];
    expect(scan(graceOfficer(), '2026-04-05', { ledger }).plan.send.map((a) => a.closesGap)).toEqual([true]);
    const stillNoPrimary = directory(district({ contacts: [] }));
    const partial = scan(graceOfficer(), '2026-04-05', {
      ledger: [...rows(missed(1), [CHIEF]), ...gap(missed(1))],
      districts: stillNoPrimary,
    });
    expect(partial.plan.send).toEqual([]);
  });

  it('given a gap and an address still missing, when nobody new has an address, then nothing is planned again', () => {
    const ledger = [...rows(missed(1), [PRIMARY]), ...gap(missed(1))];
    const { plan } = scan(graceOfficer(), '2026-04-05', { ledger, agency: agency({ chiefEmail: null }) });
    expect(plan.send).toEqual([]);
  });

  it('given a superseded step whose NO_CONTACT_ON_FILE row is SUPERSEDED too, then the step is not reopened', () => {
    const ledger = [
      ...rows(reminder(30), STANDARD),
      ...rows(reminder(60), [PRIMARY], 'SUPERSEDED'),
      ...rows(reminder(60), [NO_CONTACT_RECIPIENT], 'SUPERSEDED'),
    ];
    const { plan } = scan(graceOfficer(), '2026-03-05', { ledger });
    expect(plan.send).toEqual([]);
  });
});
