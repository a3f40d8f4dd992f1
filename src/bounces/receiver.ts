// The SMTP receiver of `sro bounces` (RULES.md 12, INTERFACE.md "Bounces"): the MX of
// BOUNCE_DOMAIN, or where a relay forwards its bounces. It takes mail for the addresses the
// service signed (b-<row>-<signature>@BOUNCE_DOMAIN) and refuses any other recipient at
// RCPT TO (550), counted. A message is answered 250 only once what it says is committed to
// the ledger; if the database fails meanwhile the answer is 451 and the sender tries again
// later, so a receiver restarted mid-message loses nothing (and the ledger's conditional
// updates apply a report delivered twice once).
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { BounceAddresses } from '../app/bounce-address.ts';
import type { BounceOutcome } from '../app/record-bounce.ts';
import type { Logger } from '../shell/log.ts';
import { parseBounce } from './dsn.ts';

export interface BounceReceiverOptions {
  host: string;
  port: number;
  addresses: BounceAddresses;
  /** BOUNCE_MAX_BYTES: larger messages are refused (552) and not read past the limit. */
  maxBytes: number;
  /** PEM files (BOUNCE_TLS_CERT, BOUNCE_TLS_KEY): STARTTLS is offered; null: plain SMTP. */
  tls: { certFile: string; keyFile: string } | null;
  /** Applies a report to a row (recordBounce); throws when the ledger cannot be written. */
  record(rowId: string, report: Awaited<ReturnType<typeof parseBounce>>): Promise<BounceOutcome>;
  /** Counts a recipient refused at RCPT TO. */
  refused(): Promise<void>;
  log: Logger;
}

export interface BounceReceiver {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Reads the message up to `maxBytes`; null when it was larger (the rest is drained, not kept). */
function readMessage(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks)));
  });
}

export async function startBounceReceiver(o: BounceReceiverOptions): Promise<BounceReceiver> {
  const tls = o.tls ? { key: readFileSync(o.tls.keyFile), cert: readFileSync(o.tls.certFile) } : {};
  const server = new SMTPServer({
    ...tls,
    name: o.addresses.domain,
    banner: 'bounce receiver',
    authOptional: true,
    disabledCommands: o.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    size: o.maxBytes,
    maxClients: 200,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (o.addresses.rowIdOf(address.address) !== null) return cb();
      // Counted before the answer, so what the sender sees is already in sro_bounces_total.
      void o
        .refused()
        .catch(() => undefined)
        .then(() => cb(smtpError(550, '5.1.1 no such mailbox here')));
    },
    onData(stream, session, cb) {
      readMessage(stream, o.maxBytes).then(
        async (raw) => {
          if (raw === null) return cb(smtpError(552, `5.3.4 message larger than ${o.maxBytes} bytes`));
          const report = await parseBounce(raw);
          try {
            for (const rcpt of session.envelope.rcptTo) {
              const rowId = o.addresses.rowIdOf(rcpt.address);
              if (rowId === null) continue;
              const outcome = await o.record(rowId, report);
              o.log.info('bounce', { outcome, row: rowId, report: report.kind });
            }
            cb();
          } catch (e) {
            o.log.warn('bounce not recorded; the sender will try again (451)', { error: (e as Error).message });
            cb(smtpError(451, '4.3.0 cannot record this report now, try again later'));
          }
        },
        (e: Error) => cb(smtpError(451, `4.3.0 ${e.message}`)),
      );
    },
  });
  // A client that resets its connection mid-message is an 'error' event: the message is simply not taken.
  server.on('error', (e) => o.log.debug('smtp connection error', { error: e.message }));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
