// The agency's SRO policy file (RULES.md 10): one PDF per agency, replaced by a new upload.
import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** What the pages say of an agency's policy file (the bytes aside). */
export interface AgencyPolicyMeta {
  agencyId: string;
  sha256: string;
  size: number;
  uploadedBy: string;
  uploadedAt: Date;
}

const META = `agency_id AS "agencyId", encode(sha256, 'hex') AS sha256, size, uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt"`;

/** Stores the agency's policy file in place of any earlier one; returns the one replaced (null: none) and the new one. */
export async function replaceAgencyPolicy(
  client: Queryable,
  file: { agencyId: string; sha256: Buffer; bytes: Buffer; uploadedBy: string },
): Promise<{ before: AgencyPolicyMeta | null; after: AgencyPolicyMeta }> {
  const before = await client.query<AgencyPolicyMeta>(
    `SELECT ${META} FROM agency_policy_file WHERE agency_id = $1 FOR UPDATE`,
    [file.agencyId],
  );
  const after = await client.query<AgencyPolicyMeta>(
    `INSERT INTO agency_policy_file (agency_id, sha256, size, bytes, uploaded_by, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (agency_id) DO UPDATE SET sha256 = $2, size = $3, bytes = $4, uploaded_by = $5, uploaded_at = now()
     RETURNING ${META}`,
    [file.agencyId, file.sha256, file.bytes.length, file.bytes, file.uploadedBy],
  );
  return { before: before.rows[0] ?? null, after: after.rows[0]! };
}

/** The agency's policy file without its bytes; null when none was uploaded. */
export async function readAgencyPolicyMeta(pool: Queryable, agencyId: string): Promise<AgencyPolicyMeta | null> {
  const r = await pool.query<AgencyPolicyMeta>(`SELECT ${META} FROM agency_policy_file WHERE agency_id = $1`, [
    agencyId,
  ]);
  return r.rows[0] ?? null;
}

/** The agency's policy file with its bytes; null when none was uploaded. */
export async function readAgencyPolicyFile(
  pool: Queryable,
  agencyId: string,
): Promise<(AgencyPolicyMeta & { bytes: Buffer }) | null> {
  const r = await pool.query<AgencyPolicyMeta & { bytes: Buffer }>(
    `SELECT ${META}, bytes FROM agency_policy_file WHERE agency_id = $1`,
    [agencyId],
  );
  return r.rows[0] ?? null;
}
