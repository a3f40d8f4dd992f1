// The report of one officer (RULES.md section 3) and the urgency order of the table.
import type { OfficerFacts, OfficerIssue, OfficerStatus, OfficerStatusCode } from './types.ts';

export interface OfficerReport extends Pick<
  OfficerStatus,
  'license' | 'status' | 'reason' | 'dueDate' | 'daysRemaining' | 'contactDays' | 'projected60thDay' | 'completedLate'
> {
  name: string;
  agencyId: string;
  restrictedDuties: number[];
  issues: OfficerIssue[];
}

export function officerReport(
  facts: OfficerFacts,
  status: OfficerStatus,
  noContactOnFile: boolean,
  addressUndeliverable = false,
): OfficerReport {
  const issues = [...status.issues];
  if (noContactOnFile) issues.push('NO_CONTACT_ON_FILE');
  // RULES.md 12: `sro report` shows the mark of an address the officer's alerts go to.
  if (addressUndeliverable) issues.push('ADDRESS_UNDELIVERABLE');
  issues.sort();
  return {
    license: facts.license,
    name: `${facts.firstName} ${facts.lastName}`,
    agencyId: facts.agencyId,
    status: status.status,
    reason: status.reason,
    dueDate: status.dueDate,
    daysRemaining: status.daysRemaining,
    contactDays: status.contactDays,
    projected60thDay: status.projected60thDay,
    restrictedDuties: [...status.restrictedDuties],
    issues,
    completedLate: status.completedLate,
  };
}

// Every status, checked complete by the compiler (a status added to the type must be listed).
const STATUSES: Record<OfficerStatusCode, true> = {
  COMPLIANT: true,
  EXEMPT_SUBSTITUTE: true,
  DUE: true,
  IN_GRACE: true,
  OVERDUE: true,
  INACTIVE: true,
};

/** Every status of RULES.md section 3, in its order (what `report --status` accepts). */
export const OFFICER_STATUSES = Object.freeze(Object.keys(STATUSES) as OfficerStatusCode[]);

/** The status named `text` (any letter case), or null when it is none of OFFICER_STATUSES. */
export function parseOfficerStatus(text: string): OfficerStatusCode | null {
  const upper = text.trim().toUpperCase();
  return OFFICER_STATUSES.find((s) => s === upper) ?? null;
}

const RANK: Record<OfficerStatusCode, number> = {
  OVERDUE: 0,
  DUE: 1,
  IN_GRACE: 1,
  EXEMPT_SUBSTITUTE: 2,
  COMPLIANT: 3,
  INACTIVE: 4,
};

/** A status's place in the urgency order (the first key of byUrgency; the status snapshot's index stores it). */
export function urgencyRank(status: OfficerStatusCode): number {
  return RANK[status];
}

/** Overdue first (most days overdue first), then soonest due, then the rest; ties by license. */
export function byUrgency(a: OfficerReport, b: OfficerReport): number {
  return (
    RANK[a.status] - RANK[b.status] ||
    (a.daysRemaining ?? Infinity) - (b.daysRemaining ?? Infinity) ||
    b.contactDays - a.contactDays ||
    b.issues.length - a.issues.length ||
    (a.license < b.license ? -1 : a.license > b.license ? 1 : 0)
  );
}
