// BullMQ plumbing: connections, one typed queue per job definition (jobs/), and the one
// WorkQueue the use cases enqueue through (src/app/ports.ts). Redis carries work only; the
// ledger in PostgreSQL decides what was sent.
import { Queue, type ConnectionOptions } from 'bullmq';
import { JOBS } from '../../jobs/index.ts';
import { type Queues, addJob, addJobs } from '../../jobs/definition.ts';
import { OFFICER_SCAN_JOB_OPTIONS, officerScanJobId, scanPartJobId } from '../../jobs/scan.ts';
import { Redis } from 'ioredis';
import { type Config, redactUrl } from '../config.ts';
import { ServiceUnreachableError } from '../errors.ts';
import type { WorkQueue } from '../app/ports.ts';

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

/** The use cases' WorkQueue over the send and scan queues, each job under its definition's options and derived id. */
export function createWorkQueue(
  queues: Pick<Queues, 'send' | 'scan'>,
  config: Pick<Config, 'sendAttempts'>,
): WorkQueue {
  return {
    sendAlerts: (rows) =>
      addJobs(
        queues.send,
        JOBS.send,
        rows.map((r) => ({ ledgerKey: r.key, asOf: r.asOf, runId: r.runId ?? null })),
        config,
      ),
    async scanParts(scanJobId, parts) {
      const ids = parts.map((_, i) => scanPartJobId(scanJobId, i, parts.length));
      await addJobs(
        queues.scan,
        JOBS.scan,
        parts.map((p) => ({ ...p, part: true })),
        config,
        (_, i) => ids[i]!,
      );
      return ids;
    },
    async officerScan(asOf, license, changeId) {
      const jobId = officerScanJobId(asOf, license, changeId);
      // Parsed here, so a license the payload refuses fails the request rather than the job.
      const payload = JOBS.scan.payload.parse({ asOf, licenses: [license] });
      await addJob(queues.scan, JOBS.scan, payload, config, { ...OFFICER_SCAN_JOB_OPTIONS, jobId });
      return jobId;
    },
  };
}
