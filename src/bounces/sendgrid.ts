// SendGrid's signed event webhook (INTERFACE.md "Bounces", RULES.md 12): what a POST to
// /hooks/mail/sendgrid says, and whether SendGrid said it. SendGrid signs the request's
// timestamp header followed by its raw body with ECDSA (P-256, SHA-256); the signature is the
// base64 of its DER form. The key is the account's public one (SENDGRID_WEBHOOK_PUBLIC_KEY), so
// a request is checked here, offline, with nothing fetched. The body is a JSON array of events;
// each alert's e-mail carries its bounce address as the unique argument `sro_return_path`
// (src/app/deliver-alert.ts), which SendGrid copies into every event about it.
import { type KeyObject, verify } from 'node:crypto';
import type { BounceReport } from '../app/record-bounce.ts';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** Whether SendGrid signed `timestamp` + `body` with the key's private half. Never throws. */
export function sendgridSigned(key: KeyObject, signature: string, timestamp: string, body: Buffer): boolean {
  if (!/^[A-Za-z0-9+/=]{16,300}$/.test(signature) || !/^\d{1,20}$/.test(timestamp)) return false;
  try {
    return verify(
      'sha256',
      Buffer.concat([Buffer.from(timestamp, 'utf8'), body]),
      { key, dsaEncoding: 'der' },
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** One delivery event: the bounce address it names (null: none, e.g. a sign-in e-mail) and what it says. */
export interface SendgridEvent {
  returnPath: string | null;
  report: BounceReport;
}

/** A diagnostic is shown to people and kept on the row: one line, no control characters, bounded. */
function text(v: unknown, max = 500): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const t = String(v)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (t === '') return null;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const STATUS = /^([245])\.\d{1,3}\.\d{1,3}$/;

/**
 * What one event says, or null for the events that are not about delivery (processed, open,
 * click, unsubscribes: the service reads none of them).
 *   bounce (type bounce)   the receiving server refused it for good: hard
 *   dropped                SendGrid did not send it (a suppressed or invalid address): hard
 *   bounce (type blocked), deferred   refused for now, still tried: soft
 *   spamreport             the recipient marked it as spam: complaint
 *   delivered              delivered
 */
function reportOf(e: Record<string, unknown>): BounceReport | null {
  const event = typeof e.event === 'string' ? e.event : '';
  const status = text(e.status, 20);
  const code = status && STATUS.test(status) ? status : null;
  const reason = text(e.reason) ?? text(e.response);
  switch (event) {
    case 'bounce':
      if (e.type === 'blocked') return { kind: 'soft', status: code, diagnostic: reason, action: 'blocked' };
      return { kind: 'hard', status: code?.startsWith('5') ? code : '5.0.0', diagnostic: reason };
    case 'dropped':
      return { kind: 'hard', status: code?.startsWith('5') ? code : '5.0.0', diagnostic: reason ?? 'dropped' };
    case 'deferred':
      return { kind: 'soft', status: code, diagnostic: reason, action: 'deferred' };
    case 'spamreport':
      return { kind: 'complaint', feedbackType: 'abuse', note: 'marked as spam by the recipient (SendGrid report)' };
    case 'delivered':
      return { kind: 'delivered' };
    default:
      return null;
  }
}

/** The delivery events of a webhook body; null when the body is not a JSON array of objects. */
export function sendgridEvents(body: Buffer): SendgridEvent[] | null {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(json) || json.some((e) => e === null || typeof e !== 'object' || Array.isArray(e))) return null;
  const events: SendgridEvent[] = [];
  for (const e of json as Record<string, unknown>[]) {
    const report = reportOf(e);
    if (!report) continue;
    const returnPath = typeof e.sro_return_path === 'string' ? e.sro_return_path.slice(0, 320) : null;
    events.push({ returnPath, report });
  }
  return events;
}
