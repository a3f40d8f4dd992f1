// How a delivery that failed is retried (RULES.md 5 "A relay that is down delays, never
// drops"): SEND_ATTEMPTS quick retries (1 s, 2 s, 4 s …), then every
// SEND_RETRY_MAX_DELAY_SECONDS, until SEND_RETRY_FOR_HOURS have passed since the row's first
// attempt; only then FAILED. The ledger keeps the count and the deadline, not the queue.
import { PermanentError } from '../errors.ts';

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

/**
 * Not delivered now; look again after `delayMs` (the send job moves itself to delayed,
 * which spends none of the queue's attempts: the ledger keeps the count and the deadline).
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

/** A permanent failure (a 5xx refusal, an e-mail that cannot be rendered): the row is FAILED after one attempt. */
export class DeliveryFailed extends PermanentError {}

/** Transient failures went on for SEND_RETRY_FOR_HOURS: the row is FAILED (sro_send_given_up_total). */
export class DeliveryGivenUp extends PermanentError {
  readonly code = 'DELIVERY_GIVEN_UP';
}
