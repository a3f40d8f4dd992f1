// Prisma Client for the directory kept in the console (RULES.md 11, issue 20 item 4): small
// typed reads and writes of a few rows per request, over the process's pg pool (src/db/client.ts
// builds it). One change with its roster_version lock and its audit event is one Prisma
// interactive transaction: one connection, one COMMIT. The bulk paths (scan, import,
// snapshot, report) stay SQL on pg.
import { ServiceBusy } from '../../errors.ts';
import type { CivilDate } from '../../domain/civil-date.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { DirectoryDb } from '../client.ts';

export type { DirectoryDb };
/** The client inside one change's transaction. */
export type DirectoryTx = Prisma.TransactionClient;
/** Either: a read runs on whichever it is given. */
export type DirectoryReader = DirectoryDb | DirectoryTx;

/**
 * A read outside a transaction that found no pool connection in time: Prisma wraps the pool's
 * ServiceBusy in its own error, keeping only its code; it is ServiceBusy again here (503, not
 * 500). A transaction's start passes the pool's error through as it is.
 */
export async function busyAware<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (e) {
    if (!(e instanceof ServiceBusy) && (e as { code?: unknown }).code === 'SERVICE_BUSY')
      throw new ServiceBusy('the database has no connection free right now: try again in a moment', { cause: e });
    throw e;
  }
}

/** A DATE column as Prisma gives it (midnight UTC) to the civil date it stores. */
export const civilOf = (d: Date): CivilDate => d.toISOString().slice(0, 10) as CivilDate;
/** A civil date to the value Prisma writes to a DATE column. */
export const dateOf = (d: string): Date => new Date(`${d}T00:00:00Z`);

/** roster_version and the status snapshot's label, as the change found them (see fact-change.ts inChange). */
export interface RosterVersions {
  version: string;
  snapshotAsOf: CivilDate | null;
  snapshotVersion: string | null;
}

async function lockRosterVersion(tx: DirectoryTx): Promise<RosterVersions> {
  const rows = await tx.$queryRaw<RosterVersions[]>`
    SELECT v.version::text AS version, s.as_of::text AS "snapshotAsOf", s.roster_version::text AS "snapshotVersion"
    FROM (SELECT version FROM roster_version WHERE id = 1 FOR UPDATE) v, status_snapshot s WHERE s.id = 1`;
  return rows[0] ?? { version: '0', snapshotAsOf: null, snapshotVersion: null };
}

/**
 * One directory change's transaction: roster_version locked first (every change made in the
 * console, and an import's first write, queue behind it, so the rows read here stay as read
 * until the commit), then the work; resolves with what the work returned and the versions
 * before and after (the triggers on agency, district, district_contact, officer and
 * assignment bump it).
 */
export async function inDirectoryTransaction<T>(
  db: DirectoryDb,
  work: (tx: DirectoryTx) => Promise<T>,
): Promise<{ out: T; before: RosterVersions; after: string }> {
  return db.$transaction(
    async (tx) => {
      const before = await lockRosterVersion(tx);
      const out = await work(tx);
      const after = (await lockRosterVersion(tx)).version;
      return { out, before, after };
    },
    // Waits for a connection as long as the pool's acquire timeout; a change is a few statements.
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** Who made a change, from where (src/db/audit.ts's AuditActor). */
interface DirectoryActor {
  email: string;
  clientAddress: string | null;
  userAgent: string | null;
}

export interface DirectoryAuditEvent {
  actor: DirectoryActor;
  /** 'agency.update', 'district.update', 'officer.create', 'officer.update', 'assignment.create', 'assignment.update'. */
  action: string;
  license?: string | null;
  agencyId?: string | null;
  districtId?: string | null;
  before: unknown;
  after: unknown;
}

/**
 * Appends the change's audit event inside its transaction (the table is append-only: its
 * triggers refuse UPDATE and DELETE); resolves with its id, the change id.
 */
export async function appendDirectoryAudit(tx: DirectoryTx, e: DirectoryAuditEvent): Promise<string> {
  const json = (v: unknown) => (v === null || v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as object));
  const row = await tx.auditEvent.create({
    data: {
      actor: e.actor.email,
      clientAddress: e.actor.clientAddress,
      userAgent: e.actor.userAgent?.slice(0, 1000) ?? null,
      action: e.action,
      license: e.license ?? null,
      agencyId: e.agencyId ?? null,
      districtId: e.districtId ?? null,
      ...(json(e.before) !== undefined ? { before: json(e.before) } : {}),
      ...(json(e.after) !== undefined ? { after: json(e.after) } : {}),
    },
    select: { id: true },
  });
  return row.id.toString();
}
