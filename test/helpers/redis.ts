// Each test file uses its own queue prefix on the machine's Redis and deletes its keys afterwards.
import { deletePrefix as deleteKeysUnder, uniquePrefix as prefixOf } from '../../support/redis.ts';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(label: string): string {
  return prefixOf('sro-test', label);
}

export function deletePrefix(prefix: string): Promise<void> {
  return deleteKeysUnder(TEST_REDIS_URL, prefix);
}
