// Agencies as the directory keeps them (RULES.md 11): the name, the chief, the escalation
// e-mails and where the row came from. Prisma Client (src/db/directory/client.ts).
import { type DirectoryReader, type DirectoryTx, busyAware } from './client.ts';

export interface AgencyRow {
  id: string;
  name: string;
  chiefName: string | null;
  chiefEmail: string | null;
  escalationEmails: string[];
  source: 'ROSTER' | 'CONSOLE';
  recordedBy: string | null;
  recordedAt: Date | null;
}

/** What the console changes of an agency. */
export type AgencyFields = Pick<AgencyRow, 'name' | 'chiefName' | 'chiefEmail' | 'escalationEmails'>;

export async function readAgency(db: DirectoryReader, id: string): Promise<AgencyRow | null> {
  return busyAware(db.agency.findUnique({ where: { id } }));
}

/** Every agency, by id (the admins' directory list). */
export async function listAgencies(db: DirectoryReader): Promise<AgencyRow[]> {
  return busyAware(db.agency.findMany({ orderBy: { id: 'asc' } }));
}

/** Writes the fields, and the row becomes CONSOLE, recorded by `recordedBy` now. */
export async function updateAgency(
  tx: DirectoryTx,
  id: string,
  fields: AgencyFields,
  recordedBy: string,
): Promise<AgencyRow> {
  return tx.agency.update({
    where: { id },
    data: { ...fields, source: 'CONSOLE', recordedBy, recordedAt: new Date() },
  });
}

/** The licenses of the agency's officers, sorted. */
export async function licensesOfAgency(db: DirectoryReader, agencyId: string): Promise<string[]> {
  const rows = await db.officer.findMany({
    where: { agencyId },
    select: { license: true },
    orderBy: { license: 'asc' },
  });
  return rows.map((r) => r.license);
}
