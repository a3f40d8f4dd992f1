// Districts as the directory keeps them (RULES.md 11): the name, the kind, the whole contact
// list, the district's own days without school (RULES.md 9) and where the row came from.
// Prisma Client (src/db/directory/client.ts).
import type { CivilDate } from '../../domain/civil-date.ts';
import { type DirectoryReader, type DirectoryTx, busyAware, civilOf, dateOf } from './client.ts';

export interface ContactRow {
  name: string;
  email: string;
  role: 'PRIMARY' | 'ESCALATION';
}

export interface DistrictRow {
  id: string;
  name: string;
  kind: 'DISTRICT' | 'CHARTER';
  /** In the order they were entered. */
  contacts: ContactRow[];
  /** Sorted. */
  nonSchoolDays: CivilDate[];
  source: 'ROSTER' | 'CONSOLE';
  recordedBy: string | null;
  recordedAt: Date | null;
}

/** What the console changes of a district: each list, when given, is the whole list. */
export interface DistrictFields {
  name: string;
  contacts: ContactRow[] | null;
  nonSchoolDays: CivilDate[] | null;
}

const WITH_LISTS = {
  contacts: { orderBy: { id: 'asc' }, select: { name: true, email: true, role: true } },
  nonSchoolDays: { orderBy: { date: 'asc' }, select: { date: true } },
} as const;

type Read = Omit<DistrictRow, 'nonSchoolDays'> & { nonSchoolDays: { date: Date }[] };
const rowOf = (d: Read): DistrictRow => ({ ...d, nonSchoolDays: d.nonSchoolDays.map((n) => civilOf(n.date)) });

export async function readDistrict(db: DirectoryReader, id: string): Promise<DistrictRow | null> {
  const d = await busyAware(db.district.findUnique({ where: { id }, include: WITH_LISTS }));
  return d ? rowOf(d) : null;
}

/** Every district with its contacts and days without school, by id (the admins' directory list). */
export async function listDistricts(db: DirectoryReader): Promise<DistrictRow[]> {
  return (await busyAware(db.district.findMany({ orderBy: { id: 'asc' }, include: WITH_LISTS }))).map(rowOf);
}

/**
 * Writes the name and the lists given (a list replaces the one on file), and the row becomes
 * CONSOLE, recorded by `recordedBy` now.
 */
export async function updateDistrict(
  tx: DirectoryTx,
  id: string,
  fields: DistrictFields,
  recordedBy: string,
): Promise<DistrictRow> {
  if (fields.contacts) {
    await tx.districtContact.deleteMany({ where: { districtId: id } });
    await tx.districtContact.createMany({ data: fields.contacts.map((c) => ({ ...c, districtId: id })) });
  }
  if (fields.nonSchoolDays) {
    await tx.districtNonSchoolDay.deleteMany({ where: { districtId: id } });
    await tx.districtNonSchoolDay.createMany({
      data: fields.nonSchoolDays.map((d) => ({ districtId: id, date: dateOf(d) })),
    });
  }
  const d = await tx.district.update({
    where: { id },
    data: { name: fields.name, source: 'CONSOLE', recordedBy, recordedAt: new Date() },
    include: WITH_LISTS,
  });
  return rowOf(d);
}

/**
 * The officers with an assignment in the district that has not ended before `today` (those
 * whose alerts go to its contacts now or will), sorted.
 */
export async function licensesServingDistrict(
  db: DirectoryReader,
  districtId: string,
  today: CivilDate,
): Promise<string[]> {
  const rows = await db.assignment.findMany({
    where: { districtId, OR: [{ endDate: null }, { endDate: { gte: dateOf(today) } }] },
    select: { license: true },
    distinct: ['license'],
    orderBy: { license: 'asc' },
  });
  return rows.map((r) => r.license);
}
