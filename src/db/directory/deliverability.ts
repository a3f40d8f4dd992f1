// What came back about the directory's addresses (RULES.md 12), for the agency's and the
// district's pages: the marks of addresses that bounced in their role (until the directory
// changes them), and the abuse reports (complaints) made from an address about the service's
// e-mails. Prisma Client (src/db/directory/client.ts).
import type { CivilDate } from '../../domain/civil-date.ts';
import { type DirectoryReader, busyAware, civilOf } from './client.ts';

/** An address marked undeliverable in a role: since which day (TZ), when, and what the bounce said. */
export interface UndeliverableRow {
  /** Lower-cased. */
  email: string;
  since: CivilDate;
  at: Date;
  status: string | null;
  diagnostic: string | null;
}

type Scope = 'AGENCY' | 'DISTRICT';

async function readMarks(db: DirectoryReader, where: { scope?: Scope; scopeId?: string }) {
  const rows = await busyAware(db.undeliverableAddress.findMany({ where, orderBy: { markedAt: 'asc' } }));
  return rows.map((r) => ({
    scope: r.scope as Scope,
    scopeId: r.scopeId,
    mark: {
      email: r.email,
      since: civilOf(r.markedOn),
      at: r.markedAt,
      status: r.status,
      diagnostic: r.diagnostic,
    } satisfies UndeliverableRow,
  }));
}

/** The marks of an agency's chief ('AGENCY') or a district's PRIMARY contacts ('DISTRICT'). */
export async function readUndeliverableOf(
  db: DirectoryReader,
  scope: Scope,
  scopeId: string,
): Promise<UndeliverableRow[]> {
  return (await readMarks(db, { scope, scopeId })).map((r) => r.mark);
}

/** Every mark, by scope and id (the admins' directory list). */
export async function readAllUndeliverable(
  db: DirectoryReader,
): Promise<Record<Scope, Map<string, UndeliverableRow[]>>> {
  const out: Record<Scope, Map<string, UndeliverableRow[]>> = { AGENCY: new Map(), DISTRICT: new Map() };
  for (const r of await readMarks(db, {})) {
    const list = out[r.scope].get(r.scopeId) ?? [];
    list.push(r.mark);
    out[r.scope].set(r.scopeId, list);
  }
  return out;
}

/** A complaint: which e-mail (its kind and officer), to whom, when it was reported and what the report said. */
export interface ComplaintRow {
  recipient: string;
  kind: string;
  license: string | null;
  level: number | null;
  at: Date;
  note: string | null;
}

/** The latest complaints made from these addresses (any letter case), newest first, at most `limit`. */
export async function readComplaintsFrom(
  db: DirectoryReader,
  addresses: readonly string[],
  limit = 20,
): Promise<ComplaintRow[]> {
  if (addresses.length === 0) return [];
  const rows = await busyAware(
    db.alertLedger.findMany({
      where: { complaintAt: { not: null }, recipient: { in: [...addresses], mode: 'insensitive' } },
      orderBy: [{ complaintAt: 'desc' }, { key: 'asc' }],
      take: limit,
      select: { recipient: true, kind: true, license: true, level: true, complaintAt: true, complaintNote: true },
    }),
  );
  return rows.map((r) => ({
    recipient: r.recipient,
    kind: r.kind,
    license: r.license,
    level: r.level,
    at: r.complaintAt!,
    note: r.complaintNote,
  }));
}
