// Naming a service that cannot be reached, with the variable that configures it and its
// password masked, instead of a bare `ECONNREFUSED 127.0.0.1:1`.
import type { Config } from '../config.ts';
import { redactUrl } from './redact.ts';

/** "PostgreSQL at DATABASE_URL=postgresql://postgres:***@127.0.0.1:1/sro is not reachable: ECONNREFUSED …" */
export function unreachableMessage(service: string, variable: string, url: string, cause: unknown): string {
  const err = cause as Error & { code?: string };
  const why = err.code && !err.message.includes(err.code) ? `${err.code} ${err.message}` : err.message;
  return `${service} at ${variable}=${redactUrl(url)} is not reachable: ${why}`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNRESET',
]);

/**
 * A connection error names the service and its variable (`PostgreSQL at DATABASE_URL=… is not
 * reachable`) instead of a bare `ECONNREFUSED 127.0.0.1:1`: the port (or Prisma's "Can't reach
 * database server at host:port") says which of the configured services it was.
 */
export function nameUnreachableService(e: Error & { code?: string }, config: Config): string | null {
  if (e.code === 'SERVICE_UNREACHABLE') return e.message;
  let port: string | null = null;
  let cause: unknown = e;
  for (let depth = 0; cause && depth < 5 && port === null; depth++) {
    const c = cause as Error & { code?: string; port?: number };
    const prisma = /Can't reach database server at [^\s:]+:(\d+)/.exec(c.message ?? '');
    if (prisma) port = prisma[1]!;
    else if (c.code && NETWORK_CODES.has(c.code))
      port = c.port !== undefined ? String(c.port) : (/:(\d+)\b/.exec(c.message)?.[1] ?? '');
    cause = c.cause;
  }
  if (port === null) return null;
  const portOf = (url: string, fallback: string) => {
    try {
      return new URL(url).port || fallback;
    } catch {
      return '';
    }
  };
  if (port === portOf(config.databaseUrl, '5432'))
    return unreachableMessage('PostgreSQL', 'DATABASE_URL', config.databaseUrl, e);
  if (port === portOf(config.redisUrl, '6379')) return unreachableMessage('Redis', 'REDIS_URL', config.redisUrl, e);
  if (config.smtpUrl && port === portOf(config.smtpUrl, config.smtpUrl.startsWith('smtps:') ? '465' : '587'))
    return unreachableMessage('The mail server', 'SMTP_URL', config.smtpUrl, e);
  return null;
}
