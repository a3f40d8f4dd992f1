// What the compliance report and the evidence packet read beside the report's rows (INTERFACE.md
// "Reports for the board and the auditor"): a batch's course numbers and providers, the
// certificate files held for a batch of officers, and a certificate's bytes in chunks, so a
// packet of any number of files is streamed without holding one whole.
import type { CivilDate } from '../domain/civil-date.ts';
import type { TrainingKind } from '../domain/types.ts';
import type { Queryable } from './snapshot.ts';

/** A training's course number and provider, keyed `license\0kind\0completedOn`. */
export type CourseDetails = Map<string, { courseNumber: string | null; provider: string | null }>;

export const courseKey = (license: string, kind: string, completedOn: string) => `${license}\0${kind}\0${completedOn}`;

/** The course number and provider of every training of these officers. */
export async function readCourseDetails(pool: Queryable, licenses: readonly string[]): Promise<CourseDetails> {
  const out: CourseDetails = new Map();
  if (licenses.length === 0) return out;
  const r = await pool.query<{
    license: string;
    kind: string;
    completedOn: string;
    courseNumber: string | null;
    provider: string | null;
  }>(
    `SELECT license, kind::text AS kind, completed_on::text AS "completedOn", course_number AS "courseNumber", provider
     FROM training WHERE license = ANY($1::text[]) AND (course_number IS NOT NULL OR provider IS NOT NULL)`,
    [licenses],
  );
  for (const t of r.rows)
    out.set(courseKey(t.license, t.kind, t.completedOn), { courseNumber: t.courseNumber, provider: t.provider });
  return out;
}

/** A certificate file held for an officer's training. */
export interface HeldCertificate {
  license: string;
  lastName: string;
  kind: TrainingKind;
  completedOn: CivilDate;
  /** The file's SHA-256, hex (its key in the certificate table). */
  sha256: string;
  contentType: string;
  /** Bytes. */
  size: number;
}

/** Every certificate file attached to a training of these officers, by license, date and kind. */
export async function readHeldCertificates(pool: Queryable, licenses: readonly string[]): Promise<HeldCertificate[]> {
  if (licenses.length === 0) return [];
  const r = await pool.query<HeldCertificate>(
    `SELECT t.license, o.last_name AS "lastName", t.kind::text AS kind, t.completed_on::text AS "completedOn",
       encode(c.sha256, 'hex') AS sha256, c.content_type AS "contentType", c.size
     FROM training t JOIN certificate c ON c.sha256 = t.certificate_sha256 JOIN officer o ON o.license = t.license
     WHERE t.license = ANY($1::text[])
     ORDER BY t.license, t.completed_on, t.kind`,
    [licenses],
  );
  return r.rows;
}

/**
 * A certificate's bytes, `chunkSize` at a time (substring of the bytea: PostgreSQL reads only
 * the slice of a value stored uncompressed, and the whole value once per chunk otherwise).
 * Throws when the file is gone.
 */
export async function* readCertificateChunks(
  pool: Queryable,
  sha256: string,
  size: number,
  chunkSize = 64 * 1024,
): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < size; offset += chunkSize) {
    const r = await pool.query<{ chunk: Buffer | null }>(
      `SELECT substring(bytes FROM $2::int FOR $3::int) AS chunk FROM certificate WHERE sha256 = decode($1, 'hex')`,
      [sha256, offset + 1, chunkSize],
    );
    const chunk = r.rows[0]?.chunk;
    if (!chunk) throw new Error(`certificate ${sha256} is no longer on file`);
    yield chunk;
  }
}
