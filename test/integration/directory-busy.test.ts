// The directory's reads through Prisma Client share the console's pg pool and its acquire
// timeout (issue 20 item 4): a read, or a change's transaction, that finds no connection free
// in time is ServiceBusy (answered 503 with Retry-After), as every other statement is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceBusy } from '../../src/errors.ts';
import { createDirectoryDb } from '../../src/db/client.ts';
import { readAgency } from '../../src/db/directory/agencies.ts';
import { inDirectoryTransaction } from '../../src/db/directory/client.ts';
import { listDistricts } from '../../src/db/directory/districts.ts';
import { createPool } from '../../src/db/pool.ts';
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('directory-busy');
});
afterAll(() => database?.drop());

describe('Prisma Client on a pool with no connection free', () => {
  it('given the one connection held, then a read and a change are ServiceBusy within the acquire timeout', async () => {
    const pool = createPool(database.url, 1, () => undefined, { acquireTimeoutMs: 300 });
    const db = createDirectoryDb(pool);
    try {
      expect(await readAgency(db, 'AL')).toBeNull();
      const held = await pool.connect();
      try {
        await expect(readAgency(db, 'AL')).rejects.toBeInstanceOf(ServiceBusy);
        await expect(listDistricts(db)).rejects.toBeInstanceOf(ServiceBusy);
        await expect(inDirectoryTransaction(db, async () => 1)).rejects.toBeInstanceOf(ServiceBusy);
      } finally {
        held.release();
      }
      // And once it is free again, everything goes through.
      expect((await inDirectoryTransaction(db, async (tx) => readAgency(tx, 'AL'))).out).toBeNull();
    } finally {
      await db.$disconnect();
      await pool.end();
    }
  });
});
