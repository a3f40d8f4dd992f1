// Where e-mails go: SMTP (nodemailer, pooled) when SMTP_URL is set, else .eml files in
// MAIL_OUTBOX_DIR, each with its HTML part beside it as an .html file, and an index.html
// listing them for a browser.
// Errors are classified so the send job knows whether to retry.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { plural } from '../domain/plural.ts';
import { escapeHtml } from './escape.ts';
import { alertKindInWords, instantText } from './format.ts';
import { PermanentError } from '../errors.ts';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  icalEvent: { filename: string; method: 'PUBLISH'; content: string } | null;
  /**
   * The envelope sender (Return-Path) when it is not `from`'s address: the ledger row's bounce
   * address (RULES.md 12). The From: header stays `from`. Absent or null: `from`'s address.
   */
  envelopeFrom?: string | null;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  /** Where mail goes, without credentials (for logs). */
  describe(): string;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/** The receiving server refused for good (5xx, e.g. unknown recipient): do not retry. */
export class PermanentDeliveryError extends PermanentError {
  readonly code = 'DELIVERY_REJECTED';
}
/** Worth retrying later (connection refused, 4xx, timeout). */
export class TransientDeliveryError extends Error {
  readonly code = 'DELIVERY_DEFERRED';
}

type SmtpError = Error & { code?: string; responseCode?: number; rejectedErrors?: SmtpError[] };

// Servers quote a refused address back ("550 5.1.1 <bob@x.example>: unknown user"). The
// summary goes to the log (jobs/send-alert.ts) and the ledger row, which names the
// recipient already: the address is left out of it (SECURITY.md, "PII in logs").
const EMAIL_ADDRESS = /[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g;

export function classifySmtpError(e: unknown): PermanentDeliveryError | TransientDeliveryError {
  const err = e as SmtpError;
  const codes = [err.responseCode, ...(err.rejectedErrors ?? []).map((r) => r.responseCode)].filter(
    (c): c is number => typeof c === 'number',
  );
  const summary = `${err.code ?? 'ERROR'}${codes.length ? ` ${codes.join(',')}` : ''}: ${err.message}`.replace(
    EMAIL_ADDRESS,
    '<address>',
  );
  // 5xx is a permanent refusal (RFC 5321 4.2.1); anything without a 5xx may pass later.
  if (codes.some((c) => c >= 500 && c < 600)) return new PermanentDeliveryError(summary, { cause: e });
  return new TransientDeliveryError(summary, { cause: e });
}

/**
 * Headers a relay reads as they are written: SendGrid parses X-SMTPAPI as JSON and does not
 * decode the MIME encoded-words nodemailer would turn a long value into (RFC 2047), so its
 * value (printable ASCII, one line well under 998 characters) goes out unchanged.
 */
function headersOf(mail: OutgoingMail): SendMailOptions['headers'] {
  const out: Record<string, string | { prepared: true; value: string }> = {};
  for (const [name, value] of Object.entries(mail.headers))
    out[name] =
      name.toLowerCase() === 'x-smtpapi' && /^[\x20-\x7e]{1,900}$/.test(value) ? { prepared: true, value } : value;
  return out;
}

/** The message as nodemailer takes it, for sending and for the outbox alike; nodemailer may not read files or URLs named in it. */
function messageOptions(mail: OutgoingMail): SendMailOptions {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: headersOf(mail),
    icalEvent: mail.icalEvent ?? undefined,
    envelope: mail.envelopeFrom ? { from: mail.envelopeFrom, to: mail.to } : undefined,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

interface SmtpOptions {
  url: string;
  poolSize: number;
  ratePerSecond: number;
}

function createSmtpTransport(opts: SmtpOptions): MailTransport {
  const url = new URL(opts.url);
  const transporter = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    maxConnections: opts.poolSize,
    maxMessages: 1000,
    rateDelta: 1000,
    rateLimit: opts.ratePerSecond,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Plain SMTP on loopback (tests, local relays) has no certificate; elsewhere STARTTLS is used when offered.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    tls: url.searchParams.get('tls') === 'insecure' ? { rejectUnauthorized: false } : undefined,
    logger: false,
    debug: false,
  });
  const where = `smtp://${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
  return {
    kind: 'smtp',
    describe: () => where,
    async send(mail) {
      try {
        const info = await transporter.sendMail(messageOptions(mail));
        if (info.rejected.length > 0) throw Object.assign(new Error('recipient rejected'), { responseCode: 550 });
        return { messageId: info.messageId };
      } catch (e) {
        throw classifySmtpError(e);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/** Builds the RFC 5322 message without sending it. */
async function buildMessage(mail: OutgoingMail): Promise<{ raw: Buffer; messageId: string }> {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await builder.sendMail(messageOptions(mail));
  return { raw: info.message as Buffer, messageId: info.messageId };
}

/** One line of index.jsonl. */
interface OutboxEntry {
  /** The whole message (RFC 5322), for a mail client. */
  file: string;
  /** Its HTML part beside it, for a browser (absent in entries written before there was one). */
  html?: string;
  to: string;
  subject: string;
  /** X-SRO-Alert-Kind. */
  kind: string;
  /** DEADLINE_MISSED: the escalation level, from the alert key. */
  level?: number | null;
  writtenAt: string;
}

/** The escalation level in a DEADLINE_MISSED ledger key ('DEADLINE_MISSED:12345:NEW_SRO:level=2:to=…'). */
function levelOf(kind: string, key: string | undefined): number | null {
  if (kind !== 'DEADLINE_MISSED' || key === undefined) return null;
  const m = /(?:^|:)level=(\d+)(?=:|$)/.exec(key);
  return m ? Number(m[1]) : null;
}

/** Writes `content` to `root/file` through a temporary file, so a reader never sees half of it. */
async function writeWhole(root: string, file: string, content: string | Buffer): Promise<void> {
  await writeFile(join(root, `${file}.tmp`), content);
  await rename(join(root, `${file}.tmp`), join(root, file));
}

/** `timeZone` (TZ) is the zone the outbox's index.html shows its times in. */
export function createOutboxTransport(dir: string, timeZone = 'America/Chicago'): MailTransport {
  const root = resolve(dir);
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    kind: 'outbox',
    describe: () => root,
    send: (mail) =>
      serial(async () => {
        await mkdir(root, { recursive: true });
        const { raw, messageId } = await buildMessage(mail);
        const key = mail.headers['X-SRO-Alert-Key'] ?? messageId;
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const stem = `${stamp}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
        const file = `${stem}.eml`;
        // The HTML part as rendered (our own escaped rendering, which loads nothing): a
        // browser shows an .eml as MIME text, this file as the e-mail.
        const html = mail.html ? `${stem}.html` : undefined;
        if (html) await writeWhole(root, html, mail.html);
        await writeWhole(root, file, raw);
        const kind = mail.headers['X-SRO-Alert-Kind'] ?? '';
        const entry: OutboxEntry = {
          file,
          html,
          to: mail.to,
          subject: mail.subject,
          kind,
          level: levelOf(kind, mail.headers['X-SRO-Alert-Key']),
          writtenAt: new Date().toISOString(),
        };
        await appendFile(join(root, 'index.jsonl'), `${JSON.stringify(entry)}\n`);
        await writeIndexHtml(root, timeZone);
        return { messageId };
      }),
    async close() {
      await chain;
    },
  };
}

async function writeIndexHtml(root: string, timeZone: string): Promise<void> {
  const lines = (await readFile(join(root, 'index.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const entries = lines.map((l) => JSON.parse(l) as OutboxEntry).reverse();
  // Everything shown is escaped: subjects and addresses come from the roster.
  const e = escapeHtml;
  const href = (file: string) => e(encodeURIComponent(file));
  const rows = entries
    .map((x) => {
      const subject = x.html ? `<a href="${href(x.html)}">${e(x.subject)}</a>` : e(x.subject);
      return `<tr><td>${e(instantText(x.writtenAt, timeZone))}</td><td>${e(alertKindInWords(x.kind, x.level ?? null))}</td><td>${e(x.to)}</td><td>${subject}</td><td><a href="${href(x.file)}">.eml</a></td></tr>`;
    })
    .join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>SRO compliance outbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head>
<body><h1>SRO compliance outbox</h1><p>${plural(entries.length, 'e-mail')}, newest first. A subject opens the e-mail as it reads in a mail client; .eml is the whole message (text and HTML parts, calendar entry) to open in a mail client.</p>
<table><thead><tr><th>Written</th><th>Kind</th><th>To</th><th>Subject</th><th>Message</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
  await writeWhole(root, 'index.html', html);
}

export function createMailTransport(config: {
  smtpUrl: string | null;
  mailOutboxDir: string;
  smtpPoolSize: number;
  smtpRatePerSecond: number;
  timeZone?: string;
}): MailTransport {
  return config.smtpUrl
    ? createSmtpTransport({
        url: config.smtpUrl,
        poolSize: config.smtpPoolSize,
        ratePerSecond: config.smtpRatePerSecond,
      })
    : createOutboxTransport(config.mailOutboxDir, config.timeZone);
}
