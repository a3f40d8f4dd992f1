// RESOLVED: the course is recorded; sent to everyone who received the overdue notice it closes.
import { daysBetween } from '../../domain/civil-date.ts';
import { type MailDocument, TRAINING_LABEL, TRAINING_REQUIREMENT_BASIS, isoAndLong, plural } from '../format.ts';
import { type AlertContext, acknowledgementText } from './context.ts';
import { NEXT_STEP } from './deadline.ts';
import { alertDocument } from './document.ts';

export function resolved(c: AlertContext): MailDocument {
  const { input } = c;
  const due = input.alert.dueDate ?? input.status.dueDate;
  const training = input.status.qualifyingTraining;
  const facts: [string, string][] = [];
  if (training)
    facts.push(['Course', TRAINING_LABEL[training.kind]], ['Completed on', isoAndLong(training.completedOn)]);
  if (due) facts.push(['Was due', isoAndLong(due)]);
  if (due && training && training.completedOn > due)
    facts.push(['Completed late by', plural(daysBetween(due, training.completedOn), 'day')]);
  const lead = [
    `Thank you. ${c.who} completed ${training ? `${TRAINING_LABEL[training.kind]} on ${isoAndLong(training.completedOn)}` : 'the required SRO training'}. The training requirement${due ? ` that was due ${due}` : ''} is now met, and no further overdue notices will be sent for it.`,
    'Thank you to everyone who followed up on the overdue notices.',
  ];
  // RULES.md 6: every later e-mail about the deadline shows the latest acknowledgement.
  if (input.acknowledgement) {
    const ack = acknowledgementText(input.acknowledgement);
    lead.push(`The overdue deadline had been acknowledged. ${ack}`);
    facts.push(['Acknowledged', ack.replace(/^Acknowledged /, '')]);
  }
  if (input.previousRecipients?.length)
    lead.push(
      `This confirmation goes to everyone who received the overdue notice: ${[...input.previousRecipients].sort().join(', ')}.`,
    );
  return alertDocument(c, {
    subject: {
      part: training ? { label: 'completion date', value: training.completedOn } : null,
      text: (officer, completedOn) =>
        `Resolved: ${officer} completed SRO training${completedOn ? ` on ${completedOn}` : ''}`,
    },
    banner: 'Resolved: SRO training completed',
    tone: 'success',
    lead,
    facts,
    basis: TRAINING_REQUIREMENT_BASIS,
    steps:
      training && !training.certificateOnFile
        ? [
            input.recipient.role === 'CHIEF'
              ? 'No training certificate is on file yet: get it from the officer and keep a copy (V.E).'
              : 'No training certificate is on file yet: the chief must keep a copy of it (V.E). Ask the officer to send it to the chief.',
          ]
        : [NEXT_STEP.nothing],
  });
}
