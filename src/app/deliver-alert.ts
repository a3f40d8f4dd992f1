// Delivers one (alert, recipient) ledger row. Claims the row with a guarded UPDATE (so of
// any number of sends for the key exactly one sends), re-checks the officer is still owed
// the alert (alert-mail.ts), renders, sends, records SENT with the provider's message id.
// A permanent failure (a 5xx refusal, an e-mail that cannot be rendered) fails the row at
// once (DeliveryFailed). Any other failure keeps the row PENDING and says when to look
// again (RetryLater) on the ledger's schedule (delivery-retry.ts), until
// SEND_RETRY_FOR_HOURS have passed since the row's first attempt; then FAILED
// (DeliveryGivenUp). The send job (jobs/send-alert.ts) turns these into queue moves.
import type pg from 'pg';
import { isPermanent } from '../errors.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import type { Directory } from '../db/officer-reader.ts';
import { type LedgerRow, claimLedgerRow, markFinal, markSent, releaseForRetry } from '../db/ledger.ts';
import type { MailTransport, OutgoingMail } from '../mail/transport.ts';
import type { Logger } from '../shell/log.ts';
import type { BounceAddresses } from './bounce-address.ts';
import { type MailDeps, buildAlertMail, buildDigestMail } from './alert-mail.ts';
import { buildSubmissionMail, isSubmissionKind } from './submission-mail.ts';
import {
  DEFAULT_RETRY_POLICY,
  DeliveryFailed,
  DeliveryGivenUp,
  type RetryPolicy,
  RetryLater,
  retryDelayMs,
} from './delivery-retry.ts';

/** One owed row: its ledger key, the as-of date the officer is re-checked as of, the run that counts it. */
export interface Delivery {
  ledgerKey: string;
  asOf: CivilDate;
  runId: string | null;
}

/** What delivering one row needs (tests and benches build it alone). */
export interface DeliveryDeps extends MailDeps {
  pool: pg.Pool;
  transport: MailTransport;
  workerId: string;
  /** Agencies and districts as of `version` (directory_version read with the claim); the caller caches per version. */
  directory: (version: string) => Promise<Directory>;
  log: Logger;
  /** A claim older than this is taken to belong to a dead worker (SEND_LEASE_SECONDS). */
  leaseSeconds: number;
  retry?: RetryPolicy;
  /** BOUNCE_DOMAIN set: each e-mail's envelope sender names its row (RULES.md 12); null or absent: MAIL_FROM's. */
  bounces?: BounceAddresses | null;
}

export type SendOutcome = 'SENT' | 'SKIPPED_DONE' | 'SKIPPED_MISSING' | 'SUPERSEDED';

/**
 * Records the row FAILED with `lastError` (best effort: the delivery fails either way) and
 * logs `log.msg` at `log.level` with the row and `log.error`.
 */
async function recordFailed(
  deps: DeliveryDeps,
  row: LedgerRow,
  lastError: string,
  log: { level: 'warn' | 'error'; msg: string; error: string },
): Promise<void> {
  await markFinal(deps.pool, row.key, deps.workerId, 'FAILED', lastError).catch(() => undefined);
  deps.log[log.level](log.msg, { kind: row.kind, license: row.license, attempts: row.attempts, error: log.error });
}

/**
 * Records SENT once the mail server has accepted the message. The message is out: if this
 * gave up at the first error, the retry would send it again. So a database that is briefly
 * unreachable (a restart, a failover: seconds) is waited for, while the claim still holds
 * (half the lease from now; after the lease another worker may take the row over anyway).
 */
async function recordSent(deps: DeliveryDeps, row: LedgerRow, messageId: string): Promise<void> {
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

/**
 * RULES.md 12: the envelope sender names the row, so a bounce names the (alert, recipient)
 * that failed; From: stays MAIL_FROM. SendGrid rewrites the envelope sender to its own
 * bounce domain and reports through its event webhook instead: the same address rides along
 * as a unique argument (X-SMTPAPI, which SendGrid removes before delivery), so its events
 * name the row as well.
 */
function withReturnPath(mail: OutgoingMail, row: LedgerRow, bounces: BounceAddresses | null): OutgoingMail {
  if (!bounces) return mail;
  const address = bounces.addressOf(row.id);
  return {
    ...mail,
    envelopeFrom: address,
    headers: { ...mail.headers, 'X-SMTPAPI': JSON.stringify({ unique_args: { sro_return_path: address } }) },
  };
}

export async function deliverAlert(deps: DeliveryDeps, delivery: Delivery): Promise<SendOutcome> {
  const lease = deps.leaseSeconds;
  // The claim brings the officer's facts along (one round trip) for the re-check.
  const claim = await claimLedgerRow(deps.pool, delivery.ledgerKey, deps.workerId, lease, delivery.runId);
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
        ? await buildDigestMail(deps, row, delivery.asOf, dir)
        : isSubmissionKind(row.kind)
          ? await buildSubmissionMail(deps, row, claim.officer, dir)
          : await buildAlertMail(deps, row, claim.officer, delivery.asOf, dir);
    if ('supersede' in built) {
      await markFinal(deps.pool, row.key, deps.workerId, 'SUPERSEDED', built.supersede);
      deps.log.info('alert no longer owed', { kind: row.kind, license: row.license, reason: built.supersede });
      return 'SUPERSEDED';
    }
    const { messageId } = await deps.transport.send(withReturnPath(built.mail, row, deps.bounces ?? null));
    // The window: a crash after the server accepted and before this UPDATE resends on retry.
    await recordSent(deps, row, messageId);
    return 'SENT';
  } catch (e) {
    const err = e as Error & { code?: string };
    const message = `${err.code ? `${err.code}: ` : ''}${err.message}`;
    if (isPermanent(e)) {
      await recordFailed(deps, row, message, { level: 'warn', msg: 'alert delivery failed', error: message });
      throw new DeliveryFailed(message, { cause: e });
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
      throw new DeliveryGivenUp(final, { cause: e });
    }
    await releaseForRetry(deps.pool, row.key, deps.workerId, message, delayMs).catch(() => undefined);
    throw new RetryLater(message, delayMs, { cause: e, code: 'DELIVERY_DEFERRED' });
  }
}
