// The set-based half of `sro import` (issue 15), over the staging tables of import-staging.ts:
// duplicate natural keys and dangling references found by SQL, then the counts and the merge
// into the real tables, a few statements per section whatever the roster's size. Runs in the
// import's one transaction, under the import lock.
import { KEY_WIDTH, STAGE_TABLES, type SqlSession, type StageSection } from './import-staging.ts';

// Two imports at once would each check references against a database the other is
// changing; this transaction-scoped advisory lock runs them one after the other. It is
// taken with the non-blocking try form, polled until the wait allowed is over: the wait is
// bounded on its own, and a busy lock is reported as such, not as a database failure.
const LOCK_KEY = [4626848, 2] as const;
export const TRY_IMPORT_LOCK = `SELECT pg_try_advisory_xact_lock(${LOCK_KEY[0]}, ${LOCK_KEY[1]}) AS locked`;
// Who holds it: an advisory lock on two int4 keys has them in classid and objid, objsubid 2;
// advisory locks belong to one database.
export const IMPORT_LOCK_HOLDER = `SELECT l.pid, a.application_name, host(a.client_addr) AS client,
    floor(extract(epoch FROM now() - a.xact_start))::int AS seconds
  FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.classid = ${LOCK_KEY[0]} AND l.objid = ${LOCK_KEY[1]} AND l.objsubid = 2 AND l.granted
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  LIMIT 1`;

export interface LockHolder {
  pid: number;
  application_name: string | null;
  client: string | null;
  seconds: number | null;
}

interface MergeSpec {
  /** The real table. */
  target: string;
  /** Its natural key columns (k1…k3 of the staging table, in order). */
  key: readonly string[];
  /** The columns an import may change (compared to count updated and unchanged rows). */
  data: readonly string[];
  /** The staging table's rows with the real table's column names and types. */
  typed: string;
  /**
   * A table whose rows carry their `source` (the facts, RULES.md 7; the directory, RULES.md
   * 11): --replace deletes only ROSTER rows, and a roster row with the key of a CONSOLE row
   * updates it, making it ROSTER.
   */
  sourced?: boolean;
  /** What a data column holds once the roster's value is written, where a trigger changes it (compared, not written). */
  stored?: Record<string, string>;
}

// Keys and dates are staged as text (a row that failed validation keeps its raw key for the
// duplicate check); only a roster without errors is merged, so every cast here succeeds.
export const MERGE: Record<StageSection, MergeSpec> = {
  agencies: {
    target: 'agency',
    key: ['id'],
    data: ['name', 'chief_name', 'chief_email', 'escalation_emails'],
    typed: `SELECT k1 AS id, name, chief_name, chief_email, coalesce(escalation_emails, '{}') AS escalation_emails FROM stage_agency`,
    sourced: true,
  },
  districts: {
    target: 'district',
    key: ['id'],
    data: ['name', 'kind'],
    typed: `SELECT k1 AS id, name, kind::"DistrictKind" AS kind FROM stage_district`,
    sourced: true,
  },
  districtContacts: {
    target: 'district_contact',
    key: ['district_id', 'email', 'role'],
    data: ['name'],
    typed: `SELECT k1 AS district_id, k2 AS email, k3::"ContactRole" AS role, name FROM stage_district_contact`,
  },
  officers: {
    target: 'officer',
    key: ['license'],
    data: ['first_name', 'last_name', 'email', 'agency_id'],
    typed: `SELECT k1 AS license, first_name, last_name, email, agency_id FROM stage_officer`,
    sourced: true,
  },
  assignments: {
    target: 'assignment',
    key: ['license', 'district_id', 'start_date'],
    data: ['school', 'role', 'end_date', 'training_unavailable'],
    typed: `SELECT k1 AS license, k2 AS district_id, k3::date AS start_date, school, role::"AssignmentRole" AS role,
      end_date::date AS end_date, training_unavailable FROM stage_assignment`,
    sourced: true,
  },
  trainings: {
    target: 'training',
    key: ['license', 'kind', 'completed_on'],
    data: ['certificate_on_file', 'course_number', 'provider'],
    typed: `SELECT k1 AS license, k2::"TrainingKind" AS kind, k3::date AS completed_on, certificate_on_file,
      course_number, provider FROM stage_training`,
    sourced: true,
    // RULES.md 7: an attached certificate file keeps certificate_on_file true (a trigger).
    stored: { certificate_on_file: '(s.certificate_on_file OR t.certificate_sha256 IS NOT NULL)' },
  },
  // A policy review and a contact day are nothing but their key: new, unchanged, or a
  // CONSOLE fact the roster now lists (updated: it becomes ROSTER).
  policyReviews: {
    target: 'policy_review',
    key: ['license', 'agency_id', 'reviewed_on'],
    data: [],
    typed: `SELECT k1 AS license, k2 AS agency_id, k3::date AS reviewed_on FROM stage_policy_review`,
    sourced: true,
  },
  contactDays: {
    target: 'contact_day',
    key: ['license', 'district_id', 'date'],
    data: [],
    typed: `SELECT k1 AS license, k2 AS district_id, k3::date AS date FROM stage_contact_day`,
    sourced: true,
  },
};

export const keyMatch = (m: MergeSpec) => m.key.map((c) => `t.${c} = s.${c}`).join(' AND ');
/** Whether the real row differs from what the roster's row would make it (a CONSOLE fact always does: it becomes ROSTER). */
export const differs = (m: MergeSpec) => {
  const parts: string[] = [];
  if (m.data.length > 0)
    parts.push(
      `(${m.data.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${m.data.map((c) => m.stored?.[c] ?? `s.${c}`).join(', ')})`,
    );
  if (m.sourced) parts.push(`t.source <> 'ROSTER'`);
  return parts.length === 0 ? 'false' : parts.join(' OR ');
};

/** Which rows the roster does not hold an import deletes. */
export interface DeleteRule {
  /** --replace: every such row (of a table with sources, ROSTER rows only; see KEPT_BY_CONSOLE). */
  replace: boolean;
  /**
   * The roster lists its districts' contacts: a JSON roster, or a CSV folder with
   * district_contacts.csv. Then a listed district's contact the roster no longer lists is
   * deleted with or without --replace (INTERFACE.md: a district brings its whole contact
   * list). A folder without the file lists none, and its districts keep the contacts on file.
   */
  contactLists: boolean;
}

// RULES.md 11: --replace never deletes a CONSOLE row of the directory, nor so the ROSTER rows
// one refers to. Decision: an officer holding a CONSOLE assignment stays (the console has no
// deletion of assignments, so refusing the import would leave the admin no way out), and so
// does an agency with an officer that stays, or a district with a CONSOLE assignment or
// contact day; each is the same at the count (before any write) and at the DELETE (children
// first): a staged row never refers to a row the roster lacks.
const officerStays = (o: string) =>
  `(${o}.source = 'CONSOLE' OR EXISTS (SELECT 1 FROM assignment a WHERE a.license = ${o}.license AND a.source = 'CONSOLE'))`;
const KEPT_BY_CONSOLE: Partial<Record<StageSection, (t: string) => string>> = {
  officers: (t) => `EXISTS (SELECT 1 FROM assignment a WHERE a.license = ${t}.license AND a.source = 'CONSOLE')`,
  agencies: (t) => `(EXISTS (SELECT 1 FROM officer o WHERE o.agency_id = ${t}.id AND ${officerStays('o')}
      AND NOT EXISTS (SELECT 1 FROM ${STAGE_TABLES.officers.name} so WHERE so.k1 = o.license))
    OR EXISTS (SELECT 1 FROM policy_review p WHERE p.agency_id = ${t}.id AND p.source = 'CONSOLE'))`,
  districts: (t) => `(EXISTS (SELECT 1 FROM assignment a WHERE a.district_id = ${t}.id AND a.source = 'CONSOLE')
    OR EXISTS (SELECT 1 FROM contact_day c WHERE c.district_id = ${t}.id AND c.source = 'CONSOLE'))`,
};
const listedDistrict = (id: string) => `EXISTS (SELECT 1 FROM ${STAGE_TABLES.districts.name} d WHERE d.k1 = ${id})`;

/**
 * The rows of the real table an import deletes: with --replace those the roster does not
 * hold; without, only the contacts its districts no longer list; null when none. Shared by
 * the count and the DELETE, so that what is counted is what is deleted.
 */
export function deletable(section: StageSection, rule: DeleteRule): string | null {
  const m = MERGE[section];
  const lacking = `FROM ${m.target} t WHERE NOT EXISTS (SELECT 1 FROM (${m.typed}) s WHERE ${keyMatch(m)})`;
  // A district's contacts go with the list of a district the roster lists, or with the district.
  if (rule.replace && section === 'districtContacts')
    return `${lacking} AND (${listedDistrict('t.district_id')} OR EXISTS (SELECT 1 FROM district g
      WHERE g.id = t.district_id AND g.source = 'ROSTER' AND NOT ${listedDistrict('g.id')} AND NOT ${KEPT_BY_CONSOLE.districts!('g')}))`;
  // RULES.md 7 and 11: --replace mirrors the file for ROSTER rows only; a CONSOLE row stays.
  const kept = KEPT_BY_CONSOLE[section];
  if (rule.replace)
    return m.sourced ? `${lacking} AND t.source = 'ROSTER'${kept ? ` AND NOT ${kept('t')}` : ''}` : lacking;
  if (section === 'districtContacts' && rule.contactLists)
    return `${lacking} AND EXISTS (SELECT 1 FROM ${STAGE_TABLES.districts.name} d WHERE d.k1 = t.district_id)`;
  return null;
}

export interface MergeCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** How many staged rows are new, changed or unchanged, and how many rows the import deletes (`rule`). Reads only. */
export async function countMerge(session: SqlSession, section: StageSection, rule: DeleteRule): Promise<MergeCounts> {
  const m = MERGE[section];
  const [row] = await session.rows<{ created: number; updated: number; staged: number }>(
    `SELECT count(*) FILTER (WHERE t.ctid IS NULL)::int AS created,
       count(*) FILTER (WHERE t.ctid IS NOT NULL AND (${differs(m)}))::int AS updated,
       count(*)::int AS staged
     FROM (${m.typed}) s LEFT JOIN ${m.target} t ON ${keyMatch(m)}`,
  );
  const doomed = deletable(section, rule);
  const deleted =
    doomed === null ? 0 : ((await session.rows<{ n: number }>(`SELECT count(*)::int AS n ${doomed}`))[0]?.n ?? 0);
  const created = row?.created ?? 0;
  const updated = row?.updated ?? 0;
  return { created, updated, unchanged: (row?.staged ?? 0) - created - updated, deleted };
}

/** Inserts the new rows and updates the changed ones; resolves with how many of each were written. */
export async function upsertStaged(
  session: SqlSession,
  section: StageSection,
  counts: MergeCounts,
): Promise<{ created: number; updated: number }> {
  const m = MERGE[section];
  const columns = [...m.key, ...m.data];
  // Statements that would write nothing are not run (a statement trigger still fires for
  // them: directory_version would move for an unchanged directory).
  const created =
    counts.created === 0
      ? 0
      : await session.run(
          `INSERT INTO ${m.target} (${columns.join(', ')})
           SELECT ${columns.map((c) => `s.${c}`).join(', ')} FROM (${m.typed}) s
           WHERE NOT EXISTS (SELECT 1 FROM ${m.target} t WHERE ${keyMatch(m)})`,
        );
  const updated =
    counts.updated === 0
      ? 0
      : await session.run(
          `UPDATE ${m.target} t SET ${[...m.data.map((c) => `${c} = s.${c}`), ...(m.sourced ? [`source = 'ROSTER'`] : [])].join(', ')}
           FROM (${m.typed}) s WHERE ${keyMatch(m)} AND (${differs(m)})`,
        );
  return { created, updated };
}

/** Deletes the rows countMerge counted as deleted under the same `rule`; resolves with how many. */
export async function deleteUnstaged(
  session: SqlSession,
  section: StageSection,
  counts: MergeCounts,
  rule: DeleteRule,
): Promise<number> {
  const doomed = deletable(section, rule);
  if (counts.deleted === 0 || doomed === null) return 0;
  return session.run(`DELETE ${doomed}`);
}

// PostgreSQL's SQLSTATE for a foreign key violation.
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * After --replace's deletes: the certificate files no training refers to any more (a ROSTER
 * training that held one was deleted, or its officer), as the console deletes a file with
 * its last training; resolves with how many. Under a savepoint: a console upload attaching
 * one of them at this moment makes the delete fail its foreign key, and the file then stays,
 * as it must, without failing the import.
 */
export async function deleteUnreferencedCertificates(session: SqlSession): Promise<number> {
  await session.run('SAVEPOINT certificate_files');
  try {
    const n = await session.run(
      `DELETE FROM certificate c WHERE NOT EXISTS (SELECT 1 FROM training t WHERE t.certificate_sha256 = c.sha256)
         AND NOT EXISTS (SELECT 1 FROM training_submission s WHERE s.certificate_sha256 = c.sha256)`,
    );
    await session.run('RELEASE SAVEPOINT certificate_files');
    return n;
  } catch (e) {
    if ((e as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw e;
    await session.run('ROLLBACK TO SAVEPOINT certificate_files');
    return 0;
  }
}

/** Rows per section in the real tables (for --replace with a CSV file absent). */
export async function tableRowCount(session: SqlSession, section: StageSection): Promise<number> {
  const [row] = await session.rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${MERGE[section].target}`);
  return row?.n ?? 0;
}

/** Updates the planner's statistics of the staging tables (temporary tables are never auto-analyzed). */
export async function analyzeStaged(session: SqlSession): Promise<void> {
  for (const t of Object.values(STAGE_TABLES)) await session.run(`ANALYZE ${t.name}`);
}

const keyColumns = (section: StageSection) => ['k1', 'k2', 'k3'].slice(0, KEY_WIDTH[section]);

export interface DuplicateRow {
  r: number;
  sub: number | null;
  first_r: number;
  first_sub: number | null;
  k1: string;
  k2: string | null;
  k3: string | null;
  total: number;
}

/**
 * The staged rows whose natural key repeats an earlier row's (file order: r, then sub), each
 * with the first row of its key, in file order, at most `limit`; `total` counts them all.
 * Rows with a key field that is not text (k NULL) are left out: the schema reports them.
 */
export async function duplicateKeys(
  session: SqlSession,
  section: StageSection,
  limit: number,
): Promise<DuplicateRow[]> {
  const table = STAGE_TABLES[section].name;
  const keys = keyColumns(section);
  const present = keys.map((k) => `${k} IS NOT NULL`).join(' AND ');
  // A cheap pass first: most rosters have no duplicates, and the window below sorts.
  const [any] = await session.rows<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${table} WHERE ${present} GROUP BY ${keys.join(', ')} HAVING count(*) > 1) AS found`,
  );
  if (any?.found !== true) return [];
  const padded = ['k1', 'k2', 'k3'].map((k) => (keys.includes(k) ? k : `NULL::text AS ${k}`));
  return session.rows<DuplicateRow>(
    `SELECT r, sub, first_r, first_sub, ${padded.join(', ')}, count(*) OVER ()::int AS total FROM (
       SELECT r, sub, ${keys.join(', ')},
         first_value(r) OVER w AS first_r, first_value(sub) OVER w AS first_sub, row_number() OVER w AS n
       FROM ${table} WHERE ${present}
       WINDOW w AS (PARTITION BY ${keys.join(', ')} ORDER BY r, sub NULLS FIRST)
     ) d WHERE n > 1 ORDER BY r, sub NULLS FIRST LIMIT $1`,
    [limit],
  );
}

/** A reference from one section's rows to another section (INTERFACE.md's natural keys). */
export interface ReferenceSpec {
  section: StageSection;
  /** The roster field (JSON name) that holds the reference. */
  field: string;
  /** Its staging column. */
  column: string;
  parent: 'agencies' | 'districts' | 'officers';
}

/** The references an import checks, in the order their errors are listed for one row. */
export const REFERENCES: readonly ReferenceSpec[] = [
  { section: 'officers', field: 'agencyId', column: 'agency_id', parent: 'agencies' },
  { section: 'assignments', field: 'license', column: 'k1', parent: 'officers' },
  { section: 'assignments', field: 'districtId', column: 'k2', parent: 'districts' },
  { section: 'trainings', field: 'license', column: 'k1', parent: 'officers' },
  { section: 'policyReviews', field: 'license', column: 'k1', parent: 'officers' },
  { section: 'policyReviews', field: 'agencyId', column: 'k2', parent: 'agencies' },
  { section: 'contactDays', field: 'license', column: 'k1', parent: 'officers' },
  { section: 'contactDays', field: 'districtId', column: 'k2', parent: 'districts' },
];

const PARENT_TABLE = {
  agencies: ['agency', 'id'],
  districts: ['district', 'id'],
  officers: ['officer', 'license'],
} as const;

export interface DanglingRow {
  r: number;
  id: string;
  total: number;
}

/**
 * The staged rows whose reference is neither in the roster nor (without replace) in the
 * database, in file order, at most `limit`; `total` counts them all. A row that failed
 * validation takes part but for a reference that failed itself (bad_fields: its own error
 * names it) or that it lacks.
 */
export async function danglingReferences(
  session: SqlSession,
  ref: ReferenceSpec,
  replace: boolean,
  limit: number,
): Promise<DanglingRow[]> {
  const [table, column] = PARENT_TABLE[ref.parent];
  const inDatabase = replace ? '' : `AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${column} = s.${ref.column})`;
  return session.rows<DanglingRow>(
    `SELECT s.r, s.${ref.column} AS id, count(*) OVER ()::int AS total FROM ${STAGE_TABLES[ref.section].name} s
     WHERE s.${ref.column} IS NOT NULL AND (s.bad_fields IS NULL OR NOT ($2::text = ANY (s.bad_fields)))
       AND NOT EXISTS (SELECT 1 FROM ${STAGE_TABLES[ref.parent].name} p WHERE p.k1 = s.${ref.column})
       ${inDatabase}
     ORDER BY s.r LIMIT $1`,
    [limit, ref.field],
  );
}

export interface OfficerWithConsoleFacts {
  license: string;
  trainings: number;
  policy_reviews: number;
  contact_days: number;
  total: number;
}

/**
 * With replace: the officers the database holds, the roster does not, and who hold CONSOLE
 * facts (RULES.md 7: an import never deletes one, and deleting the officer would cascade to
 * them), by license, at most `limit`, with how many of each kind; `total` counts the officers.
 */
export async function removedOfficersWithConsoleFacts(
  session: SqlSession,
  limit: number,
): Promise<OfficerWithConsoleFacts[]> {
  return session.rows<OfficerWithConsoleFacts>(
    `WITH console AS (
       SELECT license, 1 AS trainings, 0 AS policy_reviews, 0 AS contact_days FROM training WHERE source = 'CONSOLE'
       UNION ALL SELECT license, 0, 1, 0 FROM policy_review WHERE source = 'CONSOLE'
       UNION ALL SELECT license, 0, 0, 1 FROM contact_day WHERE source = 'CONSOLE'
     )
     SELECT c.license, sum(c.trainings)::int AS trainings, sum(c.policy_reviews)::int AS policy_reviews,
       sum(c.contact_days)::int AS contact_days, count(*) OVER ()::int AS total
     FROM console c
     WHERE NOT EXISTS (SELECT 1 FROM ${STAGE_TABLES.officers.name} s WHERE s.k1 = c.license)
       -- Only an officer the import would delete (RULES.md 11: one that stays keeps its facts).
       AND EXISTS (SELECT 1 FROM officer o WHERE o.license = c.license AND NOT ${officerStays('o')})
     GROUP BY c.license ORDER BY c.license LIMIT $1`,
    [limit],
  );
}

export interface DistrictDayRow {
  r: number;
  date: string;
  district_name: string;
  total: number;
}

/**
 * The staged contact days (valid rows, not confirmed by `non_school_day`) on a day their
 * district lists as a day without school (RULES.md 9), in file order, at most `limit`;
 * `total` counts them all. The district's days are the database's: a roster does not carry them.
 */
export async function contactDaysOnDistrictDaysOff(session: SqlSession, limit: number): Promise<DistrictDayRow[]> {
  return session.rows<DistrictDayRow>(
    `SELECT s.r, to_char(n.date, 'YYYY-MM-DD') AS date, d.name AS district_name, count(*) OVER ()::int AS total
     FROM ${STAGE_TABLES.contactDays.name} s
     -- Only a valid row's date is cast: another's may be no date at all ("2026-02-30").
     JOIN district_non_school_day n
       ON n.district_id = s.k2 AND n.date = (CASE WHEN s.bad_fields IS NULL THEN s.k3 END)::date
     JOIN district d ON d.id = n.district_id
     WHERE s.bad_fields IS NULL AND s.non_school_day IS NOT TRUE
     ORDER BY s.r LIMIT $1`,
    [limit],
  );
}
