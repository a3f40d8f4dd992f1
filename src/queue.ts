// BullMQ plumbing: queue names, connections, deterministic job ids.
// Redis carries work only; the ledger in PostgreSQL decides what was sent.
import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { redactUrl } from './config.ts';

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
    // Completed and failed jobs free their id at once: the ledger, not Redis, remembers what
    // was sent and what is still owed (the worker's sweep re-adds a PENDING row's job).
    removeOnComplete: true,
    removeOnFail: true,
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

/** A service the command needs cannot be reached: exit 3 with one line naming it and its variable. */
export class ServiceUnreachableError extends Error {
  readonly code = 'SERVICE_UNREACHABLE';
}

/**
 * Fails within `timeoutMs` when Redis cannot be reached, instead of letting BullMQ queue
 * commands forever behind a reconnect loop (`sro scan` and `sro digest` would hang).
 */
export async function assertRedisReachable(redisUrl: string, timeoutMs = 10_000): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: Error | null = null;
  client.on('error', (e: Error) => {
    lastError = e;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    const cause = (lastError ?? e) as Error & { code?: string };
    const why = cause.code ? `${cause.code} ${cause.message.replace(`${cause.code} `, '')}` : cause.message;
    throw new ServiceUnreachableError(`Redis at REDIS_URL=${redactUrl(redisUrl)} is not reachable: ${why}`, { cause });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

export function createQueues(redisUrl: string, prefix: string, onError?: (e: Error) => void): Queues {
  const connection = redisConnection(redisUrl);
  const scan = new Queue(QUEUE_NAMES.scan, { connection, prefix });
  const send = new Queue(QUEUE_NAMES.send, { connection, prefix });
  const digest = new Queue(QUEUE_NAMES.digest, { connection, prefix });
  // Without a listener, ioredis prints a stack trace per reconnect attempt while Redis is gone.
  for (const q of [scan, send, digest]) q.on('error', onError ?? (() => undefined));
  return {
    scan,
    send,
    digest,
    async close() {
      await Promise.all([scan.close(), send.close(), digest.close()]);
    },
  };
}
