// The status of one officer as of D, read as RULES.md section 3's fields: the helpers the
// status specifications (test/unit/status-*.test.ts) share. D is "the end of day D".
import { evaluateOfficer } from '../../src/domain/status.ts';
import type { OfficerFacts, OfficerStatus, RulesConfig } from '../../src/domain/types.ts';
import { DEFAULT_RULES, d } from './facts.ts';

export function asOf(day: string, facts: OfficerFacts, config: RulesConfig = DEFAULT_RULES): OfficerStatus {
  return evaluateOfficer(facts, d(day), config);
}

/** The RULES.md section-3 fields that evaluateOfficer decides (name and agencyId come from the roster). */
export function section3(s: OfficerStatus) {
  return {
    status: s.status,
    reason: s.reason,
    dueDate: s.dueDate,
    daysRemaining: s.daysRemaining,
    contactDays: s.contactDays,
    projected60thDay: s.projected60thDay,
    restrictedDuties: [...s.restrictedDuties],
    issues: [...s.issues],
    completedLate: s.completedLate,
  };
}

/** Clauses (4) and (5) of subd. 2(a), the duties V.C and V.D excuse (written out, not taken from src). */
export const RESTRICTED = [4, 5];
