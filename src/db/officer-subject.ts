// An officer as the policy module (src/app/policy.ts) decides on them, read once per request:
// the agency, every district served, and the districts of the assignments active today (a
// district contact's scope), with what the use cases need of the officer besides.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { OfficerContext } from './console-facts.ts';

export interface OfficerSubjectRow extends OfficerContext {
  /** Districts of the assignments active on `today` (start ≤ today ≤ end, or no end). */
  activeDistrictIds: string[];
}

/** The officer with this license, or null when there is none. */
export async function readOfficerSubject(
  pool: Pick<pg.PoolClient, 'query'>,
  license: string,
  today: CivilDate,
): Promise<OfficerSubjectRow | null> {
  const r = await pool.query<OfficerSubjectRow>(
    `SELECT o.license, o.email, o.agency_id AS "agencyId", a.chief_email AS "chiefEmail", a.chief_name AS "chiefName",
       coalesce((SELECT array_agg(DISTINCT s.district_id ORDER BY s.district_id) FROM assignment s
                  WHERE s.license = o.license), '{}') AS "districtIds",
       coalesce((SELECT array_agg(DISTINCT s.district_id ORDER BY s.district_id) FROM assignment s
                  WHERE s.license = o.license AND s.start_date <= $2::date
                    AND (s.end_date IS NULL OR s.end_date >= $2::date)), '{}') AS "activeDistrictIds"
     FROM officer o JOIN agency a ON a.id = o.agency_id WHERE o.license = $1`,
    [license, today],
  );
  return r.rows[0] ?? null;
}
