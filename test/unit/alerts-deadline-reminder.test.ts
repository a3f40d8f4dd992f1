// Alert rules (RULES.md section 5), written from RULES.md, not from the implementation.
// Each case: given an officer's facts, the directory and what the ledger already holds →
// when scanned as of the end of a literal civil date → then what is sent, to whom, and what
// is recorded as superseded. The V.C officer of most cases starts 2025-10-01 with training
// unavailable: grace due date 2026-04-01, so day 0 of OVERDUE is 2026-04-02.
// This file: DEADLINE_REMINDER at every lead, and the catch-up that sends only the most urgent.
import { describe, expect, it } from 'vitest';
import { emails, graceOfficer, record, rows, scan } from '../helpers/alert-fixtures.ts';
import { LICENSE, d } from '../helpers/facts.ts';
import { reminder, STANDARD, largerLeadsSent, leadsOf, ascending } from '../helpers/alert-ladder.ts';

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

  it('given a reminder SENT for another deadline (obligation) of the officer, then it does not suppress this deadline', () => {
    const ledger = rows(
      { kind: 'DEADLINE_REMINDER', dueDate: d('2025-09-01'), obligation: 'PRE_MANDATE', lead: 1 },
      STANDARD,
    );
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
