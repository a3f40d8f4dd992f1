// Bounces as a relay sends them back (RULES.md 12): a delivery status notification (RFC 3464)
// or an abuse report (RFC 5965) for one of the service's bounce addresses, delivered over
// SMTP to `sro bounces`' receiver (in-process here, on a free loopback port).
import nodemailer from 'nodemailer';
import { bounceAddresses } from '../../src/app/bounce-address.ts';
import { recordBounce } from '../../src/app/record-bounce.ts';
import { type BounceReceiver, startBounceReceiver } from '../../src/bounces/receiver.ts';
import type { Config } from '../../src/config.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import { silentLogger } from '../../src/shell/log.ts';
import type { Runtime } from '../../src/worker/runtime.ts';
import { countBounceOutcome } from '../../src/app/record-bounce.ts';

export const BOUNCE_DOMAIN = 'bounces.sro.example';

/** A receiver of `sro bounces` on the runtime's database and queues; its "today" is `today`. */
export async function startTestBounceReceiver(
  runtime: Runtime,
  config: Config,
  today = '2026-03-02',
): Promise<BounceReceiver> {
  const deps = {
    pool: runtime.pool,
    work: runtime.work,
    adminEmails: config.adminEmails,
    log: silentLogger,
    today: () => civilDate(today),
  };
  return startBounceReceiver({
    host: '127.0.0.1',
    port: 0,
    addresses: bounceAddresses(config.bounceDomain!, config.secretKey!),
    maxBytes: config.bounceMaxBytes,
    tls: null,
    record: (rowId, report) => recordBounce(deps, rowId, report),
    refused: () => countBounceOutcome(runtime.pool, 'refused'),
    log: silentLogger,
  });
}

/** A DSN (multipart/report; report-type=delivery-status) about `recipient`, with the original message's headers. */
export function dsn(o: {
  to: string;
  recipient: string;
  status: string;
  action: 'failed' | 'delayed' | 'delivered';
  diagnostic: string;
  alertKey?: string;
}): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@relay.example>',
    `To: ${o.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"',
    '',
    '--BOUNDARY',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host relay.example. Your message could not be delivered.',
    '',
    '--BOUNDARY',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.example',
    'Arrival-Date: Mon, 2 Mar 2026 08:00:00 -0600',
    '',
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Original-Recipient: rfc822;${o.recipient}`,
    `Action: ${o.action}`,
    `Status: ${o.status}`,
    `Remote-MTA: dns; mx.remote.example`,
    `Diagnostic-Code: smtp; ${o.diagnostic}`,
    '',
    '--BOUNDARY',
    'Content-Type: text/rfc822-headers',
    '',
    'From: SRO Compliance <no-reply@sro.example>',
    `To: ${o.recipient}`,
    `X-SRO-Alert-Key: ${o.alertKey ?? 'unknown'}`,
    '',
    '--BOUNDARY--',
    '',
  ].join('\r\n');
}

/** An abuse report (RFC 5965) about an e-mail to `recipient`. */
export function arf(o: { to: string; recipient: string }): string {
  return [
    'From: abuse@mailbox.example',
    `To: ${o.to}`,
    'Subject: FW: abuse report',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"',
    '',
    '--ARF',
    'Content-Type: text/plain',
    '',
    'This is an e-mail abuse report.',
    '',
    '--ARF',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: MailboxFeedback/1.0',
    'Version: 1',
    `Original-Rcpt-To: <${o.recipient}>`,
    '',
    '--ARF',
    'Content-Type: text/rfc822-headers',
    '',
    `To: ${o.recipient}`,
    '',
    '--ARF--',
    '',
  ].join('\r\n');
}

/** Delivers `raw` to the receiver with the null sender, as bounces come; the server's answer. */
export async function deliverBounce(
  port: number,
  to: string,
  raw: string | Buffer,
): Promise<{ accepted: boolean; code: number | null; message: string }> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, logger: false });
  try {
    await t.sendMail({ envelope: { from: '', to }, raw });
    return { accepted: true, code: 250, message: 'ok' };
  } catch (e) {
    const err = e as Error & { responseCode?: number };
    return { accepted: false, code: err.responseCode ?? null, message: err.message };
  } finally {
    t.close();
  }
}

/** What a bounce test reads back from the worker's database: ledger rows, marks, the tally. */
export function bounceReads(runtime: () => Runtime) {
  return {
    rows: async (where = 'true', params: unknown[] = []) =>
      (
        await runtime().pool.query(
          `SELECT key, status::text AS status, recipient, bounce_status, bounce_diagnostic, delivery_note, complaint_note, stands_in_for
           FROM alert_ledger WHERE ${where} ORDER BY created_at, key`,
          params,
        )
      ).rows,
    marks: async () =>
      (await runtime().pool.query('SELECT scope, scope_id, email, marked_on::text AS on FROM undeliverable_address'))
        .rows,
    tally: async () =>
      new Map(
        (await runtime().pool.query('SELECT kind, n::int AS n FROM bounce_tally')).rows.map((r) => [
          r.kind as string,
          r.n as number,
        ]),
      ),
  };
}
