// Where officers serve on a day (the console's officer list, its District and School columns):
// their assignments active that day, with the district's name. One query for a page or an export.
import type { CivilDate } from '../domain/civil-date.ts';
import type { Queryable } from './snapshot.ts';

/** One active assignment: the district (id and name) and the school, if the roster names one. */
export interface Placement {
  districtId: string;
  districtName: string;
  school: string | null;
}

/** License → the officer's assignments active on `asOf`, by district name then school. */
export async function readPlacements(
  pool: Queryable,
  licenses: readonly string[],
  asOf: CivilDate,
): Promise<Map<string, Placement[]>> {
  const out = new Map<string, Placement[]>();
  if (licenses.length === 0) return out;
  const r = await pool.query<{ license: string; districtId: string; districtName: string; school: string | null }>(
    `SELECT a.license, a.district_id AS "districtId", coalesce(d.name, a.district_id) AS "districtName", a.school
       FROM assignment a LEFT JOIN district d ON d.id = a.district_id
      WHERE a.license = ANY($1::text[]) AND a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $2)
      ORDER BY a.license, 3, a.school NULLS LAST`,
    [[...new Set(licenses)], asOf],
  );
  for (const row of r.rows) {
    const list = out.get(row.license) ?? [];
    if (!list.some((p) => p.districtId === row.districtId && p.school === row.school))
      list.push({ districtId: row.districtId, districtName: row.districtName, school: row.school });
    out.set(row.license, list);
  }
  return out;
}
