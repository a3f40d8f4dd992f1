// A real SMTP receiver in-process (smtp-server), on loopback, that parses what it accepts
// (mailparser). Modes let fault tests refuse connections, defer (4xx) or reject (5xx).
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';

export type SmtpMode = 'accept' | 'defer' | 'down';

export interface ReceivedMail {
  to: string;
  /** The envelope sender (MAIL FROM), lower-cased; '' for the null sender. */
  from: string;
  parsed: ParsedMail;
  raw: string;
  key: string | undefined;
  kind: string | undefined;
}

export interface SmtpReceiver {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Credentials clients authenticated with (only with the `auth` option). */
  logins: { username: string; password: string }[];
  /** Recipients the server rejects permanently (550). */
  rejectRecipients: Set<string>;
  /** Number of SMTP transactions deferred with 451 so far. */
  deferred: number;
  setMode(mode: SmtpMode): Promise<void>;
  close(): Promise<void>;
}

/**
 * Arrivals per (X-SRO-Alert-Key, envelope recipient): a count above 1 is a duplicate, whichever
 * worker, retry or restart sent it. Mails without the header count under key "(none)".
 */
export function arrivalsByKeyAndRecipient(received: readonly ReceivedMail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of received) {
    const id = arrivalId(m.key ?? '(none)', m.to);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The identity `arrivalsByKeyAndRecipient` counts under: ledger key and lower-cased recipient. */
export function arrivalId(key: string, recipient: string): string {
  return `${key} ${recipient.toLowerCase()}`;
}

export interface SmtpReceiverOptions {
  /**
   * Offer AUTH (PLAIN/LOGIN, without TLS, on loopback only): 'accept' takes any credentials,
   * 'reject' refuses them all (535). Unset: AUTH is disabled and optional, as before.
   */
  auth?: 'accept' | 'reject';
  /**
   * Milliseconds the server takes over each message after its DATA before accepting it (250),
   * as a relay that scans mail does: sends stay in flight long enough for a fault to land in
   * the middle of them. A message whose client is gone by then (a killed worker) is dropped
   * unaccepted, so `received` holds exactly what was accepted. Unset: accepted at once.
   */
  latencyMs?: number;
}

export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  let mode: SmtpMode = 'accept';
  let port = 0;
  const state = { deferred: 0 };
  const received: ReceivedMail[] = [];
  const rejectRecipients = new Set<string>();
  const logins: { username: string; password: string }[] = [];
  const closedSessions = new Set<string>();

  const make = () => {
    const instance = new SMTPServer({
      authOptional: options.auth === undefined,
      disabledCommands: options.auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
      allowInsecureAuth: options.auth !== undefined,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, cb) {
        logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
        if (options.auth === 'accept') return cb(null, { user: auth.username });
        cb(Object.assign(new Error('5.7.8 authentication credentials invalid'), { responseCode: 535 }));
      },
      logger: false,
      onClose(session) {
        if (options.latencyMs !== undefined) closedSessions.add(session.id);
      },
      onRcptTo(address: SMTPServerAddress, _session, cb) {
        if (rejectRecipients.has(address.address.toLowerCase())) {
          const err = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
          return cb(err);
        }
        if (mode === 'defer') {
          state.deferred++;
          return cb(Object.assign(new Error('4.3.2 try again later'), { responseCode: 451 }));
        }
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const accept = () =>
            simpleParser(raw).then(
              (parsed) => {
                const header = (name: string) => {
                  const v = parsed.headers.get(name);
                  return typeof v === 'string' ? v : undefined;
                };
                for (const rcpt of session.envelope.rcptTo) {
                  received.push({
                    to: rcpt.address.toLowerCase(),
                    from: session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '',
                    parsed,
                    raw,
                    key: header('x-sro-alert-key'),
                    kind: header('x-sro-alert-kind'),
                  });
                }
                cb();
              },
              (e: Error) => cb(e),
            );
          if (options.latencyMs === undefined) return void accept();
          setTimeout(
            () =>
              closedSessions.has(session.id)
                ? cb(new Error('client went away before the message was accepted'))
                : void accept(),
            options.latencyMs,
          );
        });
      },
    });
    // A client that dies in the middle of a transaction (a worker killed with SIGKILL) resets
    // its connection; smtp-server reports that as an 'error' event, which unheard would be an
    // uncaught exception in the test process. The message is simply not accepted.
    instance.on('error', () => undefined);
    return instance;
  };

  let server = make();
  const listen = (s: SMTPServer, p: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(p, '127.0.0.1', () =>
        resolve((s as unknown as { server: { address(): AddressInfo } }).server.address().port),
      );
    });
  port = await listen(server, 0);
  const close = (s: SMTPServer) => new Promise<void>((resolve) => s.close(() => resolve()));

  return {
    get url() {
      return `smtp://127.0.0.1:${port}?tls=off`;
    },
    port,
    received,
    logins,
    rejectRecipients,
    get deferred() {
      return state.deferred;
    },
    async setMode(next) {
      if (next === 'down' && mode !== 'down') await close(server);
      if (next !== 'down' && mode === 'down') {
        server = make();
        await listen(server, port);
      }
      mode = next;
    },
    async close() {
      if (mode !== 'down') await close(server);
    },
  };
}
