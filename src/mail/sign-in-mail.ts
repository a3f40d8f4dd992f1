// The sign-in e-mail: the link and the code, in the document model the alerts use, so it
// renders as text and HTML the same way and goes through the same transport.
import { type MailDocument, renderHtml, renderText } from './format.ts';
import { headerSafe } from './escape.ts';
import type { OutgoingMail } from './transport.ts';

export const SIGN_IN_MINUTES = 15;

export function signInMail(input: { from: string; to: string; link: string; code: string }): OutgoingMail {
  const doc: MailDocument = {
    title: 'Sign in to the SRO compliance console',
    banner: 'Your sign-in link and code',
    tone: 'info',
    greeting: 'Hello,',
    lead: [
      `Someone (we hope you) asked to sign in to the SRO compliance console with this address. The link and the code below work once, for ${SIGN_IN_MINUTES} minutes.`,
    ],
    sections: [
      {
        heading: 'Sign in',
        facts: [['Code', input.code]],
        steps: [
          'Open the sign-in page (the link below) and press "Sign in", or type the code on the sign-in page where you asked for it.',
          'If you did not ask to sign in, ignore this e-mail: nobody can sign in without the link or the code.',
        ],
        buttons: [{ label: 'Open the sign-in page', href: input.link }],
      },
    ],
    footer: ['This message was generated automatically by the SRO compliance service; replies are not read.'],
  };
  return {
    from: input.from,
    to: headerSafe('To', input.to),
    subject: doc.title,
    text: renderText(doc),
    html: renderHtml(doc),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
    icalEvent: null,
  };
}
