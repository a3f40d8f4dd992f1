// BullMQ plumbing: connections and one typed queue per job definition (jobs/).
// Redis carries work only; the ledger in PostgreSQL decides what was sent.
import { Queue, type ConnectionOptions } from 'bullmq';
import { JOBS } from '../../jobs/index.ts';
import type { Queues } from '../../jobs/definition.ts';
import { Redis } from 'ioredis';
import { redactUrl } from '../config.ts';
import { ServiceUnreachableError } from '../errors.ts';

export function redisConnection(redisUrl: string): ConnectionOptions {
  // Workers need maxRetriesPerRequest: null (blocking commands); reconnect forever with a capped delay.
  return { url: redisUrl, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 200, 5000) };
}

/**
 * Fails within `timeoutMs` when Redis cannot be reached, instead of letting BullMQ queue
 * commands forever behind a reconnect loop (`sro scan` and `sro digest` would hang).
 */
export async function assertRedisReachable(redisUrl: string, timeoutMs = 10_000): Promise<void> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
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
  const queue = (name: string) => {
    const q = new Queue(name, { connection, prefix });
    // Without a listener, ioredis prints a stack trace per reconnect attempt while Redis is gone.
    q.on('error', onError ?? (() => undefined));
    return q;
  };
  const scan = queue(JOBS.scan.queue) as Queues['scan'];
  const send = queue(JOBS.send.queue) as Queues['send'];
  const digest = queue(JOBS.digest.queue) as Queues['digest'];
  return {
    scan,
    send,
    digest,
    async close() {
      await Promise.all([scan.close(), send.close(), digest.close()]);
    },
  };
}
