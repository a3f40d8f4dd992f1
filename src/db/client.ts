// Prisma Client over the process's own pg pool (issue 20 item 4): the driver adapter takes the
// pool as it is, so Prisma's queries share its connections and its acquire timeout (a request
// that finds none free is ServiceBusy as for any other statement). Built by the composition
// roots only (src/web/start.ts), and handed down; `$disconnect()` leaves the pool open.
// What uses it, and why the bulk paths stay SQL on pg: README, "Design".
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type DirectoryDb = PrismaClient;

export function createDirectoryDb(pool: pg.Pool): DirectoryDb {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
