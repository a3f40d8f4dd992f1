// The scaffold all six alert e-mails share: a subject that names the officer, the banner,
// the lead paragraphs, "Details" (the common facts, the kind's own, then the provision the
// alert rests on) and "What to do next". Each kind supplies only what differs.
import { headerSafe } from '../escape.ts';
import { type LegalBasis, type MailButton, type MailDocument, type Tone, citation } from '../format.ts';
import type { AlertContext, SubjectPart } from './context.ts';

const SUBJECT_PREFIX = '[SRO training]';

interface AlertSubject {
  /** How the subject names the officer before name and license; 'Officer' unless given. */
  officerLabel?: 'Officer' | 'Substitute Officer';
  /** The one value after the officer (a date, a school year), checked on its own; null for none. */
  part: SubjectPart | null;
  /** The subject after the prefix, from 'Officer Dana Larson (#12345)' and the part's value ('' without a part). */
  text: (officer: string, value: string) => string;
}

export interface AlertSpec {
  subject: AlertSubject;
  banner: string;
  tone: Tone;
  lead: string[];
  /** The kind's own facts, listed after the common ones. */
  facts: [string, string][];
  /** The provision the alert rests on: the last fact, 'Rests on'. */
  basis: LegalBasis;
  steps: string[];
}

/** Every part of the subject is checked before it is joined, so the error names the part that is bad. */
function subject(c: AlertContext, s: AlertSubject): string {
  const check = (p: SubjectPart) => headerSafe(`Subject (${p.label})`, p.value);
  const [first, last, license] = c.officerPart.map(check);
  const value = s.part ? check(s.part) : '';
  return headerSafe(
    'Subject',
    `${SUBJECT_PREFIX} ${s.text(`${s.officerLabel ?? 'Officer'} ${first} ${last} (#${license})`, value)}`,
  );
}

/** What a recipient can do on the officer's page: the chief records any fact, a district contact contact days. */
function pageUse(c: AlertContext): string {
  switch (c.input.recipient.role) {
    case 'CHIEF':
      return ', or to record a training, a policy review or contact days';
    case 'DISTRICT_PRIMARY':
    case 'DISTRICT_ESCALATION':
      return ', or to record the contact days the officer served in your district';
    default:
      return '';
  }
}

/** With PUBLIC_URL: the officer's page, a button under the steps, and the step that says what it is for. */
function consoleParts(c: AlertContext): { steps: string[]; buttons: MailButton[] } {
  if (c.officerPage === null) return { steps: [], buttons: [] };
  return {
    steps: [
      `Open the officer's page in the console (the link below) to see the status, the facts on record and every alert sent${pageUse(c)}.`,
    ],
    buttons: [{ label: "Open the officer's page", href: c.officerPage }],
  };
}

export function alertDocument(c: AlertContext, spec: AlertSpec): MailDocument {
  const web = consoleParts(c);
  return {
    title: subject(c, spec.subject),
    banner: spec.banner,
    tone: spec.tone,
    greeting: c.greeting,
    lead: spec.lead,
    sections: [
      {
        heading: 'Details',
        facts: [...c.commonFacts, ...spec.facts, ['Rests on', citation(spec.basis)]],
      },
      { heading: 'What to do next', steps: [...spec.steps, ...web.steps], buttons: web.buttons },
    ],
    footer: c.footer,
  };
}
