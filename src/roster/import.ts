// Writes a validated roster to the database in one transaction (INTERFACE.md `sro import`):
// upsert by natural keys; with `replace`, also delete the facts the roster does not hold.
// All or nothing: references are checked inside the transaction, and on any error nothing
// is written. The alert ledger is never touched (it is the record of what was sent).
//
// Cost is a fixed number of statements, whatever the roster's size: one bulk read per
// table (to check references and to count created/updated/unchanged/deleted), then, per
// table, one INSERT … ON CONFLICT for the new and changed rows and one DELETE, each fed a
// JSON array through jsonb_to_recordset (chunked, so no statement carries more than
// CHUNK rows). Unchanged rows are not written at all.
import type { Db } from '../db/client.ts';
import { dbToCivil } from '../db/dates.ts';
import { plural } from '../domain/plural.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { quote } from '../shell/quote.ts';
import { ROSTER_SECTIONS, type Roster, type RosterSection } from './schema.ts';
import {
  type LocatedError,
  type RosterError,
  absentFilesOf,
  duplicateKeyErrors,
  located,
  locatorOf,
  sortedErrors,
} from './validate.ts';

/** The sections counted by an import: the roster's, with district contacts on their own. */
const [agencySection, districtSection, ...factSections] = ROSTER_SECTIONS;
export const IMPORT_SECTIONS = [agencySection, districtSection, 'districtContacts', ...factSections] as const;
export type ImportSection = (typeof IMPORT_SECTIONS)[number];

export interface SectionCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export type ImportResult =
  { ok: true; counts: Record<ImportSection, SectionCounts> } | { ok: false; errors: RosterError[] };

/** How the sections' rows are named in messages: one and many. */
const SECTION_LABEL: Record<ImportSection, [string, string]> = {
  agencies: ['agency', 'agencies'],
  districts: ['district', 'districts'],
  districtContacts: ['district contact', 'district contacts'],
  officers: ['officer', 'officers'],
  assignments: ['assignment', 'assignments'],
  trainings: ['training', 'trainings'],
  policyReviews: ['policy review', 'policy reviews'],
  contactDays: ['contact day', 'contact days'],
};

/** How long an import waits for another one to finish before it gives up (ImportOptions.lockWaitMs). */
export const DEFAULT_LOCK_WAIT_MS = 30_000;

export interface ImportOptions {
  /** Make the database's facts equal to the roster: delete rows the roster does not hold. */
  replace: boolean;
  /**
   * Sections that `replace` may empty although their CSV file was absent from the folder
   * (without this, such an import is refused when the database holds rows of the section:
   * a missing or misnamed file must not delete a section). Allowing districts allows their
   * contacts too, which go with them.
   */
  allowEmpty?: readonly ImportSection[];
  /** How long to wait for another import to finish, in milliseconds (default DEFAULT_LOCK_WAIT_MS); then ImportBusyError. */
  lockWaitMs?: number;
}

/** The database failed during an import (not a problem with the roster); nothing was written. */
export class RosterImportError extends Error {
  readonly code: string = 'ROSTER_IMPORT_FAILED';
  override name = 'RosterImportError';
}

/** Another import held the import lock for longer than the wait allowed; nothing was written. */
export class ImportBusyError extends RosterImportError {
  override readonly code = 'IMPORT_BUSY';
  override name = 'ImportBusyError';
}

/** A section name as a user writes it: a JSON section (policyReviews), a file (policy_reviews.csv) or its stem (policy_reviews). */
export function parseImportSection(name: string): ImportSection | null {
  const canonical = (s: string) =>
    s
      .toLowerCase()
      .replace(/\.csv$/, '')
      .replace(/[_\s-]/g, '');
  const wanted = canonical(name.trim());
  return IMPORT_SECTIONS.find((s) => canonical(s) === wanted) ?? null;
}

/** Thrown inside the transaction to roll it back with the roster's errors. */
class RosterRejected extends Error {
  constructor(readonly errors: RosterError[]) {
    super(`roster rejected: ${plural(errors.length, 'error')}`);
  }
}

type Tx = Prisma.TransactionClient;

const CHUNK = 5000;
// Two imports at once would each check references against a database the other is
// changing; this transaction-scoped advisory lock runs them one after the other. It is
// taken with the non-blocking try form, polled until the wait allowed is over: the wait is
// bounded on its own, and a busy lock is reported as such, not as a database failure.
const LOCK_KEY = [4626848, 2] as const;
const TRY_IMPORT_LOCK = `SELECT pg_try_advisory_xact_lock(${LOCK_KEY[0]}, ${LOCK_KEY[1]}) AS locked`;
// Who holds it: an advisory lock on two int4 keys has them in classid and objid, objsubid 2;
// advisory locks belong to one database.
const IMPORT_LOCK_HOLDER = `SELECT l.pid, a.application_name, host(a.client_addr) AS client,
    floor(extract(epoch FROM now() - a.xact_start))::int AS seconds
  FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.classid = ${LOCK_KEY[0]} AND l.objid = ${LOCK_KEY[1]} AND l.objsubid = 2 AND l.granted
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  LIMIT 1`;
const LOCK_POLL_MS = 200;
// Prisma's interactive transactions need a time limit, and end the transaction when it is
// over, however far the import has got. An import's work has no fixed bound (it grows with
// the roster), so the limit is the largest a Node.js timer takes: 2^31 - 1 ms, about 24
// days (a larger value would overflow to 1 ms). Waiting for the lock is bounded apart.
const NO_TIME_LIMIT_MS = 2 ** 31 - 1;

// Natural keys as map keys. Ids cannot hold control characters (schema.ts), so NUL
// cannot occur inside a part.
const key = (...parts: string[]) => parts.join('\u0000');

interface Plan<F, E> {
  /** Rows to insert or update, with how many of them are new. */
  write: F[];
  created: number;
  updated: number;
  unchanged: number;
  /** Existing rows to delete (replace only). */
  remove: E[];
}

/** Compares the roster's rows with the database's by natural key. */
function plan<F, E>(
  rows: readonly F[],
  existing: ReadonlyMap<string, E>,
  keyOf: (f: F) => string,
  same: (f: F, e: E) => boolean,
  replace: boolean,
): Plan<F, E> {
  const created: F[] = [];
  const updated: F[] = [];
  let unchanged = 0;
  const kept = new Set<string>();
  for (const row of rows) {
    const k = keyOf(row);
    kept.add(k);
    const old = existing.get(k);
    if (old === undefined) created.push(row);
    else if (same(row, old)) unchanged += 1;
    else updated.push(row);
  }
  const remove = replace ? [...existing].filter(([k]) => !kept.has(k)).map(([, e]) => e) : [];
  return { write: [...created, ...updated], created: created.length, updated: updated.length, unchanged, remove };
}

function counts(p: Plan<unknown, unknown>): SectionCounts {
  return { created: p.created, updated: p.updated, unchanged: p.unchanged, deleted: p.remove.length };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Runs `sql` with $1 = a JSON array of `rows`, CHUNK rows at a time; returns the rows affected. */
async function bulk(tx: Tx, sql: string, rows: readonly unknown[]): Promise<number> {
  let affected = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    affected += await tx.$executeRawUnsafe(sql, JSON.stringify(rows.slice(i, i + CHUNK)));
  }
  return affected;
}

async function write(tx: Tx, what: string, sql: string, rows: readonly unknown[]): Promise<void> {
  const affected = await bulk(tx, sql, rows);
  // Under the import lock nothing else writes these tables; a difference means the
  // comparison above was wrong, and the transaction must not commit.
  if (affected !== rows.length) {
    throw new RosterImportError(
      `${what}: expected to write ${plural(rows.length, 'row')}, wrote ${affected}; the import was rolled back`,
    );
  }
}

const IDS = 'SELECT value::int FROM jsonb_array_elements_text($1::jsonb)';
const TEXTS = 'SELECT value FROM jsonb_array_elements_text($1::jsonb)';

const SQL = {
  agencies: `INSERT INTO agency (id, name, chief_name, chief_email, escalation_emails)
    SELECT x.id, x.name, x.chief_name, x.chief_email, x.escalation_emails
    FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, chief_name text, chief_email text, escalation_emails text[])
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, chief_name = EXCLUDED.chief_name,
      chief_email = EXCLUDED.chief_email, escalation_emails = EXCLUDED.escalation_emails`,
  districts: `INSERT INTO district (id, name, kind)
    SELECT x.id, x.name, x.kind FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, kind "DistrictKind")
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind`,
  districtContacts: `INSERT INTO district_contact (district_id, name, email, role)
    SELECT x.district_id, x.name, x.email, x.role
    FROM jsonb_to_recordset($1::jsonb) AS x(district_id text, name text, email text, role "ContactRole")
    ON CONFLICT (district_id, email, role) DO UPDATE SET name = EXCLUDED.name`,
  officers: `INSERT INTO officer (license, first_name, last_name, email, agency_id)
    SELECT x.license, x.first_name, x.last_name, x.email, x.agency_id
    FROM jsonb_to_recordset($1::jsonb) AS x(license text, first_name text, last_name text, email text, agency_id text)
    ON CONFLICT (license) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
      email = EXCLUDED.email, agency_id = EXCLUDED.agency_id`,
  assignments: `INSERT INTO assignment (license, district_id, school, role, start_date, end_date, training_unavailable)
    SELECT x.license, x.district_id, x.school, x.role, x.start_date, x.end_date, x.training_unavailable
    FROM jsonb_to_recordset($1::jsonb) AS x(license text, district_id text, school text, role "AssignmentRole",
      start_date date, end_date date, training_unavailable boolean)
    ON CONFLICT (license, district_id, start_date) DO UPDATE SET school = EXCLUDED.school, role = EXCLUDED.role,
      end_date = EXCLUDED.end_date, training_unavailable = EXCLUDED.training_unavailable`,
  trainings: `INSERT INTO training (license, kind, completed_on, certificate_on_file, course_number, provider)
    SELECT x.license, x.kind, x.completed_on, x.certificate_on_file, x.course_number, x.provider
    FROM jsonb_to_recordset($1::jsonb) AS x(license text, kind "TrainingKind", completed_on date,
      certificate_on_file boolean, course_number text, provider text)
    ON CONFLICT (license, kind, completed_on) DO UPDATE SET certificate_on_file = EXCLUDED.certificate_on_file,
      course_number = EXCLUDED.course_number, provider = EXCLUDED.provider`,
  // A policy review and a contact day are nothing but their key: new or unchanged.
  policyReviews: `INSERT INTO policy_review (license, agency_id, reviewed_on)
    SELECT x.license, x.agency_id, x.reviewed_on
    FROM jsonb_to_recordset($1::jsonb) AS x(license text, agency_id text, reviewed_on date)
    ON CONFLICT (license, agency_id, reviewed_on) DO NOTHING`,
  contactDays: `INSERT INTO contact_day (license, district_id, date)
    SELECT x.license, x.district_id, x.date FROM jsonb_to_recordset($1::jsonb) AS x(license text, district_id text, date date)
    ON CONFLICT (license, district_id, date) DO NOTHING`,
} satisfies Record<ImportSection, string>;

const DELETE_SQL = {
  contactDays: `DELETE FROM contact_day c USING jsonb_to_recordset($1::jsonb) AS x(license text, district_id text, date date)
    WHERE c.license = x.license AND c.district_id = x.district_id AND c.date = x.date`,
  policyReviews: `DELETE FROM policy_review WHERE id IN (${IDS})`,
  trainings: `DELETE FROM training WHERE id IN (${IDS})`,
  assignments: `DELETE FROM assignment WHERE id IN (${IDS})`,
  officers: `DELETE FROM officer WHERE license IN (${TEXTS})`,
  districtContacts: `DELETE FROM district_contact WHERE id IN (${IDS})`,
  districts: `DELETE FROM district WHERE id IN (${TEXTS})`,
  agencies: `DELETE FROM agency WHERE id IN (${TEXTS})`,
} satisfies Record<ImportSection, string>;

/** What the database holds now, by natural key. */
async function readExisting(tx: Tx) {
  const [agencies, districts, contacts, officers, assignments, trainings, reviews, days] = [
    await tx.agency.findMany(),
    await tx.district.findMany(),
    await tx.districtContact.findMany(),
    await tx.officer.findMany(),
    await tx.assignment.findMany(),
    await tx.training.findMany(),
    await tx.policyReview.findMany({ select: { id: true, license: true, agencyId: true, reviewedOn: true } }),
    await tx.contactDay.findMany(),
  ];
  return {
    agencies: new Map(agencies.map((a) => [a.id, a])),
    districts: new Map(districts.map((d) => [d.id, d])),
    contacts: new Map(contacts.map((c) => [key(c.districtId, c.email, c.role), c])),
    officers: new Map(officers.map((o) => [o.license, o])),
    assignments: new Map(assignments.map((a) => [key(a.license, a.districtId, dbToCivil(a.startDate)), a])),
    trainings: new Map(trainings.map((t) => [key(t.license, t.kind, dbToCivil(t.completedOn)), t])),
    reviews: new Map(reviews.map((r) => [key(r.license, r.agencyId, dbToCivil(r.reviewedOn)), r])),
    days: new Map(
      days.map((d) => [
        key(d.license, d.districtId, dbToCivil(d.date)),
        { license: d.license, district_id: d.districtId, date: dbToCivil(d.date) },
      ]),
    ),
  };
}

type Existing = Awaited<ReturnType<typeof readExisting>>;

/** Every reference to an agency, district or officer that neither the roster nor (without replace) the database holds. */
function danglingReferences(roster: Roster, existing: Existing, replace: boolean): LocatedError[] {
  const locator = locatorOf(roster);
  const known = (inFile: Iterable<string>, inDb: ReadonlyMap<string, unknown>) => {
    const set = new Set(inFile);
    return (id: string) => set.has(id) || (!replace && inDb.has(id));
  };
  const agency = known(
    roster.agencies.map((a) => a.id),
    existing.agencies,
  );
  const district = known(
    roster.districts.map((d) => d.id),
    existing.districts,
  );
  const officer = known(
    roster.officers.map((o) => o.license),
    existing.officers,
  );
  const where = replace
    ? 'in the roster (with --replace, everything referenced must be in the roster)'
    : 'in the roster or the database';
  const out: LocatedError[] = [];
  const check = (
    section: RosterSection,
    rows: readonly Record<string, unknown>[],
    field: string,
    what: string,
    exists: (id: string) => boolean,
  ) => {
    rows.forEach((row, i) => {
      const id = row[field] as string;
      if (!exists(id))
        out.push(
          located('DANGLING_REFERENCE', locator.locate([section, i, field]), `no ${what} ${quote(id)} ${where}`),
        );
    });
  };
  check('officers', roster.officers, 'agencyId', 'agency', agency);
  check('assignments', roster.assignments, 'license', 'officer', officer);
  check('assignments', roster.assignments, 'districtId', 'district', district);
  check('trainings', roster.trainings, 'license', 'officer', officer);
  check('policyReviews', roster.policyReviews, 'license', 'officer', officer);
  check('policyReviews', roster.policyReviews, 'agencyId', 'agency', agency);
  check('contactDays', roster.contactDays, 'license', 'officer', officer);
  check('contactDays', roster.contactDays, 'districtId', 'district', district);
  return out;
}

function plans(roster: Roster, existing: Existing, replace: boolean) {
  const contacts = roster.districts.flatMap((d) => d.contacts.map((c) => ({ districtId: d.id, ...c })));
  return {
    agencies: plan(
      roster.agencies,
      existing.agencies,
      (a) => a.id,
      (a, e) =>
        a.name === e.name &&
        (a.chief?.name ?? null) === e.chiefName &&
        (a.chief?.email ?? null) === e.chiefEmail &&
        sameList(a.escalationEmails, e.escalationEmails),
      replace,
    ),
    districts: plan(
      roster.districts,
      existing.districts,
      (d) => d.id,
      (d, e) => d.name === e.name && d.kind === e.kind,
      replace,
    ),
    districtContacts: plan(
      contacts,
      existing.contacts,
      (c) => key(c.districtId, c.email, c.role),
      (c, e) => c.name === e.name,
      replace,
    ),
    officers: plan(
      roster.officers,
      existing.officers,
      (o) => o.license,
      (o, e) =>
        o.firstName === e.firstName && o.lastName === e.lastName && o.email === e.email && o.agencyId === e.agencyId,
      replace,
    ),
    assignments: plan(
      roster.assignments,
      existing.assignments,
      (a) => key(a.license, a.districtId, a.startDate),
      (a, e) =>
        a.school === e.school &&
        a.role === e.role &&
        a.endDate === (e.endDate && dbToCivil(e.endDate)) &&
        a.trainingUnavailable === e.trainingUnavailable,
      replace,
    ),
    trainings: plan(
      roster.trainings,
      existing.trainings,
      (t) => key(t.license, t.kind, t.completedOn),
      (t, e) =>
        t.certificateOnFile === e.certificateOnFile && t.courseNumber === e.courseNumber && t.provider === e.provider,
      replace,
    ),
    policyReviews: plan(
      roster.policyReviews,
      existing.reviews,
      (r) => key(r.license, r.agencyId, r.reviewedOn),
      () => true,
      replace,
    ),
    contactDays: plan(
      roster.contactDays,
      existing.days,
      (d) => key(d.license, d.districtId, d.date),
      () => true,
      replace,
    ),
  };
}

type Plans = ReturnType<typeof plans>;

async function apply(tx: Tx, p: Plans): Promise<void> {
  // Parents before children, so every reference exists when it is written.
  await write(
    tx,
    'agencies',
    SQL.agencies,
    p.agencies.write.map((a) => ({
      id: a.id,
      name: a.name,
      chief_name: a.chief?.name ?? null,
      chief_email: a.chief?.email ?? null,
      escalation_emails: a.escalationEmails,
    })),
  );
  await write(
    tx,
    'districts',
    SQL.districts,
    p.districts.write.map((d) => ({ id: d.id, name: d.name, kind: d.kind })),
  );
  await write(
    tx,
    'district contacts',
    SQL.districtContacts,
    p.districtContacts.write.map((c) => ({
      district_id: c.districtId,
      name: c.name,
      email: c.email,
      role: c.role,
    })),
  );
  await write(
    tx,
    'officers',
    SQL.officers,
    p.officers.write.map((o) => ({
      license: o.license,
      first_name: o.firstName,
      last_name: o.lastName,
      email: o.email,
      agency_id: o.agencyId,
    })),
  );
  await write(
    tx,
    'assignments',
    SQL.assignments,
    p.assignments.write.map((a) => ({
      license: a.license,
      district_id: a.districtId,
      school: a.school,
      role: a.role,
      start_date: a.startDate,
      end_date: a.endDate,
      training_unavailable: a.trainingUnavailable,
    })),
  );
  await write(
    tx,
    'trainings',
    SQL.trainings,
    p.trainings.write.map((t) => ({
      license: t.license,
      kind: t.kind,
      completed_on: t.completedOn,
      certificate_on_file: t.certificateOnFile,
      course_number: t.courseNumber,
      provider: t.provider,
    })),
  );
  await write(
    tx,
    'policy reviews',
    SQL.policyReviews,
    p.policyReviews.write.map((r) => ({
      license: r.license,
      agency_id: r.agencyId,
      reviewed_on: r.reviewedOn,
    })),
  );
  await write(
    tx,
    'contact days',
    SQL.contactDays,
    p.contactDays.write.map((d) => ({ license: d.license, district_id: d.districtId, date: d.date })),
  );

  // Children before parents (replace only; the lists are empty otherwise). Deleting an
  // officer would cascade to its facts, but those are deleted (and counted) first.
  const removals: [what: string, sql: string, rows: readonly unknown[]][] = [
    ['contact days', DELETE_SQL.contactDays, p.contactDays.remove],
    ['policy reviews', DELETE_SQL.policyReviews, p.policyReviews.remove.map((r) => r.id)],
    ['trainings', DELETE_SQL.trainings, p.trainings.remove.map((t) => t.id)],
    ['assignments', DELETE_SQL.assignments, p.assignments.remove.map((a) => a.id)],
    ['officers', DELETE_SQL.officers, p.officers.remove.map((o) => o.license)],
    ['district contacts', DELETE_SQL.districtContacts, p.districtContacts.remove.map((c) => c.id)],
    ['districts', DELETE_SQL.districts, p.districts.remove.map((d) => d.id)],
    ['agencies', DELETE_SQL.agencies, p.agencies.remove.map((a) => a.id)],
  ];
  for (const [what, sql, rows] of removals) await write(tx, what, sql, rows);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Takes the import lock for this transaction, waiting at most `waitMs` for another import to finish. */
async function takeImportLock(tx: Tx, waitMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const [row] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(TRY_IMPORT_LOCK);
    if (row?.locked === true) return;
    const left = started + waitMs - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(LOCK_POLL_MS, left));
  }
  const [holder] =
    await tx.$queryRawUnsafe<
      { pid: number; application_name: string | null; client: string | null; seconds: number | null }[]
    >(IMPORT_LOCK_HOLDER);
  const who =
    holder === undefined
      ? 'it holds the import lock'
      : [
          `PostgreSQL process ${holder.pid}`,
          holder.application_name ? `application ${quote(holder.application_name)}` : null,
          holder.client ? `from ${holder.client}` : null,
          holder.seconds === null ? null : `running for ${holder.seconds} s`,
        ]
          .filter((part) => part !== null)
          .join(', ');
  const waited = waitMs > 0 ? `; waited ${Math.round(waitMs / 1000)} s for it` : '';
  throw new ImportBusyError(
    `another import is running (${who}${waited}); try again when it has finished. Nothing was imported`,
  );
}

/** The database's own words from an error, without the call-site excerpt Prisma puts before them. */
function databaseProblem(cause: unknown): string {
  const message = String((cause as Error)?.message ?? cause).trim();
  if (!/^Invalid `[^`]*` invocation/.test(message)) return message;
  const paragraphs = message.split(/\n\s*\n/);
  return paragraphs[paragraphs.length - 1]!.trim();
}

/** With replace, every section the roster is empty in only because its CSV file was absent, while the database holds rows of it. */
function absentFileErrors(roster: Roster, existing: Existing, allowEmpty: readonly ImportSection[]): LocatedError[] {
  const allowed = new Set<ImportSection>(allowEmpty);
  if (allowed.has('districts')) allowed.add('districtContacts'); // contacts go with their district
  const held: Record<ImportSection, number> = {
    agencies: existing.agencies.size,
    districts: existing.districts.size,
    districtContacts: existing.contacts.size,
    officers: existing.officers.size,
    assignments: existing.assignments.size,
    trainings: existing.trainings.size,
    policyReviews: existing.reviews.size,
    contactDays: existing.days.size,
  };
  const out: LocatedError[] = [];
  for (const { section, file } of absentFilesOf(roster)) {
    const n = held[section];
    if (allowed.has(section) || n === 0) continue;
    const [one, many] = SECTION_LABEL[section];
    out.push(
      located(
        'ABSENT_FILE',
        { file, row: null, field: null, order: -1 + IMPORT_SECTIONS.indexOf(section) / 100 },
        `is not in the folder, so --replace would delete ${n === 1 ? 'the' : 'all'} ${plural(n, one, many)} in the database (section ${section}); ` +
          `add the file (a header row alone empties the section), or pass --allow-empty ${file.slice(0, -'.csv'.length)} to empty it`,
      ),
    );
  }
  return out;
}

/**
 * Imports a validated roster (from loadRoster, or rosterSchema.parse) in one transaction.
 * Returns the roster's errors (duplicate keys, dangling references, and with replace the
 * sections a CSV folder lacked the file of, see ImportOptions.allowEmpty) without writing
 * anything; throws ImportBusyError when another import holds the lock for longer than
 * lockWaitMs, and RosterImportError when the database fails (neither writes anything).
 */
export async function importRoster(db: Db, roster: Roster, options: ImportOptions): Promise<ImportResult> {
  const replace = options.replace;
  // loadRoster has checked this already; a roster built in code may not have been.
  const duplicates = duplicateKeyErrors(roster, locatorOf(roster));
  if (duplicates.length > 0) return { ok: false, errors: sortedErrors(duplicates) };
  try {
    const result = await db.$transaction(
      async (tx) => {
        await takeImportLock(tx, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
        const existing = await readExisting(tx);
        const refused = [
          ...(replace ? absentFileErrors(roster, existing, options.allowEmpty ?? []) : []),
          ...danglingReferences(roster, existing, replace),
        ];
        if (refused.length > 0) throw new RosterRejected(sortedErrors(refused));
        const p = plans(roster, existing, replace);
        await apply(tx, p);
        return {
          agencies: counts(p.agencies),
          districts: counts(p.districts),
          districtContacts: counts(p.districtContacts),
          officers: counts(p.officers),
          assignments: counts(p.assignments),
          trainings: counts(p.trainings),
          policyReviews: counts(p.policyReviews),
          contactDays: counts(p.contactDays),
        } satisfies Record<ImportSection, SectionCounts>;
      },
      { timeout: NO_TIME_LIMIT_MS, maxWait: 10_000 },
    );
    return { ok: true, counts: result };
  } catch (cause) {
    if (cause instanceof RosterRejected) return { ok: false, errors: cause.errors };
    if (cause instanceof RosterImportError) throw cause;
    throw new RosterImportError(`the roster import failed and was rolled back: ${databaseProblem(cause)}`, { cause });
  }
}
