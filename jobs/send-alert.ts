// send-alert: delivers one (alert, recipient) ledger row (src/app/deliver-alert.ts). The
// job's part is the queue's: a permanent failure fails the job without BullMQ's retries
// (UnrecoverableError), and a delivery deferred by the ledger's schedule moves the job
// back to delayed, which spends none of BullMQ's attempts.
import { createHash } from 'node:crypto';
import { DelayedError, type JobsOptions, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { isPermanent } from '../src/errors.ts';
import { civilDateSchema } from '../src/domain/civil-date-schema.ts';
import { bounceAddresses } from '../src/app/bounce-address.ts';
import { type DeliveryDeps, type SendOutcome, deliverAlert } from '../src/app/deliver-alert.ts';
import { DeliveryGivenUp, RetryLater } from '../src/app/delivery-retry.ts';
import { type JobDeps, defineJob } from './definition.ts';

const sendAlertPayload = z.object({
  ledgerKey: z.string().min(1).max(2000),
  /** The as-of date of the scan that (re-)enqueued the row: the officer is re-checked as of it. */
  asOf: civilDateSchema,
  /** The scan or digest run that enqueued the job (its delivery summary counts the row). */
  runId: z.string().max(200).nullable().default(null),
});
export type SendAlertPayload = z.infer<typeof sendAlertPayload>;

/** BullMQ job ids may not contain ':'; ledger keys do, so ids are a digest of the key. */
export function sendJobId(ledgerKey: string): string {
  return `alert-${createHash('sha256').update(ledgerKey).digest('hex').slice(0, 40)}`;
}

export function sendJobOptions(attempts: number): JobsOptions {
  return {
    // BullMQ's own attempts only cover failures before the claim (the database unreachable);
    // delivery retries are scheduled from the ledger (RetryLater).
    attempts,
    backoff: { type: 'exponential', delay: 1000 },
    // Completed and failed jobs free their id at once: the ledger, not Redis, remembers what
    // was sent and what is still owed (the worker's sweep re-adds a PENDING row's job).
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/** What delivering one row needs, from the worker's deps and the configuration. */
function deliveryDepsOf(deps: JobDeps): DeliveryDeps {
  const { config } = deps;
  return {
    ...deps,
    mailFrom: config.mailFrom,
    leaseSeconds: config.sendLeaseSeconds,
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
    bounces: config.bounceDomain && config.secretKey ? bounceAddresses(config.bounceDomain, config.secretKey) : null,
    retry: {
      quickRetries: config.sendAttempts,
      maxDelayMs: config.sendRetryMaxDelaySeconds * 1000,
      retryForMs: config.sendRetryForHours * 3_600_000,
    },
  };
}

/** DeliveryGivenUp as BullMQ must see it (unrecoverable), its code kept for sro_send_failures_total{class}. */
class GivenUp extends UnrecoverableError {
  readonly code = 'DELIVERY_GIVEN_UP';
}

/**
 * The delivery as the queue sees it: a permanent failure (DeliveryFailed, DeliveryGivenUp)
 * becomes an UnrecoverableError, which BullMQ fails at once; the rest passes through.
 */
export async function sendAlert(deps: DeliveryDeps, payload: SendAlertPayload): Promise<SendOutcome> {
  try {
    return await deliverAlert(deps, payload);
  } catch (e) {
    if (!isPermanent(e)) throw e;
    throw e instanceof DeliveryGivenUp ? new GivenUp(e.message) : new UnrecoverableError(e.message);
  }
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
    const started = performance.now();
    try {
      const outcome = await sendAlert(deliveryDepsOf(deps), payload);
      deps.metrics.sendOutcome({ outcome });
      deps.metrics.sendSeconds((performance.now() - started) / 1000, outcome);
      if (outcome === 'SENT') deps.metrics.sent({ kind: kindOf(payload.ledgerKey) });
      return outcome;
    } catch (e) {
      const failure = (e as { code?: string }).code ?? (e as Error).name;
      deps.metrics.sendFailure({ class: failure });
      deps.metrics.sendSeconds((performance.now() - started) / 1000, failure);
      if (e instanceof GivenUp) deps.metrics.givenUp({ kind: kindOf(payload.ledgerKey) });
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
