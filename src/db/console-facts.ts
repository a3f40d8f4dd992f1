// The console's writes of facts (RULES.md 7), certificate files and acknowledgements
// (RULES.md 6): every statement runs on the caller's transaction client, so a fact, its
// certificate and its audit row commit together or not at all. Rows come back in the shape
// of `GET /api/officers/:license` "facts" (src/db/officer-facts.ts), the audit log's before
// and after.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { OfficerReport } from '../domain/report.ts';
import type { TrainingKind } from '../domain/types.ts';
import type { ContactDayRow, PolicyReviewRow, TrainingRow } from './officer-facts.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

const TRAINING_JSON = `json_build_object('id', t.id, 'kind', t.kind, 'completedOn', t.completed_on,
  'certificateOnFile', t.certificate_on_file, 'courseNumber', t.course_number, 'provider', t.provider,
  'source', t.source, 'certificateSha256', encode(t.certificate_sha256, 'hex'),
  'recordedBy', t.recorded_by, 'recordedAt', t.recorded_at)`;
const REVIEW_JSON = `json_build_object('id', p.id, 'agencyId', p.agency_id, 'reviewedOn', p.reviewed_on,
  'source', p.source, 'recordedBy', p.recorded_by, 'recordedAt', p.recorded_at)`;
const DAY_JSON = `json_build_object('districtId', c.district_id, 'date', c.date, 'source', c.source,
  'recordedBy', c.recorded_by, 'recordedAt', c.recorded_at)`;

/** What the console's rights depend on: the officer's agency, its chief, and the districts of the officer's assignments. */
export interface OfficerContext {
  license: string;
  email: string | null;
  agencyId: string;
  chiefEmail: string | null;
  chiefName: string | null;
  /** Every district the officer has an assignment in (ended ones included). */
  districtIds: string[];
}

/** Whether the agency exists (a policy review names one). */
export async function agencyExists(pool: Queryable, agencyId: string): Promise<boolean> {
  return ((await pool.query(`SELECT 1 FROM agency WHERE id = $1`, [agencyId])).rowCount ?? 0) > 0;
}

/**
 * Stores a certificate file once per content; true when it was new. A file already held is
 * locked until the transaction ends (the no-op update), so a training that lets go of it
 * at the same time waits, then sees this one's reference and keeps it.
 */
export async function insertCertificate(
  client: Queryable,
  file: { sha256: Buffer; contentType: string; bytes: Buffer },
): Promise<boolean> {
  const r = await client.query<{ inserted: boolean }>(
    `INSERT INTO certificate AS c (sha256, content_type, size, bytes) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sha256) DO UPDATE SET content_type = c.content_type RETURNING (xmax = 0) AS inserted`,
    [file.sha256, file.contentType, file.bytes.length, file.bytes],
  );
  return r.rows[0]?.inserted === true;
}

/** Locks a certificate file's row until the transaction ends (a training is about to let go of it). */
async function lockCertificate(client: Queryable, sha256: Buffer): Promise<void> {
  await client.query(`SELECT 1 FROM certificate WHERE sha256 = $1 FOR UPDATE`, [sha256]);
}

/**
 * Deletes a certificate file no training refers to any more, in the caller's transaction
 * (a file nobody can reach is a copy of someone's certificate nobody can see or delete).
 * Call after lockCertificate: the check then reads what every other writer committed.
 */
async function deleteIfUnreferenced(client: Queryable, sha256: Buffer): Promise<void> {
  await client.query(
    `DELETE FROM certificate c WHERE c.sha256 = $1 AND NOT EXISTS (SELECT 1 FROM training t WHERE t.certificate_sha256 = c.sha256)
       AND NOT EXISTS (SELECT 1 FROM training_submission s WHERE s.certificate_sha256 = c.sha256)`,
    [sha256],
  );
}

/** A certificate attached to one of this officer's trainings or submissions (RULES.md 10: the chief reads it to confirm); null otherwise. */
/**
 * A certificate file of one of this officer's trainings, with what its download is named after
 * (the officer's last name, and the kind and date of the latest training it is attached to).
 */
export async function readCertificate(
  pool: Queryable,
  license: string,
  sha256: Buffer,
): Promise<{
  contentType: string;
  bytes: Buffer;
  lastName: string;
  kind: TrainingKind;
  completedOn: CivilDate;
} | null> {
  const r = await pool.query<{
    contentType: string;
    bytes: Buffer;
    lastName: string;
    kind: TrainingKind;
    completedOn: CivilDate;
  }>(
    `SELECT c.content_type AS "contentType", c.bytes, o.last_name AS "lastName", t.kind,
            to_char(t.completed_on, 'YYYY-MM-DD') AS "completedOn"
     FROM certificate c
     JOIN (SELECT license, kind, completed_on, certificate_sha256, 0 AS submitted, id FROM training
           UNION ALL SELECT license, kind, completed_on, certificate_sha256, 1, id FROM training_submission) t
       ON t.certificate_sha256 = c.sha256 AND t.license = $1
     JOIN officer o ON o.license = t.license
     WHERE c.sha256 = $2
     ORDER BY t.submitted, t.completed_on DESC, t.id DESC
     LIMIT 1`,
    [license, sha256],
  );
  return r.rows[0] ?? null;
}

export interface TrainingInput {
  license: string;
  kind: TrainingKind;
  completedOn: CivilDate;
  courseNumber: string | null;
  provider: string | null;
  certificateSha256: Buffer | null;
  recordedBy: string;
}

/**
 * Records a training. A new natural key (license, kind, completedOn) is a CONSOLE fact. An
 * existing one (a roster's or the console's) keeps its source and fields, takes the given
 * course number and provider where it had none, and the certificate when one came
 * (RULES.md 7: the file then stays attached whatever writes the row later).
 */
export async function upsertTraining(
  client: Queryable,
  t: TrainingInput,
): Promise<{ before: TrainingRow | null; after: TrainingRow }> {
  const existing = await client.query<{ row: TrainingRow }>(
    `SELECT ${TRAINING_JSON} AS row FROM training t WHERE license = $1 AND kind = $2::"TrainingKind" AND completed_on = $3 FOR UPDATE`,
    [t.license, t.kind, t.completedOn],
  );
  const before = existing.rows[0]?.row ?? null;
  // Another file in place of the one it held: that one goes if no other training holds it.
  const replaced =
    before?.certificateSha256 && t.certificateSha256 && before.certificateSha256 !== t.certificateSha256.toString('hex')
      ? Buffer.from(before.certificateSha256, 'hex')
      : null;
  if (replaced) await lockCertificate(client, replaced);
  const r = before
    ? await client.query<{ row: TrainingRow }>(
        `UPDATE training t SET course_number = coalesce(t.course_number, $2), provider = coalesce(t.provider, $3),
           certificate_sha256 = coalesce($4, t.certificate_sha256)
         WHERE t.id = $1 RETURNING ${TRAINING_JSON} AS row`,
        [before.id, t.courseNumber, t.provider, t.certificateSha256],
      )
    : await client.query<{ row: TrainingRow }>(
        `INSERT INTO training AS t (license, kind, completed_on, certificate_on_file, course_number, provider, certificate_sha256,
           source, recorded_by, recorded_at)
         VALUES ($1, $2::"TrainingKind", $3, false, $4, $5, $6, 'CONSOLE', $7, now()) RETURNING ${TRAINING_JSON} AS row`,
        [t.license, t.kind, t.completedOn, t.courseNumber, t.provider, t.certificateSha256, t.recordedBy],
      );
  if (replaced) await deleteIfUnreferenced(client, replaced);
  return { before, after: r.rows[0]!.row };
}

export type DeleteOutcome<T> = { deleted: T } | { refused: 'MISSING' | 'ROSTER'; row: T | null };

/** Deletes a CONSOLE training of this officer, and its certificate file when no other training holds it; a ROSTER one is refused (the roster owns it). */
export async function deleteConsoleTraining(
  client: Queryable,
  license: string,
  id: number,
): Promise<DeleteOutcome<TrainingRow>> {
  const r = await client.query<{ row: TrainingRow }>(
    `SELECT ${TRAINING_JSON} AS row FROM training t WHERE t.license = $1 AND t.id = $2 FOR UPDATE`,
    [license, id],
  );
  const row = r.rows[0]?.row ?? null;
  if (!row) return { refused: 'MISSING', row: null };
  if (row.source !== 'CONSOLE') return { refused: 'ROSTER', row };
  const file = row.certificateSha256 ? Buffer.from(row.certificateSha256, 'hex') : null;
  if (file) await lockCertificate(client, file);
  await client.query(`DELETE FROM training WHERE id = $1`, [id]);
  if (file) await deleteIfUnreferenced(client, file);
  return { deleted: row };
}

/** Records a policy review (an existing natural key is left as it is); `created` false when it was on file already. */
export async function insertPolicyReview(
  client: Queryable,
  p: { license: string; agencyId: string; reviewedOn: CivilDate; recordedBy: string },
): Promise<{ created: boolean; row: PolicyReviewRow }> {
  const ins = await client.query<{ row: PolicyReviewRow }>(
    `INSERT INTO policy_review AS p (license, agency_id, reviewed_on, source, recorded_by, recorded_at)
     VALUES ($1, $2, $3, 'CONSOLE', $4, now())
     ON CONFLICT (license, agency_id, reviewed_on) DO NOTHING RETURNING ${REVIEW_JSON} AS row`,
    [p.license, p.agencyId, p.reviewedOn, p.recordedBy],
  );
  if (ins.rows[0]) return { created: true, row: ins.rows[0].row };
  const r = await client.query<{ row: PolicyReviewRow }>(
    `SELECT ${REVIEW_JSON} AS row FROM policy_review p WHERE license = $1 AND agency_id = $2 AND reviewed_on = $3`,
    [p.license, p.agencyId, p.reviewedOn],
  );
  return { created: false, row: r.rows[0]!.row };
}

/** Deletes a CONSOLE policy review of this officer; a ROSTER one is refused. */
export async function deleteConsolePolicyReview(
  client: Queryable,
  license: string,
  id: number,
): Promise<DeleteOutcome<PolicyReviewRow>> {
  const r = await client.query<{ row: PolicyReviewRow }>(
    `SELECT ${REVIEW_JSON} AS row FROM policy_review p WHERE p.license = $1 AND p.id = $2 FOR UPDATE`,
    [license, id],
  );
  const row = r.rows[0]?.row ?? null;
  if (!row) return { refused: 'MISSING', row: null };
  if (row.source !== 'CONSOLE') return { refused: 'ROSTER', row };
  await client.query(`DELETE FROM policy_review WHERE id = $1`, [id]);
  return { deleted: row };
}

/** Records contact days; returns the dates that were new (the rest were on file, from either source). */
export async function insertContactDays(
  client: Queryable,
  d: { license: string; districtId: string; dates: readonly CivilDate[]; recordedBy: string },
): Promise<ContactDayRow[]> {
  const r = await client.query<{ row: ContactDayRow }>(
    `INSERT INTO contact_day AS c (license, district_id, date, source, recorded_by, recorded_at)
     SELECT $1, $2, x, 'CONSOLE', $4, now() FROM unnest($3::date[]) x
     ON CONFLICT (license, district_id, date) DO NOTHING RETURNING ${DAY_JSON} AS row`,
    [d.license, d.districtId, d.dates, d.recordedBy],
  );
  return r.rows.map((x) => x.row).sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** Deletes CONSOLE contact days of this officer in this district; ROSTER ones and dates not on file are reported. */
export async function deleteConsoleContactDays(
  client: Queryable,
  d: { license: string; districtId: string; dates: readonly CivilDate[] },
): Promise<{ deleted: ContactDayRow[]; roster: CivilDate[] }> {
  const del = await client.query<{ row: ContactDayRow }>(
    `DELETE FROM contact_day c WHERE c.license = $1 AND c.district_id = $2 AND c.date = ANY($3::date[]) AND c.source = 'CONSOLE'
     RETURNING ${DAY_JSON} AS row`,
    [d.license, d.districtId, d.dates],
  );
  const roster = await client.query<{ date: CivilDate }>(
    `SELECT date::text AS date FROM contact_day WHERE license = $1 AND district_id = $2 AND date = ANY($3::date[]) ORDER BY date`,
    [d.license, d.districtId, d.dates],
  );
  return {
    deleted: del.rows.map((x) => x.row).sort((a, b) => (a.date < b.date ? -1 : 1)),
    roster: roster.rows.map((x) => x.date),
  };
}

/** An acknowledgement of a missed deadline (RULES.md 6), as the API and the e-mails show it. */
export interface Acknowledgement {
  id: string;
  license: string;
  dueDate: CivilDate;
  note: string | null;
  plannedCompletionOn: CivilDate | null;
  acknowledgedBy: string;
  /** The roster's name for the address when it acknowledged; null when it had none (an admin). */
  acknowledgedByName: string | null;
  /** The civil day (TZ) it was made. */
  acknowledgedOn: CivilDate;
  /** The instant (ISO). */
  acknowledgedAt: string;
}

const ACK_COLUMNS = `id::text AS id, license, due_date::text AS "dueDate", note,
  planned_completion_on::text AS "plannedCompletionOn", acknowledged_by AS "acknowledgedBy",
  acknowledged_by_name AS "acknowledgedByName", acknowledged_on::text AS "acknowledgedOn",
  to_json(acknowledged_at) #>> '{}' AS "acknowledgedAt"`;

export async function insertAcknowledgement(
  client: Queryable,
  a: Omit<Acknowledgement, 'id' | 'acknowledgedAt'>,
): Promise<Acknowledgement> {
  const r = await client.query<Acknowledgement>(
    `INSERT INTO acknowledgement (license, due_date, note, planned_completion_on, acknowledged_by, acknowledged_by_name, acknowledged_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ACK_COLUMNS}`,
    [a.license, a.dueDate, a.note, a.plannedCompletionOn, a.acknowledgedBy, a.acknowledgedByName, a.acknowledgedOn],
  );
  return r.rows[0]!;
}

/** One acknowledgement of the officer, locked for a correction or withdrawal; null when it has none of that id. */
export async function lockAcknowledgement(
  client: Queryable,
  license: string,
  id: string,
): Promise<Acknowledgement | null> {
  const r = await client.query<Acknowledgement>(
    `SELECT ${ACK_COLUMNS} FROM acknowledgement WHERE license = $1 AND id = $2::bigint FOR UPDATE`,
    [license, id],
  );
  return r.rows[0] ?? null;
}

/** Corrects an acknowledgement's note and planned completion (who made it, and when, stay); returns it as it is now. */
export async function updateAcknowledgement(
  client: Queryable,
  id: string,
  a: { note: string | null; plannedCompletionOn: CivilDate | null },
): Promise<Acknowledgement> {
  const r = await client.query<Acknowledgement>(
    `UPDATE acknowledgement SET note = $2, planned_completion_on = $3 WHERE id = $1::bigint RETURNING ${ACK_COLUMNS}`,
    [id, a.note, a.plannedCompletionOn],
  );
  return r.rows[0]!;
}

/** Withdraws an acknowledgement: the e-mails and pages no longer show it (the audit log keeps it). */
export async function deleteAcknowledgement(client: Queryable, id: string): Promise<void> {
  await client.query('DELETE FROM acknowledgement WHERE id = $1::bigint', [id]);
}

/** Every acknowledgement of the officer, latest first. */
export async function readAcknowledgements(pool: Queryable, license: string): Promise<Acknowledgement[]> {
  const r = await pool.query<Acknowledgement>(
    `SELECT ${ACK_COLUMNS} FROM acknowledgement WHERE license = $1 ORDER BY acknowledged_at DESC, id DESC`,
    [license],
  );
  return r.rows;
}

/** The latest acknowledgement of each deadline (license, dueDate) asked for, keyed `license\0dueDate`. */
export async function readLatestAcknowledgements(
  pool: Queryable,
  deadlines: readonly { license: string; dueDate: CivilDate }[],
): Promise<Map<string, Acknowledgement>> {
  const out = new Map<string, Acknowledgement>();
  if (deadlines.length === 0) return out;
  const r = await pool.query<Acknowledgement>(
    `SELECT DISTINCT ON (license, due_date) ${ACK_COLUMNS} FROM acknowledgement
     WHERE (license, due_date) IN (SELECT * FROM unnest($1::text[], $2::date[]))
     ORDER BY license, due_date, acknowledged_at DESC, id DESC`,
    [deadlines.map((d) => d.license), deadlines.map((d) => d.dueDate)],
  );
  for (const a of r.rows) out.set(acknowledgementKey(a.license, a.dueDate), a);
  return out;
}

export const acknowledgementKey = (license: string, dueDate: string) => `${license}\0${dueDate}`;

/** Whether `email` was sent a DEADLINE_MISSED for the deadline (officer, dueDate): RULES.md 6 "a person who received" it. */
export async function receivedDeadlineMissed(
  pool: Queryable,
  license: string,
  dueDate: CivilDate,
  email: string,
  /** RULES.md 8: the deadline's obligation; a notice sent for it before its due date moved counts too. */
  obligation: string | null = null,
): Promise<boolean> {
  const r = await pool.query(
    `SELECT 1 FROM alert_ledger WHERE license = $1 AND kind = 'DEADLINE_MISSED'
       AND (due_date = $2 OR ($4::text IS NOT NULL AND obligation = $4))
       AND status = 'SENT' AND lower(recipient) = lower($3) LIMIT 1`,
    [license, dueDate, email, obligation],
  );
  return (r.rowCount ?? 0) > 0;
}

/** The roster's name for `email` as it relates to this officer: the chief's, a district contact's, the officer's own. */
export async function readNameFor(pool: Queryable, email: string, license: string): Promise<string | null> {
  const r = await pool.query<{ name: string }>(
    `SELECT a.chief_name AS name, 1 AS rank FROM officer o JOIN agency a ON a.id = o.agency_id
       WHERE o.license = $2 AND lower(a.chief_email) = lower($1) AND a.chief_name IS NOT NULL
     UNION ALL
     SELECT c.name, 2 FROM district_contact c WHERE lower(c.email) = lower($1)
       AND c.district_id IN (SELECT district_id FROM assignment WHERE license = $2)
     UNION ALL
     SELECT o.first_name || ' ' || o.last_name, 3 FROM officer o WHERE o.license = $2 AND lower(o.email) = lower($1)
     ORDER BY rank LIMIT 1`,
    [email, license],
  );
  return r.rows[0]?.name ?? null;
}

/**
 * Locks roster_version for the change's transaction (every roster write's trigger takes the
 * same row lock, so roster writers are serialized from here on) and returns it with the
 * status snapshot's label: whether the snapshot was current just before this change.
 */
export async function lockRosterVersion(
  client: Queryable,
): Promise<{ version: string; snapshotAsOf: CivilDate | null; snapshotVersion: string | null }> {
  const r = await client.query<{ version: string; snapshotAsOf: CivilDate | null; snapshotVersion: string | null }>(
    `SELECT v.version::text AS version, s.as_of::text AS "snapshotAsOf", s.roster_version::text AS "snapshotVersion"
     FROM (SELECT version FROM roster_version WHERE id = 1 FOR UPDATE) v, status_snapshot s WHERE s.id = 1`,
  );
  return r.rows[0] ?? { version: '0', snapshotAsOf: null, snapshotVersion: null };
}

/**
 * Replaces one officer's row of a current status snapshot (columns as writeStatusSnapshot's,
 * src/db/status-snapshot.ts), moves the counts from its old status to its new one, and labels
 * the snapshot with the roster version after the change: the admin's view shows the change
 * at once, without a refresh of everyone.
 */
export async function replaceSnapshotRow(
  client: Queryable,
  row: { report: OfficerReport; districtIds: readonly string[]; rank: number },
): Promise<void> {
  const o = row.report;
  await client.query(
    `WITH old AS (SELECT status FROM officer_status WHERE license = $1),
     up AS (
       INSERT INTO officer_status (license, agency_id, district_ids, status, rank, days_remaining, contact_days, issue_count, search, report)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
       ON CONFLICT (license) DO UPDATE SET agency_id = EXCLUDED.agency_id, district_ids = EXCLUDED.district_ids,
         status = EXCLUDED.status, rank = EXCLUDED.rank, days_remaining = EXCLUDED.days_remaining,
         contact_days = EXCLUDED.contact_days, issue_count = EXCLUDED.issue_count, search = EXCLUDED.search,
         report = EXCLUDED.report
       RETURNING 1)
     UPDATE status_snapshot s SET roster_version = (SELECT version FROM roster_version WHERE id = 1),
       counts = (SELECT jsonb_strip_nulls(c2) FROM (
         SELECT CASE WHEN o.status IS NULL THEN c1
                     ELSE c1 || jsonb_build_object(o.status, nullif((c1 ->> o.status)::int - 1, 0)) END AS c1b
         FROM (SELECT coalesce(s.counts, '{}'::jsonb) AS c1) x LEFT JOIN old o ON true) y,
         LATERAL (SELECT y.c1b || jsonb_build_object($4::text, coalesce((y.c1b ->> $4)::int, 0) + 1) AS c2) z)
     WHERE s.id = 1 AND EXISTS (SELECT 1 FROM up)`,
    [
      o.license,
      o.agencyId,
      row.districtIds,
      o.status,
      row.rank,
      o.daysRemaining,
      o.contactDays,
      o.issues.length,
      `${o.license} ${o.name}`.toLowerCase(),
      JSON.stringify(o),
    ],
  );
}

/** The district's name and which of `dates` it lists as days without school (RULES.md 9). */
export async function districtDaysOff(
  pool: Queryable,
  districtId: string,
  dates: readonly CivilDate[],
): Promise<{ name: string; daysWithoutSchool: Set<string> }> {
  const r = await pool.query<{ name: string; days: string[] | null }>(
    `SELECT d.name, (SELECT array_agg(to_char(n.date, 'YYYY-MM-DD')) FROM district_non_school_day n
       WHERE n.district_id = d.id AND n.date = ANY ($2::date[])) AS days
     FROM district d WHERE d.id = $1`,
    [districtId, dates],
  );
  const row = r.rows[0];
  return { name: row?.name ?? districtId, daysWithoutSchool: new Set(row?.days ?? []) };
}
