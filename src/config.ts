// The only reader of process.env. Validates everything at start and lists every problem,
// one line per variable (INTERFACE.md "Configuration").
import { isIP } from 'node:net';
import { z } from 'zod';
import type { MonthDay, RulesConfig } from './domain/types.ts';
import type { AlertConfig } from './domain/alerts.ts';
import { parseMonthDay } from './domain/school-year.ts';
import { validateCronExpression } from './worker/cron-expression.ts';
import { type OidcProviderConfig, oidcProviders } from './config-oidc.ts';
import { sendgridWebhookPublicKey } from './config-mail-hooks.ts';

const DEFAULTS = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/sro',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MAIL_FROM: 'SRO Compliance <no-reply@localhost>',
  MAIL_OUTBOX_DIR: './outbox',
  TZ: 'America/Chicago',
  SCAN_CRON: '0 6 * * *',
  DIGEST_CRON: '0 7 * * 1',
  REMINDER_LEAD_DAYS: '90,60,30,14,7,1',
  ESCALATION_DAYS: '0,7,30',
  SUBSTITUTE_DAY_THRESHOLDS: '45,50,55',
  SCHOOL_YEAR_START: '07-01',
  HTTP_HOST: '127.0.0.1',
  HTTP_PORT: '9464',
  SMTP_RATE_PER_SECOND: '20',
  SMTP_POOL_SIZE: '5',
  SEND_CONCURRENCY: '8',
  SEND_ATTEMPTS: '8',
  SCAN_PARTITION_SIZE: '50000',
  SEND_LEASE_SECONDS: '120',
  SEND_RETRY_MAX_DELAY_SECONDS: '900',
  SEND_RETRY_FOR_HOURS: '72',
  SHUTDOWN_SECONDS: '30',
  SEND_SWEEP_SECONDS: '60',
  QUEUE_PREFIX: 'sro',
  LOG_LEVEL: 'info',
  WEB_HOST: '127.0.0.1',
  WEB_PORT: '8080',
  ADMIN_EMAILS: '',
  SESSION_HOURS: '12',
  LOGIN_LIMIT_PER_ADDRESS: '5',
  LOGIN_LIMIT_PER_CLIENT: '30',
  TRUST_PROXY: '',
  REQUEST_BODY_TIMEOUT_SECONDS: '30',
  BOUNCE_SMTP_HOST: '127.0.0.1',
  BOUNCE_SMTP_PORT: '2525',
  BOUNCE_MAX_BYTES: '1048576',
  OIDC_PROVIDERS: '',
} as const;

/** The shortest SECRET_KEY `sro web` accepts (INTERFACE.md "Console"). */
const SECRET_KEY_MIN_LENGTH = 32;

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

const dayList = (what: string, min: number, max: number) =>
  z.string().transform((v, ctx) => {
    const parts = v.split(',').map((p) => p.trim());
    const nums = parts.map(Number);
    if (parts.some((p) => !/^\d+$/.test(p)) || nums.some((n) => n < min || n > max)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be comma-separated whole numbers of ${what} between ${min} and ${max}, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    if (new Set(nums).size !== nums.length) {
      ctx.addIssue({ code: 'custom', message: `lists a value twice: ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return [...nums].sort((a, b) => a - b);
  });

const cron = z.string().superRefine((v, ctx) => {
  const problem = validateCronExpression(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const positiveInt = (max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(max));

const positiveNumber = (max: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a positive number')
    .transform(Number)
    .pipe(z.number().gt(0, 'must be more than 0').max(max));

/** An address (`10.0.0.5`, `::1`) or a CIDR range (`10.0.0.0/8`, `fd00::/8`); null when it is neither. */
function proxyAddress(v: string): string | null {
  const [address = '', prefix, ...rest] = v.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return null;
  if (prefix === undefined) return address;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return null;
  return `${address}/${Number(prefix)}`;
}

const schema = z.object({
  DATABASE_URL: url(['postgresql:', 'postgres:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z
    .string()
    .min(3)
    .refine((v) => !/[\r\n]/.test(v), 'must not contain line breaks')
    .refine((v) => v.includes('@'), 'must contain an e-mail address'),
  MAIL_OUTBOX_DIR: z.string().min(1),
  TZ: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as America/Chicago'),
  SCAN_CRON: cron,
  DIGEST_CRON: cron,
  REMINDER_LEAD_DAYS: dayList('days', 0, 3650),
  ESCALATION_DAYS: dayList('days', 0, 3650).refine((v) => v.length >= 1, 'must list at least one level'),
  SUBSTITUTE_DAY_THRESHOLDS: dayList('contact days', 1, 59),
  SCHOOL_YEAR_START: z.string().transform((v, ctx) => {
    const md = parseMonthDay(v);
    if (!md) {
      ctx.addIssue({ code: 'custom', message: `must be MM-DD such as 07-01, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return md;
  }),
  HTTP_HOST: z.string().min(1),
  HTTP_PORT: z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535)),
  SMTP_RATE_PER_SECOND: positiveInt(10_000),
  SMTP_POOL_SIZE: positiveInt(100),
  SEND_CONCURRENCY: positiveInt(1000),
  SEND_ATTEMPTS: positiveInt(100),
  SCAN_PARTITION_SIZE: positiveInt(10_000_000),
  SEND_LEASE_SECONDS: positiveInt(86_400),
  SEND_RETRY_MAX_DELAY_SECONDS: positiveInt(86_400),
  SEND_RETRY_FOR_HOURS: positiveNumber(24 * 365),
  SHUTDOWN_SECONDS: positiveInt(3600),
  SEND_SWEEP_SECONDS: positiveInt(86_400),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']),
  PUBLIC_URL: url(['http:', 'https:'])
    .refine((v) => !new URL(v).search && !new URL(v).hash, 'must not carry a query or a fragment')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  WEB_HOST: z.string().min(1),
  WEB_PORT: z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535)),
  // Never echoed: the message names the length only.
  SECRET_KEY: z
    .string()
    .refine((v) => v.length >= SECRET_KEY_MIN_LENGTH, `must be at least ${SECRET_KEY_MIN_LENGTH} characters`)
    .optional(),
  ADMIN_EMAILS: z.string().transform((v, ctx) => {
    const list = v
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter((e) => e !== '');
    const bad = list.filter((e) => !z.email().safeParse(e).success);
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `not an e-mail address: ${bad.map((e) => JSON.stringify(e)).join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(list)];
  }),
  SESSION_HOURS: positiveInt(24 * 90),
  LOGIN_LIMIT_PER_ADDRESS: positiveInt(1000),
  LOGIN_LIMIT_PER_CLIENT: positiveInt(100_000),
  TRUST_PROXY: z.string().transform((v, ctx) => {
    const list = v
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const bad = list.filter((p) => proxyAddress(p) === null);
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `must be comma-separated IP addresses or CIDR ranges (such as 10.0.0.5 or 10.0.0.0/8), got ${bad.map((p) => JSON.stringify(p)).join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(list.map((p) => proxyAddress(p)!))];
  }),
  REQUEST_BODY_TIMEOUT_SECONDS: positiveInt(3600),
  // RULES.md 12: bounces come back to b-<token>@BOUNCE_DOMAIN (INTERFACE.md "Bounces").
  BOUNCE_DOMAIN: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .refine(
      (v) => /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(v),
      'must be a domain name such as bounces.sro.district.example',
    )
    .optional(),
  BOUNCE_SMTP_HOST: z.string().min(1),
  BOUNCE_SMTP_PORT: z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535)),
  BOUNCE_MAX_BYTES: positiveInt(50 * 1024 * 1024),
  BOUNCE_TLS_CERT: z.string().min(1).optional(),
  BOUNCE_TLS_KEY: z.string().min(1).optional(),
  // Never echoed: a public key, but a long one (src/config-mail-hooks.ts).
  SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridWebhookPublicKey,
  OIDC_PROVIDERS: oidcProviders,
});

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  /** Unset: e-mails go to mailOutboxDir as .eml files. Contains credentials: never log it. */
  smtpUrl: string | null;
  mailFrom: string;
  mailOutboxDir: string;
  timeZone: string;
  scanCron: string;
  digestCron: string;
  /** Ascending. */
  reminderLeadDays: readonly number[];
  /** Ascending; index i is escalation level i + 1. */
  escalationDays: readonly number[];
  /** Ascending. */
  substituteDayThresholds: readonly number[];
  schoolYearStart: MonthDay;
  httpHost: string;
  httpPort: number;
  smtpRatePerSecond: number;
  smtpPoolSize: number;
  sendConcurrency: number;
  sendAttempts: number;
  /**
   * Officers per range job: a daily scan of a larger roster is split into range jobs on the
   * scan queue, which every worker replica takes from, so the scan spreads over replicas.
   */
  scanPartitionSize: number;
  /**
   * Seconds a send job's claim on a ledger row holds before another worker may take the row
   * over (its worker is presumed dead). Longer than the slowest SMTP exchange (timeouts add up
   * to 50 s), or a live worker's row could be sent twice.
   */
  sendLeaseSeconds: number;
  /** Longest wait between two tries of a transiently failing e-mail, seconds. */
  sendRetryMaxDelaySeconds: number;
  /** Hours after a row's first attempt during which transient failures are retried; then FAILED. */
  sendRetryForHours: number;
  /** After the first SIGTERM/SIGINT, seconds of graceful shutdown before the process exits anyway. */
  shutdownSeconds: number;
  /** How often `sro worker` hands PENDING rows whose jobs Redis lost back to the queue, seconds. */
  sendSweepSeconds: number;
  queuePrefix: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The console's address as users reach it, without a trailing slash; null: e-mails carry no console links. */
  publicUrl: string | null;
  webHost: string;
  webPort: number;
  /** Signs sessions and sign-in links; required by `sro web` only. A secret: never log it. */
  secretKey: string | null;
  /** Lower-cased. */
  adminEmails: readonly string[];
  sessionHours: number;
  /** Sign-in e-mails to one address per 15 minutes. */
  loginLimitPerAddress: number;
  /** Sign-in requests from one client address per 15 minutes. */
  loginLimitPerClient: number;
  /**
   * The reverse proxies in front of the console (addresses or CIDR ranges) whose
   * X-Forwarded-For is believed, so a client's address is the person's; empty: none.
   */
  trustProxy: readonly string[];
  /** Seconds a request's body may stop arriving before it is abandoned (408). */
  requestBodyTimeoutSeconds: number;
  /**
   * RULES.md 12: the domain of the per-row envelope sender (b-<token>@BOUNCE_DOMAIN),
   * lower-cased; null: alerts go out with MAIL_FROM as their envelope sender, as before.
   */
  bounceDomain: string | null;
  /** Where `sro bounces` listens for SMTP. */
  bounceSmtpHost: string;
  bounceSmtpPort: number;
  /** The largest message `sro bounces` takes, bytes (larger: refused with 552). */
  bounceMaxBytes: number;
  /** PEM files of `sro bounces`' certificate and key: STARTTLS is offered when both are set. */
  bounceTlsCert: string | null;
  bounceTlsKey: string | null;
  /** SendGrid's signed event webhook key (base64 DER or PEM); null: that webhook answers 404. */
  sendgridWebhookPublicKey: string | null;
  /** The identity providers of the sign-in page (OIDC_PROVIDERS); empty: e-mail sign-in only. Hold secrets: never log them. */
  oidcProviders: readonly OidcProviderConfig[];
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/**
 * The process environment as given, for the two places that need it whole: the composition
 * root (cli.ts hands it to loadConfig) and child processes (prisma migrate inherits PATH and
 * the proxy settings). Everything else gets a validated Config; this keeps `process.env` in
 * this file only (test/integration/secrets-not-logged.test.ts checks it).
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

/** Reads the configuration from `env` (process.env by default); throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape) as (keyof typeof schema.shape)[]) {
    const value = env[key];
    input[key] = value === undefined || value === '' ? (DEFAULTS as Record<string, string>)[key] : value;
  }
  const parsed = schema
    .superRefine((c, ctx) => {
      // The bounce token is signed with SECRET_KEY: without it nobody could tell ours from forged ones.
      if (c.BOUNCE_DOMAIN !== undefined && c.SECRET_KEY === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['BOUNCE_DOMAIN'],
          message: 'needs SECRET_KEY, which signs the bounce addresses',
        });
      if ((c.BOUNCE_TLS_CERT === undefined) !== (c.BOUNCE_TLS_KEY === undefined))
        ctx.addIssue({
          code: 'custom',
          path: [c.BOUNCE_TLS_CERT === undefined ? 'BOUNCE_TLS_CERT' : 'BOUNCE_TLS_KEY'],
          message: 'BOUNCE_TLS_CERT and BOUNCE_TLS_KEY go together: set both or neither',
        });
    })
    .safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      // Never echo a URL value: it may carry a password.
      const message =
        name.endsWith('_URL') || name === 'SECRET_KEY' || name === 'SENDGRID_WEBHOOK_PUBLIC_KEY'
          ? i.message.replace(/got .*/, '').trim()
          : i.message;
      return `${name}: ${message}`;
    });
    throw new ConfigError(problems);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    smtpUrl: c.SMTP_URL ?? null,
    mailFrom: c.MAIL_FROM,
    mailOutboxDir: c.MAIL_OUTBOX_DIR,
    timeZone: c.TZ,
    scanCron: c.SCAN_CRON,
    digestCron: c.DIGEST_CRON,
    reminderLeadDays: c.REMINDER_LEAD_DAYS,
    escalationDays: c.ESCALATION_DAYS,
    substituteDayThresholds: c.SUBSTITUTE_DAY_THRESHOLDS,
    schoolYearStart: c.SCHOOL_YEAR_START,
    httpHost: c.HTTP_HOST,
    httpPort: c.HTTP_PORT,
    smtpRatePerSecond: c.SMTP_RATE_PER_SECOND,
    smtpPoolSize: c.SMTP_POOL_SIZE,
    sendConcurrency: c.SEND_CONCURRENCY,
    sendAttempts: c.SEND_ATTEMPTS,
    scanPartitionSize: c.SCAN_PARTITION_SIZE,
    sendLeaseSeconds: c.SEND_LEASE_SECONDS,
    sendRetryMaxDelaySeconds: c.SEND_RETRY_MAX_DELAY_SECONDS,
    sendRetryForHours: c.SEND_RETRY_FOR_HOURS,
    shutdownSeconds: c.SHUTDOWN_SECONDS,
    sendSweepSeconds: c.SEND_SWEEP_SECONDS,
    queuePrefix: c.QUEUE_PREFIX,
    logLevel: c.LOG_LEVEL,
    publicUrl: c.PUBLIC_URL ?? null,
    webHost: c.WEB_HOST,
    webPort: c.WEB_PORT,
    secretKey: c.SECRET_KEY ?? null,
    adminEmails: c.ADMIN_EMAILS,
    sessionHours: c.SESSION_HOURS,
    loginLimitPerAddress: c.LOGIN_LIMIT_PER_ADDRESS,
    loginLimitPerClient: c.LOGIN_LIMIT_PER_CLIENT,
    trustProxy: c.TRUST_PROXY,
    requestBodyTimeoutSeconds: c.REQUEST_BODY_TIMEOUT_SECONDS,
    bounceDomain: c.BOUNCE_DOMAIN ?? null,
    bounceSmtpHost: c.BOUNCE_SMTP_HOST,
    bounceSmtpPort: c.BOUNCE_SMTP_PORT,
    bounceMaxBytes: c.BOUNCE_MAX_BYTES,
    bounceTlsCert: c.BOUNCE_TLS_CERT ?? null,
    bounceTlsKey: c.BOUNCE_TLS_KEY ?? null,
    sendgridWebhookPublicKey: c.SENDGRID_WEBHOOK_PUBLIC_KEY ?? null,
    oidcProviders: c.OIDC_PROVIDERS,
  };
}

export { redactUrl } from './shell/redact.ts';

/** What the status rules need of the configuration. */
export function rulesOf(config: Config): RulesConfig {
  return { schoolYearStart: config.schoolYearStart };
}

/** What the alert rules need of the configuration. */
export function alertConfigOf(config: Config): AlertConfig {
  return {
    reminderLeadDays: config.reminderLeadDays,
    escalationDays: config.escalationDays,
    substituteDayThresholds: config.substituteDayThresholds,
    adminEmails: config.adminEmails,
  };
}
