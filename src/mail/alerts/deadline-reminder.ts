// DEADLINE_REMINDER: the course is due in N days (90, 60, 30 … before the due date), with
// a calendar entry for the due date.
import { daysBetween } from '../../domain/civil-date.ts';
import {
  type MailDocument,
  type RenderedMail,
  citation,
  daysLeftPhrase,
  isoAndLong,
  lastBusinessDayNote,
  officerName,
  plural,
  restrictedDutiesText,
  weekdayName,
} from '../format.ts';
import { deadlineEvent } from '../ics.ts';
import type { AlertContext } from './context.ts';
import { NEXT_STEP, basisOf, chiefStep, dueFacts, recordStep, requireDueDate } from './deadline.ts';
import { alertDocument } from './document.ts';

export function deadlineReminder(c: AlertContext): { doc: MailDocument; ics: RenderedMail['icalEvent'] } {
  const { input } = c;
  const due = requireDueDate(c);
  const left = daysBetween(input.asOf, due);
  const basis = basisOf(input.status);
  const when = left === 0 ? 'due today' : `${plural(left, 'day')} left`;
  const lbd = lastBusinessDayNote(due);
  const restricted = restrictedDutiesText(input.status.restrictedDuties);
  const facts: [string, string][] = [];
  if (input.status.assumedDutiesOn) facts.push(['Assumed SRO duties on', isoAndLong(input.status.assumedDutiesOn)]);
  facts.push(...dueFacts(due, left));
  if (restricted) facts.push(['Restricted duties', restricted]);

  const lead = [
    `${c.who} of ${input.agency.name} must complete a POST-approved school resource officer course by ${isoAndLong(due)}: ${daysLeftPhrase(left)} as of ${input.asOf}.`,
    basis.rule,
  ];
  if (lbd)
    lead.push(
      `The due date is not a business day (${lbd.why}). A course completed on the due date still counts, but plan for the last business day, ${weekdayName(lbd.day)} ${lbd.day}.`,
    );
  if (restricted) lead.push(restricted);
  lead.push('A calendar entry for the due date is attached.');

  const finish = lbd ? lbd.day : due;
  const steps = [NEXT_STEP.enrollBy(finish, input.recipient.role === 'CHIEF')];
  if (input.status.basis === 'LEGACY_DEADLINE_MISSED')
    steps.push(
      'A board-approved supplemental SRO course also satisfies this deadline for an officer with a legacy basic SRO course (V.B).',
    );
  if (input.status.status === 'IN_GRACE')
    steps.push(
      "Make sure the officer's review of the agency's SRO policy (adopted under Minn. Stat. § 626.8482 subd. 6) is on record (V.C).",
    );
  steps.push(chiefStep(c));
  const record = recordStep(c);
  if (record !== null) steps.push(record);

  const doc = alertDocument(c, {
    subject: {
      part: { label: 'due date', value: due },
      text: (officer, dueDate) => `${officer}: course due ${dueDate} — ${when}`,
    },
    banner: `SRO training deadline: ${daysLeftPhrase(left)}`,
    tone: left <= 30 ? 'warning' : 'info',
    lead,
    facts,
    basis,
    steps,
  });

  const summary = `SRO training due: Officer ${officerName(input.officer)}`;
  const description = [
    `${c.who} must complete a POST-approved SRO course by ${isoAndLong(due)}.`,
    lbd ? `Last business day: ${lbd.day}.` : '',
    // ASCII ('Minn. Stat. 626.8482', no '§'): an all-ASCII part goes out as 7bit, readable as-is in the raw message.
    `Rests on: ${citation(basis).replace('§ ', '')}.`,
  ]
    .filter(Boolean)
    .join('\n');
  // One calendar entry per deadline: the UID comes from the alert key without its lead,
  // so the 90-, 60-, 30-… day reminders update the same entry.
  const uidSeed = input.alert.key.replace(/:lead=\d+$/, '');
  const ics = {
    filename: `sro-training-due-${input.officer.license.replace(/[^A-Za-z0-9-]/g, '_')}-${due}.ics`,
    method: 'PUBLISH' as const,
    content: deadlineEvent({ uidSeed, dueDate: due, stamp: input.generatedAt, summary, description }),
  };

  return { doc, ics };
}
