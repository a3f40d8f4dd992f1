// Logs go to stderr (stdout is reserved for --json output), through pino: JSON lines in the
// worker (one object per event, for a log pipeline), readable lines on a terminal for the
// CLI. Errors passed as `err` are logged with their stack and causes. Never pass secrets
// (SMTP_URL, passwords) or message bodies to a logger; `redact` is the second line of
// defense for the paths where a secret could end up anyway.
import pino from 'pino';
import { escapeUnseen } from './quote.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line carries `bindings` (a job's id and queue, say). */
  child(bindings: Record<string, unknown>): Logger;
}

/** Field paths that must never be printed, whatever a caller passes (pino's redact). */
const REDACTED_PATHS = [
  'password',
  '*.password',
  'smtpUrl',
  '*.smtpUrl',
  'SMTP_URL',
  '*.SMTP_URL',
  'databaseUrl',
  '*.databaseUrl',
  'DATABASE_URL',
  '*.DATABASE_URL',
  'redisUrl',
  '*.redisUrl',
  'REDIS_URL',
  '*.REDIS_URL',
  'auth',
  '*.auth',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'cookie',
  'token',
  '*.token',
  'clientSecret',
  '*.clientSecret',
  'oidcProviders',
  '*.oidcProviders',
  'OIDC_PROVIDERS',
  '*.OIDC_PROVIDERS',
];

const LEVEL_NAME: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * A line for a person at a terminal: the message, then the fields as key=value; warnings
 * and errors prefixed with their level; an error's stack indented below it.
 */
function textLine(json: string): string {
  const o = JSON.parse(json) as Record<string, unknown>;
  const level = typeof o.level === 'number' ? (LEVEL_NAME[o.level] ?? 'info') : String(o.level ?? 'info');
  const { level: _l, time: _t, msg, err, pid: _p, hostname: _h, ...fields } = o;
  const extra = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const stack =
    err && typeof err === 'object' && typeof (err as { stack?: unknown }).stack === 'string'
      ? `\n  ${(err as { stack: string }).stack.replace(/\n/g, '\n  ')}`
      : '';
  // A value from a roster or a mail server may carry terminal controls (U+009B starts an
  // escape sequence): shown escaped, never raw. The stack keeps its line breaks.
  const lines = (text: string) => text.split('\n').map(escapeUnseen).join('\n');
  return `${level === 'info' ? '' : `${level}: `}${lines(String(msg ?? ''))}${extra ? ` ${escapeUnseen(extra)}` : ''}${lines(stack)}\n`;
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (m, f) => p.debug(f ?? {}, m),
    info: (m, f) => p.info(f ?? {}, m),
    warn: (m, f) => p.warn(f ?? {}, m),
    error: (m, f) => p.error(f ?? {}, m),
    child: (bindings) => wrap(p.child(bindings)),
  };
}

export function createLogger(
  level: LogLevel = 'info',
  format: 'text' | 'json' = 'text',
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: null,
    timestamp: format === 'json' ? pino.stdTimeFunctions.isoTime : false,
    formatters: format === 'json' ? { level: (label) => ({ level: label }) } : {},
    serializers: { err: pino.stdSerializers.errWithCause },
    redact: { paths: REDACTED_PATHS, censor: '***' },
  };
  // Synchronous writes: a line logged right before the process exits is not lost.
  // JSON escapes C0 controls but not C1 (U+0080–U+009F) or direction overrides: escaped here too.
  const destination = {
    write:
      format === 'json'
        ? (line: string) => write(`${escapeUnseen(line.replace(/\n$/, ''))}\n`)
        : (line: string) => write(textLine(line)),
  };
  return wrap(pino(options, destination));
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
