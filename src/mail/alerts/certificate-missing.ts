// CERTIFICATE_MISSING: the officer is trained, but the chief holds no copy of the training
// certificate (V.E).
import { CERTIFICATE_BASIS, type MailDocument, TRAINING_LABEL, isoAndLong } from '../format.ts';
import type { AlertContext } from './context.ts';
import { NEXT_STEP } from './deadline.ts';
import { alertDocument } from './document.ts';

export function certificateMissing(c: AlertContext): MailDocument {
  const training = c.input.status.qualifyingTraining;
  const facts: [string, string][] = [];
  if (training)
    facts.push(['Course', TRAINING_LABEL[training.kind]], ['Completed on', isoAndLong(training.completedOn)]);
  facts.push(['Certificate on file', 'No']);
  return alertDocument(c, {
    subject: {
      part: training ? { label: 'completion date', value: training.completedOn } : null,
      text: (officer, completedOn) =>
        `${officer}: training certificate not on file${completedOn ? ` — course completed ${completedOn}` : ''}`,
    },
    banner: 'SRO training certificate not on file',
    tone: 'info',
    lead: [
      training
        ? `${c.who} completed ${TRAINING_LABEL[training.kind]} on ${isoAndLong(training.completedOn)}, but the roster shows no copy of the training certificate on file.`
        : `${c.who} is trained, but the roster shows no copy of the training certificate on file.`,
      CERTIFICATE_BASIS.rule,
    ],
    facts,
    basis: CERTIFICATE_BASIS,
    steps: [
      NEXT_STEP.getCertificate,
      "Keep a copy with the officer's training records at the agency (V.E).",
      'Have the training marked "certificate on file" in the SRO roster, so this notice is closed.',
    ],
  });
}
