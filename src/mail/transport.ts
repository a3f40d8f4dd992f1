// Where e-mails go: SMTP (nodemailer, pooled) when SMTP_URL is set, else .eml files in
// MAIL_OUTBOX_DIR with an index.html listing them for a browser.
// Errors are classified so the send job knows whether to retry.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { escapeHtml } from './escape.ts';
import { PermanentError } from '../errors.ts';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  icalEvent: { filename: string; method: 'PUBLISH'; content: string } | null;
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
  const codes = [err.responseCode, ...(err.rejectedErrors ?? []).map((r) => r.responseCode)].filter((c): c is number => typeof c === 'number');
  const summary = `${err.code ?? 'ERROR'}${codes.length ? ` ${codes.join(',')}` : ''}: ${err.message}`.replace(EMAIL_ADDRESS, '<address>');
  // 5xx is a permanent refusal (RFC 5321 4.2.1); anything without a 5xx may pass later.
  if (codes.some((c) => c >= 500 && c < 600)) return new PermanentDeliveryError(summary, { cause: e });
  return new TransientDeliveryError(summary, { cause: e });
}

/** The message as nodemailer takes it, for sending and for the outbox alike; nodemailer may not read files or URLs named in it. */
function messageOptions(mail: OutgoingMail): SendMailOptions {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    icalEvent: mail.icalEvent ?? undefined,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export interface SmtpOptions {
  url: string;
  poolSize: number;
  ratePerSecond: number;
}

export function createSmtpTransport(opts: SmtpOptions): MailTransport {
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

interface OutboxEntry {
  file: string;
  to: string;
  subject: string;
  kind: string;
  writtenAt: string;
}

export function createOutboxTransport(dir: string): MailTransport {
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
        const file = `${stamp}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}.eml`;
        await writeFile(join(root, `${file}.tmp`), raw);
        await rename(join(root, `${file}.tmp`), join(root, file));
        const entry: OutboxEntry = { file, to: mail.to, subject: mail.subject, kind: mail.headers['X-SRO-Alert-Kind'] ?? '', writtenAt: new Date().toISOString() };
        await appendFile(join(root, 'index.jsonl'), `${JSON.stringify(entry)}\n`);
        await writeIndexHtml(root);
        return { messageId };
      }),
    async close() {
      await chain;
    },
  };
}

async function writeIndexHtml(root: string): Promise<void> {
  const lines = (await readFile(join(root, 'index.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const entries = lines.map((l) => JSON.parse(l) as OutboxEntry).reverse();
  const rows = entries
    .map((e) => `<tr><td>${escapeHtml(e.writtenAt)}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.to)}</td><td><a href="${encodeURIComponent(e.file)}">${escapeHtml(e.subject)}</a></td></tr>`)
    .join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SRO compliance outbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head>
<body><h1>SRO compliance outbox</h1><p>${entries.length} e-mail(s), newest first. Each link is an .eml file: open it in a mail client, or read it as text.</p>
<table><thead><tr><th>Written (UTC)</th><th>Kind</th><th>To</th><th>Subject</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
  await writeFile(join(root, 'index.html.tmp'), html);
  await rename(join(root, 'index.html.tmp'), join(root, 'index.html'));
}

export function createMailTransport(config: { smtpUrl: string | null; mailOutboxDir: string; smtpPoolSize: number; smtpRatePerSecond: number }): MailTransport {
  return config.smtpUrl
    ? createSmtpTransport({ url: config.smtpUrl, poolSize: config.smtpPoolSize, ratePerSecond: config.smtpRatePerSecond })
    : createOutboxTransport(config.mailOutboxDir);
}
