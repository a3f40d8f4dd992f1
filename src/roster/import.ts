// Writes a roster to the database in one transaction (INTERFACE.md `sro import`): upsert by
// natural keys; with `replace`, also delete the facts the roster does not hold. All or
// nothing: on any error nothing is written. The alert ledger is never touched (it is the
// record of what was sent).
//
// At any size (issue 15): the roster's rows are streamed into TEMPORARY staging tables of the
// import's transaction (COPY for `sro import`, src/db/import-staging.ts), then checked and
// merged by a fixed number of set-based statements (src/db/import-merge.ts): duplicate
// natural keys, dangling references, the counts, one INSERT, UPDATE and DELETE per section.
// Node holds one row at a time and at most MAX_LISTED_ERRORS errors.
//
// One entry, importFeed: a feed reads a JSON file or CSV folder as it stages it (bounded
// memory; src/roster/load.ts openRosterFeed), whoever imports (`sro import`, the console's
// upload, `sro demo`).
import pg from 'pg';
import { AppError } from '../app/errors.ts';
import { type AuditActor, appendAuditEvent } from '../db/audit.ts';
import {
  IMPORT_LOCK_HOLDER,
  type LockHolder,
  type MergeCounts,
  REFERENCES,
  TRY_IMPORT_LOCK,
  analyzeStaged,
  countMerge,
  danglingReferences,
  deleteUnreferencedCertificates,
  deleteUnstaged,
  duplicateKeys,
  removedOfficersWithConsoleFacts,
  tableRowCount,
  upsertStaged,
} from '../db/import-merge.ts';
import { type SqlSession, beginImport, createStageTablesSql, endImport, pgSession } from '../db/import-staging.ts';
import { plural } from '../domain/plural.ts';
import { quote } from '../shell/quote.ts';
import { ErrorList, ErrorPhase, MAX_LISTED_ERRORS } from './error-list.ts';
import { ROSTER_SECTIONS } from './schema.ts';
import { KEY_FIELDS } from './stage-rows.ts';
import {
  type AbsentFile,
  type RosterError,
  type RosterErrorCode,
  type RosterLocation,
  duplicateMessage,
  located,
} from './validate.ts';

/** The sections counted by an import: the roster's, with district contacts on their own. */
const [agencySection, districtSection, ...factSections] = ROSTER_SECTIONS;
export const IMPORT_SECTIONS = [agencySection, districtSection, 'districtContacts', ...factSections] as const;
export type ImportSection = (typeof IMPORT_SECTIONS)[number];

export type SectionCounts = MergeCounts;

export type ImportResult =
  | { ok: true; counts: Record<ImportSection, SectionCounts>; dryRun?: boolean }
  | {
      ok: false;
      /** The first MAX_LISTED_ERRORS errors, in file order. */
      errors: RosterError[];
      /** Every error, listed or not (absent: as many as listed). */
      totalErrors?: number;
      /** Every error by code (absent: count the listed ones). */
      errorCounts?: Partial<Record<RosterErrorCode, number>>;
    };

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
const DEFAULT_LOCK_WAIT_MS = 30_000;

/** Where an import is, for a progress line (`sro import` on a terminal). */
export type ImportProgress =
  | { stage: 'reading'; section: ImportSection; rows: number }
  | { stage: 'checking' }
  | { stage: 'merging'; section: ImportSection };

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
  /** Check and count everything, then roll back: nothing is written (`sro import --dry-run`). */
  dryRun?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /**
   * Who imports, for the audit log (issue 14 item 6): importFeed appends one audit_event in
   * the import's transaction when it commits (never for a dry run or a refused roster).
   * `path` names the roster in the event (a file or folder name, not where it was on disk).
   */
  audit?: { actor: AuditActor; path: string };
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

/** What a feed is given to stage a roster: the session's writers, the errors, the progress. */
export interface StageContext {
  session: SqlSession;
  errors: ErrorList;
  /** Rows read so far in `section` (called now and then, cheap). */
  progress(section: ImportSection, rows: number): void;
}

/**
 * A roster as the import reads it: something that stages its rows (validating them, if they
 * need it, and adding what is wrong to the errors), and names a staged row in a message.
 */
export interface RosterFeed {
  stage(ctx: StageContext): Promise<void>;
  /** Where staged row (r, sub) of `section` is, `field` (a roster field, JSON name) within it or the whole row. */
  locate(section: ImportSection, r: number, sub: number | null, field: string | null): RosterLocation;
  /** Names a staged row in "same as …". */
  describe(section: ImportSection, r: number, sub: number | null): string;
  /** The sections a CSV folder had no file for. */
  absent(): readonly AbsentFile[];
}

/** A JSON path to staged row (r, sub): ['officers', 3], ['districts', 0, 'contacts', 1]. */
export function stagedPath(section: ImportSection, r: number, sub: number | null): PropertyKey[] {
  return section === 'districtContacts' ? ['districts', r, 'contacts', sub ?? 0] : [section, r];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const LOCK_POLL_MS = 200;

/** Takes the import lock for this transaction, waiting at most `waitMs` for another import to finish. */
async function takeImportLock(session: SqlSession, waitMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const [row] = await session.rows<{ locked: boolean }>(TRY_IMPORT_LOCK);
    if (row?.locked === true) return;
    const left = started + waitMs - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(LOCK_POLL_MS, left));
  }
  const [holder] = await session.rows<LockHolder>(IMPORT_LOCK_HOLDER);
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

function rejected(errors: ErrorList): ImportResult {
  const s = errors.summary();
  return { ok: false, errors: s.errors, totalErrors: s.total, errorCounts: s.byCode };
}

/** Every staged row whose natural key repeats an earlier one's, naming both rows. */
async function checkDuplicates(session: SqlSession, feed: RosterFeed, errors: ErrorList): Promise<void> {
  for (const section of IMPORT_SECTIONS) {
    const fields = KEY_FIELDS[section];
    const rows = await duplicateKeys(session, section, MAX_LISTED_ERRORS);
    for (const d of rows) {
      const values = [d.k1, d.k2, d.k3].slice(0, fields.length) as string[];
      const message = duplicateMessage(
        SECTION_LABEL[section][0],
        fields,
        values,
        feed.describe(section, d.first_r, d.first_sub),
      );
      const where = feed.locate(section, d.r, d.sub, fields.length === 1 ? fields[0]! : null);
      errors.add(located('DUPLICATE_KEY', where, message), ErrorPhase.check);
    }
    // Past the first MAX_LISTED_ERRORS of a section, an error is never listed: counted only.
    const unlisted = (rows[0]?.total ?? 0) - rows.length;
    if (unlisted > 0) errors.count('DUPLICATE_KEY', unlisted);
  }
}

/** With replace, every section the roster is empty in only because its CSV file was absent, while the database holds rows of it. */
async function checkAbsentFiles(
  session: SqlSession,
  feed: RosterFeed,
  allowEmpty: readonly ImportSection[],
  errors: ErrorList,
): Promise<void> {
  const allowed = new Set<ImportSection>(allowEmpty);
  if (allowed.has('districts')) allowed.add('districtContacts'); // contacts go with their district
  for (const { section, file } of feed.absent()) {
    if (allowed.has(section)) continue;
    const n = await tableRowCount(session, section);
    if (n === 0) continue;
    const [one, many] = SECTION_LABEL[section];
    errors.add(
      located(
        'ABSENT_FILE',
        { file, row: null, field: null, order: -1 + IMPORT_SECTIONS.indexOf(section) / 100 },
        `is not in the folder, so --replace would delete ${n === 1 ? 'the' : 'all'} ${plural(n, one, many)} in the database (section ${section}); ` +
          `add the file (a header row alone empties the section), or pass --allow-empty ${file.slice(0, -'.csv'.length)} to empty it`,
      ),
      ErrorPhase.check,
    );
  }
}

/**
 * With replace, every officer the roster lacks who holds CONSOLE facts: deleting the officer
 * would delete them (the foreign keys cascade), and RULES.md 7 says an import never deletes a
 * CONSOLE fact. Decision (issue 14): the import is refused, all or nothing, one error per
 * officer naming what they hold; the facts are not orphaned, nor the officer kept silently.
 */
async function checkConsoleFactsOfRemoved(session: SqlSession, feed: RosterFeed, errors: ErrorList): Promise<void> {
  const rows = await removedOfficersWithConsoleFacts(session, MAX_LISTED_ERRORS);
  if (rows.length === 0) return;
  // The officers' file (officers.csv, or the JSON file): the officer has no row in it.
  const { file, order } = feed.locate('officers', 0, null, null);
  for (const o of rows) {
    const held = [
      o.trainings > 0 ? plural(o.trainings, 'training') : null,
      o.policy_reviews > 0 ? plural(o.policy_reviews, 'policy review') : null,
      o.contact_days > 0 ? plural(o.contact_days, 'contact day') : null,
    ].filter((h) => h !== null);
    errors.add(
      located(
        'HOLDS_CONSOLE_FACTS',
        { file, row: null, field: null, order: order - 0.5 },
        `officer ${quote(o.license)} is not in the file but holds facts recorded in the console (${held.join(', ')}); ` +
          'keep the officer in the roster, or delete those facts in the console first',
      ),
      ErrorPhase.check,
    );
  }
  const unlisted = (rows[0]?.total ?? 0) - rows.length;
  if (unlisted > 0) errors.count('HOLDS_CONSOLE_FACTS', unlisted);
}

/** Every reference to an agency, district or officer that neither the roster nor (without replace) the database holds. */
async function checkReferences(
  session: SqlSession,
  feed: RosterFeed,
  replace: boolean,
  errors: ErrorList,
): Promise<void> {
  const where = replace
    ? 'in the roster (with --replace, everything referenced must be in the roster)'
    : 'in the roster or the database';
  for (const ref of REFERENCES) {
    const rows = await danglingReferences(session, ref, replace, MAX_LISTED_ERRORS);
    const what = SECTION_LABEL[ref.parent][0];
    for (const d of rows) {
      errors.add(
        located(
          'DANGLING_REFERENCE',
          feed.locate(ref.section, d.r, null, ref.field),
          `no ${what} ${quote(d.id)} ${where}`,
        ),
        ErrorPhase.check,
      );
    }
    const unlisted = (rows[0]?.total ?? 0) - rows.length;
    if (unlisted > 0) errors.count('DANGLING_REFERENCE', unlisted);
  }
}

/** The import itself, on a session whose transaction the caller begins and ends (commit only when ok and not a dry run). */
async function runImport(session: SqlSession, feed: RosterFeed, options: ImportOptions): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => undefined);
  await takeImportLock(session, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  // Memory for this transaction's sorts and hash joins over millions of staged rows (the
  // default 4 MB makes them spill to disk in batches).
  for (const sql of createStageTablesSql()) await session.run(sql);
  const errors = new ErrorList();
  await feed.stage({
    session,
    errors,
    progress: (section, rows) => progress({ stage: 'reading', section, rows }),
  });
  progress({ stage: 'checking' });
  await analyzeStaged(session);
  await checkDuplicates(session, feed, errors);
  if (errors.size > 0) return rejected(errors);

  if (options.replace) {
    await checkAbsentFiles(session, feed, options.allowEmpty ?? [], errors);
    await checkConsoleFactsOfRemoved(session, feed, errors);
  }
  await checkReferences(session, feed, options.replace, errors);
  if (errors.size > 0) return rejected(errors);

  const counts = {} as Record<ImportSection, SectionCounts>;
  // A CSV folder without district_contacts.csv lists no contacts (DeleteRule.contactLists).
  const rule = { replace: options.replace, contactLists: !feed.absent().some((a) => a.section === 'districtContacts') };
  for (const section of IMPORT_SECTIONS) counts[section] = await countMerge(session, section, rule);
  if (options.dryRun) return { ok: true, counts, dryRun: true };

  // Parents before children, so every reference exists when it is written.
  for (const section of IMPORT_SECTIONS) {
    progress({ stage: 'merging', section });
    const written = await upsertStaged(session, section, counts[section]);
    expectWritten(
      section,
      'write',
      counts[section].created + counts[section].updated,
      written.created + written.updated,
    );
  }
  // Children before parents (with replace; without it, only the contacts a listed district
  // dropped). Deleting an officer would cascade to its facts, but those are deleted (and
  // counted) first; one holding CONSOLE facts was refused above.
  for (const section of [...IMPORT_SECTIONS].reverse()) {
    const deleted = await deleteUnstaged(session, section, counts[section], rule);
    expectWritten(section, 'delete', counts[section].deleted, deleted);
  }
  if (options.replace) await deleteUnreferencedCertificates(session);
  return { ok: true, counts };
}

// Under the import lock nothing else writes these tables; a difference means the counts
// were wrong, and the transaction must not commit.
function expectWritten(section: ImportSection, verb: string, expected: number, actual: number): void {
  if (expected === actual) return;
  throw new RosterImportError(
    `${SECTION_LABEL[section][1]}: expected to ${verb} ${plural(expected, 'row')}, did ${actual}; the import was rolled back`,
  );
}

function failed(cause: unknown): RosterImportError {
  if (cause instanceof RosterImportError) return cause;
  const problem = String((cause as Error)?.message ?? cause).trim();
  return new RosterImportError(`the roster import failed and was rolled back: ${problem}`, { cause });
}

/**
 * Imports the roster a feed reads (src/roster/load.ts openRosterFeed) in one transaction,
 * over a connection of its own to `databaseUrl`, staging by COPY: what `sro import`,
 * `POST /api/imports` and `sro demo` run. Returns the roster's errors (every row's, duplicate
 * keys, dangling references, and with replace the sections a CSV folder lacked the file of,
 * see ImportOptions.allowEmpty) without writing anything; throws ImportBusyError when another
 * import holds the lock for longer than lockWaitMs, and RosterImportError when the database
 * fails (neither writes anything). Audited (ImportOptions.audit); the connection is closed
 * before it returns.
 */
export async function importFeed(databaseUrl: string, feed: RosterFeed, options: ImportOptions): Promise<ImportResult> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'sro import' });
  // A connection lost mid-import rejects the statement running; the event must not crash.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await beginImport(client);
    const session = pgSession(client);
    let result: ImportResult;
    try {
      result = await runImport(session, feed, options);
      if (result.ok && !result.dryRun && options.audit !== undefined) {
        await appendAuditEvent(client, {
          actor: options.audit.actor,
          action: options.replace ? 'import.replace' : 'import',
          license: null,
          before: null,
          after: { path: options.audit.path, counts: result.counts, replace: options.replace },
        });
      }
    } catch (cause) {
      // A COPY the failure left open is failed first: a ROLLBACK behind it would never run,
      // and the transaction would hold the import lock for as long as the process lives.
      await session.abort(cause instanceof Error ? cause : new Error(String(cause)));
      await endImport(client, false).catch(() => undefined);
      // The app's own errors (an input that stopped arriving) keep their meaning for the caller.
      throw cause instanceof AppError ? cause : failed(cause);
    }
    await endImport(client, result.ok && !result.dryRun).catch((cause: unknown) => {
      throw failed(cause);
    });
    return result;
  } finally {
    await client.end().catch(() => undefined);
  }
}
