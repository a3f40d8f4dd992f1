// What the course-deadline alerts share (reminder, overdue notice, substitute near the
// limit): the due date, the provision it rests on, its facts and the closing steps.
import type { CivilDate } from '../../domain/civil-date.ts';
import { SUBSTITUTE_DAY_LIMIT } from '../../domain/status.ts';
import type { OfficerStatus } from '../../domain/types.ts';
import { DEADLINE_BASIS, type LegalBasis, isoAndLong, lastBusinessDayText } from '../format.ts';
import { type AlertContext, AlertRenderError } from './context.ts';

export function requireDueDate(c: AlertContext): CivilDate {
  const due = c.input.alert.dueDate ?? c.input.status.dueDate;
  if (due === null)
    throw new AlertRenderError(
      `${c.input.alert.kind} for officer ${c.input.officer.license} has no due date (alert ${c.input.alert.key})`,
    );
  return due;
}

export function basisOf(status: OfficerStatus): LegalBasis {
  const basis = status.reason ?? status.basis;
  if (basis !== null) return DEADLINE_BASIS[basis];
  // A status without a deadline basis while in grace can only be V.C.
  return status.status === 'IN_GRACE' ? DEADLINE_BASIS.GRACE_PERIOD_EXPIRED : DEADLINE_BASIS.NO_TRAINING_BEFORE_DUTIES;
}

/** The chief keeps the certificate (V.E): the chief is told to get it, anyone else to have it sent to the chief. */
export function chiefStep(c: AlertContext): string {
  const chief = c.input.agency.chiefName
    ? `the chief, ${c.input.agency.chiefName}`
    : `the chief of ${c.input.agency.name}`;
  return c.input.recipient.role === 'CHIEF'
    ? 'When the course is completed, get the training certificate from the officer and keep a copy on file (V.E).'
    : `When the course is completed, ask the officer to send the training certificate to ${chief}, who records the course and keeps a copy (V.E); the reminders stop once it is recorded.`;
}

/**
 * "Record the completed course", for the chief only (RULES.md 7: the chief and admins record a
 * training; a district or escalation contact has no form for it, chiefStep asks them to have
 * the certificate sent to the chief): with PUBLIC_URL on the officer's page (the button under
 * the steps), else in the roster the service imports. Null for anyone else.
 */
export function recordStep(c: AlertContext): string | null {
  if (c.input.recipient.role !== 'CHIEF') return null;
  return c.officerPage === null
    ? 'Have the completed course added to the SRO roster, with its completion date and whether the certificate is on file, so the reminders stop.'
    : "Record the completed course, with a copy of its certificate, on the officer's page in the console (the link below), so the reminders stop.";
}

/**
 * The steps "What to do next" begins with, shared by the e-mails and the officer's page in the
 * console (src/mail/officer-status.ts officerHeadline): one wording for both.
 */
export const NEXT_STEP = {
  /** An overdue course (DEADLINE_MISSED): the chief enrolls the officer, anyone else makes sure of it. */
  enrollNow: (chief: boolean) =>
    chief
      ? 'Enroll the officer in the next available POST-approved SRO course, and note the course date.'
      : 'Make sure the officer is enrolled in the next available POST-approved SRO course.',
  /** A course due by `day` (DEADLINE_REMINDER): the due date, or its last business day. */
  enrollBy: (day: CivilDate, chief: boolean) =>
    chief
      ? `Enroll the officer in a POST-approved SRO course that finishes on or before ${day}.`
      : `Make sure the officer is enrolled in a POST-approved SRO course that finishes on or before ${day}.`,
  /** RULES.md 6; `where` is " on the officer's page (the link below)" in an e-mail, "" on that page. */
  acknowledge: (where: string) =>
    `Acknowledge the missed deadline${where}, with a note and the planned completion date: everyone who receives the later notices reads it (it does not stop them).`,
  /** A substitute near the limit (SUBSTITUTE_NEARING_LIMIT), for school year `year`. */
  substituteLimit: (year: string) =>
    `The officer may not serve a ${SUBSTITUTE_DAY_LIMIT}th contact day in ${year} untrained: enroll the officer in a POST-approved SRO course that finishes before that day, or schedule a trained officer for the remaining days.`,
  /** A substitute's days; `where` is " on the officer's page (the link below)" in an e-mail, "" on that page. */
  keepContactDays: (where: string) =>
    `Record each contact day the officer serves${where}, so the count above stays right.`,
  /** A trained officer without a certificate on file (CERTIFICATE_MISSING). */
  getCertificate: 'Get the training certificate from the officer or from the course provider.',
  /** Nothing owed (RESOLVED). */
  nothing: 'Nothing else is needed. The chief keeps a copy of the training certificate on file (V.E).',
} as const;

/** With PUBLIC_URL, the step that acknowledges a missed deadline on the officer's page (RULES.md 6); null without. */
export function acknowledgeStep(c: AlertContext): string | null {
  return c.officerPage === null ? null : NEXT_STEP.acknowledge(" on the officer's page (the link below)");
}

export function dueFacts(due: CivilDate, daysRemaining: number): [string, string][] {
  const facts: [string, string][] = [
    ['Due date', isoAndLong(due)],
    [
      daysRemaining < 0 ? 'Days overdue' : 'Days left',
      daysRemaining < 0 ? String(-daysRemaining) : daysRemaining === 0 ? '0 (due today)' : String(daysRemaining),
    ],
  ];
  const lbd = lastBusinessDayText(due);
  if (lbd) facts.push(['Last business day', lbd]);
  return facts;
}
