// RULES.md 8: a deadline is an obligation; its due date may be corrected. The ladder
// (reminders, escalation levels, RESOLVED) belongs to the obligation: a step already sent is
// not sent again because the date moved; the steps due by the new date follow section 5; a
// correction that leaves the same step due sends nothing new; the first step after the move
// says the date was corrected. The officer: the V.C grace officer of the alert fixtures
// (REGULAR from 2025-10-01, course unavailable: grace due date 2026-04-01), whose start date is
// corrected.
import { describe, expect, it } from 'vitest';
import { type LedgerFact, isStillDue } from '../../src/domain/alerts.ts';
import { type CivilDate, addDays } from '../../src/domain/civil-date.ts';
import { evaluateOfficer } from '../../src/domain/status.ts';
import type { OfficerFacts } from '../../src/domain/types.ts';
import {
  ALERT_CONFIG,
  GRACE_DUE,
  type Scan,
  emails,
  graceOfficer,
  ofKind,
  record,
  rows,
  scan,
} from '../helpers/alert-fixtures.ts';
import { ESCALATED, STANDARD, levelsOf } from '../helpers/alert-ladder.ts';
import {
  DEFAULT_RULES,
  contactDaysFrom,
  d,
  legacySsc,
  mandated,
  officer,
  regular,
  review,
  substitute,
} from '../helpers/facts.ts';

/** Start corrected to 2025-09-30: grace due date 2026-03-30 (a Monday), two days earlier. */
const earlier = () => graceOfficer({ assignments: [regular('2025-09-30', { trainingUnavailable: true })] });
const EARLIER_DUE = d('2026-03-30');
/** Start corrected to 2025-10-15: grace due date 2026-04-15 (a Wednesday), two weeks later. */
const later = () => graceOfficer({ assignments: [regular('2025-10-15', { trainingUnavailable: true })] });
const LATER_DUE = d('2026-04-15');

/** Daily scans from `first` through `last`, each scan's plan recorded as the shell records it. */
function replay(facts: OfficerFacts, first: string, last: string, ledger: LedgerFact[] = []): LedgerFact[] {
  for (let day = d(first); day <= last; day = addDays(day, 1)) {
    const { plan } = scan(facts, day, { ledger });
    ledger = [...ledger, ...record(plan.send, 'SENT'), ...record(plan.supersede, 'SUPERSEDED')];
  }
  return ledger;
}

const sent = (s: Scan) => s.plan.send.map((a) => ({ kind: a.kind, lead: a.lead, level: a.level }));

describe('RULES.md 8: the obligation of each deadline (section 8 table)', () => {
  const obligationOn = (facts: OfficerFacts, day: string) => evaluateOfficer(facts, d(day), DEFAULT_RULES).obligation;

  it('LEGACY, PRE_MANDATE, NEW_SRO (with or without grace) and SUBSTITUTE:<school year>', () => {
    const legacy = officer({ assignments: [regular('2024-08-20')], trainings: [legacySsc('2023-06-01')] });
    expect(obligationOn(legacy, '2026-01-15')).toBe('LEGACY');
    expect(obligationOn(officer({ assignments: [regular('2024-08-20')] }), '2026-01-15')).toBe('PRE_MANDATE');
    expect(obligationOn(officer({ assignments: [regular('2025-10-01')] }), '2026-01-15')).toBe('NEW_SRO');
    expect(obligationOn(graceOfficer(), '2026-01-15')).toBe('NEW_SRO');
    const sub = (opts = {}) =>
      officer({ assignments: [substitute('2025-09-02', opts)], contactDays: contactDaysFrom('2025-09-02', 60) });
    expect(obligationOn(sub(), '2025-11-15')).toBe('SUBSTITUTE:2025-2026');
    expect(obligationOn(sub({ trainingUnavailable: true }), '2025-11-15')).toBe('SUBSTITUTE:2025-2026');
  });

  it('the obligation never includes a correctable date: a corrected start date keeps NEW_SRO', () => {
    expect(evaluateOfficer(earlier(), d('2026-03-01'), DEFAULT_RULES)).toMatchObject({
      dueDate: EARLIER_DUE,
      obligation: 'NEW_SRO',
    });
    expect(evaluateOfficer(later(), d('2026-03-01'), DEFAULT_RULES)).toMatchObject({
      dueDate: LATER_DUE,
      obligation: 'NEW_SRO',
    });
  });
});

describe('RULES.md 8: a due date moved earlier', () => {
  // Level 1 went out on 2026-04-02 (day 0 of the old date), after every reminder.
  const before = replay(graceOfficer(), '2026-03-20', '2026-04-02');

  it('given level 1 sent, when the date moves two days earlier and level 1 is still the step due, then nothing new is sent', () => {
    expect(levelsOf(ofKind(scan(graceOfficer(), '2026-04-02').plan.send, 'DEADLINE_MISSED'))).toEqual([1]);
    const s = scan(earlier(), '2026-04-02', { ledger: before });
    expect(s.status).toMatchObject({ status: 'OVERDUE', dueDate: EARLIER_DUE });
    expect(s.plan.send).toEqual([]);
    expect(s.plan.supersede).toEqual([]);
  });

  it('then the next level is due by the new date (a day 7 two days sooner) and it says the date was corrected; the one after does not', () => {
    const quiet = replay(earlier(), '2026-04-03', '2026-04-06', before);
    expect(quiet).toHaveLength(before.length);
    const level2 = scan(earlier(), '2026-04-07', { ledger: quiet });
    expect(sent(level2)).toEqual([{ kind: 'DEADLINE_MISSED', lead: null, level: 2 }]);
    expect(level2.plan.send[0]).toMatchObject({
      dueDate: EARLIER_DUE,
      correctedFrom: GRACE_DUE,
      obligation: 'NEW_SRO',
    });
    expect(emails(level2.plan.send[0]!)).toEqual(ESCALATED);
    const after = [...quiet, ...record(level2.plan.send, 'SENT')];
    const level3 = scan(earlier(), '2026-04-30', { ledger: after });
    expect(sent(level3)).toEqual([{ kind: 'DEADLINE_MISSED', lead: null, level: 3 }]);
    expect(level3.plan.send[0]?.correctedFrom ?? null).toBeNull();
  });
});

describe('RULES.md 8: a due date moved later', () => {
  const before = replay(graceOfficer(), '2026-01-01', '2026-04-02');

  it('given every reminder and level 1 sent, when the date moves two weeks later, then no reminder and no level 1 is sent again', () => {
    const sentBefore = before.filter((l) => l.status === 'SENT');
    expect(new Set(sentBefore.filter((l) => l.kind === 'DEADLINE_MISSED').map((l) => l.level))).toEqual(new Set([1]));
    expect(sentBefore.some((l) => l.kind === 'DEADLINE_REMINDER' && l.lead === 1)).toBe(true);
    const s = scan(later(), '2026-04-03', { ledger: before });
    expect(s.status).toMatchObject({ status: 'IN_GRACE', dueDate: LATER_DUE });
    expect(s.plan.send).toEqual([]);
    // Lead 1 on the new due date, then day 0 (level 1) of the new date: taken already.
    const through = replay(later(), '2026-04-03', '2026-04-21', before);
    expect(through).toHaveLength(before.length);
  });

  it('then level 2 follows seven days after the new first overdue day, saying the date was corrected', () => {
    const through = replay(later(), '2026-04-03', '2026-04-22', before);
    const s = scan(later(), '2026-04-23', { ledger: through });
    expect(sent(s)).toEqual([{ kind: 'DEADLINE_MISSED', lead: null, level: 2 }]);
    expect(s.plan.send[0]).toMatchObject({ dueDate: LATER_DUE, correctedFrom: GRACE_DUE });
  });

  it('a correction while reminders are running: the next lead is the first alert with the new date, and says so', () => {
    // Lead 30 went out for 2026-04-01 (on 2026-03-02); the date moves to 2026-04-15, lead 30
    // is crossed again (taken), and lead 14 (from 2026-04-01) says it was corrected.
    const early = replay(graceOfficer(), '2026-03-02', '2026-03-10');
    expect(replay(later(), '2026-03-11', '2026-03-31', early)).toHaveLength(early.length);
    const s = scan(later(), '2026-04-01', { ledger: early });
    expect(sent(s)).toEqual([{ kind: 'DEADLINE_REMINDER', lead: 14, level: null }]);
    expect(s.plan.send[0]).toMatchObject({ dueDate: LATER_DUE, correctedFrom: GRACE_DUE });
  });
});

describe('RULES.md 8: the first alert says so, counted from what was told', () => {
  it('a superseded step or a step that found no address told nobody: the date told is that of the last step sent', () => {
    const told = rows({ kind: 'DEADLINE_MISSED', dueDate: GRACE_DUE, level: 1 }, STANDARD);
    const notTold = [
      ...rows({ kind: 'DEADLINE_MISSED', dueDate: EARLIER_DUE, level: 1 }, STANDARD, 'SUPERSEDED'),
      ...rows({ kind: 'DEADLINE_MISSED', dueDate: EARLIER_DUE, level: 1 }, ['NO_CONTACT_ON_FILE'], 'FAILED'),
    ];
    const s = scan(earlier(), '2026-04-07', { ledger: [...told, ...notTold] });
    expect(s.plan.send[0]).toMatchObject({ level: 2, correctedFrom: GRACE_DUE });
  });

  it('a date moved back to the one last told is no correction', () => {
    const told = rows({ kind: 'DEADLINE_MISSED', dueDate: GRACE_DUE, level: 1 }, STANDARD);
    const s = scan(graceOfficer(), '2026-04-09', { ledger: told });
    expect(s.plan.send[0]).toMatchObject({ level: 2 });
    expect(s.plan.send[0]?.correctedFrom ?? null).toBeNull();
  });
});

describe('RULES.md 8: RESOLVED once per obligation', () => {
  const escalations = [
    ...rows({ kind: 'DEADLINE_MISSED', dueDate: GRACE_DUE, level: 1 }, STANDARD),
    ...rows({ kind: 'DEADLINE_MISSED', dueDate: EARLIER_DUE, level: 2 }, ESCALATED),
  ];
  const trained = (on: string) => earlier().trainings.concat(mandated(on));

  it('given overdue notices sent for the old and the new date, when the course is recorded, then one RESOLVED goes to everyone who got either', () => {
    const s = scan({ ...earlier(), trainings: trained('2026-04-10') }, '2026-04-10', { ledger: escalations });
    const resolved = ofKind(s.plan.send, 'RESOLVED');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ obligation: 'NEW_SRO', dueDate: EARLIER_DUE });
    expect(emails(resolved[0]!)).toEqual(ESCALATED);
  });

  it('given RESOLVED sent, when the training is deleted, the date corrected and the course recorded again, then RESOLVED is not sent again', () => {
    const first = scan({ ...earlier(), trainings: trained('2026-04-10') }, '2026-04-10', { ledger: escalations });
    const ledger = [...escalations, ...record(first.plan.send, 'SENT')];
    // The training was a mistake (deleted): OVERDUE again at level 2; nothing new is due.
    expect(scan(earlier(), '2026-04-12', { ledger }).plan.send).toEqual([]);
    // The start date is corrected back and the course recorded on another day.
    const again = scan({ ...graceOfficer(), trainings: [mandated('2026-04-20')] }, '2026-04-20', { ledger });
    expect(ofKind(again.plan.send, 'RESOLVED')).toEqual([]);
  });
});

describe('RULES.md 8: a pending step re-checked after the date moved (RULES.md 5 "Never stale")', () => {
  const planned = (kind: 'DEADLINE_MISSED' | 'DEADLINE_REMINDER', dueDate: CivilDate, step: number) => ({
    kind,
    dueDate,
    obligation: 'NEW_SRO' as const,
    lead: kind === 'DEADLINE_REMINDER' ? step : null,
    level: kind === 'DEADLINE_MISSED' ? step : null,
    threshold: null,
    schoolYear: null,
  });
  const statusOf = (facts: OfficerFacts, day: string) => evaluateOfficer(facts, d(day), DEFAULT_RULES);

  it('level 1 planned for the old date is still owed when the officer is overdue for the new one', () => {
    expect(isStillDue(planned('DEADLINE_MISSED', GRACE_DUE, 1), statusOf(earlier(), '2026-04-02'), ALERT_CONFIG)).toBe(
      true,
    );
  });

  it('level 1 planned for the old date is not owed once the date moved later than today (not OVERDUE)', () => {
    expect(isStillDue(planned('DEADLINE_MISSED', GRACE_DUE, 1), statusOf(later(), '2026-04-02'), ALERT_CONFIG)).toBe(
      false,
    );
  });

  it('a step of another obligation is not owed', () => {
    const legacy = { ...planned('DEADLINE_REMINDER', d('2027-05-31'), 30), obligation: 'LEGACY' as const };
    const pre = officer({ assignments: [regular('2024-08-20')], policyReviews: [review('2024-08-01')] });
    expect(isStillDue(legacy, statusOf(pre, '2025-08-20'), ALERT_CONFIG)).toBe(false);
  });
});
