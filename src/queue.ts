// BullMQ plumbing: queue names, connections, deterministic job ids.
// Redis carries work only; the ledger in PostgreSQL decides what was sent.
import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

export const QUEUE_NAMES = { scan: 'scan', send: 'send-alert', digest: 'weekly-digest' } as const;

export function redisConnection(redisUrl: string): ConnectionOptions {
  // Workers need maxRetriesPerRequest: null (blocking commands); reconnect forever with a capped delay.
  return { url: redisUrl, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 200, 5000) };
}

/** BullMQ job ids may not contain ':'; ledger keys do, so ids are a digest of the key. */
export function sendJobId(ledgerKey: string): string {
  return `alert-${createHash('sha256').update(ledgerKey).digest('hex').slice(0, 40)}`;
}

export interface Queues {
  scan: Queue;
  send: Queue;
  digest: Queue;
  close(): Promise<void>;
}

export function sendJobOptions(attempts: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: 1000 },
    // Completed jobs free their id at once: the ledger, not Redis, remembers what was sent.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Scan and digest job ids are derived from the as-of date, so every replica's cron firing adds the same job. */
export const TRIGGER_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5000 },
  // Kept for three days so that later firings the same day (other replicas) find the id taken.
  removeOnComplete: { age: 3 * 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function createQueues(redisUrl: string, prefix: string): Queues {
  const connection = redisConnection(redisUrl);
  const scan = new Queue(QUEUE_NAMES.scan, { connection, prefix });
  const send = new Queue(QUEUE_NAMES.send, { connection, prefix });
  const digest = new Queue(QUEUE_NAMES.digest, { connection, prefix });
  return {
    scan,
    send,
    digest,
    async close() {
      await Promise.all([scan.close(), send.close(), digest.close()]);
    },
  };
}
