// One officer's facts as the console shows them: every row with all its columns and where
// it came from (INTERFACE.md `GET /api/officers/:license` "facts"), and the names of the
// agency and districts they mention.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { AssignmentRole, TrainingKind } from '../domain/types.ts';

/** Where a fact came from: a roster import, or recorded in the console (RULES.md 7). */
type FactSource = 'ROSTER' | 'CONSOLE';

interface AssignmentRow {
  districtId: string;
  school: string | null;
  role: AssignmentRole;
  startDate: CivilDate;
  endDate: CivilDate | null;
  trainingUnavailable: boolean;
  source: FactSource;
}

/** Who recorded a CONSOLE fact, and when (an ISO instant); both null for a ROSTER fact. */
interface RecordedBy {
  recordedBy: string | null;
  recordedAt: string | null;
}

export interface TrainingRow extends RecordedBy {
  /** The row's id (the console's correct and delete routes name it). */
  id: number;
  kind: TrainingKind;
  completedOn: CivilDate;
  certificateOnFile: boolean;
  courseNumber: string | null;
  provider: string | null;
  source: FactSource;
  /** The certificate file held for it (hex SHA-256), or null. */
  certificateSha256: string | null;
}

export interface PolicyReviewRow extends RecordedBy {
  id: number;
  agencyId: string;
  reviewedOn: CivilDate;
  source: FactSource;
}

export interface ContactDayRow extends RecordedBy {
  districtId: string;
  date: CivilDate;
  source: FactSource;
}

export interface OfficerFactRows {
  assignments: AssignmentRow[];
  trainings: TrainingRow[];
  policyReviews: PolicyReviewRow[];
  contactDays: ContactDayRow[];
}

/** The officer's facts, each list in date order; null when there is no such officer. */
export async function readOfficerFactRows(pool: pg.Pool, license: string): Promise<OfficerFactRows | null> {
  const r = await pool.query<{ facts: OfficerFactRows | null }>(
    `SELECT CASE WHEN o.license IS NULL THEN NULL ELSE json_build_object(
       'assignments', (SELECT coalesce(json_agg(json_build_object(
           'districtId', district_id, 'school', school, 'role', role, 'startDate', start_date,
           'endDate', end_date, 'trainingUnavailable', training_unavailable, 'source', source)
           ORDER BY start_date, district_id), '[]') FROM assignment WHERE license = $1),
       'trainings', (SELECT coalesce(json_agg(json_build_object(
           'kind', kind, 'completedOn', completed_on, 'certificateOnFile', certificate_on_file,
           'id', id, 'courseNumber', course_number, 'provider', provider, 'source', source,
           'certificateSha256', encode(certificate_sha256, 'hex'), 'recordedBy', recorded_by, 'recordedAt', recorded_at)
           ORDER BY completed_on, kind), '[]') FROM training WHERE license = $1),
       'policyReviews', (SELECT coalesce(json_agg(json_build_object(
           'id', id, 'agencyId', agency_id, 'reviewedOn', reviewed_on, 'source', source,
           'recordedBy', recorded_by, 'recordedAt', recorded_at)
           ORDER BY reviewed_on, agency_id), '[]') FROM policy_review WHERE license = $1),
       'contactDays', (SELECT coalesce(json_agg(json_build_object(
           'districtId', district_id, 'date', date, 'source', source,
           'recordedBy', recorded_by, 'recordedAt', recorded_at)
           ORDER BY date, district_id), '[]') FROM contact_day WHERE license = $1)
     ) END AS facts
     FROM (SELECT $1::text AS wanted) w LEFT JOIN officer o ON o.license = w.wanted`,
    [license],
  );
  return r.rows[0]?.facts ?? null;
}

/** Names by id of these agencies and districts (ids the roster does not have are left out). */
export async function readNames(
  pool: pg.Pool,
  agencyIds: readonly string[],
  districtIds: readonly string[],
): Promise<{ agencies: Map<string, string>; districts: Map<string, string> }> {
  const [a, d] = await Promise.all([
    pool.query<{ id: string; name: string }>(`SELECT id, name FROM agency WHERE id = ANY($1::text[])`, [agencyIds]),
    pool.query<{ id: string; name: string }>(`SELECT id, name FROM district WHERE id = ANY($1::text[])`, [districtIds]),
  ]);
  return {
    agencies: new Map(a.rows.map((r) => [r.id, r.name])),
    districts: new Map(d.rows.map((r) => [r.id, r.name])),
  };
}

/** Every agency and district by name (the filters of the officer list), sorted by name. */
export async function readFilterChoices(
  pool: pg.Pool,
  licenses: readonly string[] | null,
): Promise<{ agencies: { id: string; name: string }[]; districts: { id: string; name: string }[] }> {
  const [a, d] = await Promise.all([
    pool.query<{ id: string; name: string }>(
      licenses === null
        ? `SELECT id, name FROM agency ORDER BY name, id`
        : `SELECT id, name FROM agency WHERE id IN (SELECT agency_id FROM officer WHERE license = ANY($1::text[])) ORDER BY name, id`,
      licenses === null ? [] : [licenses],
    ),
    pool.query<{ id: string; name: string }>(
      licenses === null
        ? `SELECT id, name FROM district ORDER BY name, id`
        : `SELECT id, name FROM district WHERE id IN (SELECT district_id FROM assignment WHERE license = ANY($1::text[])) ORDER BY name, id`,
      licenses === null ? [] : [licenses],
    ),
  ]);
  return { agencies: a.rows, districts: d.rows };
}
