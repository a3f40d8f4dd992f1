// The e-mails about a training the officer submitted (RULES.md 10): to the chief at once
// (TRAINING_SUBMITTED), with the link to the officer's page where the chief reads the
// certificate and confirms or rejects it; to the officer when it is rejected
// (TRAINING_REJECTED), with the reason. Pure: everything comes in as data.
import type { SubmissionAlertKind } from '../domain/alert-types.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import type { TrainingKind } from '../domain/types.ts';
import {
  CERTIFICATE_BASIS,
  type MailDocument,
  type RenderedMail,
  TRAINING_LABEL,
  alertHeaders,
  citation,
  isoAndLong,
  renderHtml,
  renderText,
} from './format.ts';
import { officerPageUrl } from './alerts/context.ts';

export interface SubmissionMailInput {
  kind: SubmissionAlertKind;
  /** The chief (TRAINING_SUBMITTED) or the officer (TRAINING_REJECTED); name null when none is on file. */
  recipient: { email: string; name: string | null };
  officer: { license: string; firstName: string; lastName: string };
  agencyName: string;
  submission: {
    id: number;
    kind: TrainingKind;
    completedOn: CivilDate;
    courseNumber: string | null;
    provider: string | null;
    /** The day it was submitted, in TZ. */
    submittedOn: CivilDate;
    reason: string | null;
  };
  /** PUBLIC_URL, or null: no console link. */
  consoleUrl: string | null;
  ledgerKey: string;
}

const FOOTER = 'This message was generated automatically by the SRO compliance service; replies are not read.';

export function renderSubmissionMail(input: SubmissionMailInput): RenderedMail {
  const doc = input.kind === 'TRAINING_SUBMITTED' ? submitted(input) : rejected(input);
  return {
    subject: doc.title,
    text: renderText(doc),
    html: renderHtml(doc),
    headers: alertHeaders(input.ledgerKey, input.kind),
    icalEvent: null,
  };
}

function details(input: SubmissionMailInput): [string, string][] {
  const s = input.submission;
  const facts: [string, string][] = [
    ['Officer', `${input.officer.firstName} ${input.officer.lastName} (license ${input.officer.license})`],
    ['Agency', input.agencyName],
    ['Course', TRAINING_LABEL[s.kind]],
    ['Completed on', isoAndLong(s.completedOn)],
  ];
  if (s.courseNumber) facts.push(['Course number', s.courseNumber]);
  if (s.provider) facts.push(['Provider', s.provider]);
  facts.push(['Submitted on', isoAndLong(s.submittedOn)]);
  return facts;
}

function submitted(input: SubmissionMailInput): MailDocument {
  const s = input.submission;
  const name = `${input.officer.firstName} ${input.officer.lastName}`;
  const page = input.consoleUrl
    ? `${officerPageUrl(input.consoleUrl, input.officer.license)}#submission-${s.id}`
    : null;
  return {
    title: `${name} submitted a training for your review: ${TRAINING_LABEL[s.kind]}, completed ${s.completedOn}`,
    banner: 'A training waits for your review',
    tone: 'info',
    greeting: input.recipient.name ? `Dear ${input.recipient.name},` : 'Hello,',
    lead: [
      `${name} submitted ${TRAINING_LABEL[s.kind]}, completed on ${isoAndLong(s.completedOn)}, with its certificate.`,
      "It does not count toward the officer's compliance until you confirm it: the certificate is yours to check and keep (V.E).",
    ],
    sections: [
      { heading: 'Details', facts: [...details(input), ['Rests on', citation(CERTIFICATE_BASIS)]] },
      {
        heading: 'What to do next',
        steps: page
          ? [
              "Open the submission on the officer's page (the link below) and read the certificate.",
              'Confirm the training if the certificate shows it, or reject it with the reason, which the officer is told.',
            ]
          : [
              "Sign in to the console and open the officer's page to read the certificate.",
              'Confirm the training if the certificate shows it, or reject it with the reason, which the officer is told.',
            ],
        buttons: page ? [{ label: 'Review the submitted training', href: page }] : [],
      },
    ],
    footer: [`You receive this e-mail as the chief of ${input.agencyName}.`, FOOTER],
  };
}

function rejected(input: SubmissionMailInput): MailDocument {
  const s = input.submission;
  const page = input.consoleUrl ? officerPageUrl(input.consoleUrl, input.officer.license) : null;
  return {
    title: `Your submitted training was not confirmed: ${TRAINING_LABEL[s.kind]}, completed ${s.completedOn}`,
    banner: 'Your submitted training was not confirmed',
    tone: 'warning',
    greeting: `Dear ${input.officer.firstName} ${input.officer.lastName},`,
    lead: [
      `Your chief did not confirm ${TRAINING_LABEL[s.kind]} you submitted on ${isoAndLong(s.submittedOn)}, so it does not count toward your compliance.`,
      `The reason given: ${s.reason ?? 'none'}`,
    ],
    sections: [
      { heading: 'Details', facts: details(input) },
      {
        heading: 'What to do next',
        steps: [
          'Correct what the reason names (the date, the course, a readable certificate) and submit the training again, or speak with your chief.',
        ],
        buttons: page ? [{ label: 'Open your record', href: page }] : [],
      },
    ],
    footer: [`You receive this e-mail as the officer who submitted the training.`, FOOTER],
  };
}
