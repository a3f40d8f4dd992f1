// Who the weekly digests go to (src/app/weekly-digest.ts): the agencies with officers, the
// districts with an active assignment, and the officers of one digest's scope.
import type { CivilDate } from '../domain/civil-date.ts';
import type { Queryable } from './snapshot.ts';

/** Agency ids with at least one officer, and district ids with an assignment active on D. */
export async function digestScopes(
  pool: Queryable,
  asOf: CivilDate,
): Promise<{ agencyIds: string[]; districtIds: string[] }> {
  const [agencies, districts] = await Promise.all([
    pool.query('SELECT DISTINCT agency_id FROM officer'),
    pool.query(
      'SELECT DISTINCT district_id FROM assignment WHERE start_date <= $1 AND (end_date IS NULL OR end_date >= $1)',
      [asOf],
    ),
  ]);
  return {
    agencyIds: agencies.rows.map((r) => r.agency_id as string),
    districtIds: districts.rows.map((r) => r.district_id as string),
  };
}

/** Licenses of an agency's officers, or of every officer ever assigned to a district. */
export async function scopeLicenses(
  pool: Queryable,
  scope: { kind: 'AGENCY' | 'DISTRICT'; id: string },
): Promise<string[]> {
  const r =
    scope.kind === 'AGENCY'
      ? await pool.query('SELECT license FROM officer WHERE agency_id = $1', [scope.id])
      : await pool.query('SELECT DISTINCT license FROM assignment WHERE district_id = $1', [scope.id]);
  return r.rows.map((row) => row.license as string);
}
