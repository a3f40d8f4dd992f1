// One e-mail per alert kind (RULES.md 5): subject a chief can triage from the inbox, then
// who, what, when, the provision it rests on and what to do next, as text and HTML with the
// same content. Pure: the as-of date and the calendar stamp come in as data; nothing is sent.
// Each kind's content is in src/mail/alerts/<kind>.ts; the scaffold they share in alerts/document.ts.
import { type MailDocument, type RenderedMail, alertHeaders, renderHtml, renderText } from './format.ts';
import { certificateMissing } from './alerts/certificate-missing.ts';
import { type AlertMailInput, AlertRenderError, alertContext, standInLead } from './alerts/context.ts';
import { deadlineMissed } from './alerts/deadline-missed.ts';
import { dueDateCorrectionText } from './due-date-correction.ts';
import { deadlineReminder } from './alerts/deadline-reminder.ts';
import { policyReviewMissing } from './alerts/policy-review-missing.ts';
import { resolved } from './alerts/resolved.ts';
import { substituteNearingLimit } from './alerts/substitute-nearing-limit.ts';

export { type AlertMailInput, AlertRenderError } from './alerts/context.ts';

/** The e-mail for one (alert, recipient). Throws HeaderInjectionError (code HEADER_INJECTION) for CR/LF in a name or address. */
export function renderAlert(input: AlertMailInput): RenderedMail {
  const c = alertContext(input);
  const kind = input.alert.kind;
  let doc: MailDocument;
  let icalEvent: RenderedMail['icalEvent'] = null;
  switch (kind) {
    case 'DEADLINE_REMINDER': {
      const r = deadlineReminder(c);
      doc = r.doc;
      icalEvent = r.ics;
      break;
    }
    case 'DEADLINE_MISSED':
      doc = deadlineMissed(c);
      break;
    case 'SUBSTITUTE_NEARING_LIMIT':
      doc = substituteNearingLimit(c);
      break;
    case 'CERTIFICATE_MISSING':
      doc = certificateMissing(c);
      break;
    case 'POLICY_REVIEW_MISSING':
      doc = policyReviewMissing(c);
      break;
    case 'RESOLVED':
      doc = resolved(c);
      break;
    default: {
      const _exhaustive: never = kind;
      throw new AlertRenderError(`no template for alert kind ${String(_exhaustive)}`);
    }
  }
  // RULES.md 12: an alert that reaches someone because an address bounced says so first;
  // RULES.md 8 "Say so": then that the due date the reader was told moved.
  const opening = standInLead(input);
  const corrected = input.dueDateCorrection ? dueDateCorrectionText(input.dueDateCorrection) : null;
  const first = [opening, corrected].filter((x): x is string => x !== null && x !== undefined && x !== '');
  if (first.length > 0) doc = { ...doc, lead: [...first, ...doc.lead] };
  return {
    subject: doc.title,
    text: renderText(doc),
    html: renderHtml(doc),
    headers: alertHeaders(input.ledgerKey, kind),
    icalEvent,
  };
}
