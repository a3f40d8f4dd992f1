// send-alert: delivers one (alert, recipient) ledger row. Claims the row with a guarded
// UPDATE (so of any number of jobs for the key exactly one sends), re-checks the officer
// is still owed the alert, renders, sends, records SENT with the provider's message id.
// A PermanentError (a 5xx refusal, an e-mail that cannot be rendered) fails the row at
// once. Any other failure keeps the row PENDING and schedules the next try from the
// ledger (RULES.md 5 "A relay that is down delays, never drops"): SEND_ATTEMPTS quick
// retries (1 s, 2 s, 4 s …), then every SEND_RETRY_MAX_DELAY_SECONDS, until
// SEND_RETRY_FOR_HOURS have passed since the row's first attempt; only then FAILED.
import { createHash } from 'node:crypto';
import { DelayedError, type JobsOptions, UnrecoverableError } from 'bullmq';
import { isPermanent } from '../src/errors.ts';
import { z } from 'zod';
import type pg from 'pg';
import type { CivilDate } from '../src/domain/civil-date.ts';
import { civilDateSchema } from '../src/domain/civil-date-schema.ts';
import type { Alert, Recipient } from '../src/domain/alert-types.ts';
import { type AlertConfig, audienceFor, isStillDue } from '../src/domain/alerts.ts';
import { resolveRecipients } from '../src/domain/recipients.ts';
import { evaluateOfficer } from '../src/domain/status.ts';
import type { RulesConfig } from '../src/domain/types.ts';
import type { Directory, OfficerRecord } from '../src/db/officer-reader.ts';
import { type LedgerRow, claimLedgerRow, markFinal, markSent, releaseForRetry } from '../src/db/ledger.ts';
import { digestEntries, parseDigestAlertKey } from '../src/app/weekly-digest.ts';
import { renderAlert } from '../src/mail/render-alert.ts';
import type { AcknowledgementNote } from '../src/mail/alerts/context.ts';
import { type Acknowledgement, acknowledgementKey, readLatestAcknowledgements } from '../src/db/console-facts.ts';
import { renderDigest } from '../src/mail/render-digest.ts';
import type { MailTransport, OutgoingMail } from '../src/mail/transport.ts';
import type { Logger } from '../src/shell/log.ts';
import { type JobDeps, defineJob } from './definition.ts';

export const sendAlertPayload = z.object({
  ledgerKey: z.string().min(1).max(2000),
  /** The as-of date of the scan that (re-)enqueued the row: the officer is re-checked as of it. */
  asOf: civilDateSchema,
  /** The scan or digest run that enqueued the job (its delivery summary counts the row). */
  runId: z.string().max(200).nullable().default(null),
});
export type SendAlertPayload = z.infer<typeof sendAlertPayload>;

/** What delivering one row needs (a subset of JobDeps, so tests and benches can build it alone). */
/**
 * Records the row FAILED with `lastError` (best effort: the job fails either way) and logs
 * `log.msg` at `log.level` with the row and `log.error`.
 */
async function recordFailed(
  deps: SendAlertDeps,
  row: LedgerRow,
  lastError: string,
  log: { level: 'warn' | 'error'; msg: string; error: string },
): Promise<void> {
  await markFinal(deps.pool, row.key, deps.workerId, 'FAILED', lastError).catch(() => undefined);
  deps.log[log.level](log.msg, { kind: row.kind, license: row.license, attempts: row.attempts, error: log.error });
}

export interface SendAlertDeps {
  pool: pg.Pool;
  transport: MailTransport;
  rules: RulesConfig;
  alerts: AlertConfig;
  mailFrom: string;
  workerId: string;
  /** Agencies and districts as of `version` (directory_version read with the claim); the caller caches per version. */
  directory: (version: string) => Promise<Directory>;
  log: Logger;
  /** Instant used in calendar stamps; the shell passes the clock. */
  now: () => Date;
  /** A claim older than this is taken to belong to a dead worker (SEND_LEASE_SECONDS). */
  leaseSeconds: number;
  retry?: RetryPolicy;
  /** PUBLIC_URL: alert e-mails link to the officer's page, digests to each officer's; null or absent: no console links. */
  publicUrl?: string | null;
}

/** BullMQ job ids may not contain ':'; ledger keys do, so ids are a digest of the key. */
export function sendJobId(ledgerKey: string): string {
  return `alert-${createHash('sha256').update(ledgerKey).digest('hex').slice(0, 40)}`;
}

export function sendJobOptions(attempts: number): JobsOptions {
  return {
    // BullMQ's own attempts only cover failures before the claim (the database unreachable);
    // delivery retries are scheduled from the ledger (RetryLater below).
    attempts,
    backoff: { type: 'exponential', delay: 1000 },
    // Completed and failed jobs free their id at once: the ledger, not Redis, remembers what
    // was sent and what is still owed (the worker's sweep re-adds a PENDING row's job).
    removeOnComplete: true,
    removeOnFail: true,
  };
}

const kindOf = (ledgerKey: string) => ledgerKey.split(':')[0] ?? 'UNKNOWN';

export const sendAlertJob = defineJob({
  queue: 'send-alert',
  name: 'send-alert',
  payload: sendAlertPayload,
  jobId: (p) => sendJobId(p.ledgerKey),
  options: (config) => sendJobOptions(config.sendAttempts),
  worker: (config) => ({
    concurrency: config.sendConcurrency,
    limiter: { max: config.smtpRatePerSecond, duration: 1000 },
  }),
  async process(deps: JobDeps, payload, { job, token }): Promise<SendOutcome> {
    const { config } = deps;
    const sendDeps: SendAlertDeps = {
      ...deps,
      mailFrom: config.mailFrom,
      leaseSeconds: config.sendLeaseSeconds,
      publicUrl: config.publicUrl,
      retry: {
        quickRetries: config.sendAttempts,
        maxDelayMs: config.sendRetryMaxDelaySeconds * 1000,
        retryForMs: config.sendRetryForHours * 3_600_000,
      },
    };
    const started = performance.now();
    try {
      const outcome = await sendAlert(sendDeps, payload);
      deps.metrics.sendOutcome({ outcome });
      deps.metrics.sendSeconds((performance.now() - started) / 1000, outcome);
      if (outcome === 'SENT') deps.metrics.sent({ kind: kindOf(payload.ledgerKey) });
      return outcome;
    } catch (e) {
      const failure = (e as { code?: string }).code ?? (e as Error).name;
      deps.metrics.sendFailure({ class: failure });
      deps.metrics.sendSeconds((performance.now() - started) / 1000, failure);
      if (e instanceof DeliveryGivenUp) deps.metrics.givenUp({ kind: kindOf(payload.ledgerKey) });
      if (e instanceof RetryLater && token !== undefined) {
        // The ledger schedules the next try; moving the job to delayed spends none of
        // BullMQ's attempts (those are left for failures before the claim).
        await job.moveToDelayed(Date.now() + e.delayMs, token);
        throw new DelayedError();
      }
      throw e;
    }
  },
});

/** How transient failures are retried (SEND_ATTEMPTS, SEND_RETRY_MAX_DELAY_SECONDS, SEND_RETRY_FOR_HOURS). */
export interface RetryPolicy {
  /** Retries at 1 s, 2 s, 4 s … (capped by maxDelayMs) before the capped schedule. */
  quickRetries: number;
  maxDelayMs: number;
  /** Counted from the row's first attempt; then the row is FAILED. */
  retryForMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { quickRetries: 8, maxDelayMs: 900_000, retryForMs: 72 * 3_600_000 };

/** Delay before the next try after `attempts` failed ones (attempts >= 1). */
export function retryDelayMs(attempts: number, policy: RetryPolicy): number {
  if (attempts > policy.quickRetries) return policy.maxDelayMs;
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
}

export type SendOutcome = 'SENT' | 'SKIPPED_DONE' | 'SKIPPED_MISSING' | 'SUPERSEDED';

/**
 * Not delivered now; look again after `delayMs` (the runtime moves the job to delayed,
 * which spends none of BullMQ's attempts: the ledger keeps the count and the deadline).
 */
export class RetryLater extends Error {
  readonly code: 'RETRY_LATER' | 'DELIVERY_DEFERRED';
  constructor(
    message: string,
    readonly delayMs: number,
    options?: { cause?: unknown; code?: 'RETRY_LATER' | 'DELIVERY_DEFERRED' },
  ) {
    super(message, options);
    this.name = 'RetryLater';
    this.code = options?.code ?? 'RETRY_LATER';
  }
}

/** Transient failures went on for SEND_RETRY_FOR_HOURS: the row is FAILED (sro_send_given_up_total). */
export class DeliveryGivenUp extends UnrecoverableError {
  readonly code = 'DELIVERY_GIVEN_UP';
}

function icsStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function formatAddress(r: Recipient): string {
  return r.email;
}

type Built = { mail: OutgoingMail } | { supersede: string };

async function buildAlertMail(
  deps: SendAlertDeps,
  row: LedgerRow,
  facts: OfficerRecord | null,
  asOf: CivilDate,
  dir: Directory,
): Promise<Built> {
  if (!facts) return { supersede: `officer ${row.license} is no longer on the roster` };
  const status = evaluateOfficer(facts, asOf, deps.rules);
  const alert: Alert = {
    kind: row.kind as Alert['kind'],
    license: row.license as string,
    dueDate: row.dueDate,
    lead: row.lead,
    level: row.level,
    threshold: row.threshold,
    schoolYear: row.schoolYear,
    key: row.alertKey,
    recipients: [],
  };
  // RULES.md 5 "Never stale": no reminder for a met deadline, no escalation once not OVERDUE.
  if (!isStillDue(alert, status, deps.alerts))
    return { supersede: `no longer due as of ${asOf}: officer is ${status.status}` };
  const agency = dir.agencies.get(facts.agencyId);
  let recipient: Recipient | undefined;
  if (alert.kind === 'RESOLVED') {
    recipient = { email: row.recipient, name: null, role: 'PREVIOUS_RECIPIENT', districtId: null };
  } else {
    // Recipients are resolved on the day of sending.
    const set = resolveRecipients(facts, asOf, agency, dir.districts, audienceFor(alert));
    recipient = set.recipients.find((r) => r.email.toLowerCase() === row.recipient.toLowerCase());
    if (!recipient) return { supersede: `${row.recipient} is no longer a recipient for this officer as of ${asOf}` };
  }
  const districtIds = new Set(facts.assignments.map((a) => a.districtId));
  // RULES.md 6: later e-mails about a missed deadline show its latest acknowledgement.
  const acknowledgement =
    (alert.kind === 'DEADLINE_MISSED' || alert.kind === 'RESOLVED') && alert.dueDate
      ? await latestAcknowledgement(deps.pool, alert.license, alert.dueDate)
      : null;
  const rendered = renderAlert({
    alert: { ...alert, recipients: [recipient] },
    recipient,
    officer: { license: facts.license, firstName: facts.firstName, lastName: facts.lastName },
    agency: { id: facts.agencyId, name: agency?.name ?? facts.agencyId, chiefName: agency?.chiefName ?? null },
    districts: [...districtIds].sort().map((id) => {
      const d = dir.districts.get(id);
      return { id, name: d?.name ?? id, kind: d?.kind ?? 'DISTRICT' };
    }),
    status,
    asOf,
    ledgerKey: row.key,
    generatedAt: icsStamp(deps.now()),
    consoleUrl: deps.publicUrl ?? null,
    acknowledgement,
  });
  return { mail: { from: deps.mailFrom, to: formatAddress(recipient), ...rendered } };
}

const noteOf = (a: Acknowledgement): AcknowledgementNote => ({
  by: a.acknowledgedByName ?? a.acknowledgedBy,
  on: a.acknowledgedOn,
  note: a.note,
  plannedCompletionOn: a.plannedCompletionOn,
});

async function latestAcknowledgement(
  pool: pg.Pool,
  license: string,
  dueDate: CivilDate,
): Promise<AcknowledgementNote | null> {
  const found = await readLatestAcknowledgements(pool, [{ license, dueDate }]);
  const a = found.get(acknowledgementKey(license, dueDate));
  return a ? noteOf(a) : null;
}

async function buildDigestMail(deps: SendAlertDeps, row: LedgerRow, asOf: CivilDate, dir: Directory): Promise<Built> {
  const parsed = parseDigestAlertKey(row.alertKey);
  if (!parsed) return { supersede: `unreadable digest key ${row.alertKey}` };
  const name = parsed.kind === 'AGENCY' ? dir.agencies.get(parsed.id)?.name : dir.districts.get(parsed.id)?.name;
  if (name === undefined) return { supersede: `${parsed.kind.toLowerCase()} ${parsed.id} is no longer on the roster` };
  const entries = await digestEntries(deps.pool, parsed, asOf, deps.rules, dir);
  // RULES.md 6: a digest shows the latest acknowledgement of each missed deadline.
  const overdue = entries
    .filter((e) => e.status.status === 'OVERDUE' && e.status.dueDate !== null)
    .map((e) => ({ license: e.officer.license, dueDate: e.status.dueDate! }));
  const acks = await readLatestAcknowledgements(deps.pool, overdue);
  const officers = entries.map((e) => {
    const a = e.status.dueDate ? acks.get(acknowledgementKey(e.officer.license, e.status.dueDate)) : undefined;
    return a ? { ...e, acknowledgement: noteOf(a) } : e;
  });
  const recipient: Recipient = {
    email: row.recipient,
    name:
      parsed.kind === 'AGENCY'
        ? (dir.agencies.get(parsed.id)?.chiefName ?? null)
        : (dir.districts.get(parsed.id)?.contacts.find((c) => c.email === row.recipient)?.name ?? null),
    role: parsed.kind === 'AGENCY' ? 'CHIEF' : 'DISTRICT_PRIMARY',
    districtId: parsed.kind === 'DISTRICT' ? parsed.id : null,
  };
  const rendered = renderDigest({
    recipient,
    scope: { kind: parsed.kind, id: parsed.id, name },
    asOf,
    weekOf: parsed.week,
    ledgerKey: row.key,
    officers,
    consoleUrl: deps.publicUrl ?? null,
  });
  return { mail: { from: deps.mailFrom, to: formatAddress(recipient), ...rendered } };
}

/**
 * Records SENT once the mail server has accepted the message. The message is out: if this
 * gave up at the first error, the retry would send it again. So a database that is briefly
 * unreachable (a restart, a failover: seconds) is waited for, while the claim still holds
 * (half the lease from now; after the lease another worker may take the row over anyway).
 */
async function recordSent(deps: SendAlertDeps, row: LedgerRow, messageId: string): Promise<void> {
  const giveUpAt = Date.now() + (deps.leaseSeconds * 1000) / 2;
  for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 5000)) {
    try {
      await markSent(deps.pool, row.key, deps.workerId, messageId);
      return;
    } catch (e) {
      if (Date.now() + delayMs >= giveUpAt) throw e;
      deps.log.warn('sent, but the ledger is unreachable; retrying the SENT record', {
        kind: row.kind,
        license: row.license,
        error: (e as Error).message,
      });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

export async function sendAlert(deps: SendAlertDeps, payload: SendAlertPayload): Promise<SendOutcome> {
  const lease = deps.leaseSeconds;
  // The claim brings the officer's facts along (one round trip) for the re-check.
  const claim = await claimLedgerRow(deps.pool, payload.ledgerKey, deps.workerId, lease, payload.runId);
  if (!claim.claimed) {
    if (claim.reason === 'MISSING') return 'SKIPPED_MISSING';
    if (claim.reason === 'DONE') return 'SKIPPED_DONE';
    // Another worker holds the claim: look again in a few seconds, until it is released or
    // its lease has run out (a worker killed mid-send leaves its claims behind).
    throw new RetryLater(
      `ledger row is being sent by ${claim.row?.claimedBy ?? 'another worker'}`,
      Math.min(lease, 5) * 1000,
    );
  }
  const row = claim.row;
  try {
    const dir = await deps.directory(claim.directoryVersion);
    const built =
      row.kind === 'WEEKLY_DIGEST'
        ? await buildDigestMail(deps, row, payload.asOf, dir)
        : await buildAlertMail(deps, row, claim.officer, payload.asOf, dir);
    if ('supersede' in built) {
      await markFinal(deps.pool, row.key, deps.workerId, 'SUPERSEDED', built.supersede);
      deps.log.info('alert no longer owed', { kind: row.kind, license: row.license, reason: built.supersede });
      return 'SUPERSEDED';
    }
    const { messageId } = await deps.transport.send(built.mail);
    // The window: a crash after the server accepted and before this UPDATE resends on retry.
    await recordSent(deps, row, messageId);
    return 'SENT';
  } catch (e) {
    const err = e as Error & { code?: string };
    const message = `${err.code ? `${err.code}: ` : ''}${err.message}`;
    if (isPermanent(e)) {
      await recordFailed(deps, row, message, { level: 'warn', msg: 'alert delivery failed', error: message });
      throw new UnrecoverableError(message);
    }
    const policy = deps.retry ?? DEFAULT_RETRY_POLICY;
    // The last try falls on the deadline itself: the row stays PENDING until SEND_RETRY_FOR_HOURS have passed.
    const delayMs = Math.min(
      retryDelayMs(row.attempts, policy),
      Math.max(0, policy.retryForMs - claim.msSinceFirstAttempt),
    );
    if (claim.msSinceFirstAttempt >= policy.retryForMs) {
      const hours = (claim.msSinceFirstAttempt / 3_600_000).toFixed(1);
      const final = `DELIVERY_GIVEN_UP after ${row.attempts} attempts over ${hours} h (SEND_RETRY_FOR_HOURS): ${message}`;
      await recordFailed(deps, row, final, {
        level: 'error',
        msg: 'alert given up: transient failures outlasted SEND_RETRY_FOR_HOURS',
        error: message,
      });
      throw new DeliveryGivenUp(final);
    }
    await releaseForRetry(deps.pool, row.key, deps.workerId, message, delayMs).catch(() => undefined);
    throw new RetryLater(message, delayMs, { cause: e, code: 'DELIVERY_DEFERRED' });
  }
}
