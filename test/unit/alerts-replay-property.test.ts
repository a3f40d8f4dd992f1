// Alert rules (RULES.md section 5), written from RULES.md, not from the implementation.
// Each case: given an officer's facts, the directory and what the ledger already holds →
// when scanned as of the end of a literal civil date → then what is sent, to whom, and what
// is recorded as superseded. The V.C officer of most cases starts 2025-10-01 with training
// unavailable: grace due date 2026-04-01, so day 0 of OVERDUE is 2026-04-02.
// This file: the property that replays the days around a deadline.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LedgerFact } from '../../src/domain/alerts.ts';
import { type CivilDate, addDays } from '../../src/domain/civil-date.ts';
import { ALERT_CONFIG, GRACE_DUE, graceOfficer, record, scan } from '../helpers/alert-fixtures.ts';
import { leadsOf, levelsOf } from '../helpers/alert-ladder.ts';

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
