// Where an officer stands, in the words and with the provisions the e-mails use: the
// console's officer page renders this section (src/web/views), so a chief reads the same
// sentence in the reminder and on the page it links to.
import { SUBSTITUTE_DAY_LIMIT } from '../domain/status.ts';
import type { OfficerIssue, OfficerStatus } from '../domain/types.ts';
import {
  CERTIFICATE_BASIS,
  DEADLINE_BASIS,
  type LegalBasis,
  type MailSection,
  POLICY_REVIEW_BASIS,
  STATUS_LABEL,
  TRAINING_LABEL,
  TRAINING_REQUIREMENT_BASIS,
  citation,
  daysLeftPhrase,
  isoAndLong,
  lastBusinessDayText,
  restrictedDutiesText,
} from './format.ts';
import type { Tone } from './format.ts';

/** The provision the status rests on: the deadline's, else the training requirement. */
function statusBasis(status: OfficerStatus): LegalBasis {
  const basis = status.reason ?? status.basis;
  if (basis) return DEADLINE_BASIS[basis];
  if (status.status === 'EXEMPT_SUBSTITUTE') return DEADLINE_BASIS.SUBSTITUTE_LIMIT_REACHED;
  return TRAINING_REQUIREMENT_BASIS;
}

export const STATUS_TONE: Record<OfficerStatus['status'], Tone> = {
  COMPLIANT: 'success',
  EXEMPT_SUBSTITUTE: 'info',
  DUE: 'warning',
  IN_GRACE: 'warning',
  OVERDUE: 'danger',
  INACTIVE: 'info',
};

/** An issue in a sentence, with the provision it rests on. */
export function issueText(issue: OfficerIssue, status: OfficerStatus): string {
  switch (issue) {
    case 'CERTIFICATE_MISSING':
      return `No copy of the most recent training certificate is on file. ${CERTIFICATE_BASIS.rule} (${citation(CERTIFICATE_BASIS)})`;
    case 'POLICY_REVIEW_MISSING': {
      const b = POLICY_REVIEW_BASIS[status.status === 'IN_GRACE' ? 'IN_GRACE' : 'SUBSTITUTE'];
      return `No review of the agency's SRO policy is on record. ${b.rule} (${citation(b)})`;
    }
    case 'NO_CONTACT_ON_FILE':
      return 'No e-mail address is on file for someone this officer\u2019s alerts go to: the roster must name one.';
    default: {
      const _exhaustive: never = issue;
      return _exhaustive;
    }
  }
}

/** "Status": the status in words, the deadline and what it rests on, restrictions and issues. */
export function officerStatusSection(
  status: OfficerStatus,
  issues: readonly OfficerIssue[],
  asOf: string,
): MailSection {
  const facts: [string, string][] = [[`Status as of ${asOf}`, STATUS_LABEL[status.status]]];
  if (status.qualifyingTraining && status.status === 'COMPLIANT')
    facts.push([
      'Completed',
      `${TRAINING_LABEL[status.qualifyingTraining.kind]} on ${isoAndLong(status.qualifyingTraining.completedOn)}${status.completedLate ? ' (after its deadline)' : ''}`,
    ]);
  if (status.assumedDutiesOn) facts.push(['Assumed SRO duties on', isoAndLong(status.assumedDutiesOn)]);
  if (status.dueDate) {
    facts.push(['Due date', isoAndLong(status.dueDate)]);
    if (status.daysRemaining !== null) facts.push(['Days left', daysLeftPhrase(status.daysRemaining)]);
    const lbd = lastBusinessDayText(status.dueDate);
    if (lbd) facts.push(['Last business day', lbd]);
  }
  if (status.status === 'EXEMPT_SUBSTITUTE' || status.contactDays > 0) {
    facts.push([
      `Contact days in ${status.schoolYear.label}`,
      `${status.contactDays} of the ${SUBSTITUTE_DAY_LIMIT} that end the substitute exemption`,
    ]);
    if (status.projected60thDay)
      facts.push([`Scheduled ${SUBSTITUTE_DAY_LIMIT}th day`, isoAndLong(status.projected60thDay)]);
  }
  const restricted = restrictedDutiesText(status.restrictedDuties);
  if (restricted) facts.push(['Restricted duties', restricted]);
  const basis = statusBasis(status);
  facts.push(['Rule', basis.rule], ['Rests on', citation(basis)]);
  return {
    heading: 'Status',
    facts,
    list: issues.map((i) => issueText(i, status)),
  };
}
