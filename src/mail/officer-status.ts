// Where an officer stands, in the words and with the provisions the e-mails use: the
// console's officer page renders this section (src/web/views), so a chief reads the same
// sentence in the reminder and on the page it links to.
import type { CivilDate } from '../domain/civil-date.ts';
import { SUBSTITUTE_DAY_LIMIT } from '../domain/status.ts';
import type { OfficerIssue, OfficerStatus, TrainingKind } from '../domain/types.ts';
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
  dayAfter,
  isoAndLong,
  lastBusinessDayNote,
  lastBusinessDayText,
  plural,
  restrictedDutiesText,
} from './format.ts';
import { NEXT_STEP } from './alerts/deadline.ts';
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
      return 'No e-mail address is on file for someone this officer\u2019s alerts go to: add it on the agency\u2019s or district\u2019s page (or in the roster).';
    case 'ADDRESS_UNDELIVERABLE':
      return 'An e-mail address this officer\u2019s alerts go to bounced: until it is corrected on the agency\u2019s or district\u2019s page, those alerts also go to the next people on file.';
    default: {
      const _exhaustive: never = issue;
      return _exhaustive;
    }
  }
}

/**
 * "Status": the facts under the page's header (officerHeadline says the status and the days
 * left or overdue, so they are not repeated here): the deadline and what it rests on,
 * restrictions and issues.
 */
export function officerStatusSection(status: OfficerStatus, issues: readonly OfficerIssue[]): MailSection {
  const facts: [string, string][] = [];
  if (status.assumedDutiesOn) facts.push(['Assumed SRO duties on', isoAndLong(status.assumedDutiesOn)]);
  // The header's sentence names the due date; the last business day before it is a fact of its own.
  if (status.dueDate && status.status !== 'OVERDUE') {
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

/** The form the page puts first, as the one action that fits the status. */
type HeadlineAction = 'acknowledge' | 'training' | 'contact-days' | 'review' | null;

/** The top of the officer's page: where the officer stands and what to do next. */
export interface OfficerHeadline {
  /** The status as a label that never contradicts itself: 'Overdue since 2026-11-18 (20 days)'. */
  title: string;
  /** The title after the status's own label (STATUS_LABEL), without its joining punctuation: 'since 2026-11-18 (20 days)'. */
  detail: string;
  /** Where the officer stands, in one sentence to the reader (to the officer: "You must …"). */
  sentence: string;
  /** What to do next, in the e-mails' words (their first step); null when nothing is owed. */
  next: string | null;
  /** The form that does it, which the page shows first (when the viewer may use it). */
  action: HeadlineAction;
}

/** Who reads the page: the officer themself is spoken to ("You must …"). */
export interface HeadlineReader {
  /** 'Dana Olson': how the sentence names the officer to anyone else. */
  officerName: string;
  self: boolean;
  /** The reader records the course (the chief, an admin): the e-mails' steps for the chief. */
  recordsTraining: boolean;
  /** The reader may acknowledge today's missed deadline (RULES.md 6). */
  acknowledges: boolean;
  /** RULES.md 10: the reader is the officer, who submits their training here for the chief's review. */
  submitsTraining?: boolean;
  /** RULES.md 10: the oldest training submitted and waiting for the chief's answer, or null. */
  pendingSubmission?: { kind: TrainingKind; completedOn: CivilDate } | null;
  /** The reader may confirm or reject it (the chief, an admin). */
  reviewsTraining?: boolean;
}

/**
 * The officer page's status header (INTERFACE.md "Pages for people": one next step per page),
 * built from the same steps the e-mails end with (src/mail/alerts/deadline.ts NEXT_STEP), so
 * the page and the e-mail that links to it say the same thing.
 */
export function officerHeadline(
  status: OfficerStatus,
  issues: readonly OfficerIssue[],
  reader: HeadlineReader,
): OfficerHeadline {
  const { title, ...rest } = headlineParts(status, issues, reader);
  const headline = { title: `${STATUS_LABEL[status.status]}${title}`, detail: title.replace(/^[:\s]+/, ''), ...rest };
  // RULES.md 10: a submitted training waiting for the chief's answer is the next step, for
  // the chief (confirm or reject it) and for the officer (wait for it: it counts once confirmed).
  const pending = reader.pendingSubmission;
  if (!pending || status.status === 'INACTIVE') return headline;
  const course = `${TRAINING_LABEL[pending.kind]} completed ${isoAndLong(pending.completedOn)}`;
  if (reader.reviewsTraining)
    return {
      ...headline,
      next: `${reader.self ? 'You' : reader.officerName} submitted ${course}, with its certificate. Read the certificate, then confirm the training or reject it with the reason.`,
      action: 'review',
    };
  if (reader.self)
    return {
      ...headline,
      next: `Your chief has ${course} to confirm: it counts toward your compliance once confirmed.`,
      action: null,
    };
  return headline;
}

/** The officer's step once the course is completed: submit it here (RULES.md 10), else hand the certificate in. */
function handIn(reader: HeadlineReader): string {
  return reader.submitsTraining
    ? 'When you complete it, submit it here with its certificate: it counts once your chief confirms it.'
    : 'Give its certificate to your chief when you complete it.';
}

function headlineParts(
  status: OfficerStatus,
  issues: readonly OfficerIssue[],
  reader: HeadlineReader,
): Omit<OfficerHeadline, 'detail'> {
  const you = reader.self;
  const who = reader.officerName;
  const due = status.dueDate;
  const left = status.daysRemaining;
  switch (status.status) {
    case 'OVERDUE': {
      const late = left === null ? 0 : -left;
      return {
        title: due ? ` since ${dayAfter(due)} (${plural(late, 'day')})` : '',
        sentence: you
          ? `You must complete a POST-approved SRO course as soon as possible: it was due ${due ? isoAndLong(due) : 'earlier'}.`
          : `${who} has not completed the required SRO course, which was due ${due ? isoAndLong(due) : 'earlier'}.`,
        next: you
          ? `Enroll in the next available POST-approved SRO course. ${handIn(reader)}`
          : `${NEXT_STEP.enrollNow(reader.recordsTraining)}${reader.acknowledges ? ` ${NEXT_STEP.acknowledge('')}` : ''}`,
        action: you ? (reader.submitsTraining ? 'training' : null) : 'acknowledge',
      };
    }
    case 'DUE':
    case 'IN_GRACE': {
      const when = left === 0 ? 'due today' : `${plural(left ?? 0, 'day')} left`;
      const finishBy = due ? (lastBusinessDayNote(due)?.day ?? due) : null;
      return {
        title: due ? `${status.status === 'IN_GRACE' ? ': course due' : ' by'} ${due} (${when})` : '',
        sentence: you
          ? `You must complete a POST-approved SRO course by ${due ? isoAndLong(due) : 'the due date'}.`
          : `${who} must complete a POST-approved SRO course by ${due ? isoAndLong(due) : 'the due date'}.`,
        next: you
          ? `Enroll in a POST-approved SRO course that finishes on or before ${finishBy ?? 'the due date'}. ${handIn(reader)}`
          : finishBy
            ? `${NEXT_STEP.enrollBy(finishBy, reader.recordsTraining)}${reader.recordsTraining ? ' When it is completed, record it here with its certificate.' : ''}`
            : null,
        action: you ? (reader.submitsTraining ? 'training' : null) : 'training',
      };
    }
    case 'EXEMPT_SUBSTITUTE': {
      const served = status.contactDays;
      const allowed = SUBSTITUTE_DAY_LIMIT - 1;
      const year = status.schoolYear.label;
      const near = served >= allowed - 14;
      return {
        title: `: ${plural(served, 'contact day')} served in ${year} (${plural(Math.max(allowed - served, 0), 'more day')} allowed)`,
        sentence: you
          ? `You may serve fewer than ${SUBSTITUTE_DAY_LIMIT} student contact days in ${year} without the SRO course; ${plural(served, 'day')} ${served === 1 ? 'is' : 'are'} on record.`
          : `${who} serves as a substitute, exempt from the SRO course while serving fewer than ${SUBSTITUTE_DAY_LIMIT} student contact days in ${year}.`,
        next: you
          ? near
            ? `Ask your chief about an SRO course before your ${SUBSTITUTE_DAY_LIMIT}th contact day.`
            : null
          : near
            ? NEXT_STEP.substituteLimit(year)
            : NEXT_STEP.keepContactDays(''),
        action: you ? null : 'contact-days',
      };
    }
    case 'COMPLIANT': {
      const t = status.qualifyingTraining;
      const missing = issues.includes('CERTIFICATE_MISSING');
      return {
        title: t ? ` since ${t.completedOn}` : '',
        sentence: `${you ? 'You' : who} completed ${t ? `${TRAINING_LABEL[t.kind]} on ${isoAndLong(t.completedOn)}` : 'the required SRO training'}${status.completedLate ? ', after its deadline' : ''}.`,
        next: missing
          ? you
            ? reader.submitsTraining
              ? 'Submit your training here again with a copy of its certificate: your chief confirms it and keeps the copy on file (V.E).'
              : 'Give a copy of your training certificate to your chief, who must keep it on file (V.E).'
            : `${NEXT_STEP.getCertificate} Record the training again with the certificate file, so the copy is on file (V.E).`
          : you
            ? null
            : NEXT_STEP.nothing,
        action: missing && (!you || reader.submitsTraining) ? 'training' : null,
      };
    }
    case 'INACTIVE':
      return {
        title: '',
        sentence: `${you ? 'You have' : `${who} has`} no SRO assignment active on this date, so no training deadline applies.`,
        next: null,
        action: null,
      };
    default: {
      const _exhaustive: never = status.status;
      return _exhaustive;
    }
  }
}
