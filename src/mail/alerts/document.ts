// The scaffold all six alert e-mails share: a subject that names the officer, the banner,
// the lead paragraphs, "Details" (the common facts, the kind's own, then the provision the
// alert rests on) and "What to do next". Each kind supplies only what differs.
import { headerSafe } from '../escape.ts';
import { type LegalBasis, type MailDocument, type Tone, citation } from '../format.ts';
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

/** With PUBLIC_URL: the officer's page, a fact (a link in the HTML part) and the step that says what it is for. */
function consoleParts(c: AlertContext): { facts: [string, string][]; steps: string[] } {
  if (c.officerPage === null) return { facts: [], steps: [] };
  return {
    facts: [["Officer's page", c.officerPage]],
    steps: [
      `Open the officer's page in the console to see the status, the facts on record and every alert sent, or to record a training, a policy review or contact days: ${c.officerPage}`,
    ],
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
        facts: [...c.commonFacts, ...spec.facts, ['Rests on', citation(spec.basis)], ...web.facts],
      },
      { heading: 'What to do next', steps: [...spec.steps, ...web.steps] },
    ],
    footer: c.footer,
  };
}
