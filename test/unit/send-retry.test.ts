// RULES.md 5 "A relay that is down delays, never drops": the schedule of retries after a
// transient delivery failure (src/app/delivery-retry.ts). SEND_ATTEMPTS quick retries from 1 s,
// then every SEND_RETRY_MAX_DELAY_SECONDS; the ledger's first attempt bounds the whole.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../src/app/delivery-retry.ts';

describe('RULES 5 a relay that is down delays, never drops: retry schedule', () => {
  it('given the defaults (8 quick retries, 900 s cap), then the quick retries double from 1 s and the rest wait 900 s', () => {
    const delays = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1, DEFAULT_RETRY_POLICY) / 1000);
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 900, 900, 900, 900]);
  });

  it('given SEND_ATTEMPTS=2 and a 3 s cap, then 1 s, 2 s, then every 3 s', () => {
    const policy = { quickRetries: 2, maxDelayMs: 3000, retryForMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy))).toEqual([1000, 2000, 3000, 3000, 3000]);
  });

  it('given a cap below the doubling, then no quick retry waits longer than the cap', () => {
    const policy = { quickRetries: 10, maxDelayMs: 5000, retryForMs: 60_000 };
    expect(Math.max(...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => retryDelayMs(n, policy)))).toBe(5000);
  });

  it('given the defaults, then a relay down for a whole weekend (72 h) is retried about 290 times, never more than 15 minutes apart', () => {
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < DEFAULT_RETRY_POLICY.retryForMs) {
      attempts += 1;
      const delay = retryDelayMs(attempts, DEFAULT_RETRY_POLICY);
      expect(delay).toBeLessThanOrEqual(900_000);
      elapsed += delay;
    }
    expect(attempts).toBeGreaterThan(280);
    expect(attempts).toBeLessThan(300);
  });
});
