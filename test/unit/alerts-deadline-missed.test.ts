// Alert rules (RULES.md section 5), written from RULES.md, not from the implementation.
// Each case: given an officer's facts, the directory and what the ledger already holds →
// when scanned as of the end of a literal civil date → then what is sent, to whom, and what
// is recorded as superseded. The V.C officer of most cases starts 2025-10-01 with training
// unavailable: grace due date 2026-04-01, so day 0 of OVERDUE is 2026-04-02.
// This file: the DEADLINE_MISSED escalation ladder, RESOLVED after it, and no alert once a deadline is met.
import { describe, expect, it } from 'vitest';
import { isStillDue } from '../../src/domain/alerts.ts';
import { evaluateOfficer } from '../../src/domain/status.ts';
import {
  ALERT_CONFIG,
  CHIEF,
  PRIMARY,
  SUPERINTENDENT,
  directory,
  district,
  emails,
  graceOfficer,
  ofKind,
  record,
  rows,
  scan,
} from '../helpers/alert-fixtures.ts';
import {
  AGENCY as AGENCY_ID,
  DEFAULT_RULES as RULES,
  LICENSE,
  contactDaysFrom,
  d,
  officer,
  regular,
  substitute,
  training,
} from '../helpers/facts.ts';
import {
  LEADS,
  reminder,
  missed,
  STANDARD,
  ESCALATED,
  largerLeadsSent,
  lowerLevelsSent,
  leadsOf,
  levelsOf,
  ascending,
} from '../helpers/alert-ladder.ts';

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
