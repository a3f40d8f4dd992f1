// Redis plumbing shared by the test suite (test/helpers) and the benchmarks (bench/): each
// test file or benchmark run queues under a prefix of its own and deletes its keys afterwards.
// Free of vitest: bench/ runs under plain tsx.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** `${kind}-${label}-<random>`: a queue prefix no other run uses. */
export function uniquePrefix(kind: string, label: string): string {
  return `${kind}-${label}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix:` on the Redis at `redisUrl`. */
export async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
