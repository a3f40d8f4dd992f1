// A roster row as the staging tables hold it (src/db/import-staging.ts): where it came from,
// its natural key as the duplicate check reads it (the unvalidated values, trimmed, or none
// when one is not text), and its validated fields (none when the row failed validation).
import type { StageSection, StageValue } from '../db/import-staging.ts';
import type { RosterAgency, RosterAssignment, RosterDistrict, RosterOfficer, RosterTraining } from './schema.ts';

/** The fields of each section's natural key (INTERFACE.md), district contacts keyed with their district's id. */
export const KEY_FIELDS: Record<StageSection, readonly string[]> = {
  agencies: ['id'],
  districts: ['id'],
  districtContacts: ['districtId', 'email', 'role'],
  officers: ['license'],
  assignments: ['license', 'districtId', 'startDate'],
  trainings: ['license', 'kind', 'completedOn'],
  policyReviews: ['license', 'agencyId', 'reviewedOn'],
  contactDays: ['license', 'districtId', 'date'],
};

export type StageKey = readonly string[] | null;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The trimmed key of an unvalidated row, or null when the row is not an object or a key field is not text. */
export function keyOf(section: StageSection, row: unknown): StageKey {
  if (!isRecord(row)) return null;
  const fields = KEY_FIELDS[section];
  const out: string[] = [];
  for (const f of fields) {
    const v = row[f];
    if (typeof v !== 'string') return null;
    out.push(v.trim());
  }
  return out;
}

const k = (key: StageKey, i: number): string | null => (key === null ? null : (key[i] ?? null));

/** A district contact of a JSON (or in-memory) roster, as stage_district's jsonb column lists it: [sub, email, role, name]. */
export type NestedContact = [number, string, string, string | null];

function agencyValues(r: number, key: StageKey, a: RosterAgency | null): StageValue[] {
  return [
    r,
    null,
    k(key, 0),
    a?.name ?? null,
    a?.chief?.name ?? null,
    a?.chief?.email ?? null,
    a?.escalationEmails ?? null,
  ];
}

export function districtValues(
  r: number,
  key: StageKey,
  d: RosterDistrict | null,
  contacts: readonly NestedContact[] | null,
): StageValue[] {
  return [r, null, k(key, 0), d?.name ?? null, d?.kind ?? null, contacts === null ? null : { json: contacts }];
}

export function contactValues(r: number, sub: number, key: StageKey, name: string | null): StageValue[] {
  return [r, sub, k(key, 0), k(key, 1), k(key, 2), name];
}

function officerValues(r: number, key: StageKey, o: RosterOfficer | null): StageValue[] {
  return [r, null, k(key, 0), o?.firstName ?? null, o?.lastName ?? null, o?.email ?? null, o?.agencyId ?? null];
}

function assignmentValues(r: number, key: StageKey, a: RosterAssignment | null): StageValue[] {
  return [
    r,
    null,
    k(key, 0),
    k(key, 1),
    k(key, 2),
    a?.school ?? null,
    a?.role ?? null,
    a?.endDate ?? null,
    a?.trainingUnavailable ?? null,
  ];
}

function trainingValues(r: number, key: StageKey, t: RosterTraining | null): StageValue[] {
  return [
    r,
    null,
    k(key, 0),
    k(key, 1),
    k(key, 2),
    t?.certificateOnFile ?? null,
    t?.courseNumber ?? null,
    t?.provider ?? null,
  ];
}

function keyOnlyValues(r: number, key: StageKey): StageValue[] {
  return [r, null, k(key, 0), k(key, 1), k(key, 2)];
}

/** The staged values of a row of `section` (not districts, whose contacts come along: districtValues). */
export function stagedValues(
  section: Exclude<StageSection, 'districts' | 'districtContacts'>,
  r: number,
  key: StageKey,
  row: unknown,
): StageValue[] {
  switch (section) {
    case 'agencies':
      return agencyValues(r, key, row as RosterAgency | null);
    case 'officers':
      return officerValues(r, key, row as RosterOfficer | null);
    case 'assignments':
      return assignmentValues(r, key, row as RosterAssignment | null);
    case 'trainings':
      return trainingValues(r, key, row as RosterTraining | null);
    case 'policyReviews':
    case 'contactDays':
      return keyOnlyValues(r, key);
    default: {
      const _exhaustive: never = section;
      throw new Error(`unhandled section ${String(_exhaustive)}`);
    }
  }
}
