// The environment (src/config.ts reads it) of a process a test or a script starts on services
// of its own: its database, Redis with its own queue prefix, an SMTP receiver. Pure: the
// screenshot script uses it outside vitest.
import { randomBytes } from 'node:crypto';

export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
  smtpUrl: string;
  queuePrefix: string;
}

/** A worker's env on these services, sending up to 1,000 e-mails a second. */
export function serviceEnv(s: ServiceUrls): Record<string, string> {
  return {
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    SMTP_URL: s.smtpUrl,
    QUEUE_PREFIX: s.queuePrefix,
    SMTP_RATE_PER_SECOND: '1000',
  };
}

/** A console's env on these services: on the loopback at a free port, with a fresh secret key. */
export function consoleEnv(s: ServiceUrls): Record<string, string> {
  return {
    ...serviceEnv(s),
    WEB_HOST: '127.0.0.1',
    WEB_PORT: '0',
    SECRET_KEY: randomBytes(32).toString('base64url'),
  };
}
