// Reads officers and their facts in keyset-paginated batches: one query for a batch of
// officers, then one range query per fact table (license BETWEEN first AND last, served by
// each table's unique index on (license, …)). Memory is bounded by the batch size.
import type pg from 'pg';
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

export async function* readOfficerBatches(pool: pg.Pool, options: ReadOptions = {}): AsyncGenerator<OfficerRecord[]> {
  const batchSize = options.batchSize ?? 2000;
  let after = options.afterLicense ?? null;
  const through = options.throughLicense ?? null;
  const only = options.licenses ?? null;
  for (;;) {
    const params: unknown[] = [batchSize];
    const where: string[] = [];
    if (after !== null) where.push(`license > $${params.push(after)}`);
    if (through !== null) where.push(`license <= $${params.push(through)}`);
    if (only !== null) where.push(`license = ANY($${params.push(only)})`);
    const officers = await pool.query(
      `SELECT license, first_name, last_name, email, agency_id FROM officer
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY license LIMIT $1`,
      params,
    );
    if (officers.rows.length === 0) return;
    const first = officers.rows[0].license as string;
    const last = officers.rows[officers.rows.length - 1].license as string;
    const range = [first, last];
    const [assignments, trainings, reviews, days] = await Promise.all([
      pool.query(
        `SELECT license, district_id, role, start_date, end_date, training_unavailable FROM assignment
         WHERE license BETWEEN $1 AND $2`,
        range,
      ),
      pool.query(`SELECT license, kind, completed_on, certificate_on_file FROM training WHERE license BETWEEN $1 AND $2`, range),
      pool.query(`SELECT license, agency_id, reviewed_on FROM policy_review WHERE license BETWEEN $1 AND $2`, range),
      pool.query(`SELECT license, district_id, date FROM contact_day WHERE license BETWEEN $1 AND $2`, range),
    ]);
    const byAssignment = group<AssignmentFact>(assignments.rows, (r) => ({
      districtId: r.district_id as string,
      role: r.role as AssignmentRole,
      startDate: r.start_date as CivilDate,
      endDate: (r.end_date as CivilDate | null) ?? null,
      trainingUnavailable: r.training_unavailable as boolean,
    }));
    const byTraining = group<TrainingFact>(trainings.rows, (r) => ({
      kind: r.kind as TrainingKind,
      completedOn: r.completed_on as CivilDate,
      certificateOnFile: r.certificate_on_file as boolean,
    }));
    const byReview = group<PolicyReviewFact>(reviews.rows, (r) => ({
      agencyId: r.agency_id as string,
      reviewedOn: r.reviewed_on as CivilDate,
    }));
    const byDay = group<ContactDayFact>(days.rows, (r) => ({ districtId: r.district_id as string, date: r.date as CivilDate }));
    yield officers.rows.map((r) => {
      const license = r.license as string;
      return {
        license,
        firstName: r.first_name as string,
        lastName: r.last_name as string,
        email: (r.email as string | null) ?? null,
        agencyId: r.agency_id as string,
        assignments: byAssignment.get(license) ?? [],
        trainings: byTraining.get(license) ?? [],
        policyReviews: byReview.get(license) ?? [],
        contactDays: byDay.get(license) ?? [],
      };
    });
    if (officers.rows.length < batchSize) return;
    after = last;
  }
}

export interface Directory {
  agencies: Map<string, AgencyInfo>;
  districts: Map<string, DistrictInfo>;
}

/** Agencies and districts with their contacts: small tables, read whole. */
export async function readDirectory(pool: pg.Pool): Promise<Directory> {
  const [agencies, districts, contacts] = await Promise.all([
    pool.query('SELECT id, name, chief_name, chief_email, escalation_emails FROM agency'),
    pool.query('SELECT id, name, kind FROM district'),
    pool.query('SELECT district_id, name, email, role FROM district_contact ORDER BY id'),
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
        },
      ]),
    ),
    districts: new Map(
      districts.rows.map((r) => [
        r.id as string,
        { id: r.id as string, name: r.name as string, kind: r.kind as DistrictKind, contacts: contactsBy.get(r.id as string) ?? [] },
      ]),
    ),
  };
}
