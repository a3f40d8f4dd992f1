// The edge between civil dates ('YYYY-MM-DD', src/domain) and Prisma's DateTime for
// @db.Date columns. A DATE has no time zone; Prisma carries it as a JS Date at 00:00 UTC
// of that day, so both directions read and write the UTC calendar fields only.
import type { CivilDate } from '../domain/civil-date.ts';

/** The Date Prisma writes to a @db.Date column for civil date `d` (midnight UTC of that day). */
export function civilToDb(d: CivilDate): Date {
  return new Date(`${d}T00:00:00Z`);
}

/** The civil date of a @db.Date value read through Prisma (a Date at midnight UTC). */
export function dbToCivil(d: Date): CivilDate {
  if (Number.isNaN(d.getTime())) throw new RangeError('dbToCivil: invalid Date');
  // toISOString is always UTC; years 0000–9999 give the plain 'YYYY-MM-DD' prefix.
  return d.toISOString().slice(0, 10) as CivilDate;
}
