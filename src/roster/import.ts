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
//
// Everything at once (INTERFACE.md "Imports that say everything at once"): staging goes on
// past a row's errors, so the checks over the staging tables (import-checks.ts) list the
// duplicates and the unknown references of the same run beside them. A dry run also lists
// who would be created, changed and deleted (src/db/import-changes.ts), at most
// MAX_LISTED_CHANGES rows per list.
import pg from 'pg';
import { AppError } from '../errors.ts';
import { type AuditActor, appendAuditEvent } from '../db/audit.ts';
import { type SectionChanges, listChanges } from '../db/import-changes.ts';
import {
  IMPORT_LOCK_HOLDER,
  type LockHolder,
  type MergeCounts,
  TRY_IMPORT_LOCK,
  analyzeStaged,
  countMerge,
  deleteUnreferencedCertificates,
  deleteUnstaged,
  upsertStaged,
} from '../db/import-merge.ts';
import { type SqlSession, beginImport, createStageTablesSql, endImport, pgSession } from '../db/import-staging.ts';
import { plural } from '../domain/plural.ts';
import { quote } from '../shell/quote.ts';
import { ErrorList } from './error-list.ts';
import { IMPORT_SECTIONS, type ImportSection, type RosterFeed, SECTION_LABEL } from './feed.ts';
import {
  CLI_WORDS,
  type ImportWords,
  checkAbsentFiles,
  checkConsoleFactsOfRemoved,
  checkDistrictDaysOff,
  checkDuplicates,
  checkReferences,
} from './import-checks.ts';
import type { RosterError, RosterErrorCode } from './validate.ts';

export { IMPORT_SECTIONS, type ImportSection, type RosterFeed, parseImportSection, stagedPath } from './feed.ts';
export type { ImportWords } from './import-checks.ts';

export type SectionCounts = MergeCounts;

/**
 * How many rows of each list of a dry run's changes are listed (per section: created, updated,
 * deleted); past them, `unlisted` counts the rest, so that a million rows list a bounded page.
 */
export const MAX_LISTED_CHANGES = 1000;

/** A section's changes as a dry run lists them: the first rows of each list, and how many more there are. */
type ListedChanges = SectionChanges & { unlisted: { created: number; updated: number; deleted: number } };
export type ImportChanges = Record<ImportSection, ListedChanges>;

export type ImportResult =
  | {
      ok: true;
      counts: Record<ImportSection, SectionCounts>;
      dryRun?: boolean;
      /** A dry run's: who would be created, changed and deleted, per section. */
      changes?: ImportChanges;
    }
  | {
      ok: false;
      /** The first MAX_LISTED_ERRORS errors, in file order. */
      errors: RosterError[];
      /** Every error, listed or not (absent: as many as listed). */
      totalErrors?: number;
      /** Every error by code (absent: count the listed ones). */
      errorCounts?: Partial<Record<RosterErrorCode, number>>;
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
  /** A dry run's changes: how many rows of each list (default MAX_LISTED_CHANGES; 0 lists none). */
  listChanges?: number;
  /** How the messages name the options (default CLI_WORDS: the command line's flags). */
  words?: ImportWords;
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

/** The import itself, on a session whose transaction the caller begins and ends (commit only when ok and not a dry run). */
async function runImport(session: SqlSession, feed: RosterFeed, options: ImportOptions): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => undefined);
  await takeImportLock(session, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  // Memory for this transaction's sorts and hash joins over millions of staged rows (the
  // default 4 MB makes them spill to disk in batches).
  for (const sql of createStageTablesSql()) await session.run(sql);
  const errors = new ErrorList();
  const unreadable = new Set<ImportSection>();
  await feed.stage({
    session,
    errors,
    progress: (section, rows) => progress({ stage: 'reading', section, rows }),
    unreadable: (section) => unreadable.add(section),
  });
  progress({ stage: 'checking' });
  await analyzeStaged(session);
  // Every check, whatever the rows' own errors: one run lists every problem.
  const words = options.words ?? CLI_WORDS;
  await checkDuplicates(session, feed, errors);
  if (options.replace) {
    await checkAbsentFiles(session, feed, options.allowEmpty ?? [], words, errors);
    // An officer the roster could not read is not one it lacks.
    if (!unreadable.has('officers')) await checkConsoleFactsOfRemoved(session, feed, errors);
  }
  await checkReferences(session, feed, options.replace, unreadable, words, errors);
  await checkDistrictDaysOff(session, feed, errors);
  if (errors.size > 0) return rejected(errors);

  const counts = {} as Record<ImportSection, SectionCounts>;
  // A CSV folder without district_contacts.csv lists no contacts (DeleteRule.contactLists).
  const rule = { replace: options.replace, contactLists: !feed.absent().some((a) => a.section === 'districtContacts') };
  for (const section of IMPORT_SECTIONS) counts[section] = await countMerge(session, section, rule);
  if (options.dryRun) {
    const limit = options.listChanges ?? MAX_LISTED_CHANGES;
    const changes = {} as ImportChanges;
    for (const section of IMPORT_SECTIONS) {
      const c = counts[section];
      const listed = await listChanges(session, section, c, rule, limit);
      const unlisted = {
        created: c.created - listed.created.length,
        updated: c.updated - listed.updated.length,
        deleted: c.deleted - listed.deleted.length,
      };
      changes[section] = { ...listed, unlisted };
    }
    return { ok: true, counts, dryRun: true, changes };
  }

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
