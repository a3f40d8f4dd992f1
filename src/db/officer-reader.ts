// Reads officers and their facts in keyset-paginated batches: one query for a batch of
// officers, then one range query per fact table (license BETWEEN first AND last, served by
// each table's unique index on (license, …)). Memory is bounded by the batch size.
import type { Queryable } from './snapshot.ts';
import { readUndeliverable } from './bounces.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import type { AgencyInfo, DistrictInfo } from '../domain/recipients.ts';
import type {
  AssignmentFact,
  AssignmentRole,
  ContactDayFact,
  ContactRole,
  DistrictKind,
  OfficerFacts,
  PolicyReviewFact,
  TrainingFact,
  TrainingKind,
} from '../domain/types.ts';

export interface OfficerRecord extends OfficerFacts {
  email: string | null;
}

export interface ReadOptions {
  batchSize?: number;
  /** Exclusive lower bound on license (for ranges split across workers). */
  afterLicense?: string | null;
  /** Inclusive upper bound on license. */
  throughLicense?: string | null;
  /** Only these officers (e.g. `report --officer`). */
  licenses?: readonly string[] | null;
}

type Row = Record<string, unknown>;

function group<T>(rows: Row[], map: (r: Row) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const key = r.license as string;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(map(r));
  }
  return out;
}

// Rows come back as arrays (rowMode 'array': no per-row keyed object) and go straight into
// the officer's own fact lists, so each fact row costs one allocation.
type Mutable = OfficerRecord & {
  assignments: AssignmentFact[];
  trainings: TrainingFact[];
  policyReviews: PolicyReviewFact[];
  contactDays: ContactDayFact[];
};
type ArrayRow = unknown[];

// One mapping per fact table, shared by the batch read (array rows) and the single-officer
// read (JSON arrays): `r[at]` is the fact's first column, in the order of the SELECT lists.
const OFFICER_COLUMNS = 'license, first_name, last_name, email, agency_id';
const ASSIGNMENT_COLUMNS = 'district_id, role, start_date, end_date, training_unavailable';
const TRAINING_COLUMNS = 'kind, completed_on, certificate_on_file';
const REVIEW_COLUMNS = 'agency_id, reviewed_on';
const CONTACT_DAY_COLUMNS = 'district_id, date';

function officerOf(r: ArrayRow): Mutable {
  return {
    license: r[0] as string,
    firstName: r[1] as string,
    lastName: r[2] as string,
    email: (r[3] as string | null) ?? null,
    agencyId: r[4] as string,
    assignments: [],
    trainings: [],
    policyReviews: [],
    contactDays: [],
  };
}

function assignmentOf(r: ArrayRow, at: number): AssignmentFact {
  return {
    districtId: r[at] as string,
    role: r[at + 1] as AssignmentRole,
    startDate: r[at + 2] as CivilDate,
    endDate: (r[at + 3] as CivilDate | null) ?? null,
    trainingUnavailable: r[at + 4] as boolean,
  };
}

function trainingOf(r: ArrayRow, at: number): TrainingFact {
  return { kind: r[at] as TrainingKind, completedOn: r[at + 1] as CivilDate, certificateOnFile: r[at + 2] as boolean };
}

function reviewOf(r: ArrayRow, at: number): PolicyReviewFact {
  return { agencyId: r[at] as string, reviewedOn: r[at + 1] as CivilDate };
}

function contactDayOf(r: ArrayRow, at: number): ContactDayFact {
  return { districtId: r[at] as string, date: r[at + 1] as CivilDate };
}

const foldFacts = (table: string, columns: string) =>
  `(SELECT coalesce(json_agg(json_build_array(${columns})), '[]') FROM ${table} f WHERE f.license = o.license)`;

/**
 * SQL for one officer (the row aliased `o`) and all their facts as a single JSON value:
 * [license, firstName, lastName, email, agencyId, [assignments], [trainings], [reviews],
 * [contact days]], each fact in the column order of the batch read. JSON renders a DATE
 * as 'YYYY-MM-DD', the civil date itself. Read back with `officerFromFolded`.
 */
export const FOLDED_OFFICER_SQL = `json_build_array(o.license, o.first_name, o.last_name, o.email, o.agency_id,
  ${foldFacts('assignment', ASSIGNMENT_COLUMNS)}, ${foldFacts('training', TRAINING_COLUMNS)},
  ${foldFacts('policy_review', REVIEW_COLUMNS)}, ${foldFacts('contact_day', CONTACT_DAY_COLUMNS)})`;

export function officerFromFolded(folded: unknown): OfficerRecord | null {
  if (!Array.isArray(folded)) return null;
  const o = officerOf(folded);
  for (const a of folded[5] as ArrayRow[]) o.assignments.push(assignmentOf(a, 0));
  for (const t of folded[6] as ArrayRow[]) o.trainings.push(trainingOf(t, 0));
  for (const p of folded[7] as ArrayRow[]) o.policyReviews.push(reviewOf(p, 0));
  for (const c of folded[8] as ArrayRow[]) o.contactDays.push(contactDayOf(c, 0));
  return o;
}

async function readBatch(
  pool: Queryable,
  batchSize: number,
  after: string | null,
  through: string | null,
  only: readonly string[] | null,
): Promise<Mutable[]> {
  const params: unknown[] = [batchSize];
  const where: string[] = [];
  if (after !== null) where.push(`license > $${params.push(after)}`);
  if (through !== null) where.push(`license <= $${params.push(through)}`);
  if (only !== null) where.push(`license = ANY($${params.push(only)})`);
  const officers = await pool.query<ArrayRow>({
    text: `SELECT ${OFFICER_COLUMNS} FROM officer
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY license LIMIT $1`,
    values: params,
    rowMode: 'array',
  });
  if (officers.rows.length === 0) return [];
  const range = [officers.rows[0]![0], officers.rows[officers.rows.length - 1]![0]];
  // Each range query is served by its table's unique index on (license, …) (EXPLAIN: bitmap
  // index scans). Plain rows beat json_agg per officer here: folding in PostgreSQL costs it
  // 4–8× the query time, more than the protocol rows it saves. Contact days are the
  // exception: the most numerous facts (a substitute has dozens) and the narrowest, they
  // come as one string per officer, 'date␟district␞date␟district…' (U+001F, U+001E: control
  // characters, which the roster refuses in any identifier, src/roster/schema.ts), which
  // PostgreSQL folds on its own core and Node splits faster than it decodes protocol rows.
  //
  // With `only` (a chief's 300 officers scattered over a million), the range would span
  // nearly every fact row: the fact queries then ask for the batch's licenses by name.
  const batchLicenses = only === null ? null : officers.rows.map((r) => r[0] as string);
  const match = batchLicenses === null ? 'license BETWEEN $1 AND $2' : 'license = ANY($1::text[])';
  const facts = (sql: string) =>
    pool.query<ArrayRow>({ text: sql, values: batchLicenses === null ? range : [batchLicenses], rowMode: 'array' });
  const [assignments, trainings, reviews, days] = await Promise.all([
    facts(`SELECT license, ${ASSIGNMENT_COLUMNS} FROM assignment WHERE ${match}`),
    facts(`SELECT license, ${TRAINING_COLUMNS} FROM training WHERE ${match}`),
    facts(`SELECT license, ${REVIEW_COLUMNS} FROM policy_review WHERE ${match}`),
    facts(
      `SELECT license, string_agg(date::text || chr(31) || district_id, chr(30)) FROM contact_day WHERE ${match} GROUP BY license`,
    ),
  ]);
  const out: Mutable[] = new Array(officers.rows.length);
  const byLicense = new Map<string, Mutable>();
  for (let i = 0; i < officers.rows.length; i++) {
    const o = officerOf(officers.rows[i]!);
    out[i] = o;
    byLicense.set(o.license, o);
  }
  // With `licenses`, the range may hold officers not asked for: their facts are skipped.
  // Each fact row is [license, …fact columns]: the fact starts at column 1.
  for (const r of assignments.rows) byLicense.get(r[0] as string)?.assignments.push(assignmentOf(r, 1));
  for (const r of trainings.rows) byLicense.get(r[0] as string)?.trainings.push(trainingOf(r, 1));
  for (const r of reviews.rows) byLicense.get(r[0] as string)?.policyReviews.push(reviewOf(r, 1));
  for (const r of days.rows) {
    const list = byLicense.get(r[0] as string)?.contactDays;
    if (!list) continue;
    // 'YYYY-MM-DD' is 10 characters; the district id follows the U+001F after it.
    for (const day of (r[1] as string).split('\x1e'))
      list.push({ date: day.slice(0, 10) as CivilDate, districtId: day.slice(11) });
  }
  return out;
}

export async function* readOfficerBatches(pool: Queryable, options: ReadOptions = {}): AsyncGenerator<OfficerRecord[]> {
  const batchSize = options.batchSize ?? 2000;
  const through = options.throughLicense ?? null;
  const only = options.licenses ?? null;
  // One batch read ahead: PostgreSQL fetches batch k+1 while the caller works on batch k.
  let next: Promise<Mutable[]> | null = readBatch(pool, batchSize, options.afterLicense ?? null, through, only);
  try {
    while (next) {
      const batch = await next;
      next = null;
      if (batch.length === 0) return;
      if (batch.length === batchSize) {
        next = readBatch(pool, batchSize, batch[batch.length - 1]!.license, through, only);
        // Observed at once: a failure while the caller works on this batch must not be an
        // unhandled rejection (which ends the process); `await next` rethrows it.
        next.catch(() => undefined);
      }
      yield batch;
    }
  } finally {
    // The caller stopped early (break, error): let the read-ahead settle so no query outlives it unobserved.
    if (next) await next.catch(() => undefined);
  }
}

export interface Directory {
  agencies: Map<string, AgencyInfo>;
  districts: Map<string, DistrictInfo>;
}

/** Agencies and districts with their contacts: small tables, read whole. */
export async function readDirectory(pool: Queryable): Promise<Directory> {
  const [agencies, districts, contacts, marks] = await Promise.all([
    pool.query('SELECT id, name, chief_name, chief_email, escalation_emails FROM agency'),
    pool.query('SELECT id, name, kind FROM district'),
    pool.query('SELECT district_id, name, email, role FROM district_contact ORDER BY id'),
    // RULES.md 12: addresses that bounced, until the directory changes them.
    readUndeliverable(pool),
  ]);
  const contactsBy = group(
    contacts.rows.map((r) => ({ ...r, license: r.district_id })),
    (r) => ({ name: r.name as string, email: r.email as string, role: r.role as ContactRole }),
  );
  return {
    agencies: new Map(
      agencies.rows.map((r) => [
        r.id as string,
        {
          id: r.id as string,
          name: r.name as string,
          chiefName: (r.chief_name as string | null) ?? null,
          chiefEmail: (r.chief_email as string | null) ?? null,
          escalationEmails: (r.escalation_emails as string[] | null) ?? [],
          chiefUndeliverable:
            marks.agencies
              .get(r.id as string)
              ?.find((m) => m.email === ((r.chief_email as string | null) ?? '').toLowerCase()) ?? null,
        },
      ]),
    ),
    districts: new Map(
      districts.rows.map((r) => [
        r.id as string,
        {
          id: r.id as string,
          name: r.name as string,
          kind: r.kind as DistrictKind,
          contacts: contactsBy.get(r.id as string) ?? [],
          undeliverable: marks.districts.get(r.id as string) ?? [],
        },
      ]),
    ),
  };
}

/**
 * Agencies and districts change rarely: read once per directory_version (a counter a
 * trigger bumps on every write to them, read with each claim), so an import that replaces
 * a chief is seen by the very next send, never a cached chief.
 */
export function directoryByVersion(pool: Queryable): (version: string) => Promise<Directory> {
  let cached: { version: string; value: Promise<Directory> } | null = null;
  return (version) => {
    if (cached?.version !== version) {
      const entry = { version, value: readDirectory(pool) };
      cached = entry;
      entry.value.catch(() => {
        if (cached === entry) cached = null;
      });
    }
    return cached.value;
  };
}

/** directory_version now (see directoryByVersion). */
export async function readDirectoryVersion(pool: Queryable): Promise<string> {
  const r = await pool.query<{ version: string }>(
    `SELECT version::text AS version FROM directory_version WHERE id = 1`,
  );
  return r.rows[0]?.version ?? '0';
}
