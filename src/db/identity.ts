// Who an e-mail address is in the roster, and which officers that lets them see
// (INTERFACE.md "Console", "Who sees what"). Read on every request, so a chief replaced in
// the roster loses access with the import that replaces them. Addresses compare
// case-insensitively (expression indexes of migration 20261202000000).
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';

type RosterRole = 'CHIEF' | 'AGENCY_ESCALATION' | 'DISTRICT_CONTACT' | 'OFFICER';

export interface RosterGrant {
  role: RosterRole;
  agencyId?: string;
  districtId?: string;
  license?: string;
}

/** Every role the roster gives `email` (lower-cased), in a stable order. */
export async function readRosterGrants(pool: pg.Pool, email: string): Promise<RosterGrant[]> {
  const r = await pool.query<{ role: RosterRole; id: string }>(
    `SELECT 'CHIEF' AS role, id FROM agency WHERE lower(chief_email) = $1
     UNION ALL
     SELECT 'AGENCY_ESCALATION', id FROM agency WHERE sro_lower_array(escalation_emails) @> ARRAY[$1::text]
     UNION ALL
     SELECT DISTINCT 'DISTRICT_CONTACT', district_id FROM district_contact WHERE lower(email) = $1
     UNION ALL
     SELECT 'OFFICER', license FROM officer WHERE lower(email) = $1
     ORDER BY 1, 2`,
    [email],
  );
  return r.rows.map(({ role, id }) =>
    role === 'OFFICER'
      ? { role, license: id }
      : role === 'DISTRICT_CONTACT'
        ? { role, districtId: id }
        : { role, agencyId: id },
  );
}

/** The officers a non-admin may see: of these agencies, assigned on `today` in these districts, or these licenses. */
export interface Scope {
  agencies: readonly string[];
  districts: readonly string[];
  licenses: readonly string[];
}

const SCOPE_SQL = `
  SELECT license FROM officer WHERE agency_id = ANY($1::text[])
  UNION
  SELECT license FROM assignment
    WHERE district_id = ANY($2::text[]) AND start_date <= $4::date AND (end_date IS NULL OR end_date >= $4::date)
  UNION
  SELECT license FROM officer WHERE license = ANY($3::text[])`;

/** Every license in scope, sorted. */
export async function readScopeLicenses(pool: pg.Pool, scope: Scope, today: CivilDate): Promise<string[]> {
  const r = await pool.query<{ license: string }>(`SELECT license FROM (${SCOPE_SQL}) s ORDER BY license`, [
    scope.agencies,
    scope.districts,
    scope.licenses,
    today,
  ]);
  return r.rows.map((row) => row.license);
}
