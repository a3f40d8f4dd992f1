// Alert rules (RULES.md section 5), written from RULES.md, not from the implementation.
// Each case: given an officer's facts, the directory and what the ledger already holds →
// when scanned as of the end of a literal civil date → then what is sent, to whom, and what
// is recorded as superseded. The V.C officer of most cases starts 2025-10-01 with training
// unavailable: grace due date 2026-04-01, so day 0 of OVERDUE is 2026-04-02.
// This file: whom an alert goes to (NO_CONTACT_ON_FILE, de-duplication, RULES 5 "Nobody to send to") and its deterministic keys.
import { describe, expect, it } from 'vitest';
import { NO_CONTACT_RECIPIENT, alertKey, ledgerKey } from '../../src/domain/alerts.ts';
import { hasNoContactOnFile } from '../../src/domain/recipients.ts';
import {
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
  otherDistrict,
  record,
  rows,
  scan,
} from '../helpers/alert-fixtures.ts';
import {
  AGENCY as AGENCY_ID,
  DISTRICT as DISTRICT_ID,
  LICENSE,
  OTHER_DISTRICT as OTHER_DISTRICT_ID,
  d,
  officer,
  regular,
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
} from '../helpers/alert-ladder.ts';

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
    obligation: 'NEW_SRO' as const,
    lead: 14,
    level: null,
    threshold: null,
    schoolYear: null,
  };

  // RULES.md 8: a ladder step is keyed by its obligation, never by the due date (which a
  // correction may move); before, the key named the due date.
  it('keys differ by lead and by obligation, not by due date', () => {
    expect(alertKey(base)).toBe(`DEADLINE_REMINDER:${LICENSE}:NEW_SRO:lead=14`);
    expect(alertKey(base)).not.toBe(alertKey({ ...base, lead: 7 }));
    expect(alertKey(base)).not.toBe(alertKey({ ...base, obligation: 'PRE_MANDATE' }));
    expect(alertKey(base)).not.toBe(alertKey({ ...base, license: '67890' }));
    expect(alertKey(base)).toBe(alertKey({ ...base, dueDate: d('2026-04-02') }));
  });

  it('keys differ by escalation level and obligation (a substitute school year too), not by due date', () => {
    const m = { ...base, kind: 'DEADLINE_MISSED' as const, lead: null, level: 1 };
    expect(alertKey(m)).not.toBe(alertKey({ ...m, level: 2 }));
    expect(alertKey(m)).not.toBe(alertKey({ ...m, obligation: 'LEGACY' }));
    const sub = { ...m, obligation: 'SUBSTITUTE:2025-2026' as const };
    expect(alertKey(sub)).toBe(`DEADLINE_MISSED:${LICENSE}:SUBSTITUTE:2025-2026:level=1`);
    expect(alertKey(sub)).not.toBe(alertKey({ ...sub, obligation: 'SUBSTITUTE:2026-2027' }));
    expect(alertKey(m)).toBe(alertKey({ ...m, dueDate: d('2027-05-31') }));
  });

  it('a ladder step without an obligation has no key', () => {
    expect(() => alertKey({ ...base, obligation: null })).toThrow(/obligation/);
  });

  it('keys differ by threshold and by school year', () => {
    const s = {
      ...base,
      kind: 'SUBSTITUTE_NEARING_LIMIT' as const,
      dueDate: null,
      obligation: null,
      lead: null,
      threshold: 45,
      schoolYear: '2025-2026',
    };
    expect(alertKey(s)).not.toBe(alertKey({ ...s, threshold: 50 }));
    expect(alertKey(s)).not.toBe(alertKey({ ...s, schoolYear: '2026-2027' }));
  });

  it('planned keys differ by lead, and a start date a day later is the same obligation (RULES.md 8)', () => {
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
    expect(new Set([sameDay, laterLead]).size).toBe(2);
    expect(otherDue?.key).toBe(sameDay);
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
