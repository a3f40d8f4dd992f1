// A pool with an acquire timeout (the console's) sheds load instead of queueing without end
// (issue 19, security 2): a caller that gets no connection in time is told ServiceBusy, the
// app's "try again shortly", and the pool serves again as soon as a connection is free.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceBusy } from '../../src/errors.ts';
import { createPool } from '../../src/db/pool.ts';
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('pool_acquire');
});
afterAll(async () => {
  await t?.drop();
});

describe('a pool of one connection with a 300 ms acquire timeout, its connection held', () => {
  it('pool.query and pool.connect each fail with ServiceBusy after about 300 ms; after the release both work', async () => {
    const pool = createPool(t.url, 1, () => undefined, { acquireTimeoutMs: 300 });
    try {
      const held = await pool.connect();
      const started = Date.now();
      const query = await pool.query('SELECT 1').catch((e: unknown) => e);
      expect(query).toBeInstanceOf(ServiceBusy);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((query as ServiceBusy).cause).toBeInstanceOf(Error);
      expect(await pool.connect().catch((e: unknown) => e)).toBeInstanceOf(ServiceBusy);

      held.release();
      expect((await pool.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
      const again = await pool.connect();
      again.release();
    } finally {
      await pool.end();
    }
  });

  it('without an acquire timeout (the batch paths) a caller waits for the connection', async () => {
    const pool = createPool(t.url, 1);
    try {
      const held = await pool.connect();
      const waiting = pool.query<{ n: number }>('SELECT 2 AS n');
      setTimeout(() => held.release(), 500);
      expect((await waiting).rows).toEqual([{ n: 2 }]);
    } finally {
      await pool.end();
    }
  });
});
