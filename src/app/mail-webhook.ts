// A mail provider's delivery events (RULES.md 12, INTERFACE.md "Bounces"): POST
// /hooks/mail/:provider on the console, reached by the provider, not by a person. SendGrid's
// signed event webhook is the one read (README "Bounces" says why). The signature is checked
// before anything else; a request that is unsigned or forged changes nothing and is counted
// (sro_bounces_total{kind="forged"}). Each event naming a row the service signed has the same
// effect as a DSN about it (recordBounce); an event naming no row is counted, nothing more.
// Every event is applied once: the same request delivered again (SendGrid retries until it
// gets a 2xx) finds its rows applied already and changes nothing.
import type { KeyObject } from 'node:crypto';
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  sendgridEvents,
  sendgridSigned,
} from '../bounces/sendgrid.ts';
import type { BounceAddresses } from './bounce-address.ts';
import { type BounceDeps, type BounceOutcome, countBounceOutcome, recordBounce } from './record-bounce.ts';

export interface MailWebhookDeps extends BounceDeps {
  /** BOUNCE_DOMAIN's addresses; null: no alert names a row, so no event can. */
  addresses: BounceAddresses | null;
  /** SENDGRID_WEBHOOK_PUBLIC_KEY; null: the webhook is not set up. */
  sendgridKey: KeyObject | null;
}

export type MailWebhookAnswer =
  /** No such provider, or not set up here. */
  | { kind: 'not_found' }
  /** No signature, or no timestamp: counted as forged. */
  | { kind: 'unsigned' }
  /** A signature that does not verify: counted as forged. */
  | { kind: 'forged' }
  /** Signed, but not a JSON array of events. */
  | { kind: 'unreadable' }
  /** Every event applied (or counted): what became of each. */
  | { kind: 'recorded'; outcomes: (BounceOutcome | 'forged')[] };

/**
 * Reads one webhook request. Throws when the ledger cannot be written: the provider is
 * answered 5xx and sends the request again later (the events applied meanwhile count once).
 */
export async function receiveMailWebhook(
  deps: MailWebhookDeps,
  provider: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: Buffer,
): Promise<MailWebhookAnswer> {
  if (provider !== 'sendgrid' || !deps.sendgridKey || !deps.addresses) return { kind: 'not_found' };
  const signature = headers[SENDGRID_SIGNATURE_HEADER];
  const timestamp = headers[SENDGRID_TIMESTAMP_HEADER];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') {
    await countBounceOutcome(deps.pool, 'forged');
    return { kind: 'unsigned' };
  }
  if (!sendgridSigned(deps.sendgridKey, signature, timestamp, body)) {
    await countBounceOutcome(deps.pool, 'forged');
    return { kind: 'forged' };
  }
  const events = sendgridEvents(body);
  if (events === null) {
    await countBounceOutcome(deps.pool, 'unreadable');
    return { kind: 'unreadable' };
  }
  const outcomes: (BounceOutcome | 'forged')[] = [];
  for (const event of events) {
    if (event.returnPath === null) {
      // An e-mail that names no row (a sign-in e-mail, another sender on the account).
      await countBounceOutcome(deps.pool, 'unknown_row');
      outcomes.push('unknown_row');
      continue;
    }
    const rowId = deps.addresses.rowIdOf(event.returnPath);
    if (rowId === null) {
      // Signed by SendGrid, but the address was not signed by this service.
      await countBounceOutcome(deps.pool, 'forged');
      outcomes.push('forged');
      continue;
    }
    const outcome = await recordBounce(deps, rowId, event.report);
    deps.log.info('provider event', { provider, outcome, row: rowId, report: event.report.kind });
    outcomes.push(outcome);
  }
  return { kind: 'recorded', outcomes };
}
