// A roster row as the staging tables hold it (src/db/import-staging.ts): where it came from,
// its natural key as the duplicate check reads it (the unvalidated values, trimmed, or none
// when one is not text), and its validated fields (none when the row failed validation, but
// its references, and which of its fields failed, so that the reference check still runs).
import type { StageSection, StageValue } from '../db/import-staging.ts';
import type {
  RosterAgency,
  RosterAssignment,
  RosterContactDay,
  RosterDistrict,
  RosterOfficer,
  RosterTraining,
} from './schema.ts';

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

/** A row's key fields, trimmed, each null when it is not text; null for a row that is not an object. */
export type StageKey = readonly (string | null)[] | null;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The trimmed key fields of an unvalidated row (a field that is not text is null: the
 * duplicate check passes over a key with a null, the reference check over a null value), or
 * null when the row is not an object.
 */
export function keyOf(section: StageSection, row: unknown): StageKey {
  if (!isRecord(row)) return null;
  return KEY_FIELDS[section].map((f) => {
    const v = row[f];
    return typeof v === 'string' ? v.trim() : null;
  });
}

/**
 * Whether a row may be referred to by a key it does not stage: it is not an object, or a key
 * field holds a value that is not text (a license written 12345, not "12345").
 */
export function keyUnread(section: StageSection, row: unknown): boolean {
  if (!isRecord(row)) return true;
  return KEY_FIELDS[section].some((f) => row[f] !== undefined && row[f] !== null && typeof row[f] !== 'string');
}

/** What is known of a row that failed validation: the row as read, and its fields with a problem (JSON names). */
export interface FailedRow {
  raw: unknown;
  fields: readonly string[];
}

/** A text field of a row that failed validation, trimmed, or null. */
const rawText = (failed: FailedRow | undefined, field: string): string | null => {
  const v = isRecord(failed?.raw) ? failed.raw[field] : undefined;
  return typeof v === 'string' ? v.trim() : null;
};

/** The fields of a row that failed validation, as the reference check skips them (bad_fields); null for a valid row. */
const badFields = (failed: FailedRow | undefined): readonly string[] | null => failed?.fields ?? null;

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

function officerValues(r: number, key: StageKey, o: RosterOfficer | null, failed?: FailedRow): StageValue[] {
  return [
    r,
    null,
    k(key, 0),
    o?.firstName ?? null,
    o?.lastName ?? null,
    o?.email ?? null,
    o?.agencyId ?? rawText(failed, 'agencyId'),
    badFields(failed),
  ];
}

function assignmentValues(r: number, key: StageKey, a: RosterAssignment | null, failed?: FailedRow): StageValue[] {
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
    badFields(failed),
  ];
}

function trainingValues(r: number, key: StageKey, t: RosterTraining | null, failed?: FailedRow): StageValue[] {
  return [
    r,
    null,
    k(key, 0),
    k(key, 1),
    k(key, 2),
    t?.certificateOnFile ?? null,
    t?.courseNumber ?? null,
    t?.provider ?? null,
    badFields(failed),
  ];
}

function keyOnlyValues(r: number, key: StageKey, failed?: FailedRow): StageValue[] {
  return [r, null, k(key, 0), k(key, 1), k(key, 2), badFields(failed)];
}

function contactDayValues(r: number, key: StageKey, c: RosterContactDay | null, failed?: FailedRow): StageValue[] {
  return [r, null, k(key, 0), k(key, 1), k(key, 2), c?.nonSchoolDay ?? null, badFields(failed)];
}

/**
 * The staged values of a row of `section` (not districts, whose contacts come along:
 * districtValues): `row` validated, or null and what is known of it (`failed`).
 */
export function stagedValues(
  section: Exclude<StageSection, 'districts' | 'districtContacts'>,
  r: number,
  key: StageKey,
  row: unknown,
  failed?: FailedRow,
): StageValue[] {
  switch (section) {
    case 'agencies':
      return agencyValues(r, key, row as RosterAgency | null);
    case 'officers':
      return officerValues(r, key, row as RosterOfficer | null, failed);
    case 'assignments':
      return assignmentValues(r, key, row as RosterAssignment | null, failed);
    case 'trainings':
      return trainingValues(r, key, row as RosterTraining | null, failed);
    case 'policyReviews':
      return keyOnlyValues(r, key, failed);
    case 'contactDays':
      return contactDayValues(r, key, row as RosterContactDay | null, failed);
    default: {
      const _exhaustive: never = section;
      throw new Error(`unhandled section ${String(_exhaustive)}`);
    }
  }
}
