// Officers and their assignments as the directory keeps them (RULES.md 11), with where each
// row came from. Prisma Client (src/db/directory/client.ts).
import type { CivilDate } from '../../domain/civil-date.ts';
import { type DirectoryReader, type DirectoryTx, civilOf, dateOf } from './client.ts';

export interface OfficerRow {
  license: string;
  firstName: string;
  lastName: string;
  email: string | null;
  agencyId: string;
  source: 'ROSTER' | 'CONSOLE';
  recordedBy: string | null;
  recordedAt: Date | null;
}

export type OfficerFields = Pick<OfficerRow, 'firstName' | 'lastName' | 'email'>;

export interface AssignmentRow {
  license: string;
  districtId: string;
  school: string | null;
  role: 'REGULAR' | 'SUBSTITUTE';
  startDate: CivilDate;
  endDate: CivilDate | null;
  trainingUnavailable: boolean;
  source: 'ROSTER' | 'CONSOLE';
  recordedBy: string | null;
  recordedAt: Date | null;
}

export type AssignmentFields = Pick<
  AssignmentRow,
  'districtId' | 'school' | 'role' | 'startDate' | 'endDate' | 'trainingUnavailable'
>;

/** An assignment's natural key. */
export interface AssignmentKey {
  license: string;
  districtId: string;
  startDate: CivilDate;
}

const OFFICER = {
  license: true,
  firstName: true,
  lastName: true,
  email: true,
  agencyId: true,
  source: true,
  recordedBy: true,
  recordedAt: true,
} as const;

export async function readOfficer(db: DirectoryReader, license: string): Promise<OfficerRow | null> {
  return db.officer.findUnique({ where: { license }, select: OFFICER });
}

/** A new CONSOLE officer, recorded by `recordedBy` now. */
export async function createOfficer(
  tx: DirectoryTx,
  o: OfficerFields & { license: string; agencyId: string },
  recordedBy: string,
): Promise<OfficerRow> {
  return tx.officer.create({
    data: { ...o, source: 'CONSOLE', recordedBy, recordedAt: new Date() },
    select: OFFICER,
  });
}

/** Writes the fields, and the row becomes CONSOLE, recorded by `recordedBy` now. */
export async function updateOfficer(
  tx: DirectoryTx,
  license: string,
  fields: OfficerFields,
  recordedBy: string,
): Promise<OfficerRow> {
  return tx.officer.update({
    where: { license },
    data: { ...fields, source: 'CONSOLE', recordedBy, recordedAt: new Date() },
    select: OFFICER,
  });
}

const ASSIGNMENT = {
  license: true,
  districtId: true,
  school: true,
  role: true,
  startDate: true,
  endDate: true,
  trainingUnavailable: true,
  source: true,
  recordedBy: true,
  recordedAt: true,
} as const;

type AssignmentRead = Omit<AssignmentRow, 'startDate' | 'endDate'> & { startDate: Date; endDate: Date | null };
const assignmentOf = (a: AssignmentRead): AssignmentRow => ({
  ...a,
  startDate: civilOf(a.startDate),
  endDate: a.endDate ? civilOf(a.endDate) : null,
});

const keyOf = (k: AssignmentKey) => ({
  license_districtId_startDate: { license: k.license, districtId: k.districtId, startDate: dateOf(k.startDate) },
});

export async function readAssignment(db: DirectoryReader, k: AssignmentKey): Promise<AssignmentRow | null> {
  const a = await db.assignment.findUnique({ where: keyOf(k), select: ASSIGNMENT });
  return a ? assignmentOf(a) : null;
}

/** A new CONSOLE assignment of `license`, recorded by `recordedBy` now. */
export async function createAssignment(
  tx: DirectoryTx,
  license: string,
  a: AssignmentFields,
  recordedBy: string,
): Promise<AssignmentRow> {
  const row = await tx.assignment.create({
    data: {
      ...a,
      license,
      startDate: dateOf(a.startDate),
      endDate: a.endDate ? dateOf(a.endDate) : null,
      source: 'CONSOLE',
      recordedBy,
      recordedAt: new Date(),
    },
    select: ASSIGNMENT,
  });
  return assignmentOf(row);
}

/** Writes the fields (the start date may move: the key changes with it); the row becomes CONSOLE. */
export async function updateAssignment(
  tx: DirectoryTx,
  k: AssignmentKey,
  a: Omit<AssignmentFields, 'districtId'>,
  recordedBy: string,
): Promise<AssignmentRow> {
  const row = await tx.assignment.update({
    where: keyOf(k),
    data: {
      ...a,
      startDate: dateOf(a.startDate),
      endDate: a.endDate ? dateOf(a.endDate) : null,
      source: 'CONSOLE',
      recordedBy,
      recordedAt: new Date(),
    },
    select: ASSIGNMENT,
  });
  return assignmentOf(row);
}

export async function districtExists(db: DirectoryReader, id: string): Promise<boolean> {
  return (await db.district.count({ where: { id } })) > 0;
}
