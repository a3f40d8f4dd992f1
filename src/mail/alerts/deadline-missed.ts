// DEADLINE_MISSED: the course is overdue; sent at each escalation level (1 to 3).
import { daysBetween } from '../../domain/civil-date.ts';
import { type MailDocument, dayAfter, isoAndLong, plural } from '../format.ts';
import { type AlertContext, acknowledgementText } from './context.ts';
import { NEXT_STEP, acknowledgeStep, basisOf, chiefStep, dueFacts, recordStep, requireDueDate } from './deadline.ts';
import { alertDocument } from './document.ts';

const LEVEL_TEXT: Record<number, string> = {
  1: 'This is the first overdue notice (escalation level 1 of 3). It goes to the chief and the school district contacts.',
  2: "This is escalation level 2 of 3: the agency's and the school district's escalation contacts now receive it as well.",
  3: 'This is the final escalation (level 3 of 3). No further escalation will be sent for this deadline; the weekly digest lists the officer until the course is recorded.',
};

const present = (step: string | null): string[] => (step === null ? [] : [step]);

export function deadlineMissed(c: AlertContext): MailDocument {
  const { input } = c;
  const due = requireDueDate(c);
  const remaining = daysBetween(input.asOf, due);
  // Days past the due date, as a reader counts them (1 on the day after). The escalation
  // ladder counts from 0 on that day (RULES.md 5); the message uses calendar days late.
  const overdue = Math.max(-remaining, 0);
  const level = input.alert.level ?? 1;
  const basis = basisOf(input.status);
  const facts: [string, string][] = [];
  if (input.status.assumedDutiesOn) facts.push(['Assumed SRO duties on', isoAndLong(input.status.assumedDutiesOn)]);
  facts.push(
    ...dueFacts(due, remaining),
    ['Overdue since', isoAndLong(dayAfter(due))],
    ['Escalation level', `${level} of 3`],
  );
  const lead = [
    `${c.who} of ${input.agency.name} has not completed the required school resource officer course. It was due ${isoAndLong(due)}; as of ${input.asOf} it is ${plural(overdue, 'day')} overdue.`,
    basis.rule,
    LEVEL_TEXT[level] ?? `Escalation level ${level}.`,
  ];
  if (input.status.basis === 'GRACE_PERIOD_EXPIRED' || input.status.reason === 'GRACE_PERIOD_EXPIRED') {
    lead.push('The six-month grace period (V.C) has ended, and with it the relief from duties (4) and (5).');
  }
  // RULES.md 6: an acknowledgement is shown to the wider audience; it never holds a level back.
  if (input.acknowledgement) {
    const ack = acknowledgementText(input.acknowledgement);
    lead.push(
      `${ack} An acknowledgment does not stop the escalation: the notices continue until the course is recorded.`,
    );
    facts.push(['Acknowledged', ack.replace(/^Acknowledged /, '')]);
  }
  return alertDocument(c, {
    subject: {
      part: { label: 'due date', value: due },
      text: (officer, dueDate) =>
        `OVERDUE ${plural(overdue, 'day')}: ${officer}, course due ${dueDate} — escalation level ${level}`,
    },
    banner: `SRO training OVERDUE ${plural(overdue, 'day')} — escalation level ${level}`,
    tone: 'danger',
    lead,
    facts,
    basis,
    steps: [
      NEXT_STEP.enrollNow(input.recipient.role === 'CHIEF'),
      input.recipient.role === 'CHIEF'
        ? "Review the officer's SRO assignment with the school district until the course is completed."
        : "Review the officer's SRO assignment with the police department until the course is completed.",
      chiefStep(c),
      ...present(recordStep(c)),
      'Everyone who received this notice is told when the course is recorded.',
      ...present(acknowledgeStep(c)),
    ],
  });
}
