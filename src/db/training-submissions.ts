// Trainings the officer submitted for the chief's review (RULES.md 10): one row each,
// PENDING_REVIEW until confirmed (then pointing at the CONSOLE training it became) or
// rejected (with the reason). Writes run on the caller's transaction client.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { TrainingKind } from '../domain/types.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

type SubmissionStatus = 'PENDING_REVIEW' | 'CONFIRMED' | 'REJECTED';

/** A submission as the API answers it (`"submissions"`) and the audit log keeps it. */
export interface SubmissionRow {
  id: number;
  license: string;
  kind: TrainingKind;
  completedOn: CivilDate;
  courseNumber: string | null;
  provider: string | null;
  certificateSha256: string;
  status: SubmissionStatus;
  submittedBy: string;
  submittedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reason: string | null;
  trainingId: number | null;
}

const ROW = `json_build_object('id', s.id, 'license', s.license, 'kind', s.kind, 'completedOn', s.completed_on,
  'courseNumber', s.course_number, 'provider', s.provider, 'certificateSha256', encode(s.certificate_sha256, 'hex'),
  'status', s.status, 'submittedBy', s.submitted_by, 'submittedAt', s.submitted_at, 'reviewedBy', s.reviewed_by,
  'reviewedAt', s.reviewed_at, 'reason', s.reason, 'trainingId', s.training_id)`;

export async function insertSubmission(
  client: Queryable,
  s: {
    license: string;
    kind: TrainingKind;
    completedOn: CivilDate;
    courseNumber: string | null;
    provider: string | null;
    certificateSha256: Buffer;
    submittedBy: string;
  },
): Promise<SubmissionRow> {
  const r = await client.query<{ row: SubmissionRow }>(
    `INSERT INTO training_submission AS s (license, kind, completed_on, course_number, provider, certificate_sha256, submitted_by)
     VALUES ($1, $2::"TrainingKind", $3, $4, $5, $6, $7) RETURNING ${ROW} AS row`,
    [s.license, s.kind, s.completedOn, s.courseNumber, s.provider, s.certificateSha256, s.submittedBy],
  );
  return r.rows[0]!.row;
}

/** The officer's submissions, newest first. */
export async function readSubmissions(pool: Queryable, license: string): Promise<SubmissionRow[]> {
  const r = await pool.query<{ row: SubmissionRow }>(
    `SELECT ${ROW} AS row FROM training_submission s WHERE s.license = $1 ORDER BY s.submitted_at DESC, s.id DESC`,
    [license],
  );
  return r.rows.map((x) => x.row);
}

/** One submission of the officer; with `lock`, held until the transaction ends. Null when there is none. */
export async function readSubmission(
  pool: Queryable,
  license: string,
  id: number,
  lock = false,
): Promise<SubmissionRow | null> {
  const r = await pool.query<{ row: SubmissionRow }>(
    `SELECT ${ROW} AS row FROM training_submission s WHERE s.license = $1 AND s.id = $2${lock ? ' FOR UPDATE' : ''}`,
    [license, id],
  );
  return r.rows[0]?.row ?? null;
}

/** Records the answer to a PENDING_REVIEW submission. */
export async function answerSubmission(
  client: Queryable,
  id: number,
  a: { status: 'CONFIRMED' | 'REJECTED'; reviewedBy: string; reason: string | null; trainingId: number | null },
): Promise<SubmissionRow> {
  const r = await client.query<{ row: SubmissionRow }>(
    `UPDATE training_submission s SET status = $2, reviewed_by = $3, reviewed_at = now(), reason = $4, training_id = $5
     WHERE s.id = $1 AND s.status = 'PENDING_REVIEW' RETURNING ${ROW} AS row`,
    [id, a.status, a.reviewedBy, a.reason, a.trainingId],
  );
  return r.rows[0]!.row;
}

/** The e-mail of the chief of the officer's agency, and the officer's own (null: none on file). */
export async function readSubmissionAddresses(
  pool: Queryable,
  license: string,
): Promise<{ chiefEmail: string | null; chiefName: string | null; officerEmail: string | null } | null> {
  const r = await pool.query<{ chiefEmail: string | null; chiefName: string | null; officerEmail: string | null }>(
    `SELECT a.chief_email AS "chiefEmail", a.chief_name AS "chiefName", o.email AS "officerEmail"
     FROM officer o JOIN agency a ON a.id = o.agency_id WHERE o.license = $1`,
    [license],
  );
  return r.rows[0] ?? null;
}
