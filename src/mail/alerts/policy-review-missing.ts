// POLICY_REVIEW_MISSING: no record that the officer reviewed the agency's SRO policy, due
// before the duties began in the grace period (V.C), or before a substitute's first
// contact day of the school year (V.D).
import { type MailDocument, POLICY_REVIEW_BASIS, isoAndLong } from '../format.ts';
import type { AlertContext } from './context.ts';
import { alertDocument } from './document.ts';

export function policyReviewMissing(c: AlertContext): MailDocument {
  const { input } = c;
  const s = input.status;
  // RULES.md 4: in grace the review is due before S (V.C); a substitute's before the first
  // served day of the school year (V.D).
  const substitute = s.status === 'EXEMPT_SUBSTITUTE' || (s.status !== 'IN_GRACE' && input.alert.schoolYear !== null);
  const basis = POLICY_REVIEW_BASIS[substitute ? 'SUBSTITUTE' : 'IN_GRACE'];
  const since = substitute ? s.firstServedDay : s.assumedDutiesOn;
  const facts: [string, string][] = [];
  if (since) facts.push([substitute ? 'First contact day this year' : 'Assumed SRO duties on', isoAndLong(since)]);
  if (!substitute && s.dueDate) facts.push(['Course due date', isoAndLong(s.dueDate)]);
  facts.push(['Policy review on record', `None for ${input.agency.name}${since ? ` on or before ${since}` : ''}`]);
  const steps = [
    `Have the officer review ${input.agency.name}'s SRO policy (adopted under Minn. Stat. § 626.8482 subd. 6), if not done yet.`,
    c.officerPage === null
      ? 'Have the date of the review added to the SRO roster, so this notice is closed.'
      : "Record the review on the officer's page (the link below); the officer may record it there too. This notice is then closed.",
  ];
  if (!substitute) steps.push('The officer still has to complete the SRO course by the course due date above (V.C).');
  return alertDocument(c, {
    subject: {
      officerLabel: substitute ? 'Substitute Officer' : 'Officer',
      part: since ? { label: 'since', value: since } : null,
      text: (officer, sinceDay) =>
        `${officer}: SRO policy review not recorded${sinceDay ? (substitute ? ` — serving since ${sinceDay}` : ` — was due before duties began ${sinceDay}`) : ''}`,
    },
    banner: 'SRO policy review not recorded',
    tone: 'info',
    lead: [
      `The roster has no record that ${c.who} reviewed the school resource officer policy of ${input.agency.name}${since ? ` on or before ${isoAndLong(since)}` : ''}.`,
      basis.rule,
    ],
    facts,
    basis,
    steps,
  });
}
